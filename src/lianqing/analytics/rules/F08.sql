/*
id: F08
name: 疑似借婚丧喜庆敛财
severity: 中
category: sifeng_ceremony
condition: "在职公职人员在任意{window_days}天内收到{min_senders}个以上不同的人的微信红包、微信转账或支付宝转账。"
origins: [sifeng]
datasets: [transactions, officials]
subject: person_id
when: day
incremental: {grouped_by: {transactions: [to_id]}, only: {transactions: "channel IN ('微信红包', '微信转账', '支付宝转账')"}, why: 按收款的公职人员成组看任意时间窗内的不同送款人，新记录只改变所在收款人的窗口；其他渠道的收款不参与}
params:
  min_senders: {type: integer, default: 10, min: 2, description: 不同送款人数下限}
  window_days: {type: integer, default: 3, min: 1, description: 时间窗口天数}
explanation: "{who}{detail}，{when}收款{count}笔，合计{amount}。"
*/
-- An official in post receives from >= min_senders distinct senders within any window_days
-- days (last - first <= window_days - 1), channel 微信红包/微信转账/支付宝转账.
WITH received AS (
    SELECT DISTINCT
        o.person_id AS official_id, o.name AS official_name, o.org_name, o.position,
        t.txn_id, t.from_id, t.amount, CAST(t.time AS DATE) AS day, day_index(t.time) AS day_no
    FROM transactions AS t
    JOIN official_terms AS o
        ON o.person_id = t.to_id AND in_post(o.start_date, o.end_date, CAST(t.time AS DATE))
    WHERE t.channel IN ('微信红包', '微信转账', '支付宝转账')
),
sender_days AS (
    SELECT DISTINCT official_id, from_id, day_no FROM received
),
windows AS (
    SELECT window_end.official_id, window_end.day_no AS end_no, count(DISTINCT inside.from_id) AS senders
    FROM (SELECT DISTINCT official_id, day_no FROM sender_days) AS window_end
    JOIN sender_days AS inside
        ON inside.official_id = window_end.official_id
        AND inside.day_no BETWEEN window_end.day_no - ($window_days - 1) AND window_end.day_no
    GROUP BY window_end.official_id, window_end.day_no
    HAVING count(DISTINCT inside.from_id) >= $min_senders
)
SELECT DISTINCT
    r.official_id AS subject_id,
    r.official_name AS subject_name,
    transactions_key(r.txn_id) AS record_id,
    r.amount,
    r.day,
    CAST(NULL AS VARCHAR) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '系' || r.org_name || coalesce(r.position, '') || '，' || CAST($window_days AS VARCHAR) || '天内收到'
        || CAST(w.senders AS VARCHAR) || '人微信、支付宝转账或红包' AS detail
FROM windows AS w
JOIN received AS r
    ON r.official_id = w.official_id
    AND r.day_no BETWEEN w.end_no - ($window_days - 1) AND w.end_no
