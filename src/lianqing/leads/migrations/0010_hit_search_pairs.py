"""An index for the hit list's two-character searches on PostgreSQL (a Chinese given name: 王伟).

The trigram indexes of 0007 cannot serve a search of two characters: `LIKE '%王伟%'` holds no
trigram, so PostgreSQL read the whole index and every hit (0.7 s at 10 million hits). This index
keeps, per hit, its scan and the distinct two-character pieces of its upper-cased name and id
(`lq_hit_search_pairs`); the search asks for hits of its scan holding the searched pair, then
applies the same substring match, so it finds exactly what it found before. btree_gin lets the
scan's id sit in the same GIN index, so only the scan's own matches are read. SQLite
(development, tests) has neither and keeps scanning, which is fine at its sizes.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION lq_hit_search_pairs(name text, id text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT substr(piece, i, 2)), '{}')
  FROM unnest(ARRAY[upper(name), upper(id)]) AS piece, generate_series(1, char_length(piece) - 1) AS i
$$
"""
INDEX = (
    "CREATE INDEX IF NOT EXISTS leads_hit_search_pairs ON leads_hit "
    "USING gin (run_id, lq_hit_search_pairs(subject_name, subject_id))"
)


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    schema_editor.execute(FUNCTION)
    schema_editor.execute("SET LOCAL maintenance_work_mem = '512MB'")  # a province's hits: one pass
    schema_editor.execute(INDEX)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS leads_hit_search_pairs")
    schema_editor.execute("DROP FUNCTION IF EXISTS lq_hit_search_pairs(text, text)")


class Migration(migrations.Migration):
    dependencies = [("leads", "0009_hit_region_and_unit_indexes")]

    operations = [migrations.RunPython(create, drop)]
