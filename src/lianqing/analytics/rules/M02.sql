/*
id: M02
name: 资金流向关联企业
severity: 高
category: business
condition: "单位拨付资金给企业，该企业的法定代表人或自然人股东是该单位拨付日在职的公职人员或其近亲属。"
origins: [funds, business]
datasets: [fund_flows, officials, relatives, companies, shareholders]
subject: from_org_code/payee_id
when: day
incremental: {row_local: [fund_flows], why: 每笔拨付单独与收款企业的关联人比对}
explanation: "{who}：{detail}，{when}拨付{count}笔，共计{amount}。"
*/
-- Money from an org to a company (payee_id a uscc) whose legal rep or a person shareholder is an
-- official of that org in post on the flow date, or a close relative of one.
SELECT
    f.from_org_code || '/' || f.payee_id AS subject_id,
    o.org_name || '/' || cp.company_name AS subject_name,
    fund_flows_key(f.flow_id) AS record_id,
    f.amount,
    f.date AS day,
    coalesce(l.record_key, cp.record_key) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '收款企业' || cp.role || '系本单位' || coalesce(o.position, '') || o.name || '(' || mask_id(o.person_id) || ')'
        || CASE WHEN l.relation = '本人' THEN '本人' ELSE '的' || l.relation END AS detail
FROM fund_flows AS f
JOIN company_people AS cp ON cp.uscc = f.payee_id
JOIN official_links AS l ON l.linked_id = cp.person_id
JOIN official_terms AS o
    ON o.person_id = l.official_id
    AND o.org_code = f.from_org_code
    AND in_post(o.start_date, o.end_date, f.date)
