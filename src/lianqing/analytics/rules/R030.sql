/*
id: R030
name: 逾期投标却中标
severity: 中
category: abuse_of_power
datasets: [ocds_processes, ocds_bids, ocds_bid_tenderers, ocds_awards, ocds_award_suppliers]
subject: ocid/tenderer
when: none
condition: "有效投标的递交时间晚于投标截止时间，而其投标人是有效授标的供应商，标记该过程和该投标人。"
origins: [cardinal]
params:
  exclusions_procurement_method_details: {type: text, default: "", description: 全局排除的采购方式细目(以|分隔)}
explanation: "{who}：{detail}(Cardinal R030 指标值 {value})。"
*/
-- Cardinal R030 (Late bid won): a valid bid whose date is after the submission deadline
-- (/tender/tenderPeriod/endDate; both compared as text, as Cardinal does) and one of whose
-- tenderers is a supplier of an active award flags the process and that tenderer. Needs /awards
-- and /bids/details as arrays. The value is always 1.0.
WITH scope AS (
    SELECT ocid, title, tender_period_end
    FROM ocds_scope
    WHERE ocds_not_excluded(procurement_method_details, $exclusions_procurement_method_details)
        AND tender_period_end IS NOT NULL AND has_awards AND has_bid_details
),
suppliers AS (
    SELECT DISTINCT s.ocid, s.supplier_id
    FROM ocds_awards AS a
    JOIN ocds_award_suppliers AS s ON s.ocid = a.ocid AND s.award_index = a.award_index
    WHERE a.status = 'active' AND s.supplier_id IS NOT NULL
),
late AS (
    SELECT b.ocid, b.bid_index, b.date, p.tender_period_end, t.tenderer_id, t.tenderer_name
    FROM ocds_bids AS b
    JOIN scope AS p ON p.ocid = b.ocid
    JOIN ocds_bid_tenderers AS t ON t.ocid = b.ocid AND t.bid_index = b.bid_index
    JOIN suppliers AS s ON s.ocid = b.ocid AND s.supplier_id = t.tenderer_id
    WHERE b.status = 'valid' AND b.date IS NOT NULL AND b.date > p.tender_period_end
)
SELECT
    ocds_subject('ocid', l.ocid) AS subject_id,
    coalesce(p.title, '') AS subject_name,
    ocds_processes_key(l.ocid) AS record_id,
    CAST(NULL AS DECIMAL(18, 2)) AS amount,
    CAST(NULL AS DATE) AS day,
    ocds_bids_key(l.ocid, l.bid_index) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '投标截止 ' || l.tender_period_end || '，中标人 ' || l.tenderer_id || ' 的投标 ' || l.date || ' 才递交' AS detail,
    CAST(1 AS DOUBLE) AS value
FROM late AS l
JOIN scope AS p ON p.ocid = l.ocid
UNION ALL
SELECT
    ocds_subject('tenderer', tenderer_id),
    coalesce(tenderer_name, ''),
    ocds_processes_key(ocid),
    CAST(NULL AS DECIMAL(18, 2)),
    CAST(NULL AS DATE),
    ocds_bids_key(ocid, bid_index),
    CAST(NULL AS VARCHAR),
    '在采购过程 ' || ocid || ' 中投标截止 ' || tender_period_end || ' 后 ' || date || ' 才递交投标，却中标',
    CAST(1 AS DOUBLE)
FROM late
