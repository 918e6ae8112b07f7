"""Fixtures of the public-site tests: a data directory, a registered benefits package, staff."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache

from lianqing.core.roles import Role
from lianqing.leads.services import package_register_folder
from tests.publicity.packages import benefits_package


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path: Path) -> Iterator[Path]:
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    cache.clear()
    yield settings.DATA_DIR
    # Pages are cached by publication generation, which starts again in each test's database: a
    # later test elsewhere (tests/e2e) must not be served this test's pages.
    cache.clear()


@pytest.fixture
def editor(org_tree, make_user):
    return make_user(Role.CASE_MANAGEMENT, org=org_tree.case_office, username="bianji")


@pytest.fixture
def leader(org_tree, make_user):
    return make_user(Role.LEADER, org=org_tree.commission, username="lingdao")


@pytest.fixture
def analyst(org_tree, make_user):
    return make_user(Role.DATA_ANALYSIS, org=org_tree.commission, username="shuju")


@pytest.fixture
def package(analyst, data_dir):
    benefits_package(data_dir / "funds")
    return package_register_folder(user=analyst, folder="funds")
