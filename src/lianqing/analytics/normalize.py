"""Value normalisation as DuckDB SQL: messy export text in, contract types out.

Every expression takes a raw VARCHAR column and runs vectorised inside DuckDB, so an import
does no Python work per row. Understood forms:
- dates: 2023-05-01, 2023/5/1, 2023.5.1, 2023年5月1日, 20230501, Excel serial numbers, and a
  date-time whose date part is one of those;
- times: the date forms followed by H:M or H:M:S, and Excel serials with a fraction;
- periods: 2023-05, 2023/5, 2023年5月, 202305, or any date;
- amounts: "1,234.50元", "¥1234.5", "RMB 12", "-30.00" (refunds);
- quantities (亩, 升): "12.5亩", "1,200 升", "45.30L", up to four decimals;
- booleans: 是/否, 1/0, Y/N, true/false, √/×;
- 身份证号: full-width digits, lower-case x, spaces and dashes; 15-digit numbers upgraded to 18.
"""

from __future__ import annotations

from dataclasses import dataclass

from lianqing.analytics.contract import Column, ColumnType, IdKind

_FULL_WIDTH = "０１２３４５６７８９ＸｘＡＢＣＤＥＦＧＨＪＫＬＭＮＰＱＲＴＵＷＹ．－／：，　"
_HALF_WIDTH = "0123456789XxABCDEFGHJKLMNPQRTUWY.-/:, "
_RIC_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]

# (column type) -> the reason for a value that cannot be read (Chinese; the web pages translate it)
_REASONS: dict[ColumnType, str] = {
    ColumnType.DATE: "无法识别的日期",
    ColumnType.TIMESTAMP: "无法识别的时间",
    ColumnType.PERIOD: "无法识别的月份",
    ColumnType.AMOUNT: "无法识别的金额",
    ColumnType.INTEGER: "无法识别的整数",
    ColumnType.FLOAT: "无法识别的数值",
    ColumnType.QUANTITY: "无法识别的数量",
    ColumnType.BOOLEAN: "无法识别的是/否",
}
EMPTY_REASON = "必填值为空"
WRONG_FIELDS_REASON = "列数与表头不符"
# Every reason a rejected row can carry: the web pages translate exactly these.
REASONS = frozenset({*_REASONS.values(), EMPTY_REASON, WRONG_FIELDS_REASON})

_TRUE = ("1", "1.0", "是", "Y", "YES", "TRUE", "T", "√", "有")
_FALSE = ("0", "0.0", "否", "N", "NO", "FALSE", "F", "×", "无")


@dataclass(frozen=True)
class ColumnSql:
    """SQL for one column: its normalised value and, when it cannot be taken, the reason."""

    value: str
    reason: str


def _text(raw: str) -> str:
    """Trimmed half-width text, NULL when empty."""
    return f"nullif(trim(translate({raw}, '{_FULL_WIDTH}', '{_HALF_WIDTH}')), '')"


def _serial_date(s: str) -> str:
    return f"(DATE '1899-12-30' + CAST(floor(CAST({s} AS DOUBLE)) AS INTEGER))"


def date_sql(raw: str) -> str:
    s = _text(raw)
    head = f"split_part(replace({s}, 'T', ' '), ' ', 1)"
    dashed = f"replace(regexp_replace({head}, '[年月/.]', '-', 'g'), '日', '')"
    return (
        f"CASE WHEN regexp_full_match({s}, '\\d{{8}}') THEN CAST(try_strptime({s}, '%Y%m%d') AS DATE)"
        f" WHEN regexp_full_match({s}, '\\d{{4,5}}(\\.\\d+)?') THEN {_serial_date(s)}"
        f" WHEN regexp_full_match({dashed}, '\\d{{4}}-\\d{{1,2}}-\\d{{1,2}}')"
        f" THEN CAST(try_strptime({dashed}, '%Y-%m-%d') AS DATE) END"
    )


