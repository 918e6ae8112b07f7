"""A full verify at PostgreSQL speed: the rows arrive as COPY lines and each line is hashed whole.

Rows of the COPY form (core.audit_copy) hash exactly the line PostgreSQL's COPY prints for
them, so nothing is parsed per row: each line is its canonical bytes, then a tab, the stored hash
and a newline. While this process hashes one block, the database backend (another process, the
second core) is already printing the next lines into the socket.

A block is vouched for only if every line's keyed hash equals its stored hash, each line's
`prev_hash` equals the line before's hash (the first one the hash the walk started from) and the
block's first line has the seq expected there. A line hashed with the key is one the key holder
wrote; linked in order they are the rows first..last with none missing, added or moved. Any
block that does not hold (another algorithm, a row changed, a gap, a line printed differently from
how Python built it) is walked again in Python, which alone decides that a row is broken.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import numpy as np
from django.db import connection, transaction

from lianqing.core.audit_copy import COPY_COLUMNS, Hasher, keyed_hasher

RANGE_ROWS = 1_000_000  # one COPY statement; a block that fails is re-walked after it ends
BLOCK_ROWS = 8192
_TAIL = 131  # "\t" prev_hash "\t" hash "\n"
_AFTER = 66  # "\t" hash "\n": what follows the canonical bytes
_HASH_AT = 66  # in the tail without its newline: the stored hash starts here
_SELECT = "SELECT " + ", ".join(COPY_COLUMNS) + ", hash FROM core_auditevent"

Finding = TypeVar("Finding")


def stream_verify(
    first: int,
    prev: str,
    last: int,
    *,
    algorithm: str,
    secret: bytes,
    recheck: Callable[[int, str, int], Finding | None],
) -> Finding | None:
    """Check rows first..last (all keyed) against `prev`; `recheck(first, prev, last)` walks a
    span in Python and returns what it finds there."""
    base = keyed_hasher(algorithm, secret)
    prev_bytes = prev.encode()
    for start in range(first, last + 1, RANGE_ROWS):
        end = min(start + RANGE_ROWS - 1, last)
        suspects: list[tuple[int, str, int]] = []
        expected = start
        with transaction.atomic(), connection.cursor() as cursor:
            # The form assumes these; set here, whatever the server's configuration says.
            cursor.execute("SET LOCAL TimeZone TO 'UTC'")
            cursor.execute("SET LOCAL DateStyle TO 'ISO, YMD'")
            statement = (
                f"COPY ({_SELECT} WHERE seq BETWEEN {int(start)} AND {int(end)} ORDER BY seq) TO STDOUT"
            )
            with cursor.copy(statement) as copy:
                block: list[memoryview] = []
                for line in copy:
                    block.append(line)
                    if len(block) == BLOCK_ROWS:
                        ok, next_prev = _block_holds(block, prev_bytes, expected, base)
                        if not ok:
                            suspects.append((expected, prev_bytes.decode(), expected + len(block) - 1))
                        expected, prev_bytes, block = expected + len(block), next_prev, []
                if block:
                    ok, next_prev = _block_holds(block, prev_bytes, expected, base)
                    if not ok:
                        suspects.append((expected, prev_bytes.decode(), expected + len(block) - 1))
                    expected, prev_bytes = expected + len(block), next_prev
        for span in suspects:
            found = recheck(*span)
            if found is not None:
                return found
        if expected <= end:  # rows missing at the end of the range: the walk names the first
            return recheck(expected, prev_bytes.decode(), end)
    return None


def _block_holds(block: list[memoryview], prev: bytes, expected: int, base: Hasher) -> tuple[bool, bytes]:
    """Whether the block holds, and its last line's stored hash (where the next block links)."""
    buffer = b"".join(block)
    last_hash = buffer[1 - _AFTER : -1]
    # COPY escapes a newline inside a field, so every raw newline ends a line.
    data = np.frombuffer(buffer, dtype=np.uint8)
    ends = np.flatnonzero(data == 10) + 1
    starts = np.concatenate(([0], ends[:-1]))
    if (
        len(ends) != len(block)
        or (ends - starts).min() < _TAIL
        or buffer.split(b"\t", 1)[0] != b"%d" % expected
    ):
        return False, last_hash
    view, fresh = memoryview(buffer), base.copy
    digests: list[bytes] = []
    keep = digests.append
    for start, end in zip(starts.tolist(), (ends - _AFTER).tolist(), strict=True):
        hasher = fresh()
        hasher.update(view[start:end])
        keep(hasher.digest())
    table = data[ends[:, None] + np.arange(-_TAIL, -1)]  # per line: "\t" prev_hash "\t" hash
    stored, prevs = table[:, _HASH_AT:], table[:, 1 : _HASH_AT - 1]
    holds = (
        bool((table[:, 0] == 9).all() and (table[:, _HASH_AT - 1] == 9).all())
        and stored.tobytes() == b"".join(digests).hex().encode()
        and prevs[0].tobytes() == prev
        and np.array_equal(prevs[1:], stored[:-1])
    )
    return holds, last_hash
