/*
id: R048
name: 供应商经营品类异常庞杂
severity: 中
category: other
datasets: [ocds_processes, ocds_awards, ocds_award_suppliers, ocds_award_items]
subject: tenderer
when: none
condition: "中标不少于 {minimum_contracting_processes} 个采购过程的供应商，其中标品目的一级分类(编码前 {digits} 位)个数不低于同类的上限 Q3+1.5×IQR(或设定的 {threshold})。"
origins: [cardinal]
params:
  digits: {type: integer, default: 2, min: 1, description: 分类编码取前几位作为一级分类}
  threshold: {type: integer, default: null, description: 上限(一级分类数)；不设时用 Q3 + 1.5 IQR}
  minimum_contracting_processes: {type: integer, default: 20, description: 计算上限时只计中标过程不少于此数的供应商}
  exclusions_procurement_method_details: {type: text, default: "", description: 全局排除的采购方式细目(以|分隔)}
explanation: "供应商{who}：{detail}(Cardinal R048 指标值 {value})。"
*/
-- Cardinal R048 (Heterogeneous supplier). For the supplier of each active award made to exactly
-- one supplier, its variety is the number of distinct first `digits` characters of the items'
-- classification ids, over all its processes. Among suppliers awarded (with classified items) in
-- at least `minimum_contracting_processes` processes, one is flagged when its variety >= the
-- upper fence Q3 + 1.5 IQR of their varieties (or `threshold`). The value is the variety.
-- Quartiles as in R024.
WITH scope AS (
    SELECT ocid
    FROM ocds_scope
    WHERE ocds_not_excluded(procurement_method_details, $exclusions_procurement_method_details)
),
supplied AS (
    SELECT DISTINCT s.supplier_id, a.ocid, substr(i.classification_id, 1, $digits) AS code
    FROM ocds_awards AS a
    JOIN scope AS p ON p.ocid = a.ocid
    JOIN ocds_award_suppliers AS s ON s.ocid = a.ocid AND s.award_index = a.award_index AND s.supplier_index = 0
    JOIN ocds_award_items AS i ON i.ocid = a.ocid AND i.award_index = a.award_index
    WHERE a.status = 'active' AND a.supplier_count = 1 AND a.has_items
        AND s.supplier_id IS NOT NULL AND i.classification_id IS NOT NULL
),
tally AS (
    SELECT supplier_id, count(DISTINCT ocid) AS processes, count(DISTINCT code) AS variety
    FROM supplied
    GROUP BY supplier_id
    HAVING count(DISTINCT ocid) >= $minimum_contracting_processes
),
ranked AS (
    SELECT CAST(variety AS DOUBLE) AS v, row_number() OVER (ORDER BY variety) AS r FROM tally
),
positions AS (
    SELECT n, h1, CAST(a1 - 300 * h1 AS DOUBLE) / 300 AS f1, h3, CAST(a3 - 300 * h3 AS DOUBLE) / 300 AS f3
    FROM (
        SELECT n, a1, floor(a1 / 300) AS h1, a3, floor(a3 / 300) AS h3
        FROM (SELECT count(*) AS n, (3 * count(*) + 1) * 25 + 100 AS a1, (3 * count(*) + 1) * 75 + 100 AS a3 FROM tally) AS c
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
    SELECT coalesce(CAST($threshold AS DOUBLE), q3 + 1.5 * (q3 - q1)) AS upper_fence FROM quartiles
),
names AS (
    SELECT supplier_id, min(supplier_name) AS supplier_name FROM ocds_award_suppliers GROUP BY supplier_id
)
SELECT
    ocds_subject('tenderer', t.supplier_id) AS subject_id,
    coalesce(n.supplier_name, '') AS subject_name,
    ocds_processes_key(s.ocid) AS record_id,
    CAST(NULL AS DECIMAL(18, 2)) AS amount,
    CAST(NULL AS DATE) AS day,
    CAST(NULL AS VARCHAR) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '在 ' || CAST(t.processes AS VARCHAR) || ' 个采购过程中中标，供应 ' || CAST(t.variety AS VARCHAR) || ' 个一级品类' AS detail,
    CAST(t.variety AS DOUBLE) AS value
FROM tally AS t
CROSS JOIN fence AS f
JOIN (SELECT DISTINCT supplier_id, ocid FROM supplied) AS s ON s.supplier_id = t.supplier_id
LEFT JOIN names AS n ON n.supplier_id = t.supplier_id
WHERE t.variety >= f.upper_fence
