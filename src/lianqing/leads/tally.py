"""A scan's hit tallies (HitTally): built when its hits are stored, moved by each decision.

The hit list of a province's scan (a million hits) cannot count, sum and group its hits on
every page view; the tallies hold the same numbers grouped by every filter the list offers but
the search box, so a page reads a few thousand rows. `tally_rebuild` recounts a scan from its
hits (after storing, in the data migration, for hits loaded outside the application).
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Count, F, Sum

from lianqing.leads.models import Hit, HitTally, ScanRun

KEY = ("rule_id", "severity", "status", "change", "region_code", "subject_org_code")
NAMES = ("rule_name", "subject_org_name")


@transaction.atomic
def tally_rebuild(run: ScanRun) -> int:
    """Recount the tallies of one scan from its hits; returns how many tally rows it has."""
    HitTally.objects.filter(run=run).delete()
    groups = (
        Hit.objects.filter(run=run).order_by().values(*KEY).annotate(hits=Count("id"), amount=Sum("amount"))
    )
    names = dict(Hit.objects.filter(run=run).order_by().values_list("rule_id", "rule_name").distinct())
    org_names = dict(
        Hit.objects.filter(run=run)
        .exclude(subject_org_code="")
        .order_by()
        .values_list("subject_org_code", "subject_org_name")
        .distinct()
    )
    rows = (
        HitTally(
            run=run,
            rule_name=names.get(group["rule_id"], ""),
            subject_org_name=org_names.get(group["subject_org_code"], ""),
            **group,
        )
        for group in groups.iterator(chunk_size=5000)
    )
    created = HitTally.objects.bulk_create(rows, batch_size=5000)
    facets_store(run)
    return len(created)


def tally_move(hit: Hit, *, to_status: str) -> None:
    """One hit changes status: take it from its tally row, add it to the row of the new status.
    Call inside the transaction that changes the hit, with the hit as it was before."""
    key = {name: getattr(hit, name) for name in KEY}
    old = HitTally.objects.filter(run_id=hit.run_id, **key)
    if hit.amount is None:
        old.update(hits=F("hits") - 1)
    else:
        old.update(hits=F("hits") - 1, amount=F("amount") - hit.amount)
    old.filter(hits=0).delete()
    _add(hit, {**key, "status": to_status})


def _add(hit: Hit, key: dict[str, str]) -> None:
    # One upsert (PostgreSQL and SQLite): concurrent decisions on one scan add up, never collide.
    table = HitTally._meta.db_table
    columns = ["run_id", *KEY, *NAMES, "hits", "amount"]
    amount = connection.ops.adapt_decimalfield_value(hit.amount, 20, 2) if hit.amount is not None else None
    values = [hit.run_id, *(key[name] for name in KEY), hit.rule_name, hit.subject_org_name, 1, amount]
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT (run_id, {', '.join(KEY)}) DO UPDATE SET hits = {table}.hits + 1, amount = "
        f"CASE WHEN excluded.amount IS NULL THEN {table}.amount "
        f"ELSE COALESCE({table}.amount, 0) + excluded.amount END"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)


def facets_store(run: ScanRun) -> None:
    """The filter choices of a scan into its summary, from its tallies. They never change after
    the scan (a decision changes a status only): counted once here, not on every page view."""
    tallies = HitTally.objects.filter(run=run).order_by()
    run.summary = {
        **run.summary,
        "facets": {
            "rules": list(tallies.values_list("rule_id", flat=True).distinct().order_by("rule_id")),
            "regions": list(
                tallies.exclude(region_code="")
                .values_list("region_code", flat=True)
                .distinct()
                .order_by("region_code")
            ),
            "orgs": [
                list(pair)
                for pair in tallies.exclude(subject_org_code="")
                .values_list("subject_org_code", "subject_org_name")
                .distinct()
                .order_by("subject_org_code")
            ],
        },
    }
    ScanRun.objects.filter(pk=run.pk).update(summary=run.summary)
