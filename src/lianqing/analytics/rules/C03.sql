/*
id: C03
name: 围标串标
severity: 高
category: other
condition: "同一招标项目中，两个以上投标人的法定代表人、自然人股东、联系电话或地址相同。"
origins: [procurement]
datasets: [bids, companies, shareholders]
optional_datasets: [contracts]
subject: tender_id
when: none
explanation: "招标项目{who}中，{detail}。"
*/
-- A tender where >= 2 distinct bidders share a legal_rep_id, a person shareholder, a phone or
-- an address.
WITH bidder_traits AS (
    SELECT b.tender_id, b.bidder_uscc, c.name, '法定代表人' AS trait, c.legal_rep_id AS value
    FROM bids AS b JOIN companies AS c ON c.uscc = b.bidder_uscc
    UNION ALL
    SELECT b.tender_id, b.bidder_uscc, c.name, '联系电话', c.phone
    FROM bids AS b JOIN companies AS c ON c.uscc = b.bidder_uscc
    UNION ALL
    SELECT b.tender_id, b.bidder_uscc, c.name, '注册地址', c.address
    FROM bids AS b JOIN companies AS c ON c.uscc = b.bidder_uscc
    UNION ALL
    SELECT b.tender_id, b.bidder_uscc, coalesce(c.name, b.bidder_uscc), '自然人股东', s.holder_id
    FROM bids AS b
    JOIN shareholders AS s ON s.uscc = b.bidder_uscc
    LEFT JOIN companies AS c ON c.uscc = b.bidder_uscc
    WHERE is_person_id_shape(s.holder_id)
),
shared AS (
    SELECT tender_id, trait, value, count(DISTINCT bidder_uscc) AS bidders
    FROM bidder_traits
    WHERE value IS NOT NULL AND value <> ''
    GROUP BY tender_id, trait, value
    HAVING count(DISTINCT bidder_uscc) >= 2
),
projects AS (
    SELECT tender_id, min(project_name) AS project_name FROM contracts GROUP BY tender_id
)
SELECT
    s.tender_id AS subject_id,
    p.project_name AS subject_name,
    bids_key(s.tender_id, s.bidder_uscc) AS record_id,
    CAST(NULL AS DECIMAL(18, 2)) AS amount,
    CAST(NULL AS DATE) AS day,
    companies_key(s.bidder_uscc) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    CAST(t.bidders AS VARCHAR) || '家投标人' || s.trait || '相同'
        || CASE WHEN s.trait IN ('法定代表人', '自然人股东') THEN '(' || mask_id(s.value) || ')' ELSE '(' || s.value || ')' END AS detail
FROM shared AS t
JOIN bidder_traits AS s ON s.tender_id = t.tender_id AND s.trait = t.trait AND s.value = t.value
LEFT JOIN projects AS p ON p.tender_id = s.tender_id
