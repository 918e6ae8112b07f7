/*
id: P01
name: 一人多处领薪
severity: 中
datasets: [payroll]
subject: person_id
when: month
explanation: "{who}{detail}，{when}共领取工资{count}笔，合计{amount}。"
*/
-- Same person_id and period with payroll rows from >= 2 org_code.
WITH spread AS (
    SELECT person_id, period, count(DISTINCT org_code) AS orgs_paying
    FROM payroll
    GROUP BY person_id, period
    HAVING count(DISTINCT org_code) >= 2
)
SELECT
    p.person_id AS subject_id,
    p.name AS subject_name,
    'payroll:' || p.person_id || '|' || p.org_code || '|' || p.period AS record_id,
    p.amount,
    period_start(p.period) AS day,
    CAST(NULL AS VARCHAR) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '同期在' || coalesce(g.name, p.org_code) || '等' || CAST(s.orgs_paying AS VARCHAR) || '个单位领薪' AS detail
FROM payroll AS p
JOIN spread AS s ON s.person_id = p.person_id AND s.period = p.period
LEFT JOIN orgs AS g ON g.org_code = p.org_code
