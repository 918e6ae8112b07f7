/*
id: B11
name: 服刑人员违规领取
severity: 中
category: public_interest
condition: "低保类补贴或城乡居民基本养老保险所属月份的第一天处于服刑期间。"
origins: [prisoners]
datasets: [benefits, prisoners]
subject: person_id
when: month
incremental: {row_local: [benefits], why: 每条发放记录单独与服刑记录比对}
explanation: "{who}{detail}，{when}仍领取低保类或城乡居民养老保险待遇{count}笔，共计{amount}。"
*/
-- A 低保类 or Pension-program benefit for a period whose first day d falls inside a prison term:
-- start_date < d and (end_date empty or d <= end_date).
SELECT
    b.person_id AS subject_id,
    coalesce(b.name, p.name) AS subject_name,
    benefits_key(b.record_id) AS record_id,
    b.amount,
    period_start(b.period) AS day,
    prisoners_key(p.person_id, p.start_date) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '自' || CAST(year(p.start_date) AS VARCHAR) || '年' || CAST(month(p.start_date) AS VARCHAR) || '月'
        || CAST(day(p.start_date) AS VARCHAR) || '日起服刑'
        || CASE WHEN p.end_date IS NULL THEN '' ELSE '至' || CAST(year(p.end_date) AS VARCHAR) || '年'
            || CAST(month(p.end_date) AS VARCHAR) || '月' || CAST(day(p.end_date) AS VARCHAR) || '日' END AS detail
FROM linked_benefits AS b
JOIN prisoners AS p
    ON p.person_id = b.person_id
    AND p.start_date < period_start(b.period)
    AND (p.end_date IS NULL OR period_start(b.period) <= p.end_date)
WHERE b.program IN ('低保', '特困供养', '城乡居民基本养老保险')
