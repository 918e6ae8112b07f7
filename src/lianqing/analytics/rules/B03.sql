/*
id: B03
name: 死亡人员冒领补贴
severity: 高
category: public_interest
condition: "补贴所属月份晚于死亡月份再加{grace_months}个月，仍在发放。"
origins: [hunan, uk_nfi]
datasets: [benefits, deaths]
subject: person_id
when: month
params:
  grace_months: {type: integer, default: 0, min: 0, description: 死亡当月之后允许的宽限月数}
incremental: {row_local: [benefits], why: 每条发放记录单独与死亡登记比对}
explanation: "{who}{detail}，{when}仍发放补贴{count}笔，共计{amount}。"
*/
-- A benefit whose period starts after the month of death_date + grace_months.
SELECT
    b.person_id AS subject_id,
    coalesce(b.name, d.name) AS subject_name,
    benefits_key(b.record_id) AS record_id,
    b.amount,
    period_start(b.period) AS day,
    deaths_key(d.person_id) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '已于' || CAST(year(d.death_date) AS VARCHAR) || '年' || CAST(month(d.death_date) AS VARCHAR) || '月'
        || CAST(day(d.death_date) AS VARCHAR) || '日死亡' AS detail
FROM linked_benefits AS b
JOIN deaths AS d ON d.person_id = b.person_id
WHERE month_index(period_start(b.period)) > month_index(d.death_date) + $grace_months
