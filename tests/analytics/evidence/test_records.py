"""Reading the records behind a hit from its package, by `dataset:key` ids."""

from __future__ import annotations

from tests.leads.packages import OFFICIAL_A, OFFICIAL_B, RELATIVE_1, january_package

from lianqing.analytics.evidence import hit_records, parse_record_ids
from lianqing.analytics.importer import import_package


def _package(tmp_path):
    out = tmp_path / "pkg"
    assert import_package([str(january_package(tmp_path / "src"))], out).ok
    return out


def test_record_ids_group_by_dataset_and_drop_unknown_datasets():
    keys = parse_record_ids(["benefits:A", "relatives:X|Y", "benefits:A", "nonsense:1", "benefits:"])
    assert keys == {"benefits": ["A"], "relatives": ["X|Y"]}


def test_records_are_found_by_simple_compound_and_dated_keys(tmp_path):
    package = _package(tmp_path)
    groups = hit_records(
        package,
        [
            "benefits:JAN001",
            f"relatives:{OFFICIAL_A}|{RELATIVE_1}",
            f"officials:{OFFICIAL_B}|370124CIV|2018-01-01",
        ],
    )
    by_name = {group.name: group for group in groups}
    assert [row["record_id"] for row in by_name["benefits"].rows] == ["JAN001"]
    assert by_name["benefits"].rows[0]["amount"] == "600.00"
    assert by_name["relatives"].rows[0]["relation"] == "配偶"
    assert by_name["officials"].rows[0]["start_date"] == "2018-01-01"
    assert by_name["officials"].title == "公职人员"
    assert list(by_name) == ["officials", "relatives", "benefits"]  # contract order


def test_keys_are_bound_parameters_not_sql(tmp_path):
    package = _package(tmp_path)
    groups = hit_records(package, ["benefits:x' OR '1'='1", "benefits:JAN002"])
    (benefits,) = groups
    assert [row["record_id"] for row in benefits.rows] == ["JAN002"]


def test_a_dataset_missing_from_the_package_gives_no_rows(tmp_path):
    package = _package(tmp_path)
    (contracts,) = hit_records(package, ["contracts:HT1"])
    assert contracts.rows == []
