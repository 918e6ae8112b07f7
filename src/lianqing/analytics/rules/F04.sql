/*
id: F04
name: 公款购买购物卡充值卡
severity: 中
category: sifeng_gifts
condition: "公款支出的商户类别是购物卡、充值卡，或备注提到购物卡、礼品卡、充值卡、加油卡。"
origins: [sifeng, fuel_cards]
datasets: [expenses]
subject: org_code
when: day
incremental: {row_local: [expenses], why: 每笔支出单独看商户类别和摘要}
explanation: "{who}{detail}，{when}共{count}笔，合计{amount}。"
*/
-- vendor_category in 购物卡, 充值卡, or memo contains 购物卡, 礼品卡, 充值卡, 加油卡.
SELECT
    e.org_code AS subject_id,
    g.name AS subject_name,
    expenses_key(e.expense_id) AS record_id,
    e.amount,
    e.date AS day,
    CAST(NULL AS VARCHAR) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '报销购物卡、充值卡类支出' AS detail
FROM expenses AS e
LEFT JOIN orgs AS g ON g.org_code = e.org_code
WHERE e.vendor_category IN ('购物卡', '充值卡')
    OR e.memo LIKE '%购物卡%'
    OR e.memo LIKE '%礼品卡%'
    OR e.memo LIKE '%充值卡%'
    OR e.memo LIKE '%加油卡%'
