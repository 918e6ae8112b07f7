/*
id: D01
name: 漏报房产
severity: 中
category: other
condition: "干部某年度个人有关事项报告申报的房产数，少于不动产登记显示其名下截至申报日的房产数（只核查申报日在职的干部）。"
origins: [declarations]
datasets: [declarations, officials, properties]
subject: person_id/year
when: none
explanation: "{who}{detail}。"
*/
-- The number of properties with owner_id = the cadre and reg_date <= declared_on exceeds the
-- number of the year's rows with item_type 房产 (checked_declarations: cadres in post that day).
-- The properties are the records; the cadre's post and the year's 房产 rows prove the comparison.
WITH found AS (
    SELECT c.person_id, c.year, p.property_id
    FROM checked_declarations AS c
    JOIN properties AS p ON p.owner_id = c.person_id AND p.reg_date <= c.declared_on
),
missed AS (
    SELECT c.person_id, c.year, c.declared_on, c.name, c.term_key, c.post, c.houses, count(DISTINCT f.property_id) AS found
    FROM checked_declarations AS c
    JOIN found AS f ON f.person_id = c.person_id AND f.year = c.year
    GROUP BY c.person_id, c.year, c.declared_on, c.name, c.term_key, c.post, c.houses
    HAVING count(DISTINCT f.property_id) > c.houses
),
proof AS (
    SELECT f.person_id, f.year, properties_key(f.property_id) AS record_id, CAST(NULL AS VARCHAR) AS evidence_id
    FROM found AS f
    UNION ALL
    SELECT person_id, year, CAST(NULL AS VARCHAR), term_key FROM missed
    UNION ALL
    SELECT d.person_id, d.year, CAST(NULL AS VARCHAR), declarations_key(d.declaration_id)
    FROM declarations AS d
    WHERE d.item_type = '房产'
)
SELECT
    m.person_id || '/' || CAST(m.year AS VARCHAR) AS subject_id,
    m.name AS subject_name,
    x.record_id,
    CAST(NULL AS DECIMAL(18, 2)) AS amount,
    m.declared_on AS day,
    x.evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '系' || m.post || '，' || CAST(m.year AS VARCHAR) || '年度个人有关事项报告（' || CAST(year(m.declared_on) AS VARCHAR)
        || '年' || CAST(month(m.declared_on) AS VARCHAR) || '月' || CAST(day(m.declared_on) AS VARCHAR) || '日）申报房产'
        || CAST(m.houses AS VARCHAR) || '处，不动产登记显示其名下截至当日有房产' || CAST(m.found AS VARCHAR) || '处' AS detail
FROM missed AS m
JOIN proof AS x ON x.person_id = m.person_id AND x.year = m.year
