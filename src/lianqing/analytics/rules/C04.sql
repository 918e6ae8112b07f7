/*
id: C04
name: 拆分采购规避招标
severity: 中
category: dereliction
condition: "同一采购单位向同一供应商在{window_days}天内签订{min_count}份以上、每份低于{threshold}元、合计不低于{threshold}元的合同。"
origins: [procurement]
datasets: [contracts]
subject: buyer_org_code/supplier_uscc
when: day
params:
  threshold: {type: decimal, default: 1000000, min: 0, description: 公开招标限额(元)}
  min_count: {type: integer, default: 3, min: 2, description: 拆分合同份数}
  window_days: {type: integer, default: 30, min: 1, description: 时间窗口天数}
explanation: "采购单位/供应商{who}{detail}，{when}签订单笔低于限额的合同{count}份，合计{amount}。"
*/
-- Same buyer_org_code and supplier_uscc, >= min_count contracts each below threshold, all within
-- window_days days (last - first <= window_days - 1), summing to >= threshold. Every window
-- worth checking ends on a contract's date, so each contract is tried as the window's end.
WITH small AS (
    SELECT
        contract_id, buyer_org_code, supplier_uscc, supplier_name, amount, sign_date,
        day_index(sign_date) AS day_no
    FROM contracts
    WHERE amount < $threshold
),
windows AS (
    SELECT
        window_end.contract_id AS end_id, window_end.buyer_org_code, window_end.supplier_uscc,
        window_end.day_no AS end_no
    FROM small AS window_end
    JOIN small AS inside
        ON inside.buyer_org_code = window_end.buyer_org_code
        AND inside.supplier_uscc = window_end.supplier_uscc
        AND inside.day_no BETWEEN window_end.day_no - ($window_days - 1) AND window_end.day_no
    GROUP BY window_end.contract_id, window_end.buyer_org_code, window_end.supplier_uscc, window_end.day_no
    HAVING count(*) >= $min_count AND sum(inside.amount) >= $threshold
)
SELECT DISTINCT
    s.buyer_org_code || '/' || s.supplier_uscc AS subject_id,
    coalesce(g.name, s.buyer_org_code) || '/' || coalesce(s.supplier_name, s.supplier_uscc) AS subject_name,
    contracts_key(s.contract_id) AS record_id,
    s.amount,
    s.sign_date AS day,
    CAST(NULL AS VARCHAR) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    '在' || CAST($window_days AS VARCHAR) || '天内' AS detail
FROM windows AS w
JOIN small AS s
    ON s.buyer_org_code = w.buyer_org_code
    AND s.supplier_uscc = w.supplier_uscc
    AND s.day_no BETWEEN w.end_no - ($window_days - 1) AND w.end_no
LEFT JOIN orgs AS g ON g.org_code = s.buyer_org_code
