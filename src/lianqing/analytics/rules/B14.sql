/*
id: B14
name: 非本地户籍人员享受低保
severity: 中
category: public_interest
condition: "领取低保类补贴的人的户籍所在县（区划代码前6位）与发放地不同。"
origins: [minsheng]
datasets: [benefits, persons]
subject: person_id
when: month
incremental: {row_local: [benefits], why: 每条低保记录单独与户籍地比对}
explanation: "{who}{detail}，{when}领取低保类补贴{count}笔，共计{amount}。"
*/
-- A 低保类 benefit to a person in persons whose region_code differs from the benefit's
-- region_code in the first 6 digits (persons read through benefit_persons, its rows of the
-- benefits' people).
WITH county_names AS (
    SELECT region_code, min(name) AS name FROM orgs WHERE name LIKE '%人民政府' GROUP BY region_code
)
SELECT
    b.person_id AS subject_id,
    coalesce(b.name, p.name) AS subject_name,
    benefits_key(b.record_id) AS record_id,
    b.amount,
    period_start(b.period) AS day,
    persons_key(p.person_id) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '户籍在' || coalesce(g.name, '区划' || left(p.region_code, 6)) || '，在' || coalesce(h.name, '区划' || left(b.region_code, 6))
        || '领取' AS detail
FROM subsistence_benefits AS b
JOIN benefit_persons AS p ON p.person_id = b.person_id
LEFT JOIN county_names AS g ON g.region_code = left(p.region_code, 6)
LEFT JOIN county_names AS h ON h.region_code = left(b.region_code, 6)
WHERE left(p.region_code, 6) <> left(b.region_code, 6)
