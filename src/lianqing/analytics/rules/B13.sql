/*
id: B13
name: 补贴面积超确权面积
severity: 中
category: public_interest
condition: "一户某年耕地地力保护补贴的补贴面积合计，超过该户确权面积合计的（1+{tolerance}）倍。"
origins: [land]
datasets: [benefits, land_rights]
subject: household_id/year
when: month
incremental: {grouped_by: {benefits: [household_id, "left(period, 4)"]}, only: {benefits: "program = '耕地地力保护补贴'"}, why: 按户按年合计耕地地力保护补贴面积，新记录只改变所在户、年；其他项目的发放记录不参与}
params:
  tolerance: {type: decimal, default: 0.05, min: 0, description: 允许超出确权面积的比例}
explanation: "户{who}{detail}，{when}领取耕地地力保护补贴{count}笔，共计{amount}。"
*/
-- For a household_id and calendar year of period: the sum of quantity of its 耕地地力保护补贴
-- benefits > (1 + tolerance) x the sum of area_mu of its land_rights rows (0 when it has none).
WITH claimed AS (
    SELECT household_id, left(period, 4) AS year, sum(quantity) AS claimed
    FROM benefits
    WHERE program = '耕地地力保护补贴' AND household_id IS NOT NULL
    GROUP BY household_id, left(period, 4)
),
rights AS (
    SELECT household_id, sum(area_mu) AS area
    FROM land_rights
    GROUP BY household_id
),
excess AS (
    SELECT c.household_id, c.year, c.claimed, coalesce(r.area, 0) AS area
    FROM claimed AS c
    LEFT JOIN rights AS r ON r.household_id = c.household_id
    WHERE c.claimed > (1 + $tolerance) * coalesce(r.area, 0)
)
SELECT
    o.household_id || '/' || o.year AS subject_id,
    b.name AS subject_name,
    benefits_key(b.record_id) AS record_id,
    b.amount,
    period_start(b.period) AS day,
    land_rights_key(l.household_id, l.person_id) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    o.year || '年按' || CAST(CAST(o.claimed AS DECIMAL(18, 2)) AS VARCHAR) || '亩领取，确权面积仅'
        || CAST(CAST(o.area AS DECIMAL(18, 2)) AS VARCHAR) || '亩' AS detail
FROM excess AS o
JOIN benefits AS b
    ON b.household_id = o.household_id AND left(b.period, 4) = o.year AND b.program = '耕地地力保护补贴'
LEFT JOIN land_rights AS l ON l.household_id = o.household_id
