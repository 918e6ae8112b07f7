-- Shared definitions of RULES.md, written once and used by every rule.
-- Every contract dataset is registered (an absent one as an empty typed table), so these
-- views always exist; a rule whose own datasets are absent is skipped by the engine.
-- Record keys come from the `<dataset>_key` macros the engine generates from contract.py.

-- 近亲属 (close relatives)
CREATE VIEW close_relatives AS
SELECT official_id, relative_id, relative_name, relation
FROM relatives
WHERE relation IN ('配偶', '子女', '父母', '配偶父母', '子女配偶', '兄弟姐妹');

-- 低保类 (subsistence programs)
CREATE VIEW subsistence_benefits AS
SELECT *
FROM benefits
WHERE is_subsistence(program);

-- The benefits of the people a small register names: officials, relatives, the dead, payroll,
-- the people behind companies, prisoners. B01, B02, B03, B05, B06 and B11 each join benefits on
-- person_id to one of these registers, so reading this table instead of benefits keeps exactly
-- their rows: the 10M benefits are read and matched once per scan (CREATE TABLE), and the six
-- rules work on the few thousand rows left instead of each reading every benefit (measured at
-- 10M persons: 44k rows; ~5 CPU-s of rules become ~1.5). Its columns are those these rules
-- read. A rule reading it depends on benefits and on its own register only (library.py
-- NARROWING_VIEWS): incremental scans plan by those.
-- The registers' ids are deduplicated (UNION) before the match: payroll repeats each person every
-- month, and the 10M benefits probe a table of the distinct ids instead.
CREATE TABLE linked_benefits AS
SELECT record_id, program, person_id, name, region_code, amount, period, pay_date, approver_org_code
FROM benefits
WHERE person_id IN (
    SELECT person_id FROM officials
    UNION SELECT relative_id FROM relatives
    UNION SELECT person_id FROM deaths
    UNION SELECT person_id FROM payroll
    UNION SELECT legal_rep_id FROM companies
    UNION SELECT holder_id FROM shareholders
    UNION SELECT person_id FROM prisoners
);

CREATE VIEW linked_subsistence_benefits AS
SELECT *
FROM linked_benefits
WHERE is_subsistence(program);

-- The people benefits are paid to, as the records name them: one row per distinct (person_id,
-- name, household_id, account_no) of benefits, a few per person. B08 (who shares an account)
-- and B10 (each person_id and name checked once) read it, so the benefits are grouped once per
-- scan (CREATE TABLE) instead of once per rule.
CREATE TABLE benefit_claimants AS
SELECT DISTINCT person_id, name, household_id, account_no
FROM benefits;

-- The benefits each org approved, summed per fund_code and pay day (M01's outflows, M03's paid
-- and paying orgs): a few rows per org and month instead of the benefits themselves. Kept in an
-- incremental scan's state (library.KEPT_TABLES): a new month's rows are summed alone and added
-- to the kept sums, exactly (DECIMAL), instead of summing every benefit again. The sum is cast to
-- one type so that DuckDB and Spark, full and incremental, give the same column.
CREATE TABLE fund_benefit_days AS
SELECT approver_org_code, fund_code, pay_date, CAST(sum(amount) AS DECIMAL(38, 2)) AS amount
FROM benefits
WHERE approver_org_code IS NOT NULL
GROUP BY approver_org_code, fund_code, pay_date;

-- The 户籍人口 (persons) rows of the people benefits are paid to. B10 and B14 look them up here:
-- the persons file (a row per resident, the package's largest) is read once per scan (CREATE
-- TABLE) instead of once per rule. Joined on benefits.person_id it gives the same rows as persons.
CREATE TABLE benefit_persons AS
SELECT p.person_id, p.name, p.region_code
FROM persons AS p
WHERE p.person_id IN (SELECT person_id FROM benefit_claimants WHERE person_id IS NOT NULL);

-- One row per official's term in an org, with its record key and the org's name.
CREATE VIEW official_terms AS
SELECT
    o.person_id, o.name, o.org_code, o.region_code, o.position, o.category, o.is_leader,
    o.start_date, o.end_date,
    officials_key(o.person_id, o.org_code, o.start_date) AS record_key,
    coalesce(g.name, o.org_code) AS org_name,
    coalesce(o.region_code, g.region_code) AS any_region_code
