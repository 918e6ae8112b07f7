/*
id: C02
name: 向亲属关联企业输送利益
severity: 高
category: abuse_of_power
condition: "合同签订日在职的公职人员所在单位作为采购方，供应商的法定代表人或自然人股东是该公职人员本人或其近亲属。"
origins: [business, procurement]
datasets: [contracts, officials, relatives, companies, shareholders]
subject: person_id
when: day
explanation: "{who}{detail}，{when}签订合同{count}份，共计{amount}。"
*/
-- A contract whose buyer_org_code is the org of an official in post on sign_date, and whose
-- supplier's legal rep or a person shareholder is that official or a close relative.
SELECT
    o.person_id AS subject_id,
    o.name AS subject_name,
    contracts_key(k.contract_id) AS record_id,
    k.amount,
    k.sign_date AS day,
    coalesce(l.record_key, cp.record_key) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '系' || o.org_name || coalesce(o.position, '') || '，本单位向其' || CASE WHEN l.relation = '本人' THEN '本人' ELSE l.relation END
        || '任' || cp.role || '的' || cp.company_name || '(' || cp.uscc || ')采购' AS detail
FROM contracts AS k
JOIN company_people AS cp ON cp.uscc = k.supplier_uscc
JOIN official_links AS l ON l.linked_id = cp.person_id
JOIN official_terms AS o
    ON o.person_id = l.official_id
    AND o.org_code = k.buyer_org_code
    AND in_post(o.start_date, o.end_date, k.sign_date)
