"""The database, copied while the service runs and put back into an empty one.

SQLite: the online backup API (a consistent copy while the web and the worker write).
PostgreSQL: `pg_dump --format=custom` (one snapshot) and `pg_restore --single-transaction`
(all or nothing), with the server's own client tools.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection

from lianqing.core.backup.errors import BackupError

# Tables `lianqing migrate` fills by itself (Django's bookkeeping, the role groups, the audit chain's
# empty head): an instance with rows only there is still empty.
_MIGRATE_FILLS = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "django_site",
    "auth_group",
    "auth_group_permissions",
    "core_auditchainhead",
}


def vendor() -> str:
    return connection.vendor


def dump(target: Path) -> None:
    """Write a consistent copy of the database to `target`."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = connection.connection
        with sqlite3.connect(target) as copy:
            source.backup(copy)
        copy.close()
        return
    if connection.vendor == "postgresql":
        _pg_run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"])
        return
    raise BackupError(f"不支持备份 {connection.vendor} 数据库")


def restore(source: Path) -> None:
    """Put the dumped database in place of this (empty) one."""
    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        connection.close()
        for suffix in ("-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
        staged = name.with_name(name.name + ".restoring")
        shutil.copyfile(source, staged)
        os.replace(staged, name)
        return
    if connection.vendor == "postgresql":
        connection.close()
        _pg_run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={connection.settings_dict['NAME']}",
                str(source),
            ]
        )
        return
    raise BackupError(f"不支持恢复到 {connection.vendor} 数据库")


def applied_migrations() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        rows = cursor.fetchall()
    applied: dict[str, list[str]] = {}
    for app, name in rows:
        applied.setdefault(app, []).append(name)
    return applied


def row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = int(cursor.fetchone()[0])
    return counts


def tables_with_data() -> list[str]:
    """Tables holding rows that `migrate` did not put there: what makes an instance not empty."""
    return [table for table, n in row_counts().items() if n and table not in _MIGRATE_FILLS]


def _pg_run(command: list[str]) -> None:
    settings = connection.settings_dict
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"找不到 {command[0]}：请安装与数据库服务器同版本的 PostgreSQL 客户端工具")
    env = {**os.environ, "PGDATABASE": settings["NAME"], "PGUSER": settings.get("USER") or ""}
    if settings.get("HOST"):
        env["PGHOST"] = settings["HOST"]
    if settings.get("PORT"):
        env["PGPORT"] = str(settings["PORT"])
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    result = subprocess.run([tool, *command[1:]], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        if "No space left" in result.stderr:
            raise OSError(28, "No space left on device")  # the caller names the volume
        raise BackupError(f"{command[0]} 失败：{result.stderr.strip()[-500:]}")
