from __future__ import annotations

import pytest

from lianqing.triage.models_store import model_cache_clear
from tests.dossiers.factories import Registry, registry_build
from tests.intake.conftest import intake_env, intake_key_dir  # noqa: F401  (fixtures for the intake hook)


@pytest.fixture
def registry(org_tree) -> Registry:  # type: ignore[no-untyped-def]
    return registry_build(org_tree)


@pytest.fixture(autouse=True)
def _instance_models(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Each test trains into its own instance folder and starts from the shipped default."""
    settings.HOME = tmp_path
    model_cache_clear()
    yield
    model_cache_clear()
