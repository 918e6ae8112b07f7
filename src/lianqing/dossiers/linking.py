"""The one door from the dossiers app to the resolver (`lianqing.analytics.resolve`, the same
library `lianqing resolve` runs): mentions → cadres with score, reasons and candidates.

Everything here speaks in plain values: the registry comes in as `RegistryEntry` rows, one per
post (ended ones too), and leaves as `Suggestion`s keyed by the registry key (the 公民身份号码).
Building the resolver's Registry is the expensive part, so the last one built is kept while the
registry rows it was built from are unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from lianqing.analytics import resolve


@dataclass(frozen=True)
class Mention:
    mention_id: str
    name: str
    org_text: str = ""
    position_text: str = ""


@dataclass(frozen=True)
class RegistryEntry:
    key: str  # the cadre's 公民身份号码
    name: str
    unit_code: str
    unit_name: str
    position: str
    is_current: bool


@dataclass(frozen=True)
class Suggestion:
    mention_id: str
    key: str | None  # None: no confident match (abstained, or nobody fits)
    score: float
    reasons: list[dict[str, object]] = field(default_factory=list)  # {code, text, detail, weight}
    candidates: list[tuple[str, float]] = field(default_factory=list)


_cache: dict[str, tuple[tuple[RegistryEntry, ...], resolve.Registry]] = {}


def _registry(entries: Sequence[RegistryEntry], scope: str) -> resolve.Registry:
    snapshot = tuple(entries)
    cached = _cache.get(scope)
    if cached is not None and cached[0] == snapshot:
        return cached[1]
    officials = [
        {
            "person_id": entry.key,
            "name": entry.name,
            "org_code": entry.unit_code,
            "position": entry.position,
            "end_date": None if entry.is_current else "ended",
        }
        for entry in snapshot
    ]
    units = {entry.unit_code: entry.unit_name for entry in snapshot}
    orgs = [{"org_code": code, "name": name, "parent_code": ""} for code, name in units.items()]
    registry = resolve.Registry.from_tables(officials=officials, orgs=orgs)
    _cache.clear()
    _cache[scope] = (snapshot, registry)
    return registry


def resolve_mentions(
    mentions: Sequence[Mention], registry: Sequence[RegistryEntry], *, scope: str = ""
) -> list[Suggestion]:
    """One suggestion per mention, in input order."""
    if not registry:
        return [Suggestion(m.mention_id, None, 0.0) for m in mentions]
    links = resolve.resolve_mentions(
        _registry(registry, scope),
        [
            resolve.Mention(m.mention_id, name=m.name, org_text=m.org_text, position_text=m.position_text)
            for m in mentions
        ],
    )
    return [
        Suggestion(
            mention_id=link.mention_id,
            key=link.person_id,
            score=round(link.score, 3),
            reasons=[
                {"code": r.code, "text": r.text, "detail": r.detail, "weight": round(r.weight, 2)}
                for r in link.reasons
            ],
            candidates=[(c.person_id, round(c.score, 3)) for c in link.candidates],
        )
        for link in links
    ]
