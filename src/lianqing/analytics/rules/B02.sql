/*
id: B02
name: 公职人员近亲属享受低保
severity: 中
category: public_interest
condition: "公职人员在职期间，其近亲属（配偶、子女、父母、配偶父母、子女配偶、兄弟姐妹）领取低保类补贴；审批单位就是该公职人员所在单位，或该公职人员是同县的村干部时为高风险。"
origins: [minsheng, hunan]
datasets: [benefits, officials, relatives]
subject: person_id
when: month
incremental: {row_local: [benefits], why: 每条低保发放记录单独与近亲属的任职比对，不看其他发放记录}
explanation: "{who}系{detail}，{when}领取低保类补贴{count}笔，共计{amount}。"
*/
-- A 低保类 benefit paid to a close relative of an official in post in that period.
-- 高 when the official's org approved it, or the official is a 村干部 of the same county
-- (first 6 digits of region_code).
SELECT
    b.person_id AS subject_id,
    coalesce(b.name, r.relative_name) AS subject_name,
    benefits_key(b.record_id) AS record_id,
    b.amount,
    period_start(b.period) AS day,
    relatives_key(r.official_id, r.relative_id) AS evidence_id,
    CASE
        WHEN o.org_code = b.approver_org_code THEN '高'
        WHEN o.category = '村干部' AND left(o.any_region_code, 6) = left(b.region_code, 6) THEN '高'
        ELSE '中'
    END AS severity,
    o.org_name || coalesce(o.position, '') || o.name || '(' || mask_id(o.person_id) || ')的' || r.relation AS detail
FROM linked_subsistence_benefits AS b
JOIN close_relatives AS r ON r.relative_id = b.person_id
JOIN official_terms AS o
    ON o.person_id = r.official_id AND in_post(o.start_date, o.end_date, period_start(b.period))
