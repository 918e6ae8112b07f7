"""Backup, verify, restore: one sealed archive holds the database, the instance's files (wrapped
keys, sealed uploads, data packages, the secret key) and the exported audit heads.

Restore reads and checks the whole archive into a staging folder first, then checks the target is
an empty instance of the same database kind and not older than the archive; only then does it
change anything. A wrong passphrase, a tampered or cut-off archive, a newer archive or a
non-empty target is refused with nothing changed.
"""

from __future__ import annotations

import datetime as dt
import errno
import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

import lianqing
from lianqing.core.backup import database
from lianqing.core.backup.archive import OpeningReader, SealingWriter, passphrase_check
from lianqing.core.backup.errors import BackupError

MANIFEST = "manifest.json"
DATABASE_MEMBER = "database/dump"
# Folders of the instance restored under the same names; files of HOME itself go under "home".
_DB_FILE_PREFIXES = ("lianqing.sqlite3", "test.sqlite3")
_NOT_BACKED_UP = {"static"}  # served from the package; rebuilt on start


@dataclass(frozen=True)
class Manifest:
    created_at: str
    version: str
    database: str
    migrations: dict[str, list[str]]
    rows: dict[str, int]
    files: dict[str, str]  # member -> sha256

    @property
    def size_summary(self) -> str:
        return f"{len(self.files)} 个文件，{sum(self.rows.values()):,} 行数据"


def _roots() -> dict[str, Path]:
    return {
        "keys": Path(settings.KEYS_DIR),
        "data": Path(settings.DATA_DIR),
        "uploads": Path(settings.MEDIA_ROOT),
        "audit-heads": Path(settings.AUDIT_HEAD_DIR),
        "home": Path(settings.HOME),
    }


def _audit_key_outside_roots() -> Path | None:
    key = Path(settings.AUDIT_KEY_FILE)
    inside = any(
        key.resolve().is_relative_to(root.resolve()) for name, root in _roots().items() if name != "home"
    )
    return None if inside else key


def _files() -> list[tuple[str, Path]]:
    """(member name, path) of every file the instance owns, each once."""
    roots = _roots()
    others = {root.resolve() for name, root in roots.items() if name != "home"}
    members: list[tuple[str, Path]] = []
    for name, root in roots.items():
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if not path.is_file() or path.is_symlink():
                continue
            relative = path.relative_to(root)
            if name == "home":
                if any(path.resolve().is_relative_to(other) for other in others):
                    continue
                if relative.parts[0] in _NOT_BACKED_UP or relative.name.startswith(_DB_FILE_PREFIXES):
                    continue
            members.append((f"{name}/{relative.as_posix()}", path))
    key = _audit_key_outside_roots()
    if key is not None and key.is_file():
        members.append(("audit-key/" + key.name, key))
    return members


def backup_create(out: Path, passphrase: str, *, strong_kdf: bool = True) -> Manifest:
    """Write the sealed archive to `out` (via `out.partial`, renamed only when complete)."""
    passphrase_check(passphrase)
    out = Path(out)
    if out.exists():
        raise BackupError(f"{out} 已存在：不覆盖已有的备份")
    partial = out.with_name(out.name + ".partial")
    created_at = timezone.now().isoformat()
    try:
        with tempfile.TemporaryDirectory(dir=out.parent, prefix=".lianqing-dump-") as scratch:
            dump = Path(scratch) / "dump"
            database.dump(dump)
            with partial.open("xb") as sink:
                sealer = SealingWriter(sink, passphrase, created_at=created_at, strong=strong_kdf)
                files: dict[str, str] = {}
                with (
                    gzip.GzipFile(fileobj=sealer, mode="wb", compresslevel=1, mtime=0) as zipped,
                    tarfile.open(fileobj=zipped, mode="w|", format=tarfile.PAX_FORMAT) as tar,
                ):
                    files[DATABASE_MEMBER] = _add(tar, DATABASE_MEMBER, dump)
                    for member, path in _files():
                        files[member] = _add(tar, member, path)
                    manifest = Manifest(
                        created_at=created_at,
                        version=lianqing.__version__,
                        database=database.vendor(),
                        migrations=database.applied_migrations(),
                        rows=database.row_counts(),
                        files=files,
                    )
                    _add_bytes(tar, MANIFEST, json.dumps(manifest.__dict__, ensure_ascii=False).encode())
                sealer.finish()
                os.fsync(sink.fileno())
        os.replace(partial, out)
    except sqlite3.OperationalError as error:
        partial.unlink(missing_ok=True)
        if "full" in str(error):
            raise BackupError(f"备份目标 {out.parent} 空间不足，备份未写成（已删除不完整的文件）") from error
        raise BackupError(f"无法复制数据库：{error}") from error
    except OSError as error:
        partial.unlink(missing_ok=True)
        if error.errno == errno.ENOSPC:
            raise BackupError(f"备份目标 {out.parent} 空间不足，备份未写成（已删除不完整的文件）") from error
        raise BackupError(f"无法写入备份 {out}：{error.strerror or error}") from error
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest


