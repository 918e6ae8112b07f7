/*
id: F10
name: 公务卡节假日异常消费
severity: 中
category: sifeng_dining
condition: "公务卡在休息日于餐饮、娱乐场所、商场、购物卡、景区类商户消费。"
origins: [brazil_cards, sifeng]
datasets: [card_payments]
optional_datasets: [officials, persons]
subject: holder_id
when: day
incremental: {row_local: [card_payments], why: 每笔公务卡消费单独看日期和商户类别}
explanation: "{who}{when}休息日持公务卡在{detail}消费{count}笔，共计{amount}。"
*/
-- A payment on a rest day with merchant_category in 餐饮, 娱乐场所, 商场, 购物卡, 景区.
WITH holder_names AS (
    SELECT person_id, min(name) AS name FROM officials GROUP BY person_id
)
SELECT
    c.holder_id AS subject_id,
    coalesce(o.name, p.name) AS subject_name,
    card_payments_key(c.payment_id) AS record_id,
    c.amount,
    CAST(c.time AS DATE) AS day,
    CAST(NULL AS VARCHAR) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    c.merchant_category || coalesce('商户' || c.merchant_name, '') AS detail
FROM card_payments AS c
JOIN calendar AS d ON d.day = CAST(c.time AS DATE)
LEFT JOIN holder_names AS o ON o.person_id = c.holder_id
LEFT JOIN persons AS p ON p.person_id = c.holder_id
WHERE d.is_rest AND c.merchant_category IN ('餐饮', '娱乐场所', '商场', '购物卡', '景区')
