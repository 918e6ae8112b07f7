"""On PostgreSQL the database itself refuses UPDATE and DELETE of audit rows.

The hash chain detects tampering on every database; this trigger also prevents it for anyone
who is not the table owner disabling triggers on purpose. (SQLite has no such guard: Django's
test flush deletes rows there.)
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION lianqing_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '审计记录只能追加 (audit rows are append-only)';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
CREATE TRIGGER core_auditevent_append_only BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION lianqing_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS lianqing_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_chain_head_and_roles")]

    operations = [migrations.RunPython(forwards, backwards)]
