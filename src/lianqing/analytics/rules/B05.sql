/*
id: B05
name: 财政供养人员享受低保
severity: 中
category: public_interest
condition: "同一人同一月份既领取低保类补贴，又领取财政发放的工资。"
origins: [minsheng, hunan]
datasets: [benefits, payroll]
subject: person_id
when: month
incremental: {row_local: [benefits, payroll], why: 每条低保记录与同人同月的工资记录逐对比对；两者同时新增时，新低保记录对全部工资记录、新工资记录对全部低保记录各算一次}
explanation: "{who}{detail}，{when}同期领取低保类补贴{count}笔，共计{amount}。"
*/
-- A 低保类 benefit and a payroll row for the same person_id and period.
SELECT
    b.person_id AS subject_id,
    coalesce(b.name, p.name) AS subject_name,
    benefits_key(b.record_id) AS record_id,
    b.amount,
    period_start(b.period) AS day,
    payroll_key(p.person_id, p.org_code, p.period) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '在' || coalesce(g.name, p.org_code) || '领取财政供养工资' AS detail
FROM linked_subsistence_benefits AS b
JOIN payroll AS p ON p.person_id = b.person_id AND p.period = b.period
LEFT JOIN orgs AS g ON g.org_code = p.org_code
