/*
id: M03
name: 末端发放不足 (截留)
severity: 中
category: public_interest
condition: "单位收到的专项资金，减去其审批发放的补贴和转拨的金额后，剩余超过收到金额的{tolerance}（比例）。"
origins: [funds]
datasets: [fund_flows, benefits]
subject: org_code/fund_code
when: none
params:
  tolerance: {type: decimal, default: 0.05, min: 0, description: 允许的未发放比例}
explanation: "{who}{detail}，差额{amount}。"
*/
-- For an org that receives fund_code and pays benefits with approver_org_code = that org:
-- received - benefits of that fund_code it approved - passed on to other orgs or payees
-- > tolerance * received. The amount is that difference.
WITH received AS (
    SELECT to_org_code AS org_code, fund_code, sum(amount) AS received, min(flow_id) AS first_flow
    FROM fund_flows
    WHERE to_org_code IS NOT NULL
    GROUP BY to_org_code, fund_code
),
-- The benefits are read through fund_benefit_days (views.sql): summed per approving org, fund and
-- pay day once per scan, and kept by incremental scans (a new month's rows added to the sums).
paying_orgs AS (
    SELECT DISTINCT approver_org_code AS org_code FROM fund_benefit_days
),
paid AS (
    SELECT approver_org_code AS org_code, fund_code, sum(amount) AS paid
    FROM fund_benefit_days
    WHERE fund_code IS NOT NULL
    GROUP BY approver_org_code, fund_code
),
passed AS (
    SELECT from_org_code AS org_code, fund_code, sum(amount) AS passed
    FROM fund_flows
    WHERE to_org_code IS NULL OR to_org_code <> from_org_code
    GROUP BY from_org_code, fund_code
),
balance AS (
    SELECT
        r.org_code, r.fund_code, r.received, coalesce(p.paid, 0) AS paid, coalesce(q.passed, 0) AS passed,
        r.received - coalesce(p.paid, 0) - coalesce(q.passed, 0) AS retained
    FROM received AS r
    JOIN paying_orgs AS o ON o.org_code = r.org_code
    LEFT JOIN paid AS p ON p.org_code = r.org_code AND p.fund_code = r.fund_code
    LEFT JOIN passed AS q ON q.org_code = r.org_code AND q.fund_code = r.fund_code
    WHERE r.received - coalesce(p.paid, 0) - coalesce(q.passed, 0) > $tolerance * r.received
),
fund_names AS (
    SELECT fund_code, min(fund_name) AS fund_name FROM fund_flows GROUP BY fund_code
)
SELECT
    b.org_code || '/' || b.fund_code AS subject_id,
    coalesce(g.name, b.org_code) || '/' || coalesce(n.fund_name, b.fund_code) AS subject_name,
    fund_flows_key(f.flow_id) AS record_id,
    CASE WHEN f.flow_id = r.first_flow THEN b.retained END AS amount,
    f.date AS day,
    CAST(NULL AS VARCHAR) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '共收到' || CAST(b.received AS VARCHAR) || '元，发放补贴' || CAST(b.paid AS VARCHAR) || '元，转拨'
        || CAST(b.passed AS VARCHAR) || '元' AS detail
FROM balance AS b
JOIN received AS r ON r.org_code = b.org_code AND r.fund_code = b.fund_code
JOIN fund_flows AS f ON f.to_org_code = b.org_code AND f.fund_code = b.fund_code
LEFT JOIN orgs AS g ON g.org_code = b.org_code
LEFT JOIN fund_names AS n ON n.fund_code = b.fund_code