def timestamp_sql(raw: str) -> str:
    s = _text(raw)
    dashed = (
        f"regexp_replace(trim(regexp_replace(replace(regexp_replace(replace({s}, 'T', ' '), '[年月/]', '-', 'g'),"
        f" '日', ' '), '\\s+', ' ', 'g')), '\\.\\d+$', '')"
    )
    serial = (
        f"(TIMESTAMP '1899-12-30' + to_microseconds(CAST(round(CAST({s} AS DOUBLE) * 86400) AS BIGINT)"
        " * 1000000))"
    )
    return (
        f"CASE WHEN regexp_full_match({s}, '\\d{{4,5}}(\\.\\d+)?') THEN {serial}"
        f" WHEN regexp_full_match({s}, '\\d{{14}}') THEN try_strptime({s}, '%Y%m%d%H%M%S')"
        f" WHEN regexp_full_match({s}, '\\d{{8}}') THEN try_strptime({s}, '%Y%m%d')"
        f" ELSE coalesce(try_strptime({dashed}, '%Y-%m-%d %H:%M:%S'), try_strptime({dashed}, '%Y-%m-%d %H:%M'),"
        f" try_strptime({dashed}, '%Y-%m-%d')) END"
    )


def period_sql(raw: str) -> str:
    s = _text(raw)
    dashed = f"replace(regexp_replace({s}, '[年/.]', '-', 'g'), '月', '')"
    return (
        f"CASE WHEN regexp_full_match({s}, '\\d{{6}}') THEN left({s}, 4) || '-' || right({s}, 2)"
        f" WHEN regexp_full_match({dashed}, '\\d{{4}}-\\d{{1,2}}')"
        f" THEN strftime(try_strptime({dashed} || '-1', '%Y-%m-%d'), '%Y-%m')"
        f" ELSE strftime({date_sql(raw)}, '%Y-%m') END"
    )


def amount_sql(raw: str) -> str:
    cleaned = f"regexp_replace({_text(raw)}, '[,\\s元¥￥]|RMB|CNY|人民币', '', 'g')"
    return f"try_cast({cleaned} AS DECIMAL(18,2))"


def quantity_sql(raw: str) -> str:
    """An area or a volume: "12.5亩", "1,200 升", "45.30L"; more than four decimals is not taken."""
    cleaned = f"regexp_replace({_text(raw)}, '[,\\s亩升]|[lL]$', '', 'g')"
    return (
        f"CASE WHEN regexp_full_match({cleaned}, '-?\\d{{1,14}}(\\.\\d{{1,4}})?')"
        f" THEN try_cast({cleaned} AS DECIMAL(18,4)) END"
    )


def boolean_sql(raw: str) -> str:
    s = f"upper({_text(raw)})"
    trues = ", ".join(f"'{v}'" for v in _TRUE)
    falses = ", ".join(f"'{v}'" for v in _FALSE)
    return f"CASE WHEN {s} IN ({trues}) THEN true WHEN {s} IN ({falses}) THEN false END"


def integer_sql(raw: str) -> str:
    number = f"try_cast(regexp_replace({_text(raw)}, '[,\\s人个]', '', 'g') AS DOUBLE)"
    return f"CASE WHEN {number} = floor({number}) THEN CAST({number} AS BIGINT) END"


def float_sql(raw: str) -> str:
    s = f"regexp_replace({_text(raw)}, '[,\\s]', '', 'g')"
    return (
        f"CASE WHEN ends_with({s}, '%') THEN try_cast(rtrim({s}, '%') AS DOUBLE) / 100"
        f" ELSE try_cast({s} AS DOUBLE) END"
    )


def person_id_sql(raw: str) -> str:
    """Upper-case, no spaces; a 15-digit number gets 19 and its check digit."""
    s = f"upper(regexp_replace({_text(raw)}, '[\\s-]', '', 'g'))"
    body = f"(left({s}, 6) || '19' || right({s}, 9))"
    total = " + ".join(
        f"CAST(substr({body}, {i + 1}, 1) AS INTEGER) * {w}" for i, w in enumerate(_RIC_WEIGHTS)
    )
    upgraded = f"{body} || substr('10X98765432', (({total}) % 11) + 1, 1)"
    return f"CASE WHEN regexp_full_match({s}, '\\d{{15}}') THEN {upgraded} ELSE {s} END"


