"""Trigram indexes for the hit list's search box on PostgreSQL (pg_trgm).

The search is a substring match on the subject's name or id (`icontains`, which PostgreSQL runs
as UPPER(column) LIKE UPPER('%…%')); without these indexes it reads every hit of a scan. SQLite
(development, tests) has no such index and keeps scanning, which is fine at its sizes.
"""

from django.db import migrations

INDEXES = {
    "leads_hit_name_trgm": 'UPPER("subject_name"::text)',
    "leads_hit_subject_trgm": 'UPPER("subject_id"::text)',
}


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON leads_hit USING gin (({expression}) gin_trgm_ops)"
        )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("leads", "0006_hit_tally")]

    operations = [migrations.RunPython(create, drop)]
