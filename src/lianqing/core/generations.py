"""Per-process caches of what changes rarely, kept exact across the instance's processes.

The portal reads on every submission things that change a few times a year: the receiving
commission, the recipients' public keys, the time limits. Each web worker keeps them in memory;
a change, once its transaction commits, writes a new random token to a small file in the
instance folder (shared by every process of the instance, as its uploads are), and a cached
value is used only while the token it was loaded under is still the file's. Reading the token is
one small file read, far cheaper than the queries it saves.

The change also empties this process's caches at once (tests, which never commit, rely on it).
A value is reloaded after MAX_AGE seconds whatever the token says, so a change made where no
signal fires (raw SQL, a bulk load) or a token that could not be written (a read-only folder)
is seen within that time.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db import connection, transaction

logger = logging.getLogger(__name__)

T = TypeVar("T")
MAX_AGE = 60.0  # seconds
_generations: list[Generation] = []
_local = threading.local()  # .pending: generations this thread changed in a transaction still open


def _pending() -> set[Generation]:
    if not hasattr(_local, "pending"):
        _local.pending = set()
    return _local.pending  # type: ignore[no-any-return]


@dataclass(frozen=True)
class _Entry(Generic[T]):
    token: bytes
    loaded_at: float
    value: T


class Generation:
    """A named token that changes whenever what it guards changes."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._caches: list[KeyedCache[Any]] = []
        _generations.append(self)

    @property
    def path(self) -> Path:
        return Path(settings.HOME) / "generations" / self.name

    def token(self) -> bytes:
        try:
            return self.path.read_bytes()
        except OSError:  # never written yet, or unreadable: MAX_AGE still bounds staleness
            return b""

    def changed(self) -> None:
        """What this generation guards changed (or will, when the caller's transaction commits)."""
        for cache in self._caches:
            cache.clear()
        if connection.in_atomic_block:
            _pending().add(self)
        transaction.on_commit(self._bump)

    def settled(self) -> bool:
        """False while this thread's own open transaction changed what the generation guards:
        what it reads then may be rolled back, so it is not kept."""
        if self not in _pending():
            return True
        if connection.in_atomic_block:
            return False
        _pending().discard(self)  # that transaction ended, committed or rolled back
        for cache in self._caches:
            cache.clear()
        return True

    def _bump(self) -> None:
        for cache in self._caches:  # a reload between the change and its commit saw the old rows
            cache.clear()
        folder = self.path.parent
        spare = folder / f".{self.name}.{secrets.token_hex(8)}"
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
            spare.write_bytes(secrets.token_bytes(16))
            spare.chmod(0o600)
            os.replace(spare, self.path)  # atomic: a reader sees the old token or the new one
        except OSError as error:
            logger.warning(
                "cache token %s not written (%s): other processes reload within %ss",
                self.name,
                error,
                MAX_AGE,
            )
            spare.unlink(missing_ok=True)


class KeyedCache(Generic[T]):
    """Values by key, loaded by `load(key)`, valid while their generation's token is unchanged."""

    def __init__(self, generation: Generation, load: Callable[[Any], T]) -> None:
        self.generation = generation
        self.load = load
        self._entries: dict[Hashable, _Entry[T]] = {}
        self._lock = threading.Lock()
        generation._caches.append(self)

    def get(self, key: Hashable = None) -> T:
        if not self.generation.settled():
            return self.load(key)
        token = self.generation.token()
        now = time.monotonic()
        entry = self._entries.get(key)
        if entry is not None and entry.token == token and now - entry.loaded_at < MAX_AGE:
            return entry.value
        value = self.load(key)
        with self._lock:
            self._entries[key] = _Entry(token, now, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries = {}


def caches_clear_all() -> None:
    """Empty every cache of this process and forget this thread's open changes (between tests:
    a database rolled back changes nothing a signal sees)."""
    _pending().clear()
    for generation in _generations:
        for cache in generation._caches:
            cache.clear()
