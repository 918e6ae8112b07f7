"""A scan's hit tallies: built when its hits are stored, moved by each decision.

The hit list of a province's scan (a million hits) cannot count, sum and group its hits on
every page view; the tallies hold the same numbers grouped by the filters the list offers but
the search box. Three shapes: HitTally by every filter (hundreds of thousands of rows at a
province's scale, read only when a 区域 or 单位 is chosen), and two coarse sums of it that the
list reads otherwise: RuleTally (per rule, a few hundred rows) and OrgTally (per unit, for the
top-units summary). `tally_rebuild` recounts a scan from its hits (after storing, in the data
migrations, for hits loaded outside the application).
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Count, F, Model, Sum

from lianqing.leads.models import Hit, HitTally, OrgTally, RuleTally, ScanRun

KEY = ("rule_id", "severity", "status", "change", "region_code", "subject_org_code")
NAMES = ("rule_name", "subject_org_name")
RULE_KEY = ("rule_id", "severity", "status", "change")
ORG_KEY = ("subject_org_code", "severity", "status", "change")
# Each tally: its model, the hit fields it groups by, the names it carries.
SHAPES: tuple[tuple[type[Model], tuple[str, ...], tuple[str, ...]], ...] = (
    (HitTally, KEY, NAMES),
    (RuleTally, RULE_KEY, ("rule_name",)),
    (OrgTally, ORG_KEY, ("subject_org_name",)),
)


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
    coarse_rebuild(run)
    facets_store(run)
    return len(created)


def coarse_rebuild(run: ScanRun) -> None:
    """The coarse tallies of one scan, summed from its fine tallies (a few hundred thousand rows,
    not its million hits)."""
    RuleTally.objects.filter(run=run).delete()
    OrgTally.objects.filter(run=run).delete()
    fine = HitTally.objects.filter(run=run, hits__gt=0).order_by()
    RuleTally.objects.bulk_create(
        RuleTally(run=run, **group)
        for group in fine.values(*RULE_KEY, "rule_name").annotate(hits=Sum("hits"), amount=Sum("amount"))
    )
    OrgTally.objects.bulk_create(
        (
            OrgTally(run=run, **group)
            for group in fine.exclude(subject_org_code="")
            .values(*ORG_KEY, "subject_org_name")
            .annotate(hits=Sum("hits"), amount=Sum("amount"))
            .iterator(chunk_size=5000)
        ),
        batch_size=5000,
    )


def tally_move(hit: Hit, *, to_status: str) -> None:
    """One hit changes status: take it from its row of each tally, add it to the row of the new
    status. Call inside the transaction that changes the hit, with the hit as it was before."""
    for model, key_names, names in SHAPES:
        if model is OrgTally and not hit.subject_org_code:
            continue  # the unit summary leaves out hits without a unit
        key = {name: getattr(hit, name) for name in key_names}
        old = model._default_manager.filter(run_id=hit.run_id, **key)
        if hit.amount is None:
            old.update(hits=F("hits") - 1)
        else:
            old.update(hits=F("hits") - 1, amount=F("amount") - hit.amount)
        old.filter(hits=0).delete()
        _add(hit, model, {**key, "status": to_status}, names)


def _add(hit: Hit, model: type[Model], key: dict[str, str], names: tuple[str, ...]) -> None:
    # One upsert (PostgreSQL and SQLite): concurrent decisions on one scan add up, never collide.
    table = model._meta.db_table
    columns = ["run_id", *key, *names, "hits", "amount"]
    amount = connection.ops.adapt_decimalfield_value(hit.amount, 20, 2) if hit.amount is not None else None
    values = [hit.run_id, *key.values(), *(getattr(hit, name) for name in names), 1, amount]
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT (run_id, {', '.join(key)}) DO UPDATE SET hits = {table}.hits + 1, amount = "
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
