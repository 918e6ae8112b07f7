/*
id: R003
name: 投标截止时间过短
severity: 中
category: abuse_of_power
datasets: [ocds_processes]
subject: ocid
when: none
condition: "采购过程的投标期(招标公告发布至投标截止)短于 {threshold} 个整天(可按采购方式细目另定天数)。"
origins: [cardinal]
params:
  threshold: {type: integer, default: 15, description: 最短的投标期(整天)}
  procurement_methods: {type: text, default: "", description: 只计这些采购方式(procurementMethod，以|分隔；空为全部)}
  procurement_method_details: {type: text, default: "", description: 按采购方式细目(procurementMethodDetails)另定最短天数，写作 细目:天数|细目:天数}
  exclusions_procurement_method_details: {type: text, default: "", description: 全局排除的采购方式细目(以|分隔)}
explanation: "采购过程{who}：{detail}，投标期过短(Cardinal R003)。"
*/
-- Cardinal R003 (Short submission period): the submission period, tenderPeriod endDate minus
-- startDate in whole days (both RFC 3339, computed at import), is shorter than the threshold, or
-- than the threshold set for the process's procurementMethodDetails. The value is always 1.0.
WITH checked AS (
    SELECT
        p.*,
        coalesce(pipe_map_integer($procurement_method_details, p.procurement_method_details), $threshold) AS minimum_days
    FROM ocds_scope AS p
    WHERE ocds_not_excluded(p.procurement_method_details, $exclusions_procurement_method_details)
        AND ($procurement_methods = '' OR in_pipe_list(p.procurement_method, $procurement_methods))
        AND p.submission_days IS NOT NULL
)
SELECT
    ocds_subject('ocid', ocid) AS subject_id,
    coalesce(title, '') AS subject_name,
    ocds_processes_key(ocid) AS record_id,
    CAST(NULL AS DECIMAL(18, 2)) AS amount,
    CAST(NULL AS DATE) AS day,
    CAST(NULL AS VARCHAR) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '投标期 ' || CAST(submission_days AS VARCHAR) || ' 天，短于 ' || CAST(minimum_days AS VARCHAR) || ' 天' AS detail,
    CAST(1 AS DOUBLE) AS value
FROM checked
WHERE submission_days < minimum_days
