"""Tallies of cases for the statistics page, changed in the same transaction as the case.

Four tables: a case counts once in each breakdown of the local month (CaseMonthTally) and of the
local day (CaseDayTally) it was received in, and, while it is open, once among the open cases of
its status (CaseStatusTally) and of its status and deadline (CaseStockTally). The services call `tally_change(before, after)` with the
tallied fields of a case before and after a write; the difference goes into each table with one
upsert, so the tallies are exact and never lag. `tally_rebuild` recounts a table from the cases
(data migrations, the management command, the benchmark loader).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from .models import NO_DEADLINE, OPEN_STATUSES, Kind, TallyDimension

TALLIED_FIELDS = (
    "received_at", "org_id", "confidentiality", "higher_level", "source", "category", "region_code", "kind",
    "disposal", "form_level", "concluded_at", "status", "deadline",
)  # fmt: skip
AMOUNT_COLUMNS = ("cases", "concluded", "handling_microseconds")


@dataclass(frozen=True)
class Table:
    model: str  # the model's name in this app (historical models in migrations have the same)
    key: tuple[str, ...]
    amounts: tuple[str, ...]


MONTH = Table("CaseMonthTally", ("dimension", "month", "org_id", "confidentiality", "higher_level", "value"), AMOUNT_COLUMNS)  # fmt: skip
DAY = Table("CaseDayTally", ("dimension", "day", "org_id", "confidentiality", "higher_level", "value"), AMOUNT_COLUMNS)  # fmt: skip
STATUS = Table("CaseStatusTally", ("status", "org_id", "confidentiality", "higher_level"), ("cases", "with_deadline"))  # fmt: skip
STOCK = Table(
    "CaseStockTally", ("status", "org_id", "confidentiality", "higher_level", "deadline"), ("cases",)
)
TABLES = {table.model: table for table in (MONTH, DAY, STATUS, STOCK)}  # also the order rows are locked in

Key = tuple[Any, ...]
Amounts = tuple[int, ...]
# A table's changes: key -> amounts (each a signed sum of contributions).
Totals = dict[Table, dict[Key, list[int]]]


def tally_month(received_at: dt.datetime) -> dt.date:
    return tally_day(received_at).replace(day=1)


def tally_day(received_at: dt.datetime) -> dt.date:
    return received_at.astimezone(timezone.get_default_timezone()).date()


def tally_row(case: Any) -> dict[str, Any]:
    """The tallied fields of a case (a model instance); take it before and after a write."""
    return {name: getattr(case, name) for name in TALLIED_FIELDS}


def _microseconds(duration: dt.timedelta) -> int:
    return (duration.days * 86400 + duration.seconds) * 1_000_000 + duration.microseconds


def period_contributions(row: Mapping[str, Any], bucket: dt.date) -> dict[Key, Amounts]:
    """What one case adds to the tallies of the period (month or day) `bucket` starts."""
    scope = (bucket, row["org_id"], row["confidentiality"], row["higher_level"] or "")
    concluded_at = row["concluded_at"]
    handling = _microseconds(concluded_at - row["received_at"]) if concluded_at is not None else 0
    one: Amounts = (1, 0, 0)
    result: dict[Key, Amounts] = {
        (TallyDimension.TOTAL.value, *scope, ""): (1, int(concluded_at is not None), handling),
        (TallyDimension.SOURCE.value, *scope, row["source"]): one,
        (TallyDimension.CATEGORY.value, *scope, row["category"]): one,
        (TallyDimension.REGION.value, *scope, row["region_code"]): one,
    }
    if row["kind"] == Kind.LEAD:
        result[(TallyDimension.DISPOSAL.value, *scope, row["disposal"])] = one
    elif row["disposal"]:  # a petition concluded with a disposal (办结): counted, but not as a lead
        result[(TallyDimension.DISPOSAL.value, *scope, f"{row['kind']}:{row['disposal']}")] = one
    if row["form_level"] is not None:
        result[(TallyDimension.FORM.value, *scope, str(row["form_level"]))] = one
    return result


def stock_contributions(row: Mapping[str, Any]) -> dict[Key, Amounts]:
    """What one case adds to the stock: one open case of its status and deadline, or nothing."""
    if row["status"] not in OPEN_STATUSES:
        return {}
    key = (row["status"], row["org_id"], row["confidentiality"], row["higher_level"] or "")
    return {(*key, row["deadline"] or NO_DEADLINE): (1,)}


def status_contributions(row: Mapping[str, Any]) -> dict[Key, Amounts]:
    """What one case adds to the open cases of its status: one, with a deadline or not."""
    if row["status"] not in OPEN_STATUSES:
        return {}
    key = (row["status"], row["org_id"], row["confidentiality"], row["higher_level"] or "")
    return {key: (1, int(row["deadline"] is not None))}


def contributions(table: Table, row: Mapping[str, Any]) -> dict[Key, Amounts]:
    if table is MONTH:
        return period_contributions(row, tally_month(row["received_at"]))
    if table is DAY:
        return period_contributions(row, tally_day(row["received_at"]))
    if table is STATUS:
        return status_contributions(row)
    return stock_contributions(row)


def _add(totals: Totals, tables: Iterable[Table], row: Mapping[str, Any], sign: int) -> None:
    for table in tables:
        into = totals.setdefault(table, {})
        for key, amounts in contributions(table, row).items():
            total = into.setdefault(key, [0] * len(table.amounts))
            for index, amount in enumerate(amounts):
                total[index] += sign * amount


def tally_change(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> None:
    """Move a case's contribution from `before` to `after` (None: the case did not / does not exist)."""
    deltas: Totals = {}
    tables = TABLES.values()
    if before is not None:
        _add(deltas, tables, before, -1)
    if after is not None:
        _add(deltas, tables, after, 1)
    upserts = []
    for table in tables:
        changed = sorted((key, amounts) for key, amounts in deltas.get(table, {}).items() if any(amounts))
        if changed:
            upserts.append(_upsert_sql(table, changed))
    if connection.vendor == "postgresql" and len(upserts) > 1:
        # One statement for all tables (a new case changes four): each upsert is a CTE, run once.
        upserts = [
            (
                "WITH "
                + ", ".join(f"t{index} AS ({sql} RETURNING 1)" for index, (sql, _) in enumerate(upserts[:-1]))
                + " "
                + upserts[-1][0],
                [param for _, params in upserts for param in params],
            )
        ]
    with connection.cursor() as cursor:
        for sql, params in upserts:
            cursor.execute(sql, params)
    if STOCK in deltas:
        _prune_empty_stock([key for key, amounts in deltas[STOCK].items() if amounts[0] < 0])


