/*
id: R024
name: 中标价与次低价过于接近
severity: 中
category: other
datasets: [ocds_processes, ocds_bids, ocds_bid_tenderers, ocds_awards, ocds_award_suppliers]
alternative_datasets: [bids]
optional_datasets: [contracts, companies]
subject: ocid/tenderer
when: none
condition: "中标价与次低有效报价的差额比(次低价−中标价)/中标价不高于全部采购过程差额比的下限 Q1−1.5×IQR(或设定的 {threshold})，标记该过程、中标人和次低报价人。"
origins: [cardinal]
params:
  threshold: {type: decimal, default: null, description: 下限(差额比)；不设时用 Q1 - 1.5 IQR}
  currency: {type: text, default: "", description: 只比较此币种的报价；空为首个出现的币种}
  price_comparison_procurement_methods: {type: text, default: "", description: 只比较这些采购方式细目的报价(以|分隔)}
  no_price_comparison_procurement_methods: {type: text, default: "", description: 不比较这些采购方式细目的报价(以|分隔)}
  exclusions_procurement_method_details: {type: text, default: "", description: 全局排除的采购方式细目(以|分隔)}
explanation: "{who}：{detail}，差额比不高于全体采购过程的下限，疑似陪标(Cardinal R024 指标值 {value})。"
*/
-- Cardinal R024 (Price close to winning bid). In a process whose awards are all final, with one
-- active award to one supplier, the winner's lowest valid bid W and the lowest valid bid L of any
-- other tenderer (single-tenderer bids with an amount in the main currency) give the difference
-- (L - W) / W when L >= W (the award criterion is price only). A process is flagged when its
-- difference <= the lower fence Q1 - 1.5 IQR of all differences (or `threshold`), and only while
-- Q1 > 0 and the fence > 0; its value is the difference; the winner and the second-lowest
-- bidder are flagged with value 0.0.
-- The pairs come from the shared price_pairs (built once per scan); a fence is computed per
-- source, OCDS processes apart from the contract's own tenders (contracts/bids: a tender with one
-- bidder won, its contracts' method as procurementMethodDetails; subject tender:<tender_id>).
-- Quartiles: statrs' (Cardinal's) R-8 quantile, at the exact position h = ((3n + 1) k + 100) / 300
-- for the k-th percentile, interpolating between the order statistics numbered floor(h) and
-- floor(h) + 1 (the minimum when floor(h) < 1, the maximum when floor(h) >= n): the same integer
-- and double operations on every engine.
WITH main AS (
    SELECT coalesce(nullif($currency, ''), (SELECT min(currency) FROM ocds_first_currency)) AS currency
),
pairs AS (
    SELECT d.*
    FROM price_pairs AS d
    CROSS JOIN main AS m
    WHERE (d.source = 'bids' OR d.currency = m.currency)
        AND ocds_not_excluded(d.method_details, $exclusions_procurement_method_details)
        AND ocds_price_comparable(
            d.method_details, $price_comparison_procurement_methods, $no_price_comparison_procurement_methods
        )
),
ranked AS (
    SELECT source, difference AS v, row_number() OVER (PARTITION BY source ORDER BY difference) AS r FROM pairs
),
positions AS (
    SELECT source, n, h1, CAST(a1 - 300 * h1 AS DOUBLE) / 300 AS f1, h3, CAST(a3 - 300 * h3 AS DOUBLE) / 300 AS f3
    FROM (
        SELECT source, n, a1, floor(a1 / 300) AS h1, a3, floor(a3 / 300) AS h3
        FROM (
            SELECT source, count(*) AS n, (3 * count(*) + 1) * 25 + 100 AS a1, (3 * count(*) + 1) * 75 + 100 AS a3
            FROM pairs
            GROUP BY source
        ) AS c
    ) AS h
),
quartiles AS (
    SELECT
        p.source,
        CASE
            WHEN p.h1 < 1 THEN min(r.v)
            WHEN p.h1 >= p.n THEN max(r.v)
            ELSE max(CASE WHEN r.r = p.h1 THEN r.v END)
                + p.f1 * (max(CASE WHEN r.r = p.h1 + 1 THEN r.v END) - max(CASE WHEN r.r = p.h1 THEN r.v END))
        END AS q1,
        CASE
            WHEN p.h3 < 1 THEN min(r.v)
            WHEN p.h3 >= p.n THEN max(r.v)
            ELSE max(CASE WHEN r.r = p.h3 THEN r.v END)
                + p.f3 * (max(CASE WHEN r.r = p.h3 + 1 THEN r.v END) - max(CASE WHEN r.r = p.h3 THEN r.v END))
        END AS q3
    FROM ranked AS r
    JOIN positions AS p ON p.source = r.source
    GROUP BY p.source, p.n, p.h1, p.f1, p.h3, p.f3
),
fence AS (
    SELECT
        source,
        CASE WHEN $threshold IS NULL THEN q1 ELSE 1 END AS guard,
        coalesce(CAST($threshold AS DOUBLE), q1 - 1.5 * (q3 - q1)) AS fence
    FROM quartiles
),
flagged AS (
    SELECT d.*
    FROM pairs AS d
    JOIN fence AS f ON f.source = d.source
    WHERE f.guard > 0 AND f.fence > 0 AND d.difference <= f.fence
)
SELECT
    ocds_subject(CASE WHEN d.source = 'ocds' THEN 'ocid' ELSE 'tender' END, d.process_id) AS subject_id,
    coalesce(t.title, '') AS subject_name,
    CASE WHEN d.source = 'ocds' THEN ocds_processes_key(d.process_id) ELSE bids_key(d.process_id, d.winner_id) END AS record_id,
    CAST(NULL AS DECIMAL(18, 2)) AS amount,
    CAST(NULL AS DATE) AS day,
    CASE WHEN d.source = 'bids' THEN bids_key(d.process_id, d.other_id) END AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '中标人 ' || d.winner_id || ' 与次低报价人 ' || d.other_id || ' 的报价几乎相同' AS detail,
    d.difference AS value
FROM flagged AS d
LEFT JOIN procurement_titles AS t ON t.source = d.source AND t.process_id = d.process_id
UNION ALL
SELECT
    ocds_subject('tenderer', x.tenderer_id),
    coalesce(n.tenderer_name, ''),
    CASE WHEN x.source = 'ocds' THEN ocds_processes_key(x.process_id) ELSE bids_key(x.process_id, x.tenderer_id) END,
    CAST(NULL AS DECIMAL(18, 2)),
    CAST(NULL AS DATE),
    CAST(NULL AS VARCHAR),
    CAST(NULL AS VARCHAR),
    '在采购过程 ' || x.process_id || ' 中' || x.role,
    CAST(0 AS DOUBLE)
FROM (
    SELECT source, process_id, winner_id AS tenderer_id, '中标，次低报价与其几乎相同' AS role FROM flagged
    UNION ALL
    SELECT source, process_id, other_id, '以几乎相同的报价排在中标人之后' FROM flagged
) AS x
LEFT JOIN procurement_tenderers AS n
    ON n.source = x.source AND n.process_id = x.process_id AND n.tenderer_id = x.tenderer_id
