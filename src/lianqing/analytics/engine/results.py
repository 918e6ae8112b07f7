"""From a rule's evidence rows to hits: grouping, formatting and writing, in one place.

Whatever engine ran the rule, its evidence rows are grouped here by a local DuckDB and
formatted here by Python, so hits.csv is byte-identical between engines.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from lianqing.analytics.engine.library import SEVERITIES, VALUE_COLUMN, Rule
from lianqing.analytics.errors import AnalyticsError, Term

HIT_COLUMNS: tuple[str, ...] = (
    "rule_id",
    "rule_name",
    "severity",
    "subject_id",
    "subject_name",
    "amount",
    "record_ids",
    "explanation",
    "value",  # the indicator's measured value where a rule defines one (the R rules); else empty
)
MAX_DETAILS = 3

# One row per subject. Amount counts each record once (the same benefit may be proven by
# several records); keys are the offending and the proving records, sorted.
_GROUP_SQL = """
WITH records AS (
    SELECT subject_id, record_id, max(amount) AS amount
    FROM evidence
    WHERE record_id IS NOT NULL
    GROUP BY subject_id, record_id
),
money AS (
    SELECT subject_id, sum(amount) AS amount, count(*) AS records
    FROM records
    GROUP BY subject_id
),
keys AS (
    SELECT subject_id, list(DISTINCT key ORDER BY key) AS keys
    FROM (
        SELECT subject_id, record_id AS key FROM evidence
        UNION ALL
        SELECT subject_id, evidence_id FROM evidence
    )
    WHERE key IS NOT NULL
    GROUP BY subject_id
)
SELECT
    e.subject_id,
    min(e.subject_name) FILTER (WHERE e.subject_name <> '') AS subject_name,
    min(CASE e.severity WHEN '高' THEN 0 WHEN '中' THEN 1 WHEN '低' THEN 2 END) AS severity_rank,
    min(e.day) AS first_day,
    max(e.day) AS last_day,
    list(DISTINCT e.detail ORDER BY e.detail) FILTER (WHERE e.detail IS NOT NULL AND e.detail <> '') AS details,
    any_value(m.amount) AS amount,
    coalesce(any_value(m.records), 0) AS records,
    any_value(k.keys) AS keys
FROM evidence AS e
LEFT JOIN money AS m ON m.subject_id = e.subject_id
LEFT JOIN keys AS k ON k.subject_id = e.subject_id
WHERE e.subject_id IS NOT NULL
GROUP BY e.subject_id
"""


@dataclass(frozen=True)
class Hit:
    rule_id: str
    rule_name: str
    severity: str
    subject_id: str
    subject_name: str
    amount: Decimal | None
    record_ids: str
    explanation: str
    value: str = ""  # the indicator's value (the R rules, as Cardinal writes it); else empty

    def csv_row(self) -> list[str]:
        amount = "" if self.amount is None else f"{self.amount:.2f}"
        return [
            self.rule_id,
            self.rule_name,
            self.severity,
            self.subject_id,
            self.subject_name,
            amount,
            self.record_ids,
            self.explanation,
            self.value,
        ]


def mask_id(identifier: str) -> str:
    """Keep the first and last four characters of a long identifier (as the SQL macro mask_id)."""
    return f"{identifier[:4]}…{identifier[-4:]}" if len(identifier) > 8 else identifier


def mask_subject(subject_id: str) -> str:
    """A private subject with its id masked; a compound one (person_id/year) keeps its tail."""
    head, slash, tail = subject_id.partition("/")
    return mask_id(head) + slash + tail


def _month(day: dt.date) -> str:
    return f"{day.year}年{day.month}月"


def _day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def describe_when(style: str, first: dt.date | None, last: dt.date | None) -> str:
    if style == "none" or first is None or last is None:
        return ""
    show = _month if style == "month" else _day
    return show(first) if show(first) == show(last) else f"{show(first)}至{show(last)}"


def describe_who(rule: Rule, subject_id: str, subject_name: str, *, private: bool | None = None) -> str:
    """The subject as explanations name it; `private` is rule.subject_is_private, given once by a
    caller that describes many subjects of the same rule."""
    if private is None:
        private = rule.subject_is_private
    shown = mask_subject(subject_id) if private else subject_id
    if subject_name and subject_name != subject_id:
        return f"{subject_name}({shown})"
    return shown


def describe_details(details: list[str]) -> str:
    if len(details) <= MAX_DETAILS:
        return "；".join(details)
    return "；".join(details[:MAX_DETAILS]) + f"等{len(details)}项情形"


_GROUPING_DATABASES: dict[int, duckdb.DuckDBPyConnection] = {}


def _grouping_database() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB kept for grouping, one per process (never shared across a fork).

    Opening a database costs ~50 ms, once per rule; a cursor on a kept one costs ~1 ms and
    has its own registrations, so concurrent scans in threads do not see each other's rows.
    """
    pid = os.getpid()
    if pid not in _GROUPING_DATABASES:
        _GROUPING_DATABASES[pid] = duckdb.connect()
    return _GROUPING_DATABASES[pid]


def format_value(value: float | None) -> str:
    """An indicator's value as Cardinal's JSON writes an f64: shortest round trip, `1.0` not `1`."""
    return "" if value is None else repr(float(value))


