/*
id: P01
name: 一人多处领薪
severity: 中
category: bribery
condition: "同一人同一月份在两个以上单位领取工资。"
origins: [uk_nfi]
datasets: [payroll]
subject: person_id
when: month
incremental: {grouped_by: {payroll: [person_id, period]}, why: 一人多处领薪按同人同月成组判断，新记录只改变所在组}
explanation: "{who}{detail}，{when}共领取工资{count}笔，合计{amount}。"
*/
-- Same person_id and period with payroll rows from >= 2 org_code.
-- Two orgs differ exactly when min(org_code) <> max(org_code): plain aggregates find the
-- few such (person, period) in one pass; their rows are read once more (paid_rows), and the
-- distinct count and the hits both come from those.
WITH paid_twice AS (
    SELECT person_id, period
    FROM payroll
    GROUP BY person_id, period
    HAVING min(org_code) <> max(org_code)
),
paid_rows AS (
    SELECT p.person_id, p.name, p.org_code, p.period, p.amount
    FROM payroll AS p
    JOIN paid_twice AS t ON t.person_id = p.person_id AND t.period = p.period
),
spread AS (
    SELECT person_id, period, count(DISTINCT org_code) AS orgs_paying
    FROM paid_rows
    GROUP BY person_id, period
)
SELECT
    p.person_id AS subject_id,
    p.name AS subject_name,
    payroll_key(p.person_id, p.org_code, p.period) AS record_id,
    p.amount,
    period_start(p.period) AS day,
    CAST(NULL AS VARCHAR) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '同期在' || coalesce(g.name, p.org_code) || '等' || CAST(s.orgs_paying AS VARCHAR) || '个单位领薪' AS detail
FROM paid_rows AS p
JOIN spread AS s ON s.person_id = p.person_id AND s.period = p.period
LEFT JOIN orgs AS g ON g.org_code = p.org_code
