"""Published pages are served from Django's cache, keyed by a publication generation.

Every publish or withdrawal bumps the generation (a database row, so every web worker sees it);
a worker re-reads the generation at most once a second, so a busy day costs one tiny query per
worker a second, not one per page; with nginx's micro-cache in front (deploy/nginx/) a publication
is seen at most LIANQING_PUBLIC_CACHE_SECONDS + 1 + GENERATION_SECONDS later. Scheduled items appear when their time comes:
entries live at most `PAGE_SECONDS`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils.translation import get_language

from .models import PublicationGeneration

GENERATION_SECONDS = 1.0
PAGE_SECONDS = 60
T = TypeVar("T")
_memo: dict[str, float] = {"value": -1.0, "read_at": 0.0}
_lock = threading.Lock()


def generation() -> int:
    now = time.monotonic()
    with _lock:
        if _memo["value"] >= 0 and now - _memo["read_at"] < GENERATION_SECONDS:
            return int(_memo["value"])
    row = PublicationGeneration.objects.filter(pk=1).values_list("value", flat=True).first()
    value = int(row or 0)
    with _lock:
        _memo["value"], _memo["read_at"] = float(value), now
    return value


def _forget() -> None:
    with _lock:
        _memo["value"] = -1.0


def generation_bump() -> None:
    """Call inside the publishing transaction: after commit, every cached page is stale."""
    updated = PublicationGeneration.objects.filter(pk=1).update(value=F("value") + 1)
    if not updated:
        PublicationGeneration.objects.get_or_create(pk=1, defaults={"value": 1})
    _forget()  # this worker at once (it reads the new value in its own transaction) …
    transaction.on_commit(_forget)  # … and again once others can read it


def cached(key: str, build: Callable[[], T], *, seconds: int = PAGE_SECONDS) -> T:
    """The cached value for `key` in the current language and generation, built once if missing."""
    full_key = f"publicity:{generation()}:{get_language() or ''}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = build()
        cache.set(full_key, value, seconds)
    return value  # type: ignore[no-any-return]
