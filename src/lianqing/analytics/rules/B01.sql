/*
id: B01
name: 公职人员本人违规享受低保
severity: 中
category: public_interest
condition: "公职人员在补贴所属月份在职期间，本人领取低保类补贴（低保、特困供养）。"
origins: [minsheng, hunan]
datasets: [benefits, officials]
subject: person_id
when: month
incremental: {row_local: [benefits], why: 每条低保发放记录单独与本人任职比对，不看其他发放记录}
explanation: "{who}{detail}，{when}本人领取低保类补贴{count}笔，共计{amount}。"
*/
-- A 低保类 benefit paid to a person who is an official in post in that period (first day).
SELECT
    b.person_id AS subject_id,
    coalesce(b.name, o.name) AS subject_name,
    benefits_key(b.record_id) AS record_id,
    b.amount,
    period_start(b.period) AS day,
    o.record_key AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '系' || o.org_name || coalesce(o.position, '') AS detail
FROM linked_subsistence_benefits AS b
JOIN official_terms AS o
    ON o.person_id = b.person_id AND in_post(o.start_date, o.end_date, period_start(b.period))
