/*
id: B09
name: 超标准发放
severity: 中
datasets: [benefits, standards]
subject: person_id
when: month
explanation: "{who}{detail}，{when}超标准发放{count}笔，共计{amount}。"
*/
-- amount > max_amount of the standard matching program, the longest region_code prefix and period.
-- Prefixes are matched by equality on left(region_code, n) for each prefix length n in use,
-- so the join stays an equi-join.
WITH prefix_lengths AS (
    SELECT DISTINCT length(region_code) AS n FROM standards
),
candidates AS (
    SELECT
        b.record_id, s.max_amount, s.region_code AS standard_region,
        row_number() OVER (
            PARTITION BY b.record_id ORDER BY length(s.region_code) DESC, s.period_from DESC
        ) AS preference
    FROM benefits AS b
    CROSS JOIN prefix_lengths AS l
    JOIN standards AS s
        ON s.program = b.program
        AND s.region_code = left(b.region_code, l.n)
        AND s.period_from <= b.period
        AND (s.period_to IS NULL OR b.period <= s.period_to)
    WHERE length(b.region_code) >= l.n
)
SELECT
    b.person_id AS subject_id,
    b.name AS subject_name,
    'benefits:' || b.record_id AS record_id,
    b.amount,
    period_start(b.period) AS day,
    CAST(NULL AS VARCHAR) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    b.program || '标准上限' || CAST(c.max_amount AS VARCHAR) || '元(区划' || c.standard_region || ')' AS detail
FROM benefits AS b
JOIN candidates AS c ON c.record_id = b.record_id AND c.preference = 1
WHERE b.amount > c.max_amount
