/*
id: D03
name: 漏报亲属经商办企业
severity: 中
category: business
condition: "干部某年度个人有关事项报告申报的亲属经商办企业数，少于其近亲属截至申报日担任法定代表人或自然人股东的存续企业数。"
origins: [declarations]
datasets: [declarations, officials, relatives, companies, shareholders]
subject: person_id/year
when: none
explanation: "{who}{detail}。"
*/
-- The number of distinct companies with status 存续 and reg_date <= declared_on whose legal rep
-- or a person shareholder is a close relative of the cadre exceeds the number of the year's rows
-- with item_type 亲属经商办企业 (checked_declarations: cadres in post that day).
-- The companies (and shareholdings) are the records; the relation, the post and the year's
-- 亲属经商办企业 rows prove the comparison.
WITH found AS (
    SELECT c.person_id, c.year, cp.uscc, cp.record_key, r.official_id, r.relative_id
    FROM checked_declarations AS c
    JOIN close_relatives AS r ON r.official_id = c.person_id
    JOIN company_people AS cp
        ON cp.person_id = r.relative_id AND cp.status = '存续' AND cp.reg_date <= c.declared_on
),
missed AS (
    SELECT c.person_id, c.year, c.declared_on, c.name, c.term_key, c.post, c.businesses, count(DISTINCT f.uscc) AS found
    FROM checked_declarations AS c
    JOIN found AS f ON f.person_id = c.person_id AND f.year = c.year
    GROUP BY c.person_id, c.year, c.declared_on, c.name, c.term_key, c.post, c.businesses
    HAVING count(DISTINCT f.uscc) > c.businesses
),
proof AS (
    SELECT f.person_id, f.year, f.record_key AS record_id, relatives_key(f.official_id, f.relative_id) AS evidence_id
    FROM found AS f
    UNION ALL
    SELECT person_id, year, CAST(NULL AS VARCHAR), term_key FROM missed
    UNION ALL
    SELECT d.person_id, d.year, CAST(NULL AS VARCHAR), declarations_key(d.declaration_id)
    FROM declarations AS d
    WHERE d.item_type = '亲属经商办企业'
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
        || '年' || CAST(month(m.declared_on) AS VARCHAR) || '月' || CAST(day(m.declared_on) AS VARCHAR)
        || '日）申报亲属经商办企业' || CAST(m.businesses AS VARCHAR) || '家，市场主体登记显示其近亲属截至当日经营或持股的存续企业有'
        || CAST(m.found AS VARCHAR) || '家' AS detail
FROM missed AS m
JOIN proof AS x ON x.person_id = m.person_id AND x.year = m.year
