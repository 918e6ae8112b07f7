/*
id: F03
name: 公款出入高消费场所
severity: 中
category: sifeng_travel
condition: "公款支出的商户类别是娱乐场所或景区。"
origins: [sifeng]
datasets: [expenses]
subject: org_code
when: day
incremental: {row_local: [expenses], why: 每笔支出单独看消费场所}
explanation: "{who}{detail}，{when}共{count}笔，合计{amount}。"
*/
-- vendor_category in 娱乐场所, 景区.
SELECT
    e.org_code AS subject_id,
    g.name AS subject_name,
    expenses_key(e.expense_id) AS record_id,
    e.amount,
    e.date AS day,
    CAST(NULL AS VARCHAR) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '在' || e.vendor_category || '(' || coalesce(e.vendor_name, '') || ')公款消费' AS detail
FROM expenses AS e
LEFT JOIN orgs AS g ON g.org_code = e.org_code
WHERE e.vendor_category IN ('娱乐场所', '景区')
