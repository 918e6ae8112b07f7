"""Monthly tallies of cases for the statistics page, changed in the same transaction as the case.

A case counts once in each breakdown of the month it was received in (local time). The services
call `tally_change(before, after)` with the tallied fields of a case before and after a write; the
difference goes into `CaseMonthTally` with one upsert, so the tallies are exact and never lag.
`tally_rebuild` recounts everything from the cases (data migration, benchmark loader).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from .models import CaseMonthTally, Kind, TallyDimension

TALLIED_FIELDS = (
    "received_at", "org_id", "confidentiality", "higher_level", "source", "category", "region_code", "kind",
    "disposal", "form_level", "concluded_at",
)  # fmt: skip
KEY_COLUMNS = ("dimension", "month", "org_id", "confidentiality", "higher_level", "value")
AMOUNT_COLUMNS = ("cases", "concluded", "handling_microseconds")

# (dimension, month, org_id, confidentiality, higher_level, value) -> (cases, concluded, microseconds)
Key = tuple[str, dt.date, int, int, str, str]
Amounts = tuple[int, int, int]


def tally_month(received_at: dt.datetime) -> dt.date:
    return received_at.astimezone(timezone.get_default_timezone()).date().replace(day=1)


def tally_row(case: Any) -> dict[str, Any]:
    """The tallied fields of a case (a model instance); take it before and after a write."""
    return {name: getattr(case, name) for name in TALLIED_FIELDS}


def _microseconds(duration: dt.timedelta) -> int:
    return (duration.days * 86400 + duration.seconds) * 1_000_000 + duration.microseconds


def contributions(row: Mapping[str, Any]) -> dict[Key, Amounts]:
    """What one case adds to the tallies."""
    scope = (
        tally_month(row["received_at"]),
        row["org_id"],
        row["confidentiality"],
        row["higher_level"] or "",
    )
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


def _add(totals: dict[Key, list[int]], row: Mapping[str, Any], sign: int) -> None:
    for key, amounts in contributions(row).items():
        total = totals.setdefault(key, [0, 0, 0])
        for index, amount in enumerate(amounts):
            total[index] += sign * amount


def tally_change(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> None:
    """Move a case's contribution from `before` to `after` (None: the case did not / does not exist)."""
    deltas: dict[Key, list[int]] = {}
    if before is not None:
        _add(deltas, before, -1)
    if after is not None:
        _add(deltas, after, 1)
    changed = sorted((key, amounts) for key, amounts in deltas.items() if any(amounts))
    if changed:
        _upsert(changed)


def _upsert(changed: Iterable[tuple[Key, list[int]]]) -> None:
    # Keys in a fixed order: two transactions touching the same tallies lock them in the same order.
    table = CaseMonthTally._meta.db_table
    values: list[str] = []
    params: list[Any] = []
    for (dimension, month, *rest), amounts in changed:
        values.append(f"({', '.join(['%s'] * (len(KEY_COLUMNS) + len(AMOUNT_COLUMNS)))})")
        params.extend([dimension, connection.ops.adapt_datefield_value(month), *rest, *amounts])
    increments = ", ".join(f"{column} = {table}.{column} + excluded.{column}" for column in AMOUNT_COLUMNS)
    sql = (
        f"INSERT INTO {table} ({', '.join([*KEY_COLUMNS, *AMOUNT_COLUMNS])}) VALUES {', '.join(values)} "
        f"ON CONFLICT ({', '.join(KEY_COLUMNS)}) DO UPDATE SET {increments}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


# PostgreSQL recounts in one statement: each case unfolds into its contributions (as
# `contributions` does in Python) and the database sums them. 10 million cases: minutes, not hours.
REBUILD_SQL = """
INSERT INTO {tally} ({columns})
SELECT d.dimension, c.month, c.org_id, c.confidentiality, c.higher_level, d.value,
       SUM(d.cases), SUM(d.concluded), SUM(d.microseconds)
FROM (
    SELECT date_trunc('month', received_at AT TIME ZONE %s)::date AS month, org_id, confidentiality,
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


def _rebuild_in_postgresql(case_model: type[Model], tally_model: type[Model]) -> int:
    sql = REBUILD_SQL.format(
        tally=tally_model._meta.db_table,
        cases=case_model._meta.db_table,
        columns=", ".join([*KEY_COLUMNS, *AMOUNT_COLUMNS]),
        lead=Kind.LEAD.value,
        **{dimension.name.lower(): dimension.value for dimension in TallyDimension},
    )
    with transaction.atomic(), connection.cursor() as cursor:
        tally_model._default_manager.all().delete()
        cursor.execute(sql, [settings.TIME_ZONE])
        return int(cursor.rowcount)


def tally_rebuild(case_model: type[Model], tally_model: type[Model], *, batch_size: int = 20_000) -> int:
    """Recount every tally from the cases, in batches of cases; re-runnable. Returns the tally rows."""
    if connection.vendor == "postgresql":
        return _rebuild_in_postgresql(case_model, tally_model)
    totals: dict[Key, list[int]] = {}
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
            _add(totals, row, 1)
        last_id = batch[-1]["pk"]
    with transaction.atomic():
        tally_model._default_manager.all().delete()
        tally_model._default_manager.bulk_create(
            (
                tally_model(
                    **dict(zip(KEY_COLUMNS, key, strict=True)),
                    **dict(zip(AMOUNT_COLUMNS, amounts, strict=True)),
                )
                for key, amounts in totals.items()
            ),
            batch_size=5000,
        )
    return len(totals)
