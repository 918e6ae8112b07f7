"""Mentions in, links out: blocking in DuckDB, Fellegi–Sunter scoring, then the decision.

Blocking keeps the work linear: a mention is only compared with cadres sharing a key with it
(the full name's pinyin, that pinyin with one look-alike character swapped, the surname and a
given character, the surname in a unit the text fits, the phone). DuckDB joins the keys and
keeps the best CANDIDATES_PER_MENTION per mention by a cheap pre-score; only those are scored.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Sequence

import duckdb
import numpy as np
import pyarrow as pa

from lianqing.analytics.resolve.model import Candidate, Link, Mention, Reason
from lianqing.analytics.resolve.registry import Registry, person_keys, phone_digits
from lianqing.analytics.resolve.scoring import (
    OUTSIDER_IN_UNIT,
    OUTSIDER_ODDS,
    MentionView,
    mention_gender,
    score_candidates,
)
from lianqing.analytics.resolve.text import (
    PersonName,
    char_pinyin,
    lookalikes,
    parse_name,
    surname_pinyin,
    title_of,
)
from lianqing.analytics.resolve.units import canonical_unit
from lianqing.analytics.sources import int64_array, string_array

LINK_THRESHOLD = 0.9  # link only when the best candidate's posterior reaches this
CANDIDATES_PER_MENTION = 30  # scored after blocking
CANDIDATES_SHOWN = 5
KEY_WEIGHTS = {"p": 10, "r": 10, "v": 6, "g": 3, "u": 5, "t": 20}


def prepare(mention: Mention, registry: Registry) -> MentionView:
    name = parse_name(mention.name)
    unit = canonical_unit(mention.org_text)
    title = name.title or title_of(mention.position_text)
    codes = registry.units_for(unit)
    return MentionView(
        name=name,
        unit=unit,
        unit_codes=tuple(codes),
        unit_share=registry.unit_share(codes) if codes else 0.01,
        title=title,
        gender=mention_gender(mention.gender),
        phone=phone_digits(mention.phone),
    )


def mention_keys(view: MentionView) -> dict[str, int]:
    """The mention's blocking keys and their pre-score weights."""
    name = view.name
    keys: dict[str, int] = {}
    if name.is_pinyin:
        keys.update({f"p:{name.text}": KEY_WEIGHTS["p"], f"r:{name.text}": KEY_WEIGHTS["p"]})
    elif name.text and not name.is_surname_only:
        # a look-alike character swapped: the same key space as the full pinyin, weighed less
        keys.update((f"p:{variant}", KEY_WEIGHTS["v"]) for variant in _lookalike_pinyins(name))
        keys.update((key, KEY_WEIGHTS[key[0]]) for key in person_keys(name) if not key.startswith("r:"))
    if name.surname:
        keys.update((f"u:{name.surname_pinyin}|{code}", KEY_WEIGHTS["u"]) for code in view.unit_codes)
    if view.phone:
        keys[f"t:{view.phone}"] = KEY_WEIGHTS["t"]
    return keys


def _lookalike_pinyins(name: PersonName) -> set[str]:
    """The name's pinyin with any one character swapped for a look-alike."""
    readings = [name.surname_pinyin, *name.given_pinyin]
    chars = [name.surname, *name.given]
    variants = set()
    for position, char in enumerate(chars):
        for other in lookalikes().get(char, ()):
            reading = surname_pinyin(other) if position == 0 else char_pinyin(other)
            variants.add("".join([*readings[:position], reading, *readings[position + 1 :]]))
    return variants


_local = threading.local()


def _blocking_connection() -> duckdb.DuckDBPyConnection:
    """This thread's in-memory DuckDB: opening one costs about 20 ms of CPU, more than the
    blocking join itself, and the worker resolves the mentions of every new case."""
    connection = getattr(_local, "connection", None)
    if connection is None:
        connection = _local.connection = duckdb.connect()
        connection.execute("SET enable_progress_bar = false")
    return connection


def _candidates(views: Sequence[MentionView], registry: Registry) -> dict[int, list[int]]:
    mention_rows: list[int] = []
    keys: list[str] = []
    weights: list[int] = []
    for index, view in enumerate(views):
        for key, weight in mention_keys(view).items():
            mention_rows.append(index)
            keys.append(key)
            weights.append(weight)
    if not keys:
        return {}
    mention_keys_table = pa.table(
        {
            "mention": int64_array(np.array(mention_rows)),
            "key": string_array(keys),
            "weight": int64_array(np.array(weights)),
        }
    )
    registry_keys = registry.blocking_keys()
    connection = _blocking_connection()
    connection.register("mention_keys", mention_keys_table)
    connection.register("registry_keys", registry_keys)
    try:
        rows = connection.execute(
            f"""
            SELECT mention, person FROM (
                SELECT m.mention, r.person, sum(m.weight) AS prescore
                FROM mention_keys m JOIN registry_keys r USING (key)
                GROUP BY m.mention, r.person
            )
            QUALIFY row_number() OVER (PARTITION BY mention ORDER BY prescore DESC, person)
                <= {CANDIDATES_PER_MENTION}
            """
        ).fetchall()
    finally:  # the Arrow tables are not kept alive by the connection between calls
        connection.unregister("mention_keys")
        connection.unregister("registry_keys")
    found: dict[int, list[int]] = {}
    for mention, person in rows:
        found.setdefault(mention, []).append(person)
    return found


def _decide(
    mention: Mention,
    view: MentionView,
    scored: list[tuple[float, int, tuple[Reason, ...]]],
    registry: Registry,
) -> Link:
    if not scored:
        return Link(mention.mention_id, None, 0.0, ())
    # posterior over "this cadre" for each candidate and "someone outside the registry"
    in_unit = OUTSIDER_IN_UNIT if view.unit_codes else 1.0
    outsider = math.log2(OUTSIDER_ODDS * in_unit * max(len(registry), 1))
    top = max(weight for weight, _, _ in scored)
    denominator = 2 ** (outsider - top) + sum(2 ** (weight - top) for weight, _, _ in scored)
    ranked = sorted(scored, key=lambda item: (-item[0], registry.person_ids[item[1]]))
    candidates = tuple(
        Candidate(
            registry.person_ids[slot],
            registry.names[slot].raw,
            round(2 ** (weight - top) / denominator, 4),
            reasons,
        )
        for weight, slot, reasons in ranked[:CANDIDATES_SHOWN]
    )
    best = candidates[0]
    person_id = best.person_id if best.score >= LINK_THRESHOLD else None
    return Link(mention.mention_id, person_id, best.score, candidates)


def resolve_mentions(registry: Registry, mentions: Iterable[Mention]) -> list[Link]:
    """One Link per mention, in input order."""
    mention_list = list(mentions)
    views = [prepare(mention, registry) for mention in mention_list]
    candidates = _candidates(views, registry)
    links = []
    for index, (mention, view) in enumerate(zip(mention_list, views, strict=True)):
        slots = candidates.get(index, [])
        scored = [
            (weight, slot, reasons)
            for (weight, reasons), slot in zip(score_candidates(view, slots, registry), slots, strict=True)
        ]
        links.append(_decide(mention, view, scored, registry))
    return links
