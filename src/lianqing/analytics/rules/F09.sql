/*
id: F09
name: 加油量超出油箱容量
severity: 中
category: sifeng_vehicle
condition: "同一公务车辆在{window_hours}小时内的累计加油量，超过油箱容积的（1+{tolerance}）倍。"
origins: [fuel_cards]
datasets: [fuel_fills, official_vehicles]
subject: plate
when: day
incremental: {grouped_by: {fuel_fills: [plate]}, why: 按车辆成组看时间窗内的累计加油量，新加油记录只改变所在车辆的窗口}
params:
  window_hours: {type: integer, default: 4, min: 0, description: 累计加油量的时间窗口(小时)}
  tolerance: {type: decimal, default: 0.1, min: 0, description: 允许超出油箱容积的比例}
explanation: "{who}公务车辆{detail}，{when}涉及加油{count}次，共计{amount}。"
*/
-- For a plate in official_vehicles, a fill f such that the liters of the plate's fills with time
-- in [f.time, f.time + window_hours h] sum to more than (1 + tolerance) x tank_liters;
-- amount = the money of every fill that lies in such a window.
WITH fills AS (
    SELECT f.fill_id, f.plate, f.liters, f.amount, f.time, second_index(f.time) AS second_no, v.tank_liters
    FROM fuel_fills AS f
    JOIN official_vehicles AS v ON v.plate = f.plate
),
windows AS (
    SELECT window_start.plate, window_start.second_no AS start_no, sum(inside.liters) AS liters
    FROM fills AS window_start
    JOIN fills AS inside
        ON inside.plate = window_start.plate
        AND inside.second_no BETWEEN window_start.second_no AND window_start.second_no + $window_hours * 3600
    GROUP BY window_start.plate, window_start.fill_id, window_start.second_no, window_start.tank_liters
    HAVING sum(inside.liters) > (1 + $tolerance) * window_start.tank_liters
),
most AS (
    SELECT plate, max(liters) AS liters FROM windows GROUP BY plate
)
SELECT DISTINCT
    f.plate AS subject_id,
    coalesce(g.name, v.org_code) AS subject_name,
    fuel_fills_key(f.fill_id) AS record_id,
    f.amount,
    CAST(f.time AS DATE) AS day,
    official_vehicles_key(v.plate) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '油箱容积' || CAST(CAST(v.tank_liters AS DECIMAL(18, 2)) AS VARCHAR) || '升，'
        || CAST($window_hours AS VARCHAR) || '小时内加油最多达' || CAST(CAST(m.liters AS DECIMAL(18, 2)) AS VARCHAR)
        || '升' AS detail
FROM windows AS w
JOIN fills AS f
    ON f.plate = w.plate AND f.second_no BETWEEN w.start_no AND w.start_no + $window_hours * 3600
JOIN official_vehicles AS v ON v.plate = f.plate
JOIN most AS m ON m.plate = f.plate
LEFT JOIN orgs AS g ON g.org_code = v.org_code
