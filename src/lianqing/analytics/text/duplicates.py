"""Copies of an earlier report: the same text sent again, however re-punctuated or prefixed.

Texts are reduced to their letters (simplified, no punctuation or spaces) and cut into overlapping
4-character shingles. A MinHash sketch (64 hashes, 16 bands of 4) finds earlier texts that may be
copies in constant time per text; each candidate is then checked exactly: a copy shares at least
`CONTAINMENT` of the shorter text's shingles and is not less than half or more than twice its
length, and names the same people and sums. Another report about the same person shares names,
not sentences; another citizen's letter in the same words about someone else shares sentences, not
names: both stay apart.
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from lianqing.analytics.text.normalize import to_simplified

SHINGLE = 4
HASHES, BANDS = 64, 16
CONTAINMENT = 0.85
_PRIME = np.uint64((1 << 61) - 1)
_rng = np.random.default_rng(20261201)
_A = _rng.integers(1, 1 << 40, HASHES, dtype=np.uint64)
_B = _rng.integers(0, 1 << 40, HASHES, dtype=np.uint64)
_NON_LETTERS = re.compile(r"[\W_]+")


def letters(text: str) -> str:
    return _NON_LETTERS.sub("", to_simplified(text)).lower()


def shingles(text: str) -> frozenset[int]:
    reduced = letters(text)
    if len(reduced) < SHINGLE:
        return frozenset([zlib.crc32(reduced.encode())]) if reduced else frozenset()
    return frozenset(zlib.crc32(reduced[i : i + SHINGLE].encode()) for i in range(len(reduced) - SHINGLE + 1))


def _sketch(hashes: frozenset[int]) -> np.ndarray:
    values = np.fromiter(hashes, dtype=np.uint64, count=len(hashes))
    return ((values[:, None] * _A[None, :] + _B[None, :]) % _PRIME).min(axis=0)


@dataclass
class CopyFinder:
    """Feed texts in order of arrival; each answer names the earliest earlier text it copies."""

    _shingles: list[frozenset[int]] = field(default_factory=list)
    _facts: list[tuple[object, ...]] = field(default_factory=list)  # the people and sums each text names
    _ids: list[str] = field(default_factory=list)
    _copy_of: list[int] = field(default_factory=list)  # the original's index for each text, or -1
    _buckets: list[dict[bytes, list[int]]] = field(
        default_factory=lambda: [defaultdict(list) for _ in range(BANDS)]
    )

    def add(self, text_id: str, text: str, facts: tuple[object, ...] = ()) -> str:
        """`facts`: what the text names (people, sums); a copy names the same."""
        mine = shingles(text)
        index = len(self._ids)
        original = -1
        if mine:
            sketch = _sketch(mine)
            rows = HASHES // BANDS
            keys = [sketch[band * rows : (band + 1) * rows].tobytes() for band in range(BANDS)]
            candidates = sorted(
                {c for band, key in enumerate(keys) for c in self._buckets[band].get(key, ())}
            )
            for candidate in candidates:
                if self._facts[candidate] == facts and self._is_copy(mine, self._shingles[candidate]):
                    root = self._copy_of[candidate]
                    original = root if root >= 0 else candidate
                    break
            for band, key in enumerate(keys):
                self._buckets[band][key].append(index)
        self._shingles.append(mine)
        self._facts.append(facts)
        self._ids.append(text_id)
        self._copy_of.append(original)
        return self._ids[original] if original >= 0 else ""

    @staticmethod
    def _is_copy(mine: frozenset[int], theirs: frozenset[int]) -> bool:
        shorter, longer = sorted((len(mine), len(theirs)))
        if not shorter or longer > 2 * shorter:
            return False
        return len(mine & theirs) >= CONTAINMENT * shorter
