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
-- GB 11643 validity (B10) in integer arithmetic on the 17-digit body read once as a number:
-- a rule computes person_id_body(s) once per id in a subquery and passes it to
-- is_valid_person_id(s, body). Casting 17 one-digit substrings cost twice as much (measured:
-- 1.9 -> 0.9 CPU-s for 3M ids), and repeating the body's cast inside these macros would undo it.
CREATE MACRO person_id_body(s) AS CASE WHEN is_person_id_shape(s) THEN CAST(substr(s, 1, 17) AS BIGINT) END;
-- 31 and 30 days alternate from January, and again from August (m // 8).
CREATE MACRO days_in_month(y, m) AS CASE WHEN m = 2 THEN CASE WHEN (y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0 THEN 29 ELSE 28 END ELSE 30 + (m + m // 8) % 2 END;
-- A real birth date (digits 7-14, YYYYMMDD) as Python's datetime takes it: year 1-9999.
CREATE MACRO person_id_birth_ok(body) AS (body // 10000000) % 10000 >= 1 AND (body // 100000) % 100 BETWEEN 1 AND 12 AND (body // 1000) % 100 BETWEEN 1 AND days_in_month((body // 10000000) % 10000, (body // 100000) % 100);
-- The check character: S = sum of digit_p * 2^(18-p) mod 11, then '10X98765432'[S]. With n the
-- body and e_k its digit of 10^k, floor(n / 10^k) = sum_(j>=k) e_j * 10^(j-k) = sum_(j>=k) e_j * (-1)^(j-k) (mod 11),
-- so S = sum_k c_k * floor(n / 10^k) (mod 11) with c_0 = 2, c_k = 3 * 2^k mod 11: no digit is
-- extracted, and the sum stays below 3e17 (BIGINT).
CREATE MACRO person_id_check_char(body) AS substr('10X98765432', CAST((2 * body + 6 * (body // 10) + (body // 100) + 2 * (body // 1000) + 4 * (body // 10000) + 8 * (body // 100000) + 5 * (body // 1000000) + 10 * (body // 10000000) + 9 * (body // 100000000) + 7 * (body // 1000000000) + 3 * (body // 10000000000) + 6 * (body // 100000000000) + (body // 1000000000000) + 2 * (body // 10000000000000) + 4 * (body // 100000000000000) + 8 * (body // 1000000000000000) + 5 * (body // 10000000000000000)) % 11 AS INTEGER) + 1, 1);
CREATE MACRO is_valid_person_id(s, body) AS coalesce(person_id_birth_ok(body) AND person_id_check_char(body) = substr(s, 18, 1), false);
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
