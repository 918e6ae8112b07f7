"""Where sealed attachment files live, and how they arrive there only with their report.

A file is first written to `pending/`; it moves to `files/` when the database transaction that
records it commits (`transaction.on_commit`), and is deleted when that transaction fails. Once
the transaction has committed a file is never deleted: a move that fails (read-only or full
volume) leaves it in `pending/`, where `stored_read` still finds it and `storage_sweep` finishes
the move later. `files/` may be another volume: the move then copies, syncs and renames.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)


def storage_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "intake"


def _pending_dir() -> Path:
    return storage_root() / "pending"


def _files_dir() -> Path:
    return storage_root() / "files"


def pending_write(data: bytes) -> str:
    """Write sealed bytes aside; return the storage name."""
    directory = _pending_dir()
    directory.mkdir(parents=True, exist_ok=True)
    name = uuid.uuid4().hex
    path = directory / name
    try:
        with open(path, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        path.unlink(missing_ok=True)  # a half-written file is no file
        raise
    return name


def pending_commit(name: str) -> bool:
    """Move a pending file into place (called on commit). False, and the file left pending for
    `storage_sweep`, when the move fails: after commit the file is evidence and never discarded."""
    source, target = _pending_dir() / name, _files_dir() / name
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(source, target)
        except OSError as error:
            if error.errno != errno.EXDEV:
                raise
            _copy_across_volumes(source, target)
    except OSError as error:
        logger.warning("intake: file %s stays pending, its move failed: %s", name, error)
        return False
    return True


def _copy_across_volumes(source: Path, target: Path) -> None:
    """Copy to a temporary name beside the target, sync, rename, and only then drop the source."""
    partial = target.with_name(f".{target.name}.partial")
    try:
        with open(source, "rb") as reader, open(partial, "wb") as writer:
            shutil.copyfileobj(reader, writer, 1024 * 1024)
            writer.flush()
            os.fsync(writer.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _sync_directory(target.parent)
    source.unlink()


def _sync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def is_pending(name: str) -> bool:
    """Whether a recorded file still waits in `pending/` for its move into `files/`."""
    return (_pending_dir() / name).exists() and not (_files_dir() / name).exists()


def pending_discard(names: Iterable[str]) -> None:
    for name in names:
        (_pending_dir() / name).unlink(missing_ok=True)


def stored_read(name: str) -> bytes:
    for directory in (_files_dir(), _pending_dir()):
        path = directory / name
        if path.exists():
            return path.read_bytes()
    raise FileNotFoundError(name)


def stored_names() -> tuple[set[str], set[str]]:
    """(pending, committed) storage names on disk."""

    def names(directory: Path) -> set[str]:
        if not directory.exists():
            return set()
        return {p.name for p in directory.iterdir() if not p.name.startswith(".")}

    return names(_pending_dir()), names(_files_dir())


def storage_sweep(known_names: set[str], *, older_than_seconds: int = 3600) -> tuple[int, int, int]:
    """Finish moves of recorded files left pending; delete old pending files nobody records.
    Returns (moved, removed, still pending: recorded files whose move failed again)."""
    pending, _ = stored_names()
    moved = removed = stuck = 0
    cutoff = time.time() - older_than_seconds
    for name in pending:
        if name in known_names:
            if pending_commit(name):
                moved += 1
            else:
                stuck += 1
        elif (_pending_dir() / name).stat().st_mtime < cutoff:
            pending_discard([name])
            removed += 1
    return moved, removed, stuck


def stored_shred(name: str) -> bool:
    """Overwrite a stored file with zeros, flush it to disk, then unlink it. True if it existed.

    (On journaling or copy-on-write filesystems and SSDs an overwrite may not reach the old
    blocks; the file holds only ciphertext anyway, whose key goes with the report's grants.)"""
    found = False
    for directory in (_files_dir(), _pending_dir()):
        path = directory / name
        if not path.exists():
            continue
        size = path.stat().st_size
        with open(path, "r+b") as handle:
            handle.write(b"\0" * size)
            handle.flush()
            os.fsync(handle.fileno())
        path.unlink()
        found = True
    return found
