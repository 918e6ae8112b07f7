/*
id: F05
name: 公车私用
severity: 中
category: sifeng_vehicle
condition: "公务车辆在休息日前往景区、娱乐场所、餐饮场所或住宅区，或在任何一天前往娱乐场所。"
origins: [sifeng]
datasets: [vehicle_trips]
subject: plate
when: day
incremental: {row_local: [vehicle_trips], why: 每次出车单独看日期和目的地}
explanation: "{who}公务车辆{detail}，{when}共{count}次。"
*/
-- start_time on a rest day and destination_category in 景区, 娱乐场所, 餐饮, 住宅区; or
-- destination_category 娱乐场所 on any day.
SELECT
    t.plate AS subject_id,
    coalesce(g.name, t.org_code) AS subject_name,
    vehicle_trips_key(t.trip_id) AS record_id,
    CAST(NULL AS DECIMAL(18, 2)) AS amount,
    CAST(t.start_time AS DATE) AS day,
    CAST(NULL AS VARCHAR) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    CASE WHEN c.is_rest THEN '休息日' ELSE '' END || '驶往' || t.destination_category AS detail
FROM vehicle_trips AS t
LEFT JOIN calendar AS c ON c.day = CAST(t.start_time AS DATE)
LEFT JOIN orgs AS g ON g.org_code = t.org_code
WHERE (c.is_rest AND t.destination_category IN ('景区', '娱乐场所', '餐饮', '住宅区'))
    OR t.destination_category = '娱乐场所'
