/*
id: C01
name: 公职人员违规经商办企业
severity: 高
category: business
condition: "截至检查日在职的公职人员（村干部除外）是存续企业的法定代表人或自然人股东。"
origins: [business]
datasets: [officials, companies, shareholders]
subject: person_id
when: none
params:
  as_of: {type: date, default: today, description: 判断在职的日期}
explanation: "{who}{detail}。"
*/
-- An official in post at as_of, category not 村干部, who is legal rep or a person shareholder
-- of a company with status 存续.
SELECT
    o.person_id AS subject_id,
    o.name AS subject_name,
    o.record_key AS record_id,
    CAST(NULL AS DECIMAL(18, 2)) AS amount,
    CAST(NULL AS DATE) AS day,
    cp.record_key AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '系' || o.org_name || coalesce(o.position, '') || '，任' || cp.company_name || '(' || cp.uscc || ')'
        || cp.role AS detail
FROM official_terms AS o
JOIN company_people AS cp ON cp.person_id = o.person_id
WHERE in_post(o.start_date, o.end_date, $as_of)
    AND coalesce(o.category, '') <> '村干部'
    AND cp.status = '存续'