def group_hits(rule: Rule, evidence: pa.Table) -> list[Hit]:
    """One hit per subject of `rule`, sorted by subject_id."""
    if evidence.num_rows == 0:
        return []
    values: dict[str, str] = {}
    with _grouping_database().cursor() as connection:
        connection.register("evidence", evidence)
        rows = connection.execute(_GROUP_SQL).fetchall()
        if VALUE_COLUMN in evidence.column_names:
            values = {
                subject: format_value(value)
                for subject, value in connection.execute(
                    f"SELECT subject_id, max({VALUE_COLUMN}) FROM evidence GROUP BY subject_id"
                ).fetchall()
            }
    hits = []
    private = rule.subject_is_private  # the same for every subject: worked out once
    for subject_id, name, severity_rank, first, last, details, amount, records, keys in rows:
        subject_name = name or ""
        severity = SEVERITIES[severity_rank] if severity_rank is not None else rule.severity
        amount_value = Decimal(amount).quantize(Decimal("0.01")) if amount is not None else None
        explanation = rule.explanation.format(
            who=describe_who(rule, subject_id, subject_name, private=private),
            name=subject_name,
            id=mask_subject(subject_id) if private else subject_id,
            detail=describe_details(list(details or [])),
            when=describe_when(rule.when, first, last),
            count=records,
            amount=f"{amount_value or Decimal('0.00'):,.2f}元",
            value=values.get(subject_id, ""),
        )
        hits.append(
            Hit(
                rule_id=rule.id,
                rule_name=rule.name,
                severity=severity,
                subject_id=subject_id,
                subject_name=subject_name,
                amount=amount_value,
                record_ids=";".join(keys or []),
                explanation=explanation,
                value=values.get(subject_id, ""),
            )
        )
    hits.sort(key=lambda hit: hit.subject_id)
    return hits


def hits_table(hits: list[Hit]) -> pa.Table:
    columns: dict[str, list[Any]] = {name: [] for name in HIT_COLUMNS}
    for hit in hits:
        for name, value in asdict(hit).items():
            columns[name].append(value)
    schema = pa.schema(
        [(name, pa.decimal128(38, 2) if name == "amount" else pa.string()) for name in HIT_COLUMNS]
    )
    return pa.table(columns, schema=schema)


def write_hits_csv(path: Path, hits: list[Hit]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HIT_COLUMNS)
        writer.writerows(hit.csv_row() for hit in sorted(hits, key=lambda hit: (hit.rule_id, hit.subject_id)))


def write_summary(path: Path, summary: dict[str, Any]) -> None:
    path.write_text(json.dumps(summary, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")


# Result files a scan writes; a folder holding only these is an earlier result and may be replaced.
# What a scan writes (`_incremental` is the state a later scan `since` this one reads).
RESULT_FILES = frozenset({"hits.csv", "summary.json", "_incremental"})
_OS_REASONS = {
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "磁盘配额已满",
    errno.EACCES: "没有写权限",
    errno.EROFS: "只读文件系统",
}


def _reason(error: OSError) -> Term:
    return Term(_OS_REASONS.get(error.errno or 0, "无法写入"))


class ResultFolder:
    """A scan's result folder, complete or absent.

    Everything (hits.csv, summary.json, DuckDB's spill under `_spill`) goes into a hidden sibling
    `.NAME.partial-PID`, renamed to NAME once complete; on any failure the sibling is removed, so
    a half-written result is never mistaken for a whole one. An earlier result in NAME is replaced.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.partial = out.parent / f".{out.name}.partial-{os.getpid()}"
        if out.exists() and (not out.is_dir() or {path.name for path in out.iterdir()} - RESULT_FILES):
            raise AnalyticsError(
                "结果文件夹 %(folder)s 已存在且含有其他文件，请指定新的文件夹", folder=str(out)
            )
        try:
            shutil.rmtree(self.partial, ignore_errors=True)
            self.partial.mkdir(parents=True)
        except OSError as error:
            raise AnalyticsError(
                "无法创建结果文件夹 %(folder)s：%(reason)s", folder=str(out), reason=_reason(error)
            ) from None

    @property
    def spill(self) -> Path:
        return self.partial / "_spill"

    def commit(
        self, hits: list[Hit], summary: dict[str, Any], also: Callable[[Path], None] | None = None
    ) -> None:
        """Write the result, and whatever `also` writes into the hidden folder, then rename it."""
        try:
            write_hits_csv(self.partial / "hits.csv", hits)
            write_summary(self.partial / "summary.json", summary)
            if also is not None:
                also(self.partial)
            shutil.rmtree(self.spill, ignore_errors=True)
            if self.out.exists():  # an earlier result: out of the way first, removed after
                earlier = self.out.parent / f".{self.out.name}.earlier-{os.getpid()}"
                self.out.rename(earlier)
                self.partial.rename(self.out)
                shutil.rmtree(earlier, ignore_errors=True)
            else:
                self.partial.rename(self.out)
        except OSError as error:
            self.discard()
            raise AnalyticsError(
                "无法写入结果文件夹 %(folder)s：%(reason)s", folder=str(self.out), reason=_reason(error)
            ) from None
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        shutil.rmtree(self.partial, ignore_errors=True)
