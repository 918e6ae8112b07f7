/*
id: B10
name: 身份信息异常
severity: 中
category: public_interest
condition: "身份证号码不符合国家标准（位数、出生日期、校验码）；提供了人口信息时，号码不在其中或姓名不符。"
origins: [minsheng]
datasets: [benefits]
optional_datasets: [persons]
subject: person_id
when: month
incremental: {row_local: [benefits], why: 每个身份证号码和姓名单独与户籍比对，不看其他发放记录}
explanation: "{who}{detail}，{when}领取补贴{count}笔，共计{amount}。"
*/
-- person_id fails GB 11643 (length, birth date, check digit); or, when persons is given,
-- person_id is not in persons, or its name differs from persons.name.
-- The checks run on benefit_claimants (the benefits grouped once per scan: a row per distinct
-- person_id, name, household and account, so a few per person; a (person_id, name) met twice
-- only repeats a proving row, which the hit counts once). persons is read through
-- benefit_persons (its rows of the benefits' people). Each id's 17-digit body is read as a number
-- once (claimants), for the GB 11643 check's arithmetic (macros.sql).
WITH persons_given AS (
    SELECT count(*) > 0 AS given FROM package_datasets WHERE name = 'persons'
),
claimants AS (
    SELECT person_id, name, person_id_body(person_id) AS body
    FROM benefit_claimants
    WHERE person_id IS NOT NULL
),
problems AS (
    SELECT
        c.person_id,
        c.name,
        CASE
            WHEN NOT is_valid_person_id(c.person_id, c.body) THEN '身份证号码不符合GB 11643校验'
            WHEN g.given AND p.person_id IS NULL THEN '身份证号码不在户籍人口中'
            WHEN g.given AND c.name IS NOT NULL AND p.name IS NOT NULL AND c.name <> p.name
                THEN '姓名与户籍登记姓名' || p.name || '不符'
        END AS problem,
        p.person_id AS persons_key
    FROM claimants AS c
    CROSS JOIN persons_given AS g
    LEFT JOIN benefit_persons AS p ON p.person_id = c.person_id
)
SELECT
    b.person_id AS subject_id,
    b.name AS subject_name,
    benefits_key(b.record_id) AS record_id,
    b.amount,
    period_start(b.period) AS day,
    CASE WHEN q.persons_key IS NOT NULL THEN persons_key(q.persons_key) END AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    q.problem AS detail
FROM benefits AS b
JOIN problems AS q
    ON q.person_id = b.person_id AND (q.name = b.name OR (q.name IS NULL AND b.name IS NULL))
WHERE q.problem IS NOT NULL
