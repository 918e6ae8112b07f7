/*
id: F07
name: 频繁收受管理服务对象财物
severity: 中
category: sifeng_gifts
condition: "在职公职人员在任意365天内收到同一管理服务对象{min_count}笔以上，或合计不低于{min_total}元的财物。"
origins: [sifeng]
datasets: [transactions, officials]
optional_datasets: [contracts, companies, shareholders, benefits]
subject: person_id
when: day
incremental: {grouped_by: {transactions: [to_id, from_id]}, first_of: {benefits: [approver_org_code, person_id]}, only: {benefits: approver_org_code IS NOT NULL}, why: 按收款的公职人员和付款方成组看365天窗口，新记录只改变所在组；补贴记录只用来认定管理服务对象，每个审批单位和领取人取记录号最小的一条为凭，新补贴记录不添对象、不换凭据时视为未变}
params:
  min_count: {type: integer, default: 3, min: 1, description: 365天内笔数下限}
  min_total: {type: decimal, default: 5000, min: 0, description: 365天内金额合计下限(元)}
explanation: "{who}{detail}，{when}共收受{count}笔，合计{amount}。"
*/
-- An official receives from one managed party >= min_count transactions or a total >= min_total
-- within any 365 days, any channel. Each transaction is tried as the end of a window.
WITH received AS (
    SELECT DISTINCT official_id, official_name, org_name, position, from_id, from_name, basis, basis_key,
        txn_id, day, day_no, amount
    FROM managed_transactions
),
pairs AS (
    SELECT DISTINCT official_id, from_id, txn_id, day_no, amount FROM received
),
windows AS (
    SELECT window_end.official_id, window_end.from_id, window_end.day_no AS end_no
    FROM pairs AS window_end
    JOIN pairs AS inside
        ON inside.official_id = window_end.official_id
        AND inside.from_id = window_end.from_id
        AND inside.day_no BETWEEN window_end.day_no - 364 AND window_end.day_no
    GROUP BY window_end.official_id, window_end.from_id, window_end.txn_id, window_end.day_no
    HAVING count(*) >= $min_count OR sum(inside.amount) >= $min_total
)
SELECT DISTINCT
    r.official_id AS subject_id,
    r.official_name AS subject_name,
    transactions_key(r.txn_id) AS record_id,
    r.amount,
    r.day,
    r.basis_key AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '系' || r.org_name || coalesce(r.position, '') || '，一年内多次收受' || r.basis || r.from_name || '款项' AS detail
FROM windows AS w
JOIN received AS r
    ON r.official_id = w.official_id
    AND r.from_id = w.from_id
    AND r.day_no BETWEEN w.end_no - 364 AND w.end_no
