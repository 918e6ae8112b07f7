"""Resolving mentions to people (DATA-CONTRACT.md, "Resolving mentions to people").

A report names "汪局长, 县卫健局" or "劉建国" or "lixintao 东岭镇站长"; the resolver proposes the
cadre with a calibrated score and the reasons, or abstains and lists the candidates when
several fit alike or when no cadre fits (a citizen, someone of another county).

Public surface (no Django):

    from lianqing.analytics.resolve import Mention, Registry, resolve_mentions

    registry = Registry.from_package("pkg/")                    # officials + orgs (+ persons)
    registry = Registry.from_tables(officials=rows, orgs=rows)  # lists of dicts or Arrow tables
    links = resolve_mentions(registry, [Mention("r1", name="汪局长", org_text="县卫健局")])
    links[0].person_id      # None when not confident
    links[0].score          # posterior probability of the best candidate, 0–1
    links[0].candidates     # up to 5 Candidate(person_id, name, score, reasons), best first
    links[0].reasons        # the best candidate's Reason(code, text, weight) list
    registry.duplicates     # same name + birth date under several person_ids: reported, not merged

`resolve_package(package, mentions_csv, out_dir)` is `lianqing resolve`. Bad input raises
`lianqing.analytics.errors.AnalyticsError` with a Chinese message naming file, row and column.
Build the Registry once and reuse it: building is the expensive part.
"""

from __future__ import annotations

from lianqing.analytics.resolve.files import ResolveResult, read_mentions, resolve_package
from lianqing.analytics.resolve.model import Candidate, DuplicatePerson, Link, Mention, Reason
from lianqing.analytics.resolve.registry import Registry
from lianqing.analytics.resolve.resolver import LINK_THRESHOLD, resolve_mentions

__all__ = [
    "LINK_THRESHOLD",
    "Candidate",
    "DuplicatePerson",
    "Link",
    "Mention",
    "Reason",
    "Registry",
    "ResolveResult",
    "read_mentions",
    "resolve_mentions",
    "resolve_package",
]
