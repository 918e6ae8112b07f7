/*
id: B04
name: 同期重复领取
severity: 中
category: public_interest
condition: "同一人、同一补贴项目、同一月份有两条以上发放记录。"
origins: [minsheng]
datasets: [benefits]
subject: person_id
when: month
incremental: {grouped_by: {benefits: [person_id, program, period]}, why: 重复按同人、同项目、同月成组判断，新记录只改变所在组}
explanation: "{who}{when}同一期间重复领取{detail}补贴{count}笔，共计{amount}。"
*/
-- At least 2 records of the same person_id, program and period.
-- Grouping on one integer hash first is far cheaper than on three strings; equal keys have
-- equal hashes, so every repeated key is among the repeated hashes, and the exact grouping
-- then runs on those few records alone (a hash collision only adds a candidate).
WITH repeated_hashes AS (
    SELECT hash(person_id, program, period) AS key_hash
    FROM benefits
    GROUP BY hash(person_id, program, period)
    HAVING count(*) >= 2
),
repeated AS (
    SELECT person_id, program, period
    FROM benefits
    WHERE hash(person_id, program, period) IN (SELECT key_hash FROM repeated_hashes)
    GROUP BY person_id, program, period
    HAVING count(*) >= 2
)
SELECT
    b.person_id AS subject_id,
    b.name AS subject_name,
    benefits_key(b.record_id) AS record_id,
    b.amount,
    period_start(b.period) AS day,
    CAST(NULL AS VARCHAR) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    b.program AS detail
FROM benefits AS b
JOIN repeated AS r ON r.person_id = b.person_id AND r.program = b.program AND r.period = b.period
