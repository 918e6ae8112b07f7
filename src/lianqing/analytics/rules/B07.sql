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
-- Joining every 低保类 record to every property of its person and counting per record made
-- millions of rows at 10M persons. Instead each owner gets the day from which the condition holds
-- (`since`: their first car's, or their min_properties-th property's registration; a record meets
-- the condition exactly when since <= pay_date), so one pass keeps the few records that hit, and
-- only those are joined to their cars and properties for the evidence. Cars and properties are
-- first narrowed to the 低保类 payees registered by their last pay_date: no other can prove a
-- record.
WITH payees AS (
    SELECT person_id, max(pay_date) AS last_pay
    FROM subsistence_benefits
    GROUP BY person_id
),
cars_owned AS (
    SELECT v.owner_id, v.plate, v.reg_date
    FROM vehicles AS v
    JOIN payees AS p ON p.person_id = v.owner_id
    WHERE v.vehicle_type = '小型汽车' AND v.reg_date <= p.last_pay
),
homes_owned AS (
    SELECT
        h.owner_id, h.property_id, h.reg_date,
        row_number() OVER (PARTITION BY h.owner_id ORDER BY h.reg_date) AS place
    FROM properties AS h
    JOIN payees AS p ON p.person_id = h.owner_id
    WHERE h.reg_date <= p.last_pay
),
owners AS (
    SELECT owner_id, min(since) AS since
    FROM (
        SELECT owner_id, reg_date AS since FROM cars_owned
        UNION ALL
        SELECT owner_id, reg_date FROM homes_owned WHERE place = $min_properties
    ) AS dated
    GROUP BY owner_id
),
paid AS (
    SELECT b.record_id, b.person_id, b.name, b.amount, b.period, b.pay_date
    FROM subsistence_benefits AS b
    JOIN owners AS o ON o.owner_id = b.person_id
    WHERE o.since <= b.pay_date
),
cars AS (
    SELECT b.record_id, v.plate, vehicles_key(v.plate) AS evidence_id
    FROM paid AS b
    JOIN cars_owned AS v ON v.owner_id = b.person_id
    WHERE v.reg_date <= b.pay_date
),
homes AS (
    SELECT b.record_id, p.property_id, count(*) OVER (PARTITION BY b.record_id) AS owned
    FROM paid AS b
    JOIN homes_owned AS p ON p.owner_id = b.person_id
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
FROM paid AS b
JOIN evidence AS e ON e.record_id = b.record_id
