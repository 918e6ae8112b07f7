/*
id: F01
name: 节假日公款接待
severity: 中
category: sifeng_dining
condition: "公务接待支出发生在休息日（周末和法定节假日，调休上班日除外）。"
origins: [sifeng]
datasets: [expenses]
subject: org_code
when: day
incremental: {row_local: [expenses], why: 每笔接待费单独看报销日是否休息日}
explanation: "{who}{when}在休息日报销公务接待{count}笔，共计{amount}。"
*/
-- Category 公务接待 on a rest day (not a chinese_calendar workday; the engine's calendar table).
SELECT
    e.org_code AS subject_id,
    g.name AS subject_name,
    expenses_key(e.expense_id) AS record_id,
    e.amount,
    e.date AS day,
    CAST(NULL AS VARCHAR) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    CAST(NULL AS VARCHAR) AS detail
FROM expenses AS e
JOIN calendar AS c ON c.day = e.date
LEFT JOIN orgs AS g ON g.org_code = e.org_code
WHERE e.category = '公务接待' AND c.is_rest
