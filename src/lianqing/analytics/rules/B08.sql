/*
id: B08
name: 多人共用补贴账户
severity: 中
category: public_interest
condition: "同一收款账户为{min_persons}个以上不同的人、至少两个家庭领取补贴；账户持有人是在职公职人员时为高风险。"
origins: [minsheng]
datasets: [benefits]
optional_datasets: [officials, persons]
subject: account_no
when: month
incremental: {grouped_by: {benefits: [account_no]}, decided_by: {benefits: [person_id, household_id]}, only: {benefits: account_no IS NOT NULL}, why: 按收款账户成组，判断只看组内不同的领取人和家庭；新记录没带来新领取人或新家庭的账户，旧记录的结论不变，只算新记录（每个领取人和家庭各留一条旧记录为凭）；带来了的账户整组重算；没有账户的记录不参与}
params:
  min_persons: {type: integer, default: 3, min: 2, description: 共用一个账户的不同领取人数}
explanation: "账户{who}{detail}，{when}共收到补贴{count}笔，共计{amount}。"
*/
-- One account_no receives benefits for >= min_persons distinct person_id of >= 2 household_id.
-- 高 when the account holder is an official in post in the period of one of those benefits.
-- The benefits are grouped once per scan into benefit_claimants (distinct person_id, name,
-- household_id, account_no). An account with fewer such rows than min_persons cannot pay
-- min_persons people, so the DISTINCT counts run only on the few accounts with enough rows
-- (most accounts pay one person).
WITH crowded_accounts AS (
    SELECT account_no
    FROM benefit_claimants
    WHERE account_no IS NOT NULL
    GROUP BY account_no
    HAVING count(*) >= $min_persons
),
account_people AS (
    SELECT DISTINCT account_no, person_id, household_id
    FROM benefit_claimants
    WHERE account_no IN (SELECT account_no FROM crowded_accounts)
),
shared_accounts AS (
    SELECT account_no, count(DISTINCT person_id) AS persons, count(DISTINCT household_id) AS households
    FROM account_people
    GROUP BY account_no
    HAVING count(DISTINCT person_id) >= $min_persons AND count(DISTINCT household_id) >= 2
),
holder_officials AS (
    SELECT DISTINCT b.record_id, o.record_key
    FROM benefits AS b
    JOIN shared_accounts AS a ON a.account_no = b.account_no
    JOIN official_terms AS o
        ON o.person_id = b.account_holder_id AND in_post(o.start_date, o.end_date, period_start(b.period))
)
SELECT
    b.account_no AS subject_id,
    coalesce(p.name, b.account_holder_id) AS subject_name,
    benefits_key(b.record_id) AS record_id,
    b.amount,
    period_start(b.period) AS day,
    h.record_key AS evidence_id,
    CASE WHEN h.record_key IS NOT NULL THEN '高' END AS severity,
    '为' || CAST(a.persons AS VARCHAR) || '人(' || CAST(a.households AS VARCHAR) || '户)共用'
        || CASE WHEN h.record_key IS NOT NULL THEN '，持卡人系在职公职人员' ELSE '' END AS detail
FROM benefits AS b
JOIN shared_accounts AS a ON a.account_no = b.account_no
LEFT JOIN holder_officials AS h ON h.record_id = b.record_id
LEFT JOIN persons AS p ON p.person_id = b.account_holder_id
