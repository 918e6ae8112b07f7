-- Shared scalar helpers (RULES.md "Shared definitions"), one per line:
-- `CREATE MACRO name(args) AS expression;`
-- DuckDB creates them as macros; the Spark backend inlines them into each rule before transpiling.
-- Dates are compared as day numbers so that no engine-specific date arithmetic reaches a rule.
CREATE MACRO period_start(p) AS CAST(p || '-01' AS DATE);
CREATE MACRO month_index(d) AS year(d) * 12 + month(d) - 1;
CREATE MACRO day_index(d) AS date_diff('day', DATE '1970-01-01', CAST(d AS DATE));
CREATE MACRO second_index(t) AS date_diff('day', DATE '1970-01-01', CAST(t AS DATE)) * 86400 + hour(t) * 3600 + minute(t) * 60 + second(t);
CREATE MACRO is_subsistence(program) AS program IN ('低保', '特困供养');
CREATE MACRO in_post(start_date, end_date, d) AS (start_date <= d AND (end_date IS NULL OR d <= end_date));
CREATE MACRO mask_id(s) AS CASE WHEN length(s) > 8 THEN left(s, 4) || '…' || right(s, 4) ELSE s END;
CREATE MACRO is_person_id_shape(s) AS coalesce(regexp_matches(s, '^[0-9]{17}[0-9X]$'), false);
CREATE MACRO person_id_birth_date(s) AS TRY_CAST(substr(s, 7, 4) || '-' || substr(s, 11, 2) || '-' || substr(s, 13, 2) AS DATE);
CREATE MACRO person_id_check_char(s) AS substr('10X98765432', CAST((CAST(substr(s, 1, 1) AS INTEGER) * 7 + CAST(substr(s, 2, 1) AS INTEGER) * 9 + CAST(substr(s, 3, 1) AS INTEGER) * 10 + CAST(substr(s, 4, 1) AS INTEGER) * 5 + CAST(substr(s, 5, 1) AS INTEGER) * 8 + CAST(substr(s, 6, 1) AS INTEGER) * 4 + CAST(substr(s, 7, 1) AS INTEGER) * 2 + CAST(substr(s, 8, 1) AS INTEGER) * 1 + CAST(substr(s, 9, 1) AS INTEGER) * 6 + CAST(substr(s, 10, 1) AS INTEGER) * 3 + CAST(substr(s, 11, 1) AS INTEGER) * 7 + CAST(substr(s, 12, 1) AS INTEGER) * 9 + CAST(substr(s, 13, 1) AS INTEGER) * 10 + CAST(substr(s, 14, 1) AS INTEGER) * 5 + CAST(substr(s, 15, 1) AS INTEGER) * 8 + CAST(substr(s, 16, 1) AS INTEGER) * 4 + CAST(substr(s, 17, 1) AS INTEGER) * 2) % 11 AS INTEGER) + 1, 1);
CREATE MACRO is_valid_person_id(s) AS CASE WHEN is_person_id_shape(s) THEN person_id_birth_date(s) IS NOT NULL AND person_id_check_char(s) = substr(s, 18, 1) ELSE false END;
-- Cardinal's settings (R rules): a list is written `a|b|c`, a map `key:value|key:value`.
CREATE MACRO in_pipe_list(x, items) AS coalesce(strpos('|' || items || '|', '|' || x || '|') > 0, false);
CREATE MACRO pipe_map_integer(items, x) AS TRY_CAST(split_part(split_part('|' || items, '|' || x || ':', 2), '|', 1) AS BIGINT);
-- Cardinal's global filters: the [exclusions] deny list of procurementMethodDetails (a process
-- without details passes), and the price-comparison allow list (when set, details must be in it)
-- else deny list (details set and in it excludes).
CREATE MACRO ocds_not_excluded(details, excluded) AS (details IS NULL OR NOT in_pipe_list(details, excluded));
CREATE MACRO ocds_price_comparable(details, allowed, denied) AS CASE WHEN allowed <> '' THEN details IS NOT NULL AND in_pipe_list(details, allowed) ELSE details IS NULL OR NOT in_pipe_list(details, denied) END;
-- An R rule's subject: Cardinal's group and the id (ocid:…, buyer:…, procuring_entity:…, tenderer:…).
CREATE MACRO ocds_subject(grp, id) AS grp || ':' || id;
-- The contract's 采购方式 (contracts.method) as Cardinal's procurementMethod code; the Chinese method itself plays procurementMethodDetails (R rules on contracts/bids).
CREATE MACRO cn_procurement_method(m) AS CASE WHEN m = '公开招标' THEN 'open' WHEN m = '邀请招标' THEN 'selective' WHEN m IN ('竞争性磋商', '竞争性谈判', '询价') THEN 'limited' WHEN m = '单一来源' THEN 'direct' END;
