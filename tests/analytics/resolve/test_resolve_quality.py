"""Quality floors on a small generated, labelled set (bench/resolve.py runs the big one)."""

from __future__ import annotations

import pytest

from lianqing.analytics.resolve import Mention, Registry, resolve_mentions
from lianqing.analytics.resolve.synthetic import (
    KINDS_AMBIGUOUS,
    KINDS_LINKABLE,
    KINDS_OUTSIDER,
    generate_test_set,
)


@pytest.fixture(scope="module")
def outcome():
    test_set = generate_test_set(seed=21, counties=2, cadres_per_county=700, mentions=640)
    registry = Registry.from_tables(
        officials=test_set.officials, orgs=test_set.orgs, persons=test_set.persons
    )
    links = resolve_mentions(registry, [Mention(**row) for row in test_set.mentions])
    return test_set, {link.mention_id: link for link in links}


def test_the_generated_set_is_deterministic_and_has_every_kind() -> None:
    first = generate_test_set(seed=3, counties=1, cadres_per_county=300, mentions=160)
    again = generate_test_set(seed=3, counties=1, cadres_per_county=300, mentions=160)

    assert first.mentions == again.mentions
    assert first.truth == again.truth
    assert {kind for _, kind in first.truth.values()} == {*KINDS_LINKABLE, *KINDS_AMBIGUOUS, *KINDS_OUTSIDER}


def test_links_are_precise_and_recall_is_high_on_linkable_mentions(outcome) -> None:
    test_set, links = outcome
    made = [m for m, link in links.items() if link.person_id]
    right = [m for m in made if links[m].person_id == test_set.truth[m][0]]
    linkable = [m for m, (_, kind) in test_set.truth.items() if kind in KINDS_LINKABLE]

    assert len(right) / len(made) >= 0.99
    assert sum(1 for m in linkable if links[m].person_id == test_set.truth[m][0]) / len(linkable) >= 0.93


def test_the_true_cadre_is_among_the_candidates(outcome) -> None:
    test_set, links = outcome
    with_truth = [m for m, (truth, _) in test_set.truth.items() if truth]

    found = sum(1 for m in with_truth if test_set.truth[m][0] in {c.person_id for c in links[m].candidates})
    assert found / len(with_truth) >= 0.98


def test_ambiguous_mentions_abstain_and_outsiders_are_never_linked(outcome) -> None:
    test_set, links = outcome
    ambiguous = [m for m, (_, kind) in test_set.truth.items() if kind in KINDS_AMBIGUOUS]
    outsiders = [m for m, (_, kind) in test_set.truth.items() if kind in KINDS_OUTSIDER]

    assert sum(1 for m in ambiguous if links[m].person_id is None) / len(ambiguous) >= 0.9
    assert [m for m in outsiders if links[m].person_id] == []


@pytest.mark.parametrize("kind", KINDS_LINKABLE)
def test_every_error_kind_is_mostly_linked(outcome, kind) -> None:
    test_set, links = outcome
    ids = [m for m, (_, k) in test_set.truth.items() if k == kind]

    assert ids
    assert sum(1 for m in ids if links[m].person_id == test_set.truth[m][0]) / len(ids) >= 0.75
