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
-- on pay_date are all of level 三级/四级, each of which proves it. Both are anti-joins on the
-- person's certificates: grouping the (record, certificate) pairs instead costs more at 10M.
WITH paid AS (
    SELECT record_id, program, person_id, name, amount, pay_date
    FROM benefits
    WHERE program IN ('困难残疾人生活补贴', '重度残疾人护理补贴')
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
WHERE NOT EXISTS (
    SELECT 1
    FROM disabilities AS d
    WHERE d.person_id = b.person_id
        AND d.issue_date <= b.pay_date
        AND (d.cancel_date IS NULL OR b.pay_date < d.cancel_date)
)
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
JOIN disabilities AS v
    ON v.person_id = b.person_id
    AND v.issue_date <= b.pay_date
    AND (v.cancel_date IS NULL OR b.pay_date < v.cancel_date)
    AND v.level IN ('三级', '四级')
WHERE b.program = '重度残疾人护理补贴'
    AND NOT EXISTS (
        SELECT 1
        FROM disabilities AS d
        WHERE d.person_id = b.person_id
            AND d.issue_date <= b.pay_date
            AND (d.cancel_date IS NULL OR b.pay_date < d.cancel_date)
            AND (d.level IS NULL OR d.level NOT IN ('三级', '四级'))
    )
