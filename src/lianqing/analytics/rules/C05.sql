/*
id: C05
name: 新设企业承接大额合同
severity: 中
category: abuse_of_power
condition: "合同金额不低于{min_amount}元，而供应商在签订日之前不足{days}天才成立。"
origins: [procurement]
datasets: [contracts, companies]
subject: supplier_uscc
when: day
params:
  days: {type: integer, default: 180, min: 1, description: 成立后不足的天数}
  min_amount: {type: decimal, default: 1000000, min: 0, description: 大额合同金额下限(元)}
explanation: "{who}{detail}，{when}承接合同{count}份，合计{amount}。"
*/
-- A contract with amount >= min_amount whose supplier's reg_date is on or before sign_date and
-- fewer than `days` days before it.
SELECT
    k.supplier_uscc AS subject_id,
    coalesce(c.name, k.supplier_name) AS subject_name,
    contracts_key(k.contract_id) AS record_id,
    k.amount,
    k.sign_date AS day,
    companies_key(c.uscc) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '成立于' || CAST(year(c.reg_date) AS VARCHAR) || '年' || CAST(month(c.reg_date) AS VARCHAR) || '月'
        || CAST(day(c.reg_date) AS VARCHAR) || '日，成立' || CAST(day_index(k.sign_date) - day_index(c.reg_date) AS VARCHAR)
        || '天即与' || coalesce(g.name, k.buyer_org_code) || '签订大额合同' AS detail
FROM contracts AS k
JOIN companies AS c ON c.uscc = k.supplier_uscc
LEFT JOIN orgs AS g ON g.org_code = k.buyer_org_code
WHERE k.amount >= $min_amount
    AND c.reg_date <= k.sign_date
    AND day_index(k.sign_date) - day_index(c.reg_date) < $days
