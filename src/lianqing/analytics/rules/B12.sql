/*
id: B12
name: 无证或不符等级领取残疾人补贴
severity: 中
category: public_interest
condition: "残疾人补贴发放日没有有效的残疾人证；或重度残疾人护理补贴发放日的有效证件都是三级、四级。"
origins: [hunan]
datasets: [benefits, disabilities]
subject: person_id
when: day
incremental: {row_local: [benefits], why: 每条残疾人补贴记录单独与发放日有效的残疾人证比对}
explanation: "{who}{detail}，{when}领取残疾人补贴{count}笔，共计{amount}。"
*/
-- A 残疾类 benefit whose person has no certificate valid on pay_date (issue_date <= pay_date and
-- (cancel_date empty or pay_date < cancel_date)); or a 重度残疾人护理补贴 whose valid certificates
-- on pay_date are all of level 三级/四级. The valid certificates prove the second case.
WITH paid AS (
    SELECT record_id, program, person_id, name, amount, pay_date
    FROM benefits
    WHERE program IN ('困难残疾人生活补贴', '重度残疾人护理补贴')
),
valid AS (
    SELECT b.record_id, d.cert_no, d.level, d.name
    FROM paid AS b
    JOIN disabilities AS d
        ON d.person_id = b.person_id
        AND d.issue_date <= b.pay_date
        AND (d.cancel_date IS NULL OR b.pay_date < d.cancel_date)
),
-- Per benefit record: its valid certificates, and how many of them are 三级/四级.
counted AS (
    SELECT record_id, count(*) AS certificates, count(CASE WHEN level IN ('三级', '四级') THEN 1 END) AS mild
    FROM valid
    GROUP BY record_id
)
SELECT
    b.person_id AS subject_id,
    b.name AS subject_name,
    benefits_key(b.record_id) AS record_id,
    b.amount,
    b.pay_date AS day,
    CAST(NULL AS VARCHAR) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '发放时无有效残疾人证' AS detail
FROM paid AS b
LEFT JOIN counted AS c ON c.record_id = b.record_id
WHERE c.record_id IS NULL
UNION ALL
SELECT
    b.person_id,
    coalesce(b.name, v.name),
    benefits_key(b.record_id),
    b.amount,
    b.pay_date,
    disabilities_key(v.cert_no),
    CAST(NULL AS VARCHAR),
    '所持残疾人证为' || v.level || '，不符合重度残疾人护理补贴条件'
FROM paid AS b
JOIN counted AS c ON c.record_id = b.record_id AND c.mild = c.certificates
JOIN valid AS v ON v.record_id = b.record_id
WHERE b.program = '重度残疾人护理补贴'
