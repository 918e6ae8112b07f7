/*
id: R018
name: 仅一家投标
severity: 中
category: abuse_of_power
datasets: [ocds_processes]
alternative_datasets: [contracts, bids]
subject: ocid
when: none
condition: "竞争性采购方式(默认公开、邀请招标)的采购过程只有一家投标人(OCDS 采购过程，或合同数据的招标项目)。"
origins: [cardinal]
params:
  procurement_methods: {type: text, default: "open|selective", description: 竞争性采购方式(procurementMethod，以|分隔；空为全部)}
  exclusions_procurement_method_details: {type: text, default: "", description: 全局排除的采购方式细目(以|分隔)}
explanation: "采购过程{who}：{detail}(Cardinal R018)。"
*/
-- Cardinal R018 (Single bid received): the number of tenderers (/tender/numberOfTenderers, a JSON
-- integer) is 1 and the procurement method is competitive. The value is always 1.0.
-- On the contract's own bids: a tender with one distinct bidder, its contracts' method (公开招标…)
-- standing for procurementMethodDetails and its Cardinal code (cn_procurement_method) for procurementMethod.
SELECT
    ocds_subject('ocid', ocid) AS subject_id,
    coalesce(title, '') AS subject_name,
    ocds_processes_key(ocid) AS record_id,
    CAST(NULL AS DECIMAL(18, 2)) AS amount,
    CAST(NULL AS DATE) AS day,
    CAST(NULL AS VARCHAR) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '以 ' || coalesce(procurement_method, '未注明') || ' 方式采购，仅收到 1 家投标' AS detail,
    CAST(1 AS DOUBLE) AS value
FROM ocds_scope
WHERE ocds_not_excluded(procurement_method_details, $exclusions_procurement_method_details)
    AND ($procurement_methods = '' OR in_pipe_list(procurement_method, $procurement_methods))
    AND number_of_tenderers = 1
UNION ALL
SELECT
    ocds_subject('tender', t.tender_id),
    coalesce(t.project_name, ''),
    bids_key(b.tender_id, b.bidder_uscc),
    CAST(NULL AS DECIMAL(18, 2)),
    CAST(NULL AS DATE),
    t.contract_key,
    CAST(NULL AS VARCHAR),
    '以' || coalesce(t.method_details, '未注明的方式') || '采购，仅收到 1 家投标',
    CAST(1 AS DOUBLE)
FROM bid_tenders AS t
JOIN bids AS b ON b.tender_id = t.tender_id
WHERE ocds_not_excluded(t.method_details, $exclusions_procurement_method_details)
    AND ($procurement_methods = '' OR in_pipe_list(t.procurement_method, $procurement_methods))
    AND t.bidders = 1