def code_sql(raw: str) -> str:
    return f"upper(regexp_replace({_text(raw)}, '\\s', '', 'g'))"


# Clean values take a cheap path (one regular-expression match and a cast); only the others go
# through the full clean-up, so a tidy 10 GB export costs little more than reading it.
_FAST: dict[ColumnType, tuple[str, str]] = {
    ColumnType.DATE: ("\\d{4}-\\d{2}-\\d{2}", "try_cast({x} AS DATE)"),
    ColumnType.TIMESTAMP: ("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}", "try_cast({x} AS TIMESTAMP)"),
    ColumnType.PERIOD: ("\\d{4}-(0[1-9]|1[0-2])", "{x}"),
    ColumnType.AMOUNT: ("-?\\d{1,15}(\\.\\d{1,2})?", "try_cast({x} AS DECIMAL(18,2))"),
    ColumnType.INTEGER: ("-?\\d{1,18}", "try_cast({x} AS BIGINT)"),
    ColumnType.FLOAT: ("-?\\d{1,15}(\\.\\d+)?", "try_cast({x} AS DOUBLE)"),
    ColumnType.QUANTITY: ("-?\\d{1,14}(\\.\\d{1,4})?", "try_cast({x} AS DECIMAL(18,4))"),
    ColumnType.BOOLEAN: ("true|false|1|0", "{x} IN ('true', '1')"),
}


def _fast(raw: str, pattern: str, value: str, slow: str) -> str:
    return f"CASE WHEN regexp_full_match({raw}, '{pattern}') THEN {value.format(x=raw)} ELSE {slow} END"


def column_sql(column: Column, raw: str, *, is_key: bool = False) -> ColumnSql:
    """The normalised value of `raw` for `column`, and the reason (NULL when fine) it cannot be taken."""
    if column.type is ColumnType.STRING:
        if column.id_kind in (IdKind.PERSON, IdKind.PERSON_OR_USCC):
            value = _fast(raw, "[0-9]{17}[0-9X]|[0-9A-HJ-NPQRTUWXY]{18}", "{x}", person_id_sql(raw))
        elif column.id_kind in (IdKind.USCC, IdKind.REGION):
            value = _fast(raw, "[0-9A-Z]+", "{x}", code_sql(raw))
        else:
            value = f"nullif(trim({raw}), '')"
        return ColumnSql(value, reason_sql(column, raw, value, is_key=is_key))
    value = {
        ColumnType.DATE: date_sql,
        ColumnType.TIMESTAMP: timestamp_sql,
        ColumnType.PERIOD: period_sql,
        ColumnType.AMOUNT: amount_sql,
        ColumnType.INTEGER: integer_sql,
        ColumnType.FLOAT: float_sql,
        ColumnType.QUANTITY: quantity_sql,
        ColumnType.BOOLEAN: boolean_sql,
    }[column.type](raw)
    pattern, fast_value = _FAST[column.type]
    value = _fast(raw, pattern, fast_value, value)
    return ColumnSql(value, reason_sql(column, raw, value, is_key=is_key))


def reason_sql(column: Column, raw: str, value: str, *, is_key: bool = False) -> str:
    """Why a row cannot be taken for this column (NULL when it can); `value` may name a computed column."""
    if column.type is ColumnType.STRING:
        return f"CASE WHEN ({value}) IS NULL THEN '{EMPTY_REASON}' END" if is_key else "NULL"
    empty = f"({raw} IS NULL OR trim({raw}) = '')"
    # the contract lets values be empty; only a record's key must be there
    empty_reason = f"'{EMPTY_REASON}'" if is_key else "NULL"
    return f"CASE WHEN {empty} THEN {empty_reason} WHEN ({value}) IS NULL THEN '{_REASONS[column.type]}' END"
