"""Fixtures of the leads tests: a private data directory, analysts, a scanned package, the roles."""

from __future__ import annotations

from pathlib import Path

import pytest

from lianqing.core.roles import Role
from lianqing.leads.services import package_register_folder, scan_run_sync
from tests.leads.packages import RELATIVE_1, january_package


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    settings.MEDIA_ROOT = tmp_path / "media"  # evidence attached to leads
    return settings.DATA_DIR


@pytest.fixture
def analyst(org_tree, make_user):
    return make_user(Role.DATA_ANALYSIS, org=org_tree.commission, username="shuju")


@pytest.fixture
def owner(org_tree, make_user):
    """The analyst of township A who registered the package."""
    return make_user(Role.DATA_ANALYSIS, org=org_tree.township_a, username="analyst_a")


@pytest.fixture
def scanned(owner, data_dir):
    january_package(data_dir / "jan")
    package = package_register_folder(user=owner, folder="jan")
    run = scan_run_sync(package=package, user=owner, rules=["B01", "B02"])
    hit = run.hits.get(rule_id="B02", subject_id=RELATIVE_1)
    return package, run, hit


@pytest.fixture
def people(org_tree, make_user, owner):
    return {
        "owner": owner,
        "leader": make_user(Role.LEADER, org=org_tree.commission, username="leader"),
        "case_manager": make_user(Role.CASE_MANAGEMENT, org=org_tree.case_office, username="anguan"),
        "other_jurisdiction": make_user(Role.DATA_ANALYSIS, org=org_tree.township_b, username="analyst_b"),
        "wrong_role": make_user(Role.PETITION, org=org_tree.commission, username="xinfang"),
        "township_case_manager": make_user(Role.CASE_MANAGEMENT, org=org_tree.township_a, username="ag_a"),
    }
