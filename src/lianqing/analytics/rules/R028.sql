/*
id: R028
name: 不同投标人报价完全相同
severity: 中
category: other
datasets: [ocds_processes, ocds_bids, ocds_bid_tenderers]
alternative_datasets: [bids]
optional_datasets: [contracts, companies]
subject: ocid/tenderer
when: none
condition: "同一采购过程中，不同投标人提交了金额和币种完全相同的报价，标记该过程和这些投标人。"
origins: [cardinal]
params:
  price_comparison_procurement_methods: {type: text, default: "", description: 只比较这些采购方式细目的报价(以|分隔)}
  no_price_comparison_procurement_methods: {type: text, default: "", description: 不比较这些采购方式细目的报价(以|分隔)}
  exclusions_procurement_method_details: {type: text, default: "", description: 全局排除的采购方式细目(以|分隔)}
explanation: "{who}：{detail}(Cardinal R028 指标值 {value})。"
*/
-- Cardinal R028 (Identical bid prices). Among the submitted bids of a process that have an amount,
-- a currency and tenderers with ids, taken in bid order, a bid whose price (amount and currency)
-- equals that of the latest earlier bid with that price, but whose set of tenderer ids differs,
-- flags the process and the tenderers of both bids (a tenderer may repeat its own price). The
-- value is always 1.0.
-- On the contract's own bids (one bidder per row, no bid order): a tender where a price is bid by
-- at least two distinct bidders flags the tender (tender:<tender_id>) and those bidders, which is
-- what Cardinal's bid-by-bid comparison gives whatever the order of single-tenderer bids.
WITH scope AS (
    SELECT ocid, title
    FROM ocds_scope
    WHERE ocds_not_excluded(procurement_method_details, $exclusions_procurement_method_details)
        AND ocds_price_comparable(
            procurement_method_details, $price_comparison_procurement_methods, $no_price_comparison_procurement_methods
        )
),
ids AS (
    SELECT DISTINCT ocid, bid_index, tenderer_id
    FROM ocds_bid_tenderers
    WHERE tenderer_id IS NOT NULL
),
priced AS (
    SELECT
        b.ocid, b.bid_index, b.amount, b.currency,
        lag(b.bid_index) OVER (PARTITION BY b.ocid, b.amount, b.currency ORDER BY b.bid_index) AS previous
    FROM ocds_submitted_bids AS b
    JOIN scope AS s ON s.ocid = b.ocid
    WHERE b.tenderer_count IS NOT NULL AND b.amount IS NOT NULL AND b.currency IS NOT NULL
        AND EXISTS (SELECT 1 FROM ids AS i WHERE i.ocid = b.ocid AND i.bid_index = b.bid_index)
),
compared AS (
    SELECT
        p.ocid, p.bid_index, p.previous,
        count(DISTINCT CASE WHEN i.bid_index = p.bid_index THEN i.tenderer_id END) AS mine,
        count(DISTINCT CASE WHEN i.bid_index = p.previous THEN i.tenderer_id END) AS theirs,
        count(DISTINCT i.tenderer_id) AS together
    FROM priced AS p
    JOIN ids AS i ON i.ocid = p.ocid AND (i.bid_index = p.bid_index OR i.bid_index = p.previous)
    WHERE p.previous IS NOT NULL
    GROUP BY p.ocid, p.bid_index, p.previous
),
clashes AS (
    SELECT ocid, bid_index, previous
    FROM compared
    WHERE NOT (mine = theirs AND together = mine)
),
native AS (
    SELECT b.tender_id, b.bidder_uscc, b.price
    FROM bids AS b
    JOIN bid_tenders AS t ON t.tender_id = b.tender_id
    WHERE b.price IS NOT NULL
        AND ocds_not_excluded(t.method_details, $exclusions_procurement_method_details)
        AND ocds_price_comparable(
            t.method_details, $price_comparison_procurement_methods, $no_price_comparison_procurement_methods
        )
),
flagged AS (
    SELECT DISTINCT 'ocds' AS source, c.ocid AS process_id, i.tenderer_id
    FROM clashes AS c
    JOIN ids AS i ON i.ocid = c.ocid AND (i.bid_index = c.bid_index OR i.bid_index = c.previous)
    UNION ALL
    SELECT DISTINCT 'bids', n.tender_id, n.bidder_uscc
    FROM native AS n
    JOIN (
        SELECT tender_id, price FROM native GROUP BY tender_id, price HAVING count(DISTINCT bidder_uscc) >= 2
    ) AS s ON s.tender_id = n.tender_id AND s.price = n.price
)
SELECT
    ocds_subject(CASE WHEN f.source = 'ocds' THEN 'ocid' ELSE 'tender' END, f.process_id) AS subject_id,
    coalesce(t.title, '') AS subject_name,
    CASE WHEN f.source = 'ocds' THEN ocds_processes_key(f.process_id) ELSE bids_key(f.process_id, f.tenderer_id) END AS record_id,
    CAST(NULL AS DECIMAL(18, 2)) AS amount,
    CAST(NULL AS DATE) AS day,
    CAST(NULL AS VARCHAR) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '投标人 ' || f.tenderer_id || ' 与其他投标人报价完全相同' AS detail,
    CAST(1 AS DOUBLE) AS value
FROM flagged AS f
LEFT JOIN procurement_titles AS t ON t.source = f.source AND t.process_id = f.process_id
UNION ALL
SELECT
    ocds_subject('tenderer', f.tenderer_id),
    coalesce(n.tenderer_name, ''),
    CASE WHEN f.source = 'ocds' THEN ocds_processes_key(f.process_id) ELSE bids_key(f.process_id, f.tenderer_id) END,
    CAST(NULL AS DECIMAL(18, 2)),
    CAST(NULL AS DATE),
    CAST(NULL AS VARCHAR),
    CAST(NULL AS VARCHAR),
    '在采购过程 ' || f.process_id || ' 中与其他投标人报价完全相同',
    CAST(1 AS DOUBLE)
FROM flagged AS f
LEFT JOIN procurement_tenderers AS n
    ON n.source = f.source AND n.process_id = f.process_id AND n.tenderer_id = f.tenderer_id