def _add(tar: tarfile.TarFile, member: str, path: Path) -> str:
    digest = hashlib.sha256()
    info = tarfile.TarInfo(member)
    info.size = path.stat().st_size
    info.mode = 0o600
    with path.open("rb") as source:
        reader = _HashingReader(source, digest)
        tar.addfile(info, reader)  # type: ignore[arg-type]
    return digest.hexdigest()


def _add_bytes(tar: tarfile.TarFile, member: str, data: bytes) -> None:
    info = tarfile.TarInfo(member)
    info.size = len(data)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


class _HashingReader:
    def __init__(self, source, digest) -> None:  # type: ignore[no-untyped-def]
        self._source, self._digest = source, digest

    def read(self, n: int = -1) -> bytes:
        data = self._source.read(n)
        self._digest.update(data)
        return data


def backup_verify(path: Path, passphrase: str) -> Manifest:
    """Read the whole archive, checking every chunk and every file against the manifest."""
    with tempfile.TemporaryDirectory(prefix=".lianqing-verify-") as scratch:
        return _unpack(Path(path), passphrase, Path(scratch), keep=False)


def _unpack(path: Path, passphrase: str, staging: Path, *, keep: bool) -> Manifest:
    if not path.is_file():
        raise BackupError(f"找不到备份文件 {path}")
    seen: dict[str, str] = {}
    manifest_data: bytes | None = None
    with path.open("rb") as source:
        reader = OpeningReader(source, passphrase)
        try:
            with (
                gzip.GzipFile(fileobj=reader, mode="rb") as unzipped,
                tarfile.open(fileobj=unzipped, mode="r|") as tar,
            ):
                for info in tar:
                    extracted = tar.extractfile(info) if info.isfile() else None
                    if extracted is None:
                        raise BackupError(f"备份中有不应出现的条目：{info.name}")
                    if info.name == MANIFEST:
                        manifest_data = extracted.read()
                        continue
                    seen[info.name] = _stage(info.name, extracted, staging, keep=keep)
        except (OSError, EOFError, tarfile.TarError, gzip.BadGzipFile) as error:
            raise BackupError(f"备份文件已损坏：{error}") from error
        if not reader.finished:
            raise BackupError("备份文件不完整（末尾被截断）")
    if manifest_data is None:
        raise BackupError("备份文件缺少清单，不能使用")
    manifest = Manifest(**json.loads(manifest_data))
    if manifest.files != seen:
        raise BackupError("备份内容与清单不符，可能被篡改")
    return manifest


def _stage(name: str, source, staging: Path, *, keep: bool) -> str:  # type: ignore[no-untyped-def]
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or len(relative.parts) < 2:
        raise BackupError(f"备份中有不安全的路径：{name}")
    digest = hashlib.sha256()
    target = staging.joinpath(*relative.parts)
    sink = None
    if keep:
        target.parent.mkdir(parents=True, exist_ok=True)
        sink = target.open("xb")
    try:
        while chunk := source.read(1024 * 1024):
            digest.update(chunk)
            if sink is not None:
                sink.write(chunk)
    finally:
        if sink is not None:
            sink.close()
    return digest.hexdigest()


