/*
id: B10
name: 身份信息异常
severity: 中
datasets: [benefits]
optional_datasets: [persons]
subject: person_id
when: month
explanation: "{who}{detail}，{when}领取补贴{count}笔，共计{amount}。"
*/
-- person_id fails GB 11643 (length, birth date, check digit); or, when persons is given,
-- person_id is not in persons, or its name differs from persons.name.
-- The GB 11643 check runs once per distinct person_id.
WITH persons_given AS (
    SELECT count(*) > 0 AS given FROM package_datasets WHERE name = 'persons'
),
id_checks AS (
    SELECT person_id, is_valid_person_id(person_id) AS is_valid
    FROM (SELECT DISTINCT person_id FROM benefits WHERE person_id IS NOT NULL) AS ids
),
checked AS (
    SELECT
        b.*,
        CASE
            WHEN NOT c.is_valid THEN '身份证号码不符合GB 11643校验'
            WHEN g.given AND p.person_id IS NULL THEN '身份证号码不在户籍人口中'
            WHEN g.given AND b.name IS NOT NULL AND p.name IS NOT NULL AND b.name <> p.name
                THEN '姓名与户籍登记姓名' || p.name || '不符'
        END AS problem,
        p.person_id AS persons_key
    FROM benefits AS b
    JOIN id_checks AS c ON c.person_id = b.person_id
    CROSS JOIN persons_given AS g
    LEFT JOIN persons AS p ON p.person_id = b.person_id
)
SELECT
    person_id AS subject_id,
    name AS subject_name,
    'benefits:' || record_id AS record_id,
    amount,
    period_start(period) AS day,
    CASE WHEN persons_key IS NOT NULL THEN 'persons:' || persons_key END AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    problem AS detail
FROM checked
WHERE problem IS NOT NULL
