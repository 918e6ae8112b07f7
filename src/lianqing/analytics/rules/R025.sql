/*
id: R025
name: 大量投标却很少中标
severity: 中
category: other
datasets: [ocds_processes, ocds_bids, ocds_bid_tenderers, ocds_awards, ocds_award_suppliers]
subject: tenderer
when: none
condition: "投标人的有效投标过程数不低于第 {percentile} 百分位，而中标率(中标过程数/有效投标过程数)不高于全部投标人中标率的下限 Q1−1.5×IQR(或设定的 {threshold})。"
origins: [cardinal]
params:
  percentile: {type: integer, default: 75, min: 0, max: 100, description: 有效投标数不低于此百分位的投标人才计(上限)}
  threshold: {type: decimal, default: null, description: 中标率下限；不设时用 Q1 - 1.5 IQR}
  exclusions_procurement_method_details: {type: text, default: "", description: 全局排除的采购方式细目(以|分隔)}
explanation: "投标人{who}：{detail}，中标率不高于下限，疑似陪标(Cardinal R025 指标值 {value})。"
*/
-- Cardinal R025 (Excessive unsuccessful bids). Over processes whose awards are all final, with
-- one active award to one supplier, each tenderer of a valid single-tenderer bid counts once per
-- process; its ratio is won processes / such processes. A tenderer is flagged when its number of
-- processes >= the `percentile`-th percentile of those numbers and its ratio <= the lower fence
-- Q1 - 1.5 IQR of the ratios (or `threshold`), and only while Q1 > 0 and the fence > 0. The value
-- is the ratio. Percentiles are statrs' R-8 at exact positions, as in R024.
WITH winners AS (
    SELECT w.ocid, w.supplier_id
    FROM ocds_sole_winner AS w
    JOIN ocds_scope AS p ON p.ocid = w.ocid
    WHERE ocds_not_excluded(p.procurement_method_details, $exclusions_procurement_method_details)
),
valid AS (
    SELECT DISTINCT b.ocid, b.tenderer_id, w.supplier_id
    FROM ocds_single_tenderer_bids AS b
    JOIN winners AS w ON w.ocid = b.ocid
    WHERE b.status = 'valid'
),
tally AS (
    SELECT
        tenderer_id,
        count(*) AS processes,
        CAST(count(CASE WHEN tenderer_id = supplier_id THEN 1 END) AS DOUBLE) / count(*) AS ratio
    FROM valid
    GROUP BY tenderer_id
),
ranked AS (
    SELECT
        ratio, row_number() OVER (ORDER BY ratio) AS ratio_rank,
        CAST(processes AS DOUBLE) AS processes, row_number() OVER (ORDER BY processes) AS processes_rank
    FROM tally
),
positions AS (
    SELECT
        n, h1, CAST(a1 - 300 * h1 AS DOUBLE) / 300 AS f1, h3, CAST(a3 - 300 * h3 AS DOUBLE) / 300 AS f3,
        hp, CAST(ap - 300 * hp AS DOUBLE) / 300 AS fp
    FROM (
        SELECT n, a1, floor(a1 / 300) AS h1, a3, floor(a3 / 300) AS h3, ap, floor(ap / 300) AS hp
        FROM (
            SELECT
                count(*) AS n,
                (3 * count(*) + 1) * 25 + 100 AS a1,
                (3 * count(*) + 1) * 75 + 100 AS a3,
                (3 * count(*) + 1) * $percentile + 100 AS ap
            FROM tally
        ) AS c
    ) AS h
),
quartiles AS (
    SELECT
        CASE
            WHEN p.h1 < 1 THEN min(r.ratio)
            WHEN p.h1 >= p.n THEN max(r.ratio)
            ELSE max(CASE WHEN r.ratio_rank = p.h1 THEN r.ratio END)
                + p.f1 * (
                    max(CASE WHEN r.ratio_rank = p.h1 + 1 THEN r.ratio END)
                    - max(CASE WHEN r.ratio_rank = p.h1 THEN r.ratio END)
                )
        END AS q1,
        CASE
            WHEN p.h3 < 1 THEN min(r.ratio)
            WHEN p.h3 >= p.n THEN max(r.ratio)
            ELSE max(CASE WHEN r.ratio_rank = p.h3 THEN r.ratio END)
                + p.f3 * (
                    max(CASE WHEN r.ratio_rank = p.h3 + 1 THEN r.ratio END)
                    - max(CASE WHEN r.ratio_rank = p.h3 THEN r.ratio END)
                )
        END AS q3,
        CASE
            WHEN p.hp < 1 OR $percentile = 0 THEN min(r.processes)
            WHEN p.hp >= p.n OR $percentile = 100 THEN max(r.processes)
            ELSE max(CASE WHEN r.processes_rank = p.hp THEN r.processes END)
                + p.fp * (
                    max(CASE WHEN r.processes_rank = p.hp + 1 THEN r.processes END)
                    - max(CASE WHEN r.processes_rank = p.hp THEN r.processes END)
                )
        END AS upper_fence
    FROM ranked AS r
    CROSS JOIN positions AS p
    GROUP BY p.n, p.h1, p.f1, p.h3, p.f3, p.hp, p.fp
),
fence AS (
    SELECT
        upper_fence,
        CASE WHEN $threshold IS NULL THEN q1 ELSE 1 END AS guard,
        coalesce(CAST($threshold AS DOUBLE), q1 - 1.5 * (q3 - q1)) AS lower_fence
    FROM quartiles
),
flagged AS (
    SELECT t.*
    FROM tally AS t
    CROSS JOIN fence AS f
    WHERE f.guard > 0 AND f.lower_fence > 0 AND t.processes >= f.upper_fence AND t.ratio <= f.lower_fence
),
names AS (
    SELECT tenderer_id, min(tenderer_name) AS tenderer_name
    FROM ocds_bid_tenderers
    WHERE tenderer_id IS NOT NULL
    GROUP BY tenderer_id
)
SELECT
    ocds_subject('tenderer', t.tenderer_id) AS subject_id,
    coalesce(n.tenderer_name, '') AS subject_name,
    ocds_processes_key(v.ocid) AS record_id,
    CAST(NULL AS DECIMAL(18, 2)) AS amount,
    CAST(NULL AS DATE) AS day,
    CAST(NULL AS VARCHAR) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '在 ' || CAST(t.processes AS VARCHAR) || ' 个采购过程中提交有效投标，中标 '
        || CAST(count(CASE WHEN v.tenderer_id = v.supplier_id THEN 1 END) OVER (PARTITION BY t.tenderer_id) AS VARCHAR)
        || ' 个' AS detail,
    t.ratio AS value
FROM flagged AS t
JOIN valid AS v ON v.tenderer_id = t.tenderer_id
LEFT JOIN names AS n ON n.tenderer_id = t.tenderer_id
