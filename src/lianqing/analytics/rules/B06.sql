/*
id: B06
name: 经商办企业人员享受低保
severity: 中
category: public_interest
condition: "领取低保类补贴的人，在发放日已是存续企业的法定代表人或自然人股东。"
origins: [minsheng]
datasets: [benefits, companies, shareholders]
subject: person_id
when: month
incremental: {row_local: [benefits], why: 每条低保记录单独与发放日前登记的企业比对}
explanation: "{who}系{detail}，{when}领取低保类补贴{count}笔，共计{amount}。"
*/
-- A 低保类 benefit paid to the legal rep or a person shareholder of a company with status
-- 存续 whose reg_date <= pay_date.
SELECT
    b.person_id AS subject_id,
    b.name AS subject_name,
    benefits_key(b.record_id) AS record_id,
    b.amount,
    period_start(b.period) AS day,
    cp.record_key AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    cp.company_name || '(' || cp.uscc || ')' || cp.role AS detail
FROM linked_subsistence_benefits AS b
JOIN company_people AS cp ON cp.person_id = b.person_id
WHERE cp.status = '存续' AND cp.reg_date <= b.pay_date
