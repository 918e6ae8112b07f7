"""Where sealed attachment files live, and how they arrive there only with their report.

A file is first written to `pending/`; it moves to `files/` when the database transaction that
records it commits (`transaction.on_commit`), and is deleted when that transaction fails. A file
left in `pending/` by a crash between commit and move is still found by `stored_read`, and
`storage_sweep` finishes such moves and removes pending files no row refers to.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings


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


def pending_commit(name: str) -> None:
    """Move a pending file into place (called on commit)."""
    _files_dir().mkdir(parents=True, exist_ok=True)
    os.replace(_pending_dir() / name, _files_dir() / name)


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
        return {p.name for p in directory.iterdir()} if directory.exists() else set()

    return names(_pending_dir()), names(_files_dir())


def storage_sweep(known_names: set[str], *, older_than_seconds: int = 3600) -> tuple[int, int]:
    """Finish moves of recorded files left pending; delete old pending files nobody records."""
    pending, _ = stored_names()
    moved = removed = 0
    cutoff = time.time() - older_than_seconds
    for name in pending:
        if name in known_names:
            pending_commit(name)
            moved += 1
        elif (_pending_dir() / name).stat().st_mtime < cutoff:
            pending_discard([name])
            removed += 1
    return moved, removed


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
