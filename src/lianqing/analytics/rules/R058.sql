/*
id: R058
name: 中标价大幅低于次低价
severity: 中
category: other
datasets: [ocds_processes, ocds_bids, ocds_bid_tenderers, ocds_awards, ocds_award_suppliers]
subject: ocid/tenderer
when: none
condition: "中标价与次低有效报价的差额比(次低价−中标价)/中标价不低于全部采购过程差额比的上限 Q3+1.5×IQR(或设定的 {threshold})，标记该过程和中标人。"
origins: [cardinal]
params:
  threshold: {type: decimal, default: null, description: 上限(差额比)；不设时用 Q3 + 1.5 IQR}
  currency: {type: text, default: "", description: 只比较此币种的报价；空为首个出现的币种}
  price_comparison_procurement_methods: {type: text, default: "", description: 只比较这些采购方式细目的报价(以|分隔)}
  no_price_comparison_procurement_methods: {type: text, default: "", description: 不比较这些采购方式细目的报价(以|分隔)}
  exclusions_procurement_method_details: {type: text, default: "", description: 全局排除的采购方式细目(以|分隔)}
explanation: "{who}：{detail}，差额比不低于全体采购过程的上限，疑似低价抢标(Cardinal R058 指标值 {value})。"
*/
-- Cardinal R058 (Heavily discounted bid): the same difference as R024 (L - W) / W, flagged when
-- it is >= the upper fence Q3 + 1.5 IQR of all differences (or `threshold`), and only while the
-- fence > 0; its value is the difference; the winner is flagged with value 0.0.
-- Quartiles: statrs' (Cardinal's) R-8 quantile, at the exact position h = ((3n + 1) k + 100) / 300
-- for the k-th percentile, interpolating between the order statistics numbered floor(h) and
-- floor(h) + 1 (the minimum when floor(h) < 1, the maximum when floor(h) >= n): the same integer
-- and double operations on every engine.
WITH winners AS (
    SELECT w.ocid, w.supplier_id
    FROM ocds_sole_winner AS w
    JOIN ocds_scope AS p ON p.ocid = w.ocid
    WHERE ocds_not_excluded(p.procurement_method_details, $exclusions_procurement_method_details)
        AND ocds_price_comparable(
            p.procurement_method_details, $price_comparison_procurement_methods, $no_price_comparison_procurement_methods
        )
),
main AS (
    SELECT coalesce(nullif($currency, ''), (SELECT min(currency) FROM ocds_first_currency)) AS currency
),
priced AS (
    SELECT
        b.ocid, b.bid_index, b.amount, b.tenderer_id, b.tenderer_id = w.supplier_id AS is_winner,
        row_number() OVER (PARTITION BY b.ocid, b.tenderer_id = w.supplier_id ORDER BY b.amount, b.bid_index) AS place
    FROM ocds_single_tenderer_bids AS b
    JOIN winners AS w ON w.ocid = b.ocid
    CROSS JOIN main AS m
    WHERE b.status = 'valid' AND b.amount IS NOT NULL AND b.currency = m.currency
),
pairs AS (
    SELECT
        w.ocid, w.tenderer_id AS winner_id, w.amount AS winner_amount, o.tenderer_id AS other_id,
        o.amount AS other_amount, (o.amount - w.amount) / w.amount AS difference
    FROM priced AS w
    JOIN priced AS o ON o.ocid = w.ocid AND NOT o.is_winner AND o.place = 1
    WHERE w.is_winner AND w.place = 1 AND o.amount >= w.amount AND w.amount <> 0
),
ranked AS (
    SELECT difference AS v, row_number() OVER (ORDER BY difference) AS r FROM pairs
),
positions AS (
    SELECT n, h1, CAST(a1 - 300 * h1 AS DOUBLE) / 300 AS f1, h3, CAST(a3 - 300 * h3 AS DOUBLE) / 300 AS f3
    FROM (
        SELECT n, a1, floor(a1 / 300) AS h1, a3, floor(a3 / 300) AS h3
        FROM (SELECT count(*) AS n, (3 * count(*) + 1) * 25 + 100 AS a1, (3 * count(*) + 1) * 75 + 100 AS a3 FROM pairs) AS c
    ) AS h
),
quartiles AS (
    SELECT
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
    CROSS JOIN positions AS p
    GROUP BY p.n, p.h1, p.f1, p.h3, p.f3
),
fence AS (
    SELECT
        coalesce(CAST($threshold AS DOUBLE), q3 + 1.5 * (q3 - q1)) AS upper_fence
    FROM quartiles
),
flagged AS (
    SELECT d.*
    FROM pairs AS d
    CROSS JOIN fence AS f
    WHERE f.upper_fence > 0 AND d.difference >= f.upper_fence
),
names AS (
    SELECT ocid, tenderer_id, min(tenderer_name) AS tenderer_name
    FROM ocds_bid_tenderers
    WHERE tenderer_id IS NOT NULL
    GROUP BY ocid, tenderer_id
)
SELECT
    ocds_subject('ocid', d.ocid) AS subject_id,
    coalesce(p.title, '') AS subject_name,
    ocds_processes_key(d.ocid) AS record_id,
    CAST(NULL AS DECIMAL(18, 2)) AS amount,
    CAST(NULL AS DATE) AS day,
    CAST(NULL AS VARCHAR) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '中标人 ' || d.winner_id || ' 的报价远低于次低报价人 ' || d.other_id AS detail,
    d.difference AS value
FROM flagged AS d
JOIN ocds_processes AS p ON p.ocid = d.ocid
UNION ALL
SELECT
    ocds_subject('tenderer', t.tenderer_id),
    coalesce(n.tenderer_name, ''),
    ocds_processes_key(t.ocid),
    CAST(NULL AS DECIMAL(18, 2)),
    CAST(NULL AS DATE),
    CAST(NULL AS VARCHAR),
    CAST(NULL AS VARCHAR),
    '在采购过程 ' || t.ocid || ' 中' || t.role,
    CAST(0 AS DOUBLE)
FROM (
    SELECT ocid, winner_id AS tenderer_id, '以远低于次低价的报价中标' AS role FROM flagged
) AS t
LEFT JOIN names AS n ON n.ocid = t.ocid AND n.tenderer_id = t.tenderer_id
