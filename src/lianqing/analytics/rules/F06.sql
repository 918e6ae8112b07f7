/*
id: F06
name: 节日收受红包礼金
severity: 高
category: sifeng_gifts
condition: "节日前后{festival_days}天内，在职公职人员收到其管理服务对象银行转账以外的财物，单笔不低于{min_amount}元。"
origins: [sifeng]
datasets: [transactions, officials]
optional_datasets: [contracts, companies, shareholders, benefits]
subject: person_id
when: day
incremental: {row_local: [transactions], first_of: {benefits: [approver_org_code, person_id]}, only: {benefits: approver_org_code IS NOT NULL}, why: 每笔收款单独与节日、任职和管理服务对象比对；补贴记录只用来认定管理服务对象，每个审批单位和领取人取记录号最小的一条为凭，新补贴记录不添对象、不换凭据时视为未变}
params:
  min_amount: {type: decimal, default: 200, min: 0, description: 单笔金额下限(元)}
  festival_days: {type: integer, default: 7, min: 0, description: 节日前后天数}
explanation: "{who}{detail}，{when}节日期间收受管理服务对象款项{count}笔，共计{amount}。"
*/
-- A transaction to an official in post from one of their managed parties, channel not
-- 银行转账/其他, amount >= min_amount, on a day within festival_days of a festival day.
WITH festival_window AS (
    SELECT DISTINCT around.day_no
    FROM calendar AS festival
    JOIN calendar AS around
        ON around.day_no BETWEEN festival.day_no - $festival_days AND festival.day_no + $festival_days
    WHERE festival.festival IS NOT NULL
)
SELECT
    t.official_id AS subject_id,
    t.official_name AS subject_name,
    transactions_key(t.txn_id) AS record_id,
    t.amount,
    t.day,
    t.basis_key AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '系' || t.org_name || coalesce(t.position, '') || '，收受' || t.basis || t.from_name || '通过' || t.channel || '所送款项' AS detail
FROM managed_transactions AS t
JOIN festival_window AS w ON w.day_no = t.day_no
WHERE t.channel NOT IN ('银行转账', '其他') AND t.amount >= $min_amount
