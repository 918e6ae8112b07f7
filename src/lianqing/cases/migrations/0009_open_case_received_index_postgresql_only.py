# Partial indexes on the open cases in list order for every org at once. The 工作台's 已超期 link
# (overdue=on, no org) sorted every overdue case of the commission (10 million cases: 1.4 s and
# more); a page's ids now come off case_open_received alone (cases.selectors.case_inbox_paginator).
# With it, the planner counted a status filter (待受理) by walking that index from the oldest
# cases, where few are pending; case_open_status_received gives the status its own range.

import importlib

from django.db import migrations

_open = importlib.import_module("lianqing.cases.migrations.0007_open_case_indexes_postgresql_only")
_others = '"deadline", "kind", "source", "confidentiality", "higher_level", "handler_id"'
INDEXES = [
    ("case_open_received", f'("received_at", "id") INCLUDE ("org_id", "category", {_open.INCLUDED})'),
    (
        "case_open_status_received",
        f'("status", "received_at", "id") INCLUDE ("org_id", "category", {_others})',
    ),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite has no INCLUDE; its installations are small
    for name, definition in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "cases_case" {definition} WHERE {_open.PREDICATE}'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _definition in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_status_tally"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
    ]
