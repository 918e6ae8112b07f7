/*
id: F02
name: 超标准公务接待
severity: 中
category: sifeng_dining
condition: "公务接待的人均金额超过{per_head_max}元。"
origins: [sifeng]
datasets: [expenses]
subject: org_code
when: day
params:
  per_head_max: {type: decimal, default: 150, min: 0, description: 人均接待标准上限(元)}
incremental: {row_local: [expenses], why: 每笔接待费单独按人均标准比对}
explanation: "{who}{when}报销人均超过{detail}的公务接待{count}笔，共计{amount}。"
*/
-- Category 公务接待 with headcount > 0 and amount / headcount > per_head_max
-- (compared as amount > per_head_max * headcount, exact in decimals on every engine).
SELECT
    e.org_code AS subject_id,
    g.name AS subject_name,
    expenses_key(e.expense_id) AS record_id,
    e.amount,
    e.date AS day,
    CAST(NULL AS VARCHAR) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '每人' || CAST($per_head_max AS VARCHAR) || '元标准' AS detail
FROM expenses AS e
LEFT JOIN orgs AS g ON g.org_code = e.org_code
WHERE e.category = '公务接待' AND e.headcount > 0 AND e.amount > $per_head_max * e.headcount
