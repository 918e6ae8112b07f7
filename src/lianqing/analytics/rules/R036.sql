/*
id: R036
name: 最低报价被取消资格
severity: 中
category: abuse_of_power
datasets: [ocds_processes, ocds_bids, ocds_awards]
subject: ocid
when: none
condition: "采购过程已授标、有有效报价，而最低的报价被取消资格(最低价中标的项目)。"
origins: [cardinal]
params:
  currency: {type: text, default: "", description: 只比较此币种的报价；空为首个出现的币种}
  price_comparison_procurement_methods: {type: text, default: "", description: 只比较这些采购方式细目的报价(以|分隔)}
  no_price_comparison_procurement_methods: {type: text, default: "", description: 不比较这些采购方式细目的报价(以|分隔)}
  exclusions_procurement_method_details: {type: text, default: "", description: 全局排除的采购方式细目(以|分隔)}
explanation: "采购过程{who}：{detail}(Cardinal R036)。"
*/
-- Cardinal R036 (Lowest bid disqualified): a process with an active award, among whose submitted
-- bids with an amount in the main currency there is a valid one, and whose lowest such bid (the
-- first in bid order among equal amounts) is disqualified. The value is always 1.0.
WITH scope AS (
    SELECT p.ocid, p.title
    FROM ocds_scope AS p
    WHERE ocds_not_excluded(p.procurement_method_details, $exclusions_procurement_method_details)
        AND ocds_price_comparable(
            p.procurement_method_details, $price_comparison_procurement_methods, $no_price_comparison_procurement_methods
        )
        AND p.has_awards
        AND EXISTS (SELECT 1 FROM ocds_awards AS a WHERE a.ocid = p.ocid AND a.status = 'active')
),
main AS (
    SELECT coalesce(nullif($currency, ''), (SELECT min(currency) FROM ocds_first_currency)) AS currency
),
priced AS (
    SELECT
        b.ocid, b.bid_index, b.status, b.amount, b.currency,
        row_number() OVER (PARTITION BY b.ocid ORDER BY b.amount, b.bid_index) AS place,
        count(CASE WHEN b.status = 'valid' THEN 1 END) OVER (PARTITION BY b.ocid) AS valid_bids
    FROM ocds_submitted_bids AS b
    JOIN scope AS s ON s.ocid = b.ocid
    CROSS JOIN main AS m
    WHERE b.amount IS NOT NULL AND b.currency = m.currency
)
SELECT
    ocds_subject('ocid', b.ocid) AS subject_id,
    coalesce(s.title, '') AS subject_name,
    ocds_processes_key(b.ocid) AS record_id,
    CAST(NULL AS DECIMAL(18, 2)) AS amount,
    CAST(NULL AS DATE) AS day,
    ocds_bids_key(b.ocid, b.bid_index) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '最低报价(第 ' || CAST(b.bid_index + 1 AS VARCHAR) || ' 份投标，' || b.currency || ')被取消资格' AS detail,
    CAST(1 AS DOUBLE) AS value
FROM priced AS b
JOIN scope AS s ON s.ocid = b.ocid
WHERE b.place = 1 AND b.status = 'disqualified' AND b.valid_bids > 0
