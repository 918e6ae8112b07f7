/*
id: B04
name: 同期重复领取
severity: 中
datasets: [benefits]
subject: person_id
when: month
explanation: "{who}{when}同一期间重复领取{detail}补贴{count}笔，共计{amount}。"
*/
-- At least 2 records of the same person_id, program and period.
WITH repeated AS (
    SELECT
        b.*,
        count(*) OVER (PARTITION BY b.person_id, b.program, b.period) AS copies
    FROM benefits AS b
)
SELECT
    person_id AS subject_id,
    name AS subject_name,
    'benefits:' || record_id AS record_id,
    amount,
    period_start(period) AS day,
    CAST(NULL AS VARCHAR) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    program AS detail
FROM repeated
WHERE copies >= 2
