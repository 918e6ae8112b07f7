"""Every hit of every rule leads back to its source records: the evidence round trip on generated data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lianqing.analytics.contract import DATASETS
from lianqing.analytics.engine import list_rules, scan
from lianqing.analytics.evidence import PackageReader, hit_places, parse_record_ids, split_record_ids
from lianqing.analytics.generate import generate


@pytest.mark.parametrize(("persons", "seed"), [(2_000, 1), (3_000, 5)], ids=["2k-seed1", "3k-seed5"])
def test_every_record_id_of_every_hit_resolves_to_one_source_record(
    tmp_path: Path, persons: int, seed: int
) -> None:
    # Given a generated package with planted cases of every rule, scanned by the whole library
    package = tmp_path / "package"
    generate(package, persons=persons, seed=seed)
    as_of = json.loads((package / "_manifest.json").read_text(encoding="utf-8"))["as_of"]
    hits = scan(package=package, as_of=as_of).hits
    # (the generator makes no OCDS releases: the R rules have hand-made fixtures of their own)
    assert {rule.id for rule in list_rules() if rule.id[0] != "R"} <= {hit.rule_id for hit in hits}
    unresolved: list[str] = []
    with PackageReader(package) as reader:
        for hit in hits:
            ids = split_record_ids(hit.record_ids)
            assert ids, f"{hit.rule_id} {hit.subject_id}: no record ids"
            # When each id is read back as the hit page reads it
            unknown = [record_id for record_id in ids if record_id.partition(":")[0] not in DATASETS]
            assert not unknown, f"{hit.rule_id}: ids of no dataset {unknown[:3]}"
            found = {
                group.name: {_key(group.name, row) for row in group.rows} for group in reader.records(ids)
            }
            # Then every id is exactly the key of a record found
            for name, keys in parse_record_ids(ids).items():
                unresolved += [
                    f"{hit.rule_id} {name}:{key}" for key in keys if key not in found.get(name, set())
                ]
    assert not unresolved, f"{len(unresolved)} record ids resolve to nothing, e.g. {unresolved[:5]}"


def _key(dataset: str, row: dict[str, object]) -> str:
    return "|".join(str(row[column]) for column in DATASETS[dataset].key)


def test_every_hit_is_placed_in_an_org_of_the_package(tmp_path: Path) -> None:
    package = tmp_path / "package"
    generate(package, persons=2_000, seed=1)
    hits = scan(package=package).hits
    places = hit_places(str(package), hits)
    with PackageReader(package) as reader:
        orgs = {
            row["org_code"]
            for row in reader.query("SELECT org_code FROM read_parquet(?)", [reader.file("orgs")])
        }
    placed = [place for place in places.values() if place.org_code]
    assert placed, "no hit was placed in an org"
    assert {place.org_code for place in placed} <= orgs
    assert all(place.org_name for place in placed)