def backup_restore(path: Path, passphrase: str) -> Manifest:
    """Restore the archive into this instance, which must be empty; nothing changes on refusal."""
    home = Path(settings.HOME)
    staging = Path(tempfile.mkdtemp(dir=home.parent, prefix=".lianqing-restore-"))
    try:
        manifest = _unpack(Path(path), passphrase, staging, keep=True)
        _check_target(manifest)
        database.restore(staging / DATABASE_MEMBER)
        _place_files(staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


def _check_target(manifest: Manifest) -> None:
    if manifest.database != database.vendor():
        raise BackupError(
            f"备份来自 {manifest.database} 数据库，本实例使用 {database.vendor()}：请恢复到同类数据库"
        )
    known = {(app, name) for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}
    unknown = sorted(
        f"{app}.{name}"
        for app, names in manifest.migrations.items()
        for name in names
        if (app, name) not in known
    )
    if unknown:
        raise BackupError(
            f"备份来自更新的版本（{manifest.version}，含本程序没有的数据库迁移 {', '.join(unknown[:3])}）：请先升级廉情再恢复"
        )
    busy = database.tables_with_data()
    if busy:
        raise BackupError(f"目标实例不是空的（{', '.join(busy[:3])} 等表已有数据）：只能恢复到新建的空实例")
    for name, root in _roots().items():
        if (
            name in {"uploads", "data", "audit-heads"}
            and root.is_dir()
            and any(p.is_file() for p in root.rglob("*"))
        ):
            raise BackupError(f"目标实例不是空的（{root} 中已有文件）：只能恢复到新建的空实例")


def _place_files(staging: Path) -> None:
    roots = _roots()
    key = Path(settings.AUDIT_KEY_FILE)
    for folder in sorted(p for p in staging.iterdir() if p.is_dir() and p.name != "database"):
        target_root = key.parent if folder.name == "audit-key" else roots.get(folder.name)
        if target_root is None:
            raise BackupError(f"备份中有未知的目录：{folder.name}")
        for file in sorted(p for p in folder.rglob("*") if p.is_file()):
            target = target_root / file.relative_to(folder)
            if folder.name == "audit-key":
                target = key
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            shutil.copyfile(file, target)
            target.chmod(0o600)


# --- the daily job's retention -------------------------------------------------------------------

BACKUP_PREFIX = "lianqing-backup-"
BACKUP_SUFFIX = ".lqbak"


def backup_name(at: dt.datetime) -> str:
    return f"{BACKUP_PREFIX}{at:%Y%m%d-%H%M%S}{BACKUP_SUFFIX}"


def backups_to_keep(
    taken: list[dt.datetime], *, daily: int = 7, weekly: int = 4, monthly: int = 12
) -> set[dt.datetime]:
    """The newest backup of each of the last `daily` days, `weekly` ISO weeks and `monthly` months."""
    keep: set[dt.datetime] = set()
    for key, count in (
        (lambda t: t.date(), daily),
        (lambda t: t.isocalendar()[:2], weekly),
        (lambda t: (t.year, t.month), monthly),
    ):
        newest: dict[object, dt.datetime] = {}
        for at in taken:
            period = key(at)
            if period not in newest or at > newest[period]:
                newest[period] = at
        for period in sorted(newest, reverse=True)[:count]:  # type: ignore[type-var]
            keep.add(newest[period])
    return keep


def backup_daily(folder: Path, passphrase: str, *, now: dt.datetime | None = None) -> tuple[Path, list[Path]]:
    """Tonight's backup into `folder`, then older ones pruned to 7 daily, 4 weekly, 12 monthly."""
    now = now or timezone.localtime()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    out = folder / backup_name(now)
    backup_create(out, passphrase)
    taken: dict[dt.datetime, Path] = {}
    for path in folder.glob(f"{BACKUP_PREFIX}*{BACKUP_SUFFIX}"):
        try:
            stamp = path.name[len(BACKUP_PREFIX) : -len(BACKUP_SUFFIX)]
            # local times, compared only among themselves
            taken[dt.datetime.strptime(stamp, "%Y%m%d-%H%M%S")] = path  # noqa: DTZ007
        except ValueError:
            continue  # not one of ours
    keep = backups_to_keep(list(taken))
    removed = [path for at, path in sorted(taken.items()) if at not in keep]
    for path in removed:
        path.unlink()
    return out, removed
