"""A registry for the resolver's tests: a generated county for realistic term frequencies, plus
the hand-made cadres of resolve_kit."""

from __future__ import annotations

import pytest
from resolve_kit import HAND_ORGS, hand_officials

from lianqing.analytics.resolve import Registry
from lianqing.analytics.resolve.synthetic import generate_test_set


@pytest.fixture(scope="session")
def background():
    return generate_test_set(seed=5, counties=1, cadres_per_county=1500, mentions=0)


@pytest.fixture(scope="session")
def registry(background) -> Registry:
    return Registry.from_tables(
        officials=background.officials + hand_officials(), orgs=background.orgs + HAND_ORGS
    )
