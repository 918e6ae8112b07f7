/*
id: R038
name: 取消投标资格比例异常高
severity: 中
category: abuse_of_power
datasets: [ocds_processes, ocds_bids, ocds_bid_tenderers]
subject: buyer/procuring_entity/tenderer
when: none
condition: "采购人、代理机构或投标人被取消资格的投标占所收到或所提交投标的比例，不低于同类比例的上限 Q3+1.5×IQR(或设定的 {threshold})。"
origins: [cardinal]
params:
  threshold: {type: decimal, default: null, description: 上限(取消资格比例)；不设时用 Q3 + 1.5 IQR}
  minimum_submitted_bids: {type: integer, default: 2, description: 投标人至少提交的投标数}
  minimum_contracting_processes: {type: integer, default: 2, description: 采购人/代理机构至少的采购过程数}
  exclusions_procurement_method_details: {type: text, default: "", description: 全局排除的采购方式细目(以|分隔)}
explanation: "{who}：{detail}，比例不低于同类的上限(Cardinal R038 指标值 {value})。"
*/
-- Cardinal R038 (Excessive disqualified bids). Over processes with submitted bids: for each
-- buyer and each procuring entity, its ratio is disqualified / submitted bids of its processes,
-- counted when it has at least `minimum_contracting_processes` such processes (as the
-- methodology says; Cardinal's code compares that minimum with its number of submitted bids);
-- for each tenderer, disqualified / submitted bids it is a tenderer of, counted from
-- `minimum_submitted_bids` bids. In each of the three groups, a member is flagged when its ratio
-- >= the upper fence Q3 + 1.5 IQR of the group's ratios (or `threshold`), and only while the
-- fence > 0. The value is the ratio. Quartiles as in R024.
WITH scope AS (
    SELECT p.ocid, p.buyer_id, p.buyer_name, p.procuring_entity_id, p.procuring_entity_name
    FROM ocds_scope AS p
    WHERE ocds_not_excluded(p.procurement_method_details, $exclusions_procurement_method_details)
),
per_process AS (
    SELECT
        b.ocid, count(*) AS submitted, count(CASE WHEN b.status = 'disqualified' THEN 1 END) AS disqualified
    FROM ocds_submitted_bids AS b
    JOIN scope AS s ON s.ocid = b.ocid
    GROUP BY b.ocid
),
members AS (
    SELECT 'buyer' AS grp, s.buyer_id AS member_id, s.buyer_name AS member_name, p.ocid, p.submitted, p.disqualified
    FROM per_process AS p JOIN scope AS s ON s.ocid = p.ocid
    WHERE s.buyer_id IS NOT NULL
    UNION ALL
    SELECT 'procuring_entity', s.procuring_entity_id, s.procuring_entity_name, p.ocid, p.submitted, p.disqualified
    FROM per_process AS p JOIN scope AS s ON s.ocid = p.ocid
    WHERE s.procuring_entity_id IS NOT NULL
    UNION ALL
    SELECT
        'tenderer', t.tenderer_id, t.tenderer_name, b.ocid, 1, CASE WHEN b.status = 'disqualified' THEN 1 ELSE 0 END
    FROM ocds_submitted_bids AS b
    JOIN scope AS s ON s.ocid = b.ocid
    JOIN ocds_bid_tenderers AS t ON t.ocid = b.ocid AND t.bid_index = b.bid_index
    WHERE t.tenderer_id IS NOT NULL
),
tally AS (
    SELECT
        grp, member_id, min(member_name) AS member_name, count(DISTINCT ocid) AS processes,
        sum(submitted) AS submitted, sum(disqualified) AS disqualified,
        CAST(sum(disqualified) AS DOUBLE) / sum(submitted) AS ratio
    FROM members
    GROUP BY grp, member_id
),
counted AS (
    SELECT *
    FROM tally
    WHERE (grp = 'tenderer' AND submitted >= $minimum_submitted_bids)
        OR (grp <> 'tenderer' AND processes >= $minimum_contracting_processes)
),
ranked AS (
    SELECT grp, ratio AS v, row_number() OVER (PARTITION BY grp ORDER BY ratio) AS r FROM counted
),
positions AS (
    SELECT grp, n, h1, CAST(a1 - 300 * h1 AS DOUBLE) / 300 AS f1, h3, CAST(a3 - 300 * h3 AS DOUBLE) / 300 AS f3
    FROM (
        SELECT grp, n, a1, floor(a1 / 300) AS h1, a3, floor(a3 / 300) AS h3
        FROM (
            SELECT grp, count(*) AS n, (3 * count(*) + 1) * 25 + 100 AS a1, (3 * count(*) + 1) * 75 + 100 AS a3
            FROM counted
            GROUP BY grp
        ) AS c
    ) AS h
),
quartiles AS (
    SELECT
        p.grp,
        CASE
            WHEN p.h1 < 1 THEN min(r.v)
            WHEN p.h1 >= p.n THEN max(r.v)
            ELSE max(CASE WHEN r.r = p.h1 THEN r.v END)
                + p.f1 * (max(CASE WHEN r.r = p.h1 + 1 THEN r.v END) - max(CASE WHEN r.r = p.h1 THEN r.v END))
        END AS q1,
        CASE
            WHEN p.h3 < 1 THEN min(r.v)
            WHEN p.h3 >= p.n THEN max(r.v)
            ELSE max(CASE WHEN r.r = p.h3 THEN r.v END)
                + p.f3 * (max(CASE WHEN r.r = p.h3 + 1 THEN r.v END) - max(CASE WHEN r.r = p.h3 THEN r.v END))
        END AS q3
    FROM ranked AS r
    JOIN positions AS p ON p.grp = r.grp
    GROUP BY p.grp, p.n, p.h1, p.f1, p.h3, p.f3
),
fence AS (
    SELECT grp, coalesce(CAST($threshold AS DOUBLE), q3 + 1.5 * (q3 - q1)) AS upper_fence FROM quartiles
),
flagged AS (
    SELECT c.*
    FROM counted AS c
    JOIN fence AS f ON f.grp = c.grp
    WHERE f.upper_fence > 0 AND c.ratio >= f.upper_fence
)
SELECT
    ocds_subject(f.grp, f.member_id) AS subject_id,
    coalesce(f.member_name, '') AS subject_name,
    ocds_processes_key(m.ocid) AS record_id,
    CAST(NULL AS DECIMAL(18, 2)) AS amount,
    CAST(NULL AS DATE) AS day,
    CAST(NULL AS VARCHAR) AS evidence_id,
    CAST(NULL AS VARCHAR) AS severity,
    CASE f.grp WHEN 'tenderer' THEN '提交的 ' ELSE CAST(f.processes AS VARCHAR) || ' 个采购过程收到的 ' END
        || CAST(f.submitted AS VARCHAR) || ' 份投标中 ' || CAST(f.disqualified AS VARCHAR) || ' 份被取消资格' AS detail,
    f.ratio AS value
FROM flagged AS f
JOIN members AS m ON m.grp = f.grp AND m.member_id = f.member_id AND m.disqualified > 0
