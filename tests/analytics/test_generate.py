"""The generator: deterministic, contract-typed, truth consistent with the data and the engine."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from lianqing.analytics.commands.package import gen_main
from lianqing.analytics.contract import DATASET_NAMES, DATASETS
from lianqing.analytics.generate import generate
from lianqing.analytics.idcodes import is_valid_person_id
from lianqing.analytics.importer import import_package

RULE_IDS = {
    *(f"B{i:02d}" for i in range(1, 15)),
    *(f"C{i:02d}" for i in range(1, 6)),
    "P01",
    "P02",
    *(f"F{i:02d}" for i in range(1, 13)),
    "M01",
    "M02",
    "M03",
    "D01",
    "D02",
    "D03",
    # Cardinal's indicators the contract's contracts/bids feed
    "R018",
    "R024",
    "R028",
    "R058",
}


def _truth(package: Path) -> list[tuple[str, str]]:
    with (package / "_truth.csv").open(encoding="utf-8") as handle:
        reader = csv.reader(handle)
        assert next(reader) == ["rule_id", "subject_id"]
        return [(row[0], row[1]) for row in reader]


def _query(package: Path, sql: str) -> list[tuple[object, ...]]:
    connection = duckdb.connect()
    for name in DATASET_NAMES:
        connection.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{package / name}.parquet')")
    return connection.execute(sql).fetchall()


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "pkg"
    generate(out, persons=5_000, seed=11)
    return out


def _as_stored(schema: pa.Schema) -> pa.Schema:
    """Parquet has no second-resolution timestamps: Arrow stores timestamp('s') as milliseconds."""
    return pa.schema(
        [pa.field(f.name, pa.timestamp("ms")) if pa.types.is_timestamp(f.type) else f for f in schema]
    )


def test_every_dataset_is_written_with_the_contract_schema(package: Path) -> None:
    for name in DATASET_NAMES:
        assert pq.read_schema(package / f"{name}.parquet") == _as_stored(DATASETS[name].arrow_schema()), name
    manifest = json.loads((package / "_manifest.json").read_text("utf-8"))
    assert manifest["as_of"] == "2025-12-31"
    assert manifest["datasets"]["persons"] == pq.read_metadata(package / "persons.parquet").num_rows


def test_truth_names_every_rule_and_is_sorted_and_unique(package: Path) -> None:
    truth = _truth(package)
    assert truth == sorted(set(truth))
    assert {rule for rule, _ in truth} == RULE_IDS


def test_truth_subjects_exist_in_the_data(package: Path) -> None:
    truth = _truth(package)
    benefit_people = {row[0] for row in _query(package, "SELECT DISTINCT person_id FROM benefits")}
    officials = {row[0] for row in _query(package, "SELECT DISTINCT person_id FROM officials")}
    payroll = {row[0] for row in _query(package, "SELECT DISTINCT person_id FROM payroll")}
    accounts = {row[0] for row in _query(package, "SELECT DISTINCT account_no FROM benefits")}
    tenders = {row[0] for row in _query(package, "SELECT DISTINCT tender_id FROM bids")}
    orgs = {row[0] for row in _query(package, "SELECT org_code FROM orgs")}
    plates = {row[0] for row in _query(package, "SELECT DISTINCT plate FROM vehicle_trips")}
    households = {row[0] for row in _query(package, "SELECT DISTINCT household_id FROM benefits")}
    suppliers = {row[0] for row in _query(package, "SELECT DISTINCT supplier_uscc FROM contracts")}
    cars = {row[0] for row in _query(package, "SELECT plate FROM official_vehicles")}
    holders = {row[0] for row in _query(package, "SELECT DISTINCT holder_id FROM card_payments")}
    declared = {row[0] for row in _query(package, "SELECT DISTINCT person_id FROM declarations")}
    for rule, subject in truth:
        group = rule[0]
        if rule == "B08":
            assert subject in accounts
        elif rule == "B13":
            household, _, year = subject.partition("/")
            assert household in households, subject
            assert year in ("2024", "2025"), subject
        elif rule == "C05":
            assert subject in suppliers
        elif rule == "F09":
            assert subject in cars
        elif rule in ("F10", "F11"):
            assert subject in holders
            assert subject in officials
        elif rule == "F12":
            org, _, year = subject.partition("/")
            assert org in orgs, subject
            assert year == "2025", subject
        elif group == "D":
            person, _, year = subject.partition("/")
            assert person in declared, subject
            assert person in officials, subject
            assert year == "2024", subject
        elif group == "B":
            assert subject in benefit_people, (rule, subject)
        elif rule == "C03":
            assert subject in tenders
        elif group == "R":
            kind, _, identifier = subject.partition(":")
            bidders = {row[0] for row in _query(package, "SELECT DISTINCT bidder_uscc FROM bids")}
            assert identifier in (tenders if kind == "tender" else bidders), (rule, subject)
            assert kind in ("tender", "tenderer"), (rule, subject)
        elif rule == "C04" or group == "M":
            org, _, other = subject.partition("/")
            assert org in orgs, (rule, subject)
            assert other, (rule, subject)
        elif group == "P":
            assert subject in payroll
        elif rule == "F05":
            assert subject in plates
        elif rule in ("F01", "F02", "F03", "F04"):
            assert subject in orgs
        else:
            assert subject in officials, (rule, subject)


def test_planted_near_misses_sit_beside_the_true_cases(package: Path) -> None:
    # an exactly-at-standard 低保 payment, a 农用车, a relation that is not 近亲属, an ex-official
    # on 低保, a three-contract split one cent short, a reception at exactly 150 yuan a head
    assert (
        _query(
            package,
            "SELECT count(*) FROM benefits WHERE program = '低保' AND amount = 600 AND period < '2025'",
        )[0][0]
        > 0
    )
    assert _query(package, "SELECT count(*) FROM vehicles WHERE vehicle_type = '农用车'")[0][0] > 0
    assert _query(package, "SELECT count(*) FROM relatives WHERE relation = '其他'")[0][0] > 0
    assert (
        _query(
            package,
            "SELECT count(*) FROM benefits b JOIN officials o ON o.person_id = b.person_id "
            "WHERE o.end_date < CAST(b.period || '-01' AS DATE)",
        )[0][0]
        > 0
    )
    assert (
        _query(
            package,
            "SELECT count(*) FROM (SELECT buyer_org_code, supplier_uscc FROM contracts GROUP BY ALL "
            "HAVING count(*) = 3 AND sum(amount) = 999999.99)",
        )[0][0]
        > 0
    )
    # a claim of exactly 1.05 times the registered area, a fuel window of exactly 1.1 tanks, a
    # payment of exactly the card threshold, reception costs of exactly 1.3 times the year before
    assert _query(
        package,
        "SELECT count(*) FROM (SELECT household_id, sum(quantity) AS q FROM benefits WHERE period LIKE '2024%' "
        "GROUP BY ALL) AS b "
        "JOIN (SELECT household_id, sum(area_mu) AS a FROM land_rights GROUP BY ALL) AS l USING (household_id) "
        "WHERE q = 1.05 * a",
    )[0][0]
    assert _query(
        package,
        "SELECT count(*) FROM (SELECT plate, sum(liters) AS l FROM fuel_fills GROUP BY ALL) "
        "JOIN official_vehicles USING (plate) WHERE l = 1.1 * tank_liters",
    )[0][0]
    assert _query(package, "SELECT count(*) FROM card_payments WHERE amount = 5000")[0][0]
    assert _query(
        package,
        "SELECT count(*) FROM (SELECT org_code, sum(amount) FILTER (year(date) = 2025) AS y, "
        "sum(amount) FILTER (year(date) = 2024) AS x FROM expenses WHERE category = '公务接待' GROUP BY ALL) "
        "WHERE y = 1.3 * x",
    )[0][0]
    assert (
        _query(package, "SELECT count(*) FROM expenses WHERE headcount > 0 AND amount = headcount * 150")[0][
            0
        ]
        > 0
    )


def test_generated_person_ids_are_valid_and_unique(package: Path) -> None:
    ids = [row[0] for row in _query(package, "SELECT person_id FROM persons")]
    assert len(ids) == len(set(ids))
    assert all(is_valid_person_id(number) for number in ids)
    birth_mismatch = _query(
        package,
        "SELECT count(*) FROM persons WHERE substr(person_id, 7, 8) <> strftime(birth_date, '%Y%m%d')",
    )
    assert birth_mismatch[0][0] == 0


def test_same_seed_same_package_other_seed_other_package(tmp_path: Path, package: Path) -> None:
    def digest(folder: Path) -> str:
        files = [folder / f"{name}.parquet" for name in DATASET_NAMES] + [folder / "_truth.csv"]
        return hashlib.sha256(b"".join(path.read_bytes() for path in files)).hexdigest()

    generate(tmp_path / "again", persons=5_000, seed=11)
    generate(tmp_path / "other", persons=5_000, seed=12)
    assert digest(tmp_path / "again") == digest(package)
    assert digest(tmp_path / "other") != digest(package)


def test_round_trip_through_a_csv_copy_gives_the_same_package(tmp_path: Path, package: Path) -> None:
    # given a CSV copy of the generated package
    copy = tmp_path / "csv"
    copy.mkdir()
    connection = duckdb.connect()
    for name in DATASET_NAMES:
        connection.execute(
            f"COPY (SELECT * FROM read_parquet('{package / name}.parquet')) TO '{copy / name}.csv' (HEADER)"
        )
    # when it is imported
    result = import_package([str(copy)], tmp_path / "imported")
    # then every dataset is the same, row for row
    assert result.ok, result.problems
    assert not any(report.rows_rejected for report in result.sources)
    for name in DATASET_NAMES:
        original = pq.read_table(package / f"{name}.parquet")
        imported = pq.read_table(tmp_path / "imported" / f"{name}.parquet")
        assert imported.equals(original), name


def test_importing_the_parquet_package_itself_changes_nothing(tmp_path: Path, package: Path) -> None:
    result = import_package([str(package)], tmp_path / "imported")
    assert result.ok, result.problems
    for name in DATASET_NAMES:
        assert pq.read_table(tmp_path / "imported" / f"{name}.parquet").equals(
            pq.read_table(package / f"{name}.parquet")
        ), name


def _scan_matches_truth(package: Path) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    from lianqing.analytics.engine import scan

    as_of = json.loads((package / "_manifest.json").read_text("utf-8"))["as_of"]
    found = {(hit.rule_id, hit.subject_id) for hit in scan(package=package, as_of=as_of).hits}
    truth = set(_truth(package))
    return found - truth, truth - found


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_engine_finds_exactly_the_truth(tmp_path: Path, seed: int) -> None:
    generate(tmp_path / "pkg", persons=3_000, seed=seed)
    extra, missing = _scan_matches_truth(tmp_path / "pkg")
    assert (extra, missing) == (set(), set())


@pytest.mark.slow
def test_gen_command_at_100k_persons_and_its_truth(tmp_path: Path) -> None:
    assert gen_main(["--persons", "100000", "--seed", "5", "--out", str(tmp_path / "pkg"), "--quiet"]) == 0
    assert pq.read_metadata(tmp_path / "pkg" / "persons.parquet").num_rows >= 100_000
    extra, missing = _scan_matches_truth(tmp_path / "pkg")
    assert (extra, missing) == (set(), set())


def test_gen_command_refuses_bad_input_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert gen_main(["--persons", "10", "--out", str(tmp_path / "pkg"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "1000" in err
    assert "Traceback" not in err
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    assert gen_main(["--persons", "1000", "--out", str(blocker / "pkg"), "--quiet"]) == 2
    assert "a-file" in capsys.readouterr().err
