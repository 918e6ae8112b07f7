from __future__ import annotations

import pytest

from tests.dossiers.factories import Registry, registry_build


@pytest.fixture
def registry(org_tree) -> Registry:  # type: ignore[no-untyped-def]
    return registry_build(org_tree)
