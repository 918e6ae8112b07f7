/*
id: P02
name: 死亡人员仍领工资
severity: 高
category: bribery
condition: "死亡月份之后仍在发放工资。"
origins: [uk_nfi]
datasets: [payroll, deaths]
subject: person_id
when: month
incremental: {row_local: [payroll], why: 每条工资记录单独与死亡登记比对}
explanation: "{who}{detail}，{when}仍发放工资{count}笔，共计{amount}。"
*/
-- A payroll period starting after the month of death_date.
SELECT
    p.person_id AS subject_id,
    coalesce(p.name, d.name) AS subject_name,
    payroll_key(p.person_id, p.org_code, p.period) AS record_id,
    p.amount,
    period_start(p.period) AS day,
    deaths_key(d.person_id) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '已于' || CAST(year(d.death_date) AS VARCHAR) || '年' || CAST(month(d.death_date) AS VARCHAR) || '月'
        || CAST(day(d.death_date) AS VARCHAR) || '日死亡' AS detail
FROM payroll AS p
JOIN deaths AS d ON d.person_id = p.person_id
WHERE month_index(period_start(p.period)) > month_index(d.death_date)
