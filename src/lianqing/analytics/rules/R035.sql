/*
id: R035
name: 除中标人外其余投标均被取消资格
severity: 中
category: abuse_of_power
datasets: [ocds_processes, ocds_bids, ocds_bid_tenderers, ocds_awards, ocds_award_suppliers]
subject: ocid/tenderer
when: none
condition: "只有一家投标人的投标有效、授标给的正是它，而至少 {threshold} 家其他投标人的投标被取消资格。"
origins: [cardinal]
params:
  threshold: {type: integer, default: 1, description: 至少有这么多家其他投标人被取消资格(小于 1 时按 1)}
  exclusions_procurement_method_details: {type: text, default: "", description: 全局排除的采购方式细目(以|分隔)}
explanation: "{who}：{detail}(Cardinal R035 指标值 {value})。"
*/
-- Cardinal R035 (All except winning bid disqualified). In a process whose awards are all final:
-- exactly one tenderer has valid bids, the suppliers of the active awards are exactly that
-- tenderer, and at least `threshold` (at least 1) other tenderers have disqualified bids. The
-- process's value is the number of those other tenderers; the winner is flagged with 0.0.
WITH scope AS (
    SELECT p.ocid, p.title
    FROM ocds_scope AS p
    JOIN ocds_final_awards AS f ON f.ocid = p.ocid AND f.open_awards = 0
    WHERE ocds_not_excluded(p.procurement_method_details, $exclusions_procurement_method_details)
),
suppliers AS (
    SELECT DISTINCT s.ocid, s.supplier_id
    FROM ocds_awards AS a
    JOIN ocds_award_suppliers AS s ON s.ocid = a.ocid AND s.award_index = a.award_index
    JOIN scope AS p ON p.ocid = a.ocid
    WHERE a.status = 'active' AND s.supplier_id IS NOT NULL
),
tenderers AS (
    SELECT DISTINCT b.ocid, b.status, t.tenderer_id, t.tenderer_name
    FROM ocds_bids AS b
    JOIN scope AS p ON p.ocid = b.ocid
    JOIN ocds_bid_tenderers AS t ON t.ocid = b.ocid AND t.bid_index = b.bid_index
    WHERE b.status IN ('valid', 'disqualified') AND t.tenderer_id IS NOT NULL
),
sole AS (
    SELECT ocid, min(tenderer_id) AS tenderer_id
    FROM tenderers
    WHERE status = 'valid'
    GROUP BY ocid
    HAVING count(DISTINCT tenderer_id) = 1
),
supplier_counts AS (
    SELECT ocid, count(*) AS suppliers, min(supplier_id) AS supplier_id FROM suppliers GROUP BY ocid
),
others AS (
    SELECT s.ocid, count(DISTINCT d.tenderer_id) AS others
    FROM sole AS s
    JOIN tenderers AS d ON d.ocid = s.ocid AND d.status = 'disqualified' AND d.tenderer_id <> s.tenderer_id
    GROUP BY s.ocid
),
checked AS (
    SELECT s.ocid, s.tenderer_id, o.others
    FROM sole AS s
    JOIN supplier_counts AS c ON c.ocid = s.ocid AND c.suppliers = 1 AND c.supplier_id = s.tenderer_id
    JOIN others AS o ON o.ocid = s.ocid
),
flagged AS (
    SELECT * FROM checked WHERE others >= greatest($threshold, 1)
)
SELECT
    ocds_subject('ocid', f.ocid) AS subject_id,
    coalesce(p.title, '') AS subject_name,
    ocds_processes_key(f.ocid) AS record_id,
    CAST(NULL AS DECIMAL(18, 2)) AS amount,
    CAST(NULL AS DATE) AS day,
    CAST(NULL AS VARCHAR) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '除中标人 ' || f.tenderer_id || ' 外，其余 ' || CAST(f.others AS VARCHAR) || ' 家投标人均被取消资格' AS detail,
    CAST(f.others AS DOUBLE) AS value
FROM flagged AS f
JOIN scope AS p ON p.ocid = f.ocid
UNION ALL
SELECT
    ocds_subject('tenderer', f.tenderer_id),
    coalesce(n.tenderer_name, ''),
    ocds_processes_key(f.ocid),
    CAST(NULL AS DECIMAL(18, 2)),
    CAST(NULL AS DATE),
    CAST(NULL AS VARCHAR),
    CAST(NULL AS VARCHAR),
    '在采购过程 ' || f.ocid || ' 中中标，其余 ' || CAST(f.others AS VARCHAR) || ' 家投标人均被取消资格',
    CAST(0 AS DOUBLE)
FROM flagged AS f
LEFT JOIN (
    SELECT ocid, tenderer_id, min(tenderer_name) AS tenderer_name FROM tenderers GROUP BY ocid, tenderer_id
) AS n ON n.ocid = f.ocid AND n.tenderer_id = f.tenderer_id