def _db_table(table: Table) -> str:
    from django.apps import apps

    return str(apps.get_model("cases", table.model)._meta.db_table)


def _db_value(part: Any) -> Any:
    return connection.ops.adapt_datefield_value(part) if isinstance(part, dt.date) else part


def _upsert_sql(table: Table, changed: Iterable[tuple[Key, list[int]]]) -> tuple[str, list[Any]]:
    # Keys in a fixed order: two transactions touching the same tallies lock them in the same order.
    name = _db_table(table)
    placeholders = f"({', '.join(['%s'] * (len(table.key) + len(table.amounts)))})"
    values: list[str] = []
    params: list[Any] = []
    for key, amounts in changed:
        values.append(placeholders)
        params.extend(map(_db_value, key))
        params.extend(amounts)
    increments = ", ".join(f"{column} = {name}.{column} + excluded.{column}" for column in table.amounts)
    sql = (
        f"INSERT INTO {name} ({', '.join([*table.key, *table.amounts])}) VALUES {', '.join(values)} "
        f"ON CONFLICT ({', '.join(table.key)}) DO UPDATE SET {increments}"
    )
    return sql, params


def _prune_empty_stock(keys: list[Key]) -> None:
    # A deadline is a key of the stock: without this, every deadline a case ever had would leave an
    # empty row behind, and the statistics page reads all of them. (Rows locked by the upsert.)
    if not keys:
        return
    match = " AND ".join(f"{column} = %s" for column in STOCK.key)
    params = [_db_value(part) for key in keys for part in key]
    sql = f"DELETE FROM {_db_table(STOCK)} WHERE cases = 0 AND (({') OR ('.join([match] * len(keys))}))"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# PostgreSQL recounts in one statement: each case unfolds into its contributions (as
