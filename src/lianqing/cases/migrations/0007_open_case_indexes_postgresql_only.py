# Partial indexes on the open cases for the inbox's time-limit lists (超期, 临期, 在办).

from django.db import migrations

# The statuses of an open case when this migration was written (models.OPEN_STATUSES, sorted as
# the selectors write them): the inbox's `status IN (...)` must imply this predicate for the
# planner to use the indexes, and a test checks that the two lists are still the same.
OPEN_STATUSES = [
    "accepted", "assigned", "concluded", "handling", "in_trial", "pending", "shelved", "trial_reviewed",
]  # fmt: skip
PREDICATE = "status IN (" + ", ".join(f"'{status}'" for status in OPEN_STATUSES) + ")"
# Each in list order (newest first, read backwards) under the filters the inbox compares for
# equality; the other filtered columns are included, so the capped count is an index-only scan.
INCLUDED = '"deadline", "status", "kind", "source", "confidentiality", "higher_level", "handler_id"'
INDEXES = [
    ("case_open_org_received", f'("org_id", "received_at", "id") INCLUDE ("category", {INCLUDED})'),
    ("case_open_org_category_received", f'("org_id", "category", "received_at", "id") INCLUDE ({INCLUDED})'),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite has no INCLUDE; its installations are small
    for name, definition in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "cases_case" {definition} WHERE {PREDICATE}'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _definition in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_day_and_stock_tallies"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
    ]
