/*
id: B07
name: 有车有房人员享受低保
severity: 中
category: public_interest
condition: "领取低保类补贴的人，在发放日名下有小型汽车，或有{min_properties}处以上房产。"
origins: [minsheng]
datasets: [benefits, vehicles, properties]
subject: person_id
when: month
params:
  min_properties: {type: integer, default: 2, min: 1, description: 触发规则的不动产套数}
incremental: {row_local: [benefits], why: 每条低保记录单独与名下车辆、不动产比对，不动产按该条记录计数}
explanation: "{who}{detail}，{when}领取低保类补贴{count}笔，共计{amount}。"
*/
-- A 低保类 benefit paid to a person owning a 小型汽车 registered <= pay_date, or at least
-- min_properties properties registered <= pay_date.
WITH cars AS (
    SELECT b.record_id, v.plate, vehicles_key(v.plate) AS evidence_id
    FROM subsistence_benefits AS b
    JOIN vehicles AS v ON v.owner_id = b.person_id
    WHERE v.vehicle_type = '小型汽车' AND v.reg_date <= b.pay_date
),
homes AS (
    SELECT b.record_id, p.property_id, count(*) OVER (PARTITION BY b.record_id) AS owned
    FROM subsistence_benefits AS b
    JOIN properties AS p ON p.owner_id = b.person_id
    WHERE p.reg_date <= b.pay_date
),
evidence AS (
    SELECT record_id, evidence_id, '名下登记小型汽车' || plate AS detail FROM cars
    UNION ALL
    SELECT record_id, properties_key(property_id), '名下登记不动产' || CAST(owned AS VARCHAR) || '处'
    FROM homes
    WHERE owned >= $min_properties
)
SELECT
    b.person_id AS subject_id,
    b.name AS subject_name,
    benefits_key(b.record_id) AS record_id,
    b.amount,
    period_start(b.period) AS day,
    e.evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    e.detail
FROM subsistence_benefits AS b
JOIN evidence AS e ON e.record_id = b.record_id
