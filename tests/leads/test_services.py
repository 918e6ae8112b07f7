"""Scans of two monthly packages: new, recurring and disappeared 疑点; decisions carry over."""

from __future__ import annotations

import pytest

from lianqing.leads import services
from lianqing.leads.errors import LeadsError
from lianqing.leads.models import DataPackage, Hit, HitChange, HitStatus, ScanRun, ScanStatus
from lianqing.leads.services import hit_exclude, package_register_folder, scan_run_sync, scan_start
from tests.leads.packages import (
    CIVIL_AFFAIRS,
    OFFICIAL_B,
    RELATIVE_1,
    RELATIVE_3,
    RELATIVE_4,
    february_package,
    january_package,
)

pytestmark = pytest.mark.django_db


def _hits(run: ScanRun) -> dict[tuple[str, str], Hit]:
    return {(hit.rule_id, hit.subject_id): hit for hit in run.hits.all()}


def test_second_month_shows_new_recurring_disappeared_and_keeps_exclusions(analyst, data_dir):
    # Given January's package scanned, and R3's 疑点 excluded after checking
    january_package(data_dir / "2025-01")
    february_package(data_dir / "2025-02")
    january = package_register_folder(user=analyst, folder="2025-01")
    first = scan_run_sync(package=january, user=analyst, rules=["B01", "B02"])
    assert first.status == ScanStatus.SUCCEEDED, first.error
    first_hits = _hits(first)
    assert set(first_hits) == {("B01", OFFICIAL_B), ("B02", RELATIVE_1), ("B02", RELATIVE_3)}
    assert {hit.change for hit in first_hits.values()} == {HitChange.NEW}
    hit_exclude(
        hit=first_hits[("B02", RELATIVE_3)], user=analyst, reason="已核实：兄弟姐妹分户另居，符合低保条件"
    )

    # When February's package is scanned
    february = package_register_folder(user=analyst, folder="2025-02")
    second = scan_run_sync(package=february, user=analyst, rules=["B01", "B02"])

    # Then R1 recurs (other records), R4 is new, official B disappeared, R3 stays excluded
    assert second.status == ScanStatus.SUCCEEDED, second.error
    hits = _hits(second)
    assert set(hits) == {("B02", RELATIVE_1), ("B02", RELATIVE_3), ("B02", RELATIVE_4)}
    assert hits[("B02", RELATIVE_1)].change == HitChange.RECURRING
    assert "FEB001" in hits[("B02", RELATIVE_1)].record_ids
    assert hits[("B02", RELATIVE_4)].change == HitChange.NEW
    assert hits[("B02", RELATIVE_3)].change == HitChange.RECURRING
    assert hits[("B02", RELATIVE_3)].status == HitStatus.EXCLUDED
    assert "分户另居" in hits[("B02", RELATIVE_3)].decision_reason
    assert hits[("B02", RELATIVE_3)].decided_by == analyst
    assert hits[("B02", RELATIVE_1)].status == HitStatus.PENDING
    assert second.previous_run_id == first.pk
    assert (second.new_count, second.recurring_count, second.disappeared_count) == (1, 2, 1)


def test_hits_carry_the_org_and_region_the_data_names(analyst, data_dir):
    january_package(data_dir / "jan")
    package = package_register_folder(user=analyst, folder="jan")
    run = scan_run_sync(package=package, user=analyst, rules=["B01", "B02"])
    hits = _hits(run)
    assert hits[("B01", OFFICIAL_B)].subject_org_code == CIVIL_AFFAIRS
    assert hits[("B01", OFFICIAL_B)].subject_org_name == "示范县民政局"
    assert hits[("B02", RELATIVE_1)].region_code == "370124001"
    assert hits[("B02", RELATIVE_1)].subject_org_code == "370124001"  # the approving org
    assert all(hit.org_id == analyst.org_id for hit in hits.values())


def test_a_second_scan_of_a_package_is_refused_while_one_is_queued(analyst, data_dir):
    january_package(data_dir / "jan")
    package = package_register_folder(user=analyst, folder="jan")
    scan_start(package=package, user=analyst, enqueue=False)
    with pytest.raises(LeadsError, match="已有一个扫描"):
        scan_start(package=package, user=analyst, enqueue=False)
    assert ScanRun.objects.filter(package=package).count() == 1


def test_a_folder_missing_every_dataset_a_rule_needs_is_refused(analyst, data_dir):
    from tests.leads.packages import write_csv_package

    write_csv_package(
        data_dir / "orgs-only", {"orgs": [{"org_code": "X1", "name": "甲", "region_code": "370124"}]}
    )
    with pytest.raises(LeadsError, match="没有一条规则可以运行"):
        package_register_folder(user=analyst, folder="orgs-only")
    assert DataPackage.objects.count() == 0
    assert not any((data_dir / "packages").iterdir())


def test_a_leads_category_comes_from_its_rules_header():
    assert services.rule_category("F09") == "sifeng_vehicle"
    assert services.rule_category("F08") == "sifeng_ceremony"
    assert services.rule_category("D03") == "business"
    assert services.rule_category("X99") == "other"  # a rule that has left the library