FROM officials AS o
LEFT JOIN orgs AS g ON g.org_code = o.org_code;

-- The people behind a company: its legal representative and its person shareholders
-- (a holder_id shaped like a 公民身份号码; a company shareholder holds a uscc).
CREATE VIEW company_people AS
SELECT
    c.uscc, c.name AS company_name, c.status, c.reg_date, c.legal_rep_id AS person_id,
    '法定代表人' AS role, companies_key(c.uscc) AS record_key
FROM companies AS c
WHERE c.legal_rep_id IS NOT NULL
UNION ALL
SELECT
    s.uscc, coalesce(c.name, s.uscc), c.status, c.reg_date, s.holder_id,
    '股东', shareholders_key(s.uscc, s.holder_id)
FROM shareholders AS s
LEFT JOIN companies AS c ON c.uscc = s.uscc
WHERE is_person_id_shape(s.holder_id);

-- An official and the people linked to them: themselves and their close relatives.
CREATE VIEW official_links AS
SELECT DISTINCT
    person_id AS official_id, person_id AS linked_id, '本人' AS relation,
    CAST(NULL AS VARCHAR) AS record_key
FROM officials
UNION ALL
SELECT official_id, relative_id, relation, relatives_key(official_id, relative_id)
FROM close_relatives;

-- 管理服务对象 (managed parties) of the officials of an org:
-- (a) a company holding a contract whose buyer is the org, its legal rep or a person shareholder;
-- (b) for a leader (leaders_only), an official of the same org with is_leader = 0;
-- (c) a person who received benefits approved by the org.
CREATE VIEW managed_parties AS
SELECT k.buyer_org_code AS org_code, false AS leaders_only, k.supplier_uscc AS party_id,
    contracts_key(k.contract_id) AS record_key, '合同供应商' AS basis
FROM contracts AS k
UNION ALL
SELECT k.buyer_org_code, false, cp.person_id, contracts_key(k.contract_id), '合同供应商' || cp.role
FROM contracts AS k
JOIN company_people AS cp ON cp.uscc = k.supplier_uscc
UNION ALL
SELECT o.org_code, true, o.person_id, o.record_key, '下属'
FROM official_terms AS o
WHERE NOT o.is_leader
UNION ALL
SELECT b.approver_org_code, false, b.person_id, benefits_key(b.record_id), '补贴对象'
FROM benefits AS b
WHERE b.approver_org_code IS NOT NULL;

-- A transaction to an official in post on its date from one of their managed parties
-- (F06, F07). One row per (transaction, official term); basis_key is one proving record.
CREATE VIEW managed_transactions AS
SELECT
    t.txn_id, t.time, CAST(t.time AS DATE) AS day, day_index(t.time) AS day_no, t.from_id,
    coalesce(t.from_name, mask_id(t.from_id)) AS from_name, t.amount, t.channel,
    o.person_id AS official_id, o.name AS official_name, o.org_name, o.position,
    min(m.record_key) AS basis_key, min(m.basis) AS basis
FROM transactions AS t
JOIN official_terms AS o
    ON o.person_id = t.to_id AND in_post(o.start_date, o.end_date, CAST(t.time AS DATE))
JOIN managed_parties AS m
    ON m.org_code = o.org_code AND m.party_id = t.from_id AND (o.is_leader OR NOT m.leaders_only)
WHERE t.from_id <> t.to_id
GROUP BY
    t.txn_id, t.time, t.from_id, t.from_name, t.amount, t.channel,
    o.person_id, o.name, o.org_name, o.position;

-- A cadre's declaration for a year (个人有关事项报告): all rows with that person_id and year,
-- dated by the latest declared_on of those rows, with the items counted by type; only cadres in
-- post on that day are checked (D01-D03). One row per (person_id, year). Materialised once per
-- scan (CREATE TABLE) when a chosen rule reads it, instead of once per rule.
CREATE TABLE checked_declarations AS
SELECT
    y.person_id, y.year, y.declared_on, y.houses, y.vehicles, y.businesses,
    min(o.name) AS name, min(o.record_key) AS term_key, min(o.org_name || coalesce(o.position, '')) AS post
