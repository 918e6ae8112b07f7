/*
id: F12
name: 公务接待费同比陡增
severity: 中
category: sifeng_dining
condition: "单位某年公务接待费合计不低于{min_amount}元，且比上一年增长超过{increase}（比例）。"
origins: [sifeng]
datasets: [expenses]
subject: org_code/year
when: none
params:
  increase: {type: decimal, default: 0.3, min: 0, description: 同比增幅上限}
  min_amount: {type: decimal, default: 50000, min: 0, description: 当年接待费合计下限(元)}
explanation: "{who}{detail}，当年{count}笔合计{amount}。"
*/
-- For an org_code and a calendar year Y with 公务接待 expenses in Y and in Y - 1:
-- total(Y) >= min_amount and total(Y) > (1 + increase) x total(Y - 1); amount = total(Y).
-- The year's expenses carry the amount; the previous year's prove the comparison.
WITH receptions AS (
    SELECT expense_id, org_code, amount, date, year(date) AS year
    FROM expenses
    WHERE category = '公务接待'
),
totals AS (
    SELECT org_code, year, sum(amount) AS total
    FROM receptions
    GROUP BY org_code, year
),
steep AS (
    SELECT this_year.org_code, this_year.year, this_year.total, last_year.total AS previous
    FROM totals AS this_year
    JOIN totals AS last_year ON last_year.org_code = this_year.org_code AND last_year.year = this_year.year - 1
    WHERE this_year.total >= $min_amount AND this_year.total > (1 + $increase) * last_year.total
)
SELECT
    s.org_code || '/' || CAST(s.year AS VARCHAR) AS subject_id,
    coalesce(g.name, s.org_code) || '/' || CAST(s.year AS VARCHAR) || '年' AS subject_name,
    CASE WHEN r.year = s.year THEN expenses_key(r.expense_id) END AS record_id,
    CASE WHEN r.year = s.year THEN r.amount END AS amount,
    r.date AS day,
    CASE WHEN r.year <> s.year THEN expenses_key(r.expense_id) END AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    CAST(s.year AS VARCHAR) || '年公务接待费' || CAST(s.total AS VARCHAR) || '元，' || CAST(s.year - 1 AS VARCHAR)
        || '年' || CAST(s.previous AS VARCHAR) || '元' AS detail
FROM steep AS s
JOIN receptions AS r ON r.org_code = s.org_code AND r.year IN (s.year, s.year - 1)
LEFT JOIN orgs AS g ON g.org_code = s.org_code
