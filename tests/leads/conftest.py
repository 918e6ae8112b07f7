"""Fixtures of the leads tests: a private data directory and an analyst of the commission."""

from __future__ import annotations

from pathlib import Path

import pytest

from lianqing.core.roles import Role


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    settings.MEDIA_ROOT = tmp_path / "media"  # evidence attached to leads
    return settings.DATA_DIR


@pytest.fixture
def analyst(org_tree, make_user):
    return make_user(Role.DATA_ANALYSIS, org=org_tree.commission, username="shuju")