# `period_contributions` does in Python) and the database sums them. 10 million cases: minutes.
PERIOD_REBUILD_SQL = """
INSERT INTO {tally} ({columns})
SELECT d.dimension, c.bucket, c.org_id, c.confidentiality, c.higher_level, d.value,
       SUM(d.cases), SUM(d.concluded), SUM(d.microseconds)
FROM (
    SELECT date_trunc('{unit}', received_at AT TIME ZONE %s)::date AS bucket, org_id, confidentiality,
           COALESCE(higher_level, '') AS higher_level, source, category, region_code, kind, disposal,
           form_level, concluded_at IS NOT NULL AS done,
           COALESCE((EXTRACT(EPOCH FROM concluded_at - received_at) * 1000000)::bigint, 0) AS microseconds
    FROM {cases}
) c
CROSS JOIN LATERAL (VALUES
    ('{total}', '', 1, CASE WHEN c.done THEN 1 ELSE 0 END, c.microseconds),
    ('{source}', c.source, 1, 0, 0),
    ('{category}', c.category, 1, 0, 0),
    ('{region}', c.region_code, 1, 0, 0),
    (CASE WHEN c.kind = '{lead}' OR c.disposal <> '' THEN '{disposal}' END,
     CASE WHEN c.kind = '{lead}' THEN c.disposal ELSE c.kind || ':' || c.disposal END, 1, 0, 0),
    (CASE WHEN c.form_level IS NOT NULL THEN '{form}' END, c.form_level::text, 1, 0, 0)
) AS d(dimension, value, cases, concluded, microseconds)
WHERE d.dimension IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6
"""

STOCK_REBUILD_SQL = """
INSERT INTO {tally} ({columns})
SELECT status, org_id, confidentiality, COALESCE(higher_level, ''), COALESCE(deadline, %s), COUNT(*)
FROM {cases} WHERE status = ANY(%s)
GROUP BY 1, 2, 3, 4, 5
"""


STATUS_REBUILD_SQL = """
INSERT INTO {tally} ({columns})
SELECT status, org_id, confidentiality, COALESCE(higher_level, ''), COUNT(*), COUNT(deadline)
FROM {cases} WHERE status = ANY(%s)
GROUP BY 1, 2, 3, 4
"""


def _rebuild_in_postgresql(case_model: type[Model], tally_model: type[Model], table: Table) -> int:
    names = {
        "tally": tally_model._meta.db_table,
        "cases": case_model._meta.db_table,
        "columns": ", ".join([*table.key, *table.amounts]),
    }
    params: list[Any]
    if table is STOCK:
        sql, params = STOCK_REBUILD_SQL.format(**names), [NO_DEADLINE, list(OPEN_STATUSES)]
    elif table is STATUS:
        sql, params = STATUS_REBUILD_SQL.format(**names), [list(OPEN_STATUSES)]
    else:
        sql = PERIOD_REBUILD_SQL.format(
            **names,
            unit="month" if table is MONTH else "day",
            lead=Kind.LEAD.value,
            **{dimension.name.lower(): dimension.value for dimension in TallyDimension},
        )
        params = [settings.TIME_ZONE]
    with transaction.atomic(), connection.cursor() as cursor:
        tally_model._default_manager.all().delete()
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def tally_rebuild(case_model: type[Model], tally_model: type[Model], *, batch_size: int = 20_000) -> int:
    """Recount one tally table from the cases, in batches of cases; re-runnable. Returns its rows."""
    table = TABLES[tally_model._meta.object_name or ""]
    if connection.vendor == "postgresql":
        return _rebuild_in_postgresql(case_model, tally_model, table)
    totals: Totals = {}
    last_id = 0
    while True:
        batch = list(
            case_model._default_manager.filter(pk__gt=last_id)
            .order_by("pk")
            .values("pk", *TALLIED_FIELDS)[:batch_size]
        )
        if not batch:
            break
        for row in batch:
            _add(totals, [table], row, 1)
        last_id = batch[-1]["pk"]
    counted = totals.get(table, {})
    with transaction.atomic():
        tally_model._default_manager.all().delete()
        tally_model._default_manager.bulk_create(
            (
                tally_model(
                    **dict(zip(table.key, key, strict=True)),
                    **dict(zip(table.amounts, amounts, strict=True)),
                )
                for key, amounts in counted.items()
            ),
            batch_size=5000,
        )
    return len(counted)


def tally_rebuild_all() -> int:
    """Recount every tally table from the cases (the current models); returns the rows written."""
    from django.apps import apps

    case_model = apps.get_model("cases", "Case")
    return sum(tally_rebuild(case_model, apps.get_model("cases", table.model)) for table in TABLES.values())
