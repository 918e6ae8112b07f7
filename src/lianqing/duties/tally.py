"""Dashboard rollups (per unit × month, per unit × duty), rebuilt set-based in SQL: for a whole
year by the daily job, for one unit after each step."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet

from .models import ACTIVE_STATUSES, Light, Task, TaskStatus, UnitItemTally, UnitMonthTally

COUNTS = {
    "total": Count("id"),
    "accepted": Count("id", filter=Q(status=TaskStatus.ACCEPTED)),
    "on_time": Count("id", filter=Q(status=TaskStatus.ACCEPTED, was_late=False)),
    "yellow": Count("id", filter=Q(light=Light.YELLOW, status__in=ACTIVE_STATUSES)),
    "red": Count("id", filter=Q(light=Light.RED) & ~Q(status=TaskStatus.ACCEPTED)),
    "locked": Count("id", filter=Q(status=TaskStatus.LOCKED)),
}


def _insert_grouped(table: str, key_columns: list[str], grouped: QuerySet[Task, Any]) -> None:
    sql, params = grouped.query.sql_with_params()
    columns = ", ".join([*key_columns, *COUNTS])
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)


@transaction.atomic
def tally_rebuild(*, year: int, unit_ids: Sequence[int] | None = None) -> None:
    tasks = Task.objects.filter(year=year).order_by()
    month_rows = UnitMonthTally.objects.filter(year=year)
    item_rows = UnitItemTally.objects.filter(year=year)
    if unit_ids is not None:
        tasks = tasks.filter(unit_id__in=unit_ids)
        month_rows, item_rows = (
            month_rows.filter(unit_id__in=unit_ids),
            item_rows.filter(unit_id__in=unit_ids),
        )
    month_rows.delete()
    item_rows.delete()
    _insert_grouped(
        UnitMonthTally._meta.db_table,
        ["year", "unit_id", "month"],
        tasks.values("year", "unit_id", "month").annotate(**COUNTS),
    )
    _insert_grouped(
        UnitItemTally._meta.db_table,
        ["year", "unit_id", "lineage"],
        tasks.values("year", "unit_id", "lineage").annotate(**COUNTS),
    )