FROM (
    SELECT
        person_id, year, max(declared_on) AS declared_on,
        count(CASE WHEN item_type = '房产' THEN 1 END) AS houses,
        count(CASE WHEN item_type = '车辆' THEN 1 END) AS vehicles,
        count(CASE WHEN item_type = '亲属经商办企业' THEN 1 END) AS businesses
    FROM declarations
    GROUP BY person_id, year
) AS y
JOIN official_terms AS o ON o.person_id = y.person_id AND in_post(o.start_date, o.end_date, y.declared_on)
GROUP BY y.person_id, y.year, y.declared_on, y.houses, y.vehicles, y.businesses;

-- OCDS (R rules, Cardinal's definitions). A process is in scope unless its tender is cancelled
-- (each rule also applies the exclusions.procurement_method_details setting).
CREATE VIEW ocds_scope AS
SELECT * FROM ocds_processes WHERE tender_status IS NULL OR tender_status <> 'cancelled';

-- Submitted bids: status pending, valid or disqualified (any text status but invited/withdrawn).
CREATE VIEW ocds_submitted_bids AS
SELECT * FROM ocds_bids WHERE status IS NOT NULL AND status NOT IN ('invited', 'withdrawn');

-- Processes whose awards are all final (Cardinal's get_complete_awards_and_bids_if_all_awards_final):
-- /awards and /bids/details are arrays and no award has a text status other than active,
-- cancelled or unsuccessful; with the number of active awards.
CREATE VIEW ocds_final_awards AS
SELECT
    p.ocid,
    count(CASE WHEN a.status = 'active' THEN 1 END) AS active_awards,
    count(CASE WHEN a.status NOT IN ('active', 'cancelled', 'unsuccessful') THEN 1 END) AS open_awards
FROM ocds_processes AS p
LEFT JOIN ocds_awards AS a ON a.ocid = p.ocid
WHERE p.has_awards AND p.has_bid_details
GROUP BY p.ocid;

-- A process with final awards, exactly one active award, made to exactly one supplier with an id,
-- and no bid submitted by several tenderers (R024, R025, R058 "Exclusions"): that supplier.
CREATE VIEW ocds_sole_winner AS
SELECT f.ocid, s.supplier_id
FROM ocds_final_awards AS f
JOIN ocds_awards AS a ON a.ocid = f.ocid AND a.status = 'active' AND a.supplier_count = 1
JOIN ocds_award_suppliers AS s ON s.ocid = a.ocid AND s.award_index = a.award_index AND s.supplier_index = 0
WHERE f.open_awards = 0 AND f.active_awards = 1 AND s.supplier_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM ocds_bids AS b WHERE b.ocid = f.ocid AND b.tenderer_count > 1);

-- Bids with exactly one tenderer, who has an id (R024, R025, R058).
CREATE VIEW ocds_single_tenderer_bids AS
SELECT b.ocid, b.bid_index, b.status, b.amount, b.currency, t.tenderer_id
FROM ocds_bids AS b
JOIN ocds_bid_tenderers AS t ON t.ocid = b.ocid AND t.bid_index = b.bid_index AND t.tenderer_index = 0
WHERE b.tenderer_count = 1 AND t.tenderer_id IS NOT NULL;

-- Cardinal's main currency when `currency` is not set: the first observed one, here the currency
-- of the first submitted bid with an amount, in file order (Cardinal's "first" depends on which
-- thread reads first; this one does not).
CREATE VIEW ocds_first_currency AS
SELECT b.currency
FROM ocds_submitted_bids AS b
JOIN ocds_scope AS p ON p.ocid = b.ocid
WHERE b.amount IS NOT NULL AND b.currency IS NOT NULL
ORDER BY p.line, b.bid_index
LIMIT 1;


-- The contract's own tenders (R018, R024, R028, R058 on contracts/bids): each tender_id of bids with
-- its numbers of distinct bidders and of winners, and the method (Cardinal's
-- procurementMethodDetails; cn_procurement_method gives procurementMethod), project name and a
-- record key of its contracts.
CREATE VIEW bid_tenders AS
SELECT
    t.tender_id, t.bidders, t.winners, k.method AS method_details,
    cn_procurement_method(k.method) AS procurement_method, k.project_name, k.contract_key
FROM (
    SELECT
        tender_id, count(DISTINCT bidder_uscc) AS bidders,
        count(DISTINCT CASE WHEN won THEN bidder_uscc END) AS winners
    FROM bids
    GROUP BY tender_id
) AS t
LEFT JOIN (
    SELECT tender_id, min(method) AS method, min(project_name) AS project_name, min(contracts_key(contract_id)) AS contract_key
    FROM contracts
    WHERE tender_id IS NOT NULL
    GROUP BY tender_id
) AS k ON k.tender_id = t.tender_id;

-- The price comparison of R024 and R058, built once per scan (CREATE TABLE: the engine
-- materialises it when a chosen rule reads it). In each process with one winner, the winner's
-- lowest valid bid W and the lowest valid bid L of any other tenderer, in the same currency, give
-- the difference (L - W) / W when L >= W and W <> 0. Source 'ocds': a process of ocds_scope with
-- ocds_sole_winner, single-tenderer bids with status valid; source 'bids': a tender of the
-- contract's bids with exactly one bidder won, prices in yuan (currency NULL). Each rule keeps the
-- pairs its settings allow (method details, main currency) and computes its fence per source.
CREATE TABLE price_pairs AS
WITH priced AS (
    SELECT
        b.ocid, b.currency, b.amount, b.tenderer_id, b.tenderer_id = w.supplier_id AS is_winner,
        row_number() OVER (
            PARTITION BY b.ocid, b.currency, b.tenderer_id = w.supplier_id ORDER BY b.amount, b.bid_index
        ) AS place
    FROM ocds_single_tenderer_bids AS b
    JOIN ocds_sole_winner AS w ON w.ocid = b.ocid
    WHERE b.status = 'valid' AND b.amount IS NOT NULL AND b.currency IS NOT NULL
),
native AS (
    SELECT
        b.tender_id, b.bidder_uscc, CAST(b.price AS DOUBLE) AS amount, coalesce(b.won, false) AS is_winner,
        row_number() OVER (PARTITION BY b.tender_id, coalesce(b.won, false) ORDER BY b.price, b.bidder_uscc) AS place
    FROM bids AS b
    JOIN bid_tenders AS t ON t.tender_id = b.tender_id
    WHERE t.winners = 1 AND b.price IS NOT NULL
)
SELECT
    'ocds' AS source, w.ocid AS process_id, p.procurement_method_details AS method_details, w.currency,
    w.tenderer_id AS winner_id, o.tenderer_id AS other_id, (o.amount - w.amount) / w.amount AS difference
FROM priced AS w
JOIN priced AS o ON o.ocid = w.ocid AND o.currency = w.currency AND NOT o.is_winner AND o.place = 1
JOIN ocds_scope AS p ON p.ocid = w.ocid
WHERE w.is_winner AND w.place = 1 AND o.amount >= w.amount AND w.amount <> 0
UNION ALL
SELECT
    'bids', w.tender_id, t.method_details, CAST(NULL AS VARCHAR),
    w.bidder_uscc, o.bidder_uscc, (o.amount - w.amount) / w.amount
FROM native AS w
JOIN native AS o ON o.tender_id = w.tender_id AND NOT o.is_winner AND o.place = 1
JOIN bid_tenders AS t ON t.tender_id = w.tender_id
WHERE w.is_winner AND o.amount >= w.amount AND w.amount <> 0;

-- What a procurement hit names: a process's title and a tenderer's name in it, by source
-- ('ocds': ocid and tenderer id; 'bids': tender_id and bidder uscc, named by companies).
CREATE VIEW procurement_titles AS
SELECT 'ocds' AS source, ocid AS process_id, title FROM ocds_processes
UNION ALL
SELECT 'bids', tender_id, project_name FROM bid_tenders;

CREATE VIEW procurement_tenderers AS
SELECT 'ocds' AS source, ocid AS process_id, tenderer_id, min(tenderer_name) AS tenderer_name
FROM ocds_bid_tenderers
WHERE tenderer_id IS NOT NULL
GROUP BY ocid, tenderer_id
UNION ALL
SELECT 'bids', b.tender_id, b.bidder_uscc, min(c.name)
FROM bids AS b
LEFT JOIN companies AS c ON c.uscc = b.bidder_uscc
GROUP BY b.tender_id, b.bidder_uscc;
