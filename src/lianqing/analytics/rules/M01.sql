/*
id: M01
name: 资金滞留
severity: 中
category: public_interest
condition: "单位收到专项资金{hold_days}天后，仍有未拨付、未发放的余额。"
origins: [funds]
datasets: [fund_flows]
optional_datasets: [benefits]
subject: org_code/fund_code
when: day
params:
  hold_days: {type: integer, default: 90, min: 0, description: 资金到账后应拨付完毕的天数}
  as_of: {type: date, default: today, description: 检查日期}
explanation: "{who}{detail}，滞留资金最多达{amount}。"
*/
-- For an org X and a fund_code, an inflow on day d with d + hold_days <= as_of such that
-- (all inflows of X on or before d) - (all outflows of X up to d + hold_days) > 0. Outflows are
-- flows from X to other orgs or payees and benefits of that fund_code approved by X (by pay_date).
-- amount = the largest such difference; record_ids are the inflows up to that day.
WITH inflows AS (
    SELECT to_org_code AS org_code, fund_code, flow_id, amount, date AS day, day_index(date) AS day_no
    FROM fund_flows
    WHERE to_org_code IS NOT NULL
),
outflows AS (
    SELECT from_org_code AS org_code, fund_code, amount, day_index(date) AS day_no
    FROM fund_flows
    WHERE to_org_code IS NULL OR to_org_code <> from_org_code
    UNION ALL
    -- the benefits summed per org, fund and pay day once per scan (views.sql; kept by incremental scans)
    SELECT approver_org_code, fund_code, amount, day_index(pay_date)
    FROM fund_benefit_days
    WHERE fund_code IS NOT NULL
),
checkpoints AS (
    SELECT DISTINCT org_code, fund_code, day_no FROM inflows WHERE day_no + $hold_days <= day_index($as_of)
),
received AS (
    SELECT c.org_code, c.fund_code, c.day_no, sum(i.amount) AS received
    FROM checkpoints AS c
    JOIN inflows AS i ON i.org_code = c.org_code AND i.fund_code = c.fund_code AND i.day_no <= c.day_no
    GROUP BY c.org_code, c.fund_code, c.day_no
),
spent AS (
    SELECT c.org_code, c.fund_code, c.day_no, sum(o.amount) AS spent
    FROM checkpoints AS c
    JOIN outflows AS o
        ON o.org_code = c.org_code AND o.fund_code = c.fund_code AND o.day_no <= c.day_no + $hold_days
    GROUP BY c.org_code, c.fund_code, c.day_no
),
held AS (
    SELECT
        r.org_code, r.fund_code, r.day_no, r.received - coalesce(s.spent, 0) AS retained,
        row_number() OVER (
            PARTITION BY r.org_code, r.fund_code ORDER BY r.received - coalesce(s.spent, 0) DESC, r.day_no
        ) AS rank_in_fund
    FROM received AS r
    LEFT JOIN spent AS s ON s.org_code = r.org_code AND s.fund_code = r.fund_code AND s.day_no = r.day_no
    WHERE r.received - coalesce(s.spent, 0) > 0
),
worst AS (
    SELECT org_code, fund_code, day_no, retained FROM held WHERE rank_in_fund = 1
),
fund_names AS (
    SELECT fund_code, min(fund_name) AS fund_name FROM fund_flows GROUP BY fund_code
),
evidence AS (
    SELECT
        i.org_code, i.fund_code, i.flow_id, i.day, w.retained,
        row_number() OVER (PARTITION BY i.org_code, i.fund_code ORDER BY i.day_no DESC, i.flow_id) AS latest
    FROM worst AS w
    JOIN inflows AS i ON i.org_code = w.org_code AND i.fund_code = w.fund_code AND i.day_no <= w.day_no
)
SELECT
    e.org_code || '/' || e.fund_code AS subject_id,
    coalesce(g.name, e.org_code) || '/' || coalesce(f.fund_name, e.fund_code) AS subject_name,
    fund_flows_key(e.flow_id) AS record_id,
    CASE WHEN e.latest = 1 THEN e.retained END AS amount,
    e.day,
    CAST(NULL AS VARCHAR) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '收到的专项资金到账超过' || CAST($hold_days AS VARCHAR) || '天仍未拨付完毕' AS detail
FROM evidence AS e
LEFT JOIN orgs AS g ON g.org_code = e.org_code
LEFT JOIN fund_names AS f ON f.fund_code = e.fund_code
