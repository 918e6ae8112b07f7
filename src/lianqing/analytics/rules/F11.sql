/*
id: F11
name: 公务卡拆分支付
severity: 中
category: sifeng_dining
condition: "同一张公务卡同一天在同一商户支付两笔以上，每笔低于{threshold}元，合计不低于{threshold}元。"
origins: [brazil_cards]
datasets: [card_payments]
optional_datasets: [officials, persons]
subject: holder_id
when: day
params:
  threshold: {type: decimal, default: 5000, min: 0, description: 单笔支付限额(元)}
incremental: {grouped_by: {card_payments: [card_no, merchant_name, CAST(time AS DATE)]}, why: 拆分支付按同卡、同商户、同日成组判断，新记录只改变所在组}
explanation: "{who}{when}持公务卡{detail}，共{count}笔，合计{amount}。"
*/
-- On one card, one merchant_name and one calendar day: >= 2 payments, each < threshold, together
-- >= threshold (as C04, the payments below the threshold are the ones counted).
WITH small AS (
    SELECT payment_id, card_no, holder_id, merchant_name, amount, CAST(time AS DATE) AS day
    FROM card_payments
    WHERE amount < $threshold AND merchant_name IS NOT NULL
),
split_days AS (
    SELECT card_no, merchant_name, day, count(*) AS payments
    FROM small
    GROUP BY card_no, merchant_name, day
    HAVING count(*) >= 2 AND sum(amount) >= $threshold
),
holder_names AS (
    SELECT person_id, min(name) AS name FROM officials GROUP BY person_id
)
SELECT
    s.holder_id AS subject_id,
    coalesce(o.name, p.name) AS subject_name,
    card_payments_key(s.payment_id) AS record_id,
    s.amount,
    s.day,
    CAST(NULL AS VARCHAR) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '在' || s.merchant_name || '同日分' || CAST(d.payments AS VARCHAR) || '笔支付，每笔低于'
        || CAST($threshold AS VARCHAR) || '元' AS detail
FROM split_days AS d
JOIN small AS s ON s.card_no = d.card_no AND s.merchant_name = d.merchant_name AND s.day = d.day
LEFT JOIN holder_names AS o ON o.person_id = s.holder_id
LEFT JOIN persons AS p ON p.person_id = s.holder_id
