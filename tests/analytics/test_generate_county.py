"""A package generated for a given county (the demo's 示范县) keeps the generator's truth."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from lianqing.analytics.engine import scan
from lianqing.analytics.errors import AnalyticsError
from lianqing.analytics.generate import generate


def test_a_named_county_is_the_place_of_every_org_and_the_truth_still_holds(tmp_path: Path) -> None:
    out = tmp_path / "package"
    generate(out, persons=2_000, seed=1, county=("370124", "示范县"))
    orgs = pq.read_table(out / "orgs.parquet").to_pylist()
    assert {org["region_code"][:6] for org in orgs} == {"370124"}
    assert all(org["name"].startswith("示范县") for org in orgs if org["region_code"] == "370124")
    assert json.loads((out / "_manifest.json").read_text(encoding="utf-8"))["county"] == ["370124", "示范县"]
    with (out / "_truth.csv").open(encoding="utf-8") as handle:
        truth = {(row["rule_id"], row["subject_id"]) for row in csv.DictReader(handle)}
    as_of = json.loads((out / "_manifest.json").read_text(encoding="utf-8"))["as_of"]
    hits = {(hit.rule_id, hit.subject_id) for hit in scan(package=out, as_of=as_of).hits}
    assert hits == truth


def test_a_county_code_must_be_six_digits(tmp_path: Path) -> None:
    with pytest.raises(AnalyticsError, match="6 位数字"):
        generate(tmp_path / "x", persons=1_000, county=("3701", "示范县"))
