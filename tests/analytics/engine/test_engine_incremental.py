"""Incremental scans (`scan --since`): the same hits.csv as a full scan, month after month.

The packages are one generated package (with OCDS releases, so the R rules run too) cut at
successive months by `lianqing gen --until`'s cutter: each is the previous one with a month of
monthly records appended (conftest.monthly_packages, shared with the Spark tests).
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from rule_kit import AS_OF, MONTHS, SparkScan

from lianqing.analytics.commands.package import gen_main
from lianqing.analytics.commands.scan import scan_main
from lianqing.analytics.engine import list_rules, scan
from lianqing.analytics.engine.incremental import DELTA, FULL, REUSE
from lianqing.analytics.errors import AnalyticsError
from lianqing.analytics.generate.monthly import check_until


@pytest.fixture
def packages(monthly_packages: dict[str, Path]) -> dict[str, Path]:
    return monthly_packages


def _hits_by_rule(result: Path) -> dict[str, list[list[str]]]:
    found: dict[str, list[list[str]]] = defaultdict(list)
    with (result / "hits.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            found[row["rule_id"]].append(list(row.values()))
    return dict(found)


def _assert_same_hits(full: Path, incremental: Path) -> None:
    expected, found = _hits_by_rule(full), _hits_by_rule(incremental)
    differing = sorted(rule for rule in set(expected) | set(found) if expected.get(rule) != found.get(rule))
    assert not differing, f"rules whose hits differ: {differing}"
    assert (incremental / "hits.csv").read_bytes() == (full / "hits.csv").read_bytes()


def test_month_by_month_incremental_scans_equal_full_scans_for_every_rule(
    packages: dict[str, Path], tmp_path: Path
) -> None:
    # Given a full scan of September's package
    previous = tmp_path / "2025-09-incremental"
    scan(package=packages["2025-09"], out=previous, as_of=AS_OF)
    modes: dict[str, set[str]] = defaultdict(set)
    for month in MONTHS[1:]:
        # When each next month is scanned since the last (incremental) result, and in full
        incremental = tmp_path / f"{month}-incremental"
        result = scan(package=packages[month], out=incremental, as_of=AS_OF, since=previous)
        scan(package=packages[month], out=tmp_path / f"{month}-full", as_of=AS_OF)
        # Then every rule's hits are the full scan's, byte for byte
        _assert_same_hits(tmp_path / f"{month}-full", incremental)
        for report in result.reports:
            assert not report.skipped, report.rule_id
            modes[report.rule_id].add(report.mode)
        assert result.summary["incremental"]["rules"]["F12"]["mode"] == FULL
        for rule_id in ("M01", "M03"):  # over the kept benefit sums, October's, November's… added
            assert "所读的合计沿用上次扫描" in result.summary["incremental"]["rules"][rule_id]["reason"]
        previous = incremental
    # and every rule of the library took part: the row-local ones ran on the new rows only, the
    # rules on unchanged data were reused, the others ran in full
    rules = list_rules()
    assert {rule.id for rule in rules} == set(modes)
    for rule in rules:
        if rule.first_of:  # in full in a month whose benefits name a new managed party
            assert DELTA in modes[rule.id], rule.id
        elif rule.row_local or rule.grouped_by:
            assert modes[rule.id] == {DELTA}, rule.id
    assert modes["B05"] == modes["B08"] == modes["B13"] == {DELTA}  # both grown; witnesses; filtered groups
    assert modes["C01"] == modes["R024"] == modes["R048"] == {REUSE}
    assert modes["F08"] == modes["F09"] == {DELTA}  # windows of the officials and plates with new rows
    assert modes["F12"] == modes["M01"] == modes["M03"] == {FULL}
    assert len(_hits_by_rule(tmp_path / "2025-12-full")) >= 45  # most rules have hits to compare


def _edit_first_row_group(path: Path, edit: Callable[[pa.Table], pa.Table]) -> None:
    """Rewrite the file row group by row group as the cutter wrote it, `edit` applied to the
    first: every other row group stays byte for byte."""
    old = pq.ParquetFile(path)
    groups = [old.read_row_group(index) for index in range(old.metadata.num_row_groups)]
    with pq.ParquetWriter(path, old.schema_arrow, compression="zstd") as writer:
        for index, group in enumerate(groups):
            writer.write_table(edit(group) if index == 0 else group, row_group_size=1_000_000)


def _double_first_amount(table: pa.Table) -> pa.Table:
    amounts = table.column("amount").to_pylist()
    amounts[0] = amounts[0] * 2 + 1
    return table.set_column(
        table.schema.get_field_index("amount"), "amount", pa.array(amounts, pa.decimal128(18, 2))
    )


def test_edited_or_removed_old_rows_force_full_runs(packages: dict[str, Path], tmp_path: Path) -> None:
    rules = ["B01", "B03", "B04", "F06", "F08", "F01", "C01", "M03"]
    # Given September's result, and October's package where an old benefit was edited and an
    # old transaction removed
    scan(package=packages["2025-09"], out=tmp_path / "before", as_of=AS_OF, rules=rules)
    package = tmp_path / "october-edited"
    shutil.copytree(packages["2025-10"], package)
    _edit_first_row_group(package / "benefits.parquet", _double_first_amount)
    _edit_first_row_group(package / "transactions.parquet", lambda table: table.slice(1))
    # When it is scanned since September's result
    result = scan(
        package=package, out=tmp_path / "after", as_of=AS_OF, since=tmp_path / "before", rules=rules
    )
    scan(package=package, out=tmp_path / "full", as_of=AS_OF, rules=rules)
    # Then the rules reading either dataset ran in full, saying why, and the hits are a full scan's
    plans = result.summary["incremental"]["rules"]
    for rule_id in ("B01", "B03", "B04", "F06", "F08"):
        assert plans[rule_id]["mode"] == FULL
        assert "已有的记录有改动、删除或重排" in plans[rule_id]["reason"]
    assert result.summary["incremental"]["datasets"]["payroll"] == "appended"
    assert result.summary["incremental"]["datasets"]["benefits"] == "changed"
    assert result.summary["incremental"]["datasets"]["transactions"] == "changed"
    assert "所读的合计沿用上次扫描" not in plans["M03"]["reason"]  # its benefit sums made again
    assert plans["F01"]["mode"] == DELTA
    assert plans["C01"]["mode"] == REUSE
    _assert_same_hits(tmp_path / "full", tmp_path / "after")


def test_rows_appended_to_old_groups_redo_those_groups(packages: dict[str, Path], tmp_path: Path) -> None:
    rules = ["B03", "B04", "B09"]
    scan(package=packages["2025-09"], out=tmp_path / "before", as_of=AS_OF, rules=rules)
    # Given September's package with a row group appended to benefits: a second payment of an
    # old month to an old person (B04's group of that person, program and month gets a duplicate)
    package = tmp_path / "september-late"
    shutil.copytree(packages["2025-09"], package)
    path = package / "benefits.parquet"
    old = pq.ParquetFile(packages["2025-09"] / "benefits.parquet")
    late = old.read_row_group(0).slice(5, 1)
    late = late.set_column(0, "record_id", pa.array(["late-1"], pa.string()))
    with pq.ParquetWriter(path, old.schema_arrow, compression="zstd") as writer:
        for index in range(old.metadata.num_row_groups):
            writer.write_table(old.read_row_group(index), row_group_size=1_000_000)
        writer.write_table(late)
    person = late.column("person_id")[0].as_py()
    # When it is scanned since September's result
    result = scan(
        package=package, out=tmp_path / "after", as_of=AS_OF, since=tmp_path / "before", rules=rules
    )
    scan(package=package, out=tmp_path / "full", as_of=AS_OF, rules=rules)
    # Then the rows were seen as appended, B04 redid that group and found the old and the late row
    assert result.summary["incremental"]["datasets"]["benefits"] == "appended"
    assert {report.mode for report in result.reports} == {DELTA}
    duplicate = [hit for hit in result.hits if hit.rule_id == "B04" and hit.subject_id == person]
    assert len(duplicate) == 1
    assert "benefits:late-1" in duplicate[0].record_ids.split(";")
    _assert_same_hits(tmp_path / "full", tmp_path / "after")


def _as_csv(package: Path, name: str) -> None:
    parquet = package / f"{name}.parquet"
    with duckdb.connect() as connection:
        connection.execute(
            f"COPY (SELECT * FROM read_parquet('{parquet}')) TO '{package / name}.csv' (HEADER)"
        )
    parquet.unlink()


def test_csv_datasets_appended_or_edited(packages: dict[str, Path], tmp_path: Path) -> None:
    # Given September's and October's packages with expenses as CSV files (October's = September's
    # lines and its own after them)
    copies = {}
    for month in MONTHS[:2]:
        copies[month] = tmp_path / month
        shutil.copytree(packages[month], copies[month])
        _as_csv(copies[month], "expenses")
    old_text = (copies["2025-09"] / "expenses.csv").read_bytes()
    assert (copies["2025-10"] / "expenses.csv").read_bytes().startswith(old_text)
    rules = ["F01", "F02", "F03", "F04", "F12"]
    scan(package=copies["2025-09"], out=tmp_path / "before", as_of=AS_OF, rules=rules)
    # When October is scanned since September
    since = tmp_path / "before"
    result = scan(package=copies["2025-10"], out=tmp_path / "after", as_of=AS_OF, since=since, rules=rules)
    scan(package=copies["2025-10"], out=tmp_path / "full", as_of=AS_OF, rules=rules)
    # Then the expense rules ran on the appended lines only, with a full scan's hits
    plans = result.summary["incremental"]["rules"]
    assert [plans[rule]["mode"] for rule in ("F01", "F02", "F03", "F04")] == [DELTA] * 4
    assert plans["F12"]["mode"] == FULL
    _assert_same_hits(tmp_path / "full", tmp_path / "after")
    # And when an old line is edited, they run in full
    lines = (copies["2025-10"] / "expenses.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = (
        lines[1].replace("公务接待", "办公用品", 1)
        if "公务接待" in lines[1]
        else lines[1].replace(",", ",x", 1)
    )
    (copies["2025-10"] / "expenses.csv").write_text("".join(lines), encoding="utf-8")
    edited = scan(package=copies["2025-10"], out=tmp_path / "edited", as_of=AS_OF, since=since, rules=rules)
    assert edited.summary["incremental"]["rules"]["F01"]["mode"] == FULL
    scan(package=copies["2025-10"], out=tmp_path / "edited-full", as_of=AS_OF, rules=rules)
    _assert_same_hits(tmp_path / "edited-full", tmp_path / "edited")


def test_changed_params_or_as_of_rerun_the_rule(packages: dict[str, Path], tmp_path: Path) -> None:
    scan(package=packages["2025-09"], out=tmp_path / "before", as_of=AS_OF)
    result = scan(
        package=packages["2025-09"],
        out=tmp_path / "after",
        as_of=AS_OF,
        since=tmp_path / "before",
        params={"F02.per_head_max": 100},
        rules=["F02", "F03", "C01"],
    )
    plans = result.summary["incremental"]["rules"]
    assert plans["F02"] == {"mode": FULL, "reason": "参数或视为今天的日期变了"}
    assert plans["F03"]["mode"] == plans["C01"]["mode"] == REUSE
    full = scan(
        package=packages["2025-09"],
        as_of=AS_OF,
        params={"F02.per_head_max": 100},
        rules=["F02", "F03", "C01"],
    )
    assert result.hits == full.hits


def test_since_a_folder_without_a_previous_scan_is_refused(packages: dict[str, Path], tmp_path: Path) -> None:
    with pytest.raises(AnalyticsError, match="完整扫描"):
        scan(package=packages["2025-09"], out=tmp_path / "out", as_of=AS_OF, since=tmp_path)


def test_cli_prints_how_each_rule_ran(
    packages: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scan(package=packages["2025-09"], out=tmp_path / "before", as_of=AS_OF, rules=["B03", "F12", "C01"])
    code = scan_main(
        [
            str(packages["2025-10"]),
            "--out",
            str(tmp_path / "after"),
            "--as-of",
            AS_OF,
            "--rules",
            "B03,F12,C01",
            "--since",
            str(tmp_path / "before"),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "方式" in printed
    assert "增量" in printed
    assert "沿用" in printed
    assert "全量" in printed
    assert "本规则要看全部历史记录" in printed


def test_gen_until_keeps_months_up_to_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert gen_main(["--persons", "1000", "--out", str(tmp_path / "p"), "--until", "2024-03", "--quiet"]) == 0
    with duckdb.connect() as connection:
        last = connection.execute(
            f"SELECT max(period) FROM '{tmp_path / 'p' / 'benefits.parquet'}'"
        ).fetchone()
        trips = connection.execute(
            f"SELECT max(start_time) FROM '{tmp_path / 'p' / 'vehicle_trips.parquet'}'"
        ).fetchone()
    assert last == ("2024-03",)
    assert trips is not None
    assert trips[0].strftime("%Y-%m") <= "2024-03"
    assert '"until": "2024-03"' in (tmp_path / "p" / "_manifest.json").read_text(encoding="utf-8")
    assert gen_main(["--persons", "1000", "--out", str(tmp_path / "q"), "--until", "2031-13", "--quiet"]) == 2
    assert "截止月份 2031-13 不对" in capsys.readouterr().err
    with pytest.raises(AnalyticsError):
        check_until("2023-12")


@pytest.mark.spark
@pytest.mark.slow
def test_spark_incremental_scans_equal_full_scans(
    packages: dict[str, Path], spark_november: SparkScan, tmp_path: Path
) -> None:
    pytest.importorskip("pyspark")
    spark = {"engine": "spark", "spark_master": "local[2]"}
    # Given a full Spark scan of November (every rule of the library runs on Spark once; the
    # chain of incremental results month after month is the DuckDB test's)
    assert spark_november.package == packages["2025-11"]
    previous = spark_november.out
    # When December is scanned since it, on Spark
    incremental = tmp_path / "2025-12-spark"
    result = scan(package=packages["2025-12"], out=incremental, as_of=AS_OF, since=previous, **spark)
    # Then every rule's hits are DuckDB's full scan's, each rule reused, run on the new rows or in full
    scan(package=packages["2025-12"], out=tmp_path / "2025-12-duckdb", as_of=AS_OF)
    _assert_same_hits(tmp_path / "2025-12-duckdb", incremental)
    assert {report.rule_id for report in result.reports} == {rule.id for rule in list_rules()}
    assert not [report.rule_id for report in result.reports if report.skipped]
    assert {report.mode for report in result.reports} == {REUSE, DELTA, FULL}


# ---- a changed group (and a near miss) for each rule judging groups or two grown datasets ----


def _append_rows(package: Path, name: str, changes: list[dict[str, object]]) -> None:
    """Append to `package`'s dataset one row group of rows, each the file's first row with
    `changes` applied (old row groups stay byte for byte, as the cutter wrote them)."""
    path = package / f"{name}.parquet"
    old = pq.ParquetFile(path)
    groups = [old.read_row_group(index) for index in range(old.metadata.num_row_groups)]
    first = groups[0].slice(0, 1).to_pylist()[0]
    rows = pa.Table.from_pylist([{**first, **change} for change in changes], schema=old.schema_arrow)
    with pq.ParquetWriter(path, old.schema_arrow, compression="zstd") as writer:
        for group in groups:
            writer.write_table(group, row_group_size=1_000_000)
        writer.write_table(rows)


def _benefit(record: str, person: str, household: str, account: str, **more: object) -> dict[str, object]:
    return {
        "record_id": record,
        "person_id": person,
        "name": f"测试{person[-2:]}",
        "household_id": household,
        "account_no": account,
        "account_holder_id": person,
        **more,
    }


def _scan_grown(before: Path, after: Path, tmp_path: Path, rules: list[str]) -> tuple[Any, list[Any]]:
    """Scan `before` in full, then `after` since it and in full; the hits must be the same."""
    scan(package=before, out=tmp_path / "before", as_of=AS_OF, rules=rules)
    result = scan(package=after, out=tmp_path / "after", as_of=AS_OF, since=tmp_path / "before", rules=rules)
    full = scan(package=after, out=tmp_path / "full", as_of=AS_OF, rules=rules)
    _assert_same_hits(tmp_path / "full", tmp_path / "after")
    return result, full.hits


def test_b08_account_gaining_a_payee_is_judged_again(packages: dict[str, Path], tmp_path: Path) -> None:
    # Given September's package with three test accounts: ACC1 and ACC2 paying two people of two
    # households (one short of B08's three), ACC3 paying three people (a hit)
    before, after = tmp_path / "p-before", tmp_path / "p-after"
    shutil.copytree(packages["2025-09"], before)
    _append_rows(
        before,
        "benefits",
        [
            _benefit("t-1", "TP01", "TH1", "ACC1"),
            _benefit("t-2", "TP02", "TH2", "ACC1"),
            _benefit("t-3", "TP03", "TH3", "ACC2"),
            _benefit("t-4", "TP04", "TH4", "ACC2"),
            _benefit("t-5", "TP05", "TH5", "ACC3"),
            _benefit("t-6", "TP06", "TH6", "ACC3"),
            _benefit("t-7", "TP07", "TH6", "ACC3"),
        ],
    )
    # When a month adds a third payee to ACC1, an old payee's payment to ACC2 (still two people:
    # a near miss) and to ACC3 (its verdict unchanged: only the new row runs, beside witnesses)
    shutil.copytree(before, after)
    _append_rows(
        after,
        "benefits",
        [
            _benefit("t-8", "TP08", "TH8", "ACC1"),
            _benefit("t-9", "TP03", "TH3", "ACC2"),
            _benefit("t-10", "TP05", "TH5", "ACC3"),
        ],
    )
    result, hits = _scan_grown(before, after, tmp_path, ["B08"])
    # Then ACC1 is a hit with its old payments, ACC2 is none, ACC3 gained the new payment
    assert result.summary["incremental"]["rules"]["B08"]["mode"] == DELTA
    shared = {hit.subject_id: hit.record_ids.split(";") for hit in hits if hit.rule_id == "B08"}
    assert shared["ACC1"] == ["benefits:t-1", "benefits:t-2", "benefits:t-8"]
    assert "ACC2" not in shared
    assert shared["ACC3"] == ["benefits:t-10", "benefits:t-5", "benefits:t-6", "benefits:t-7"]


def test_b13_household_year_grown_past_its_land_is_judged_again(
    packages: dict[str, Path], tmp_path: Path
) -> None:
    with duckdb.connect() as connection:
        households = connection.execute(  # two with land and no farmland subsidy in 2025 yet
            f"SELECT household_id, sum(area_mu) FROM '{packages['2025-09'] / 'land_rights.parquet'}'"
            f" WHERE household_id NOT IN (SELECT household_id FROM '{packages['2025-09'] / 'benefits.parquet'}'"
            "   WHERE program = '耕地地力保护补贴' AND period >= '2025' AND household_id IS NOT NULL)"
            " GROUP BY household_id ORDER BY household_id LIMIT 2"
        ).fetchall()
    (grown, area_grown), (kept, area_kept) = households
    farm = {"program": "耕地地力保护补贴", "period": "2025-09", "account_no": None}
    # Given two households each paid in September for exactly their land (no hit)
    before, after = tmp_path / "p-before", tmp_path / "p-after"
    shutil.copytree(packages["2025-09"], before)
    _append_rows(
        before,
        "benefits",
        [
            _benefit("t-1", "TP01", grown, "", quantity=area_grown, **farm),
            _benefit("t-2", "TP02", kept, "", quantity=area_kept, **farm),
        ],
    )
    # When October pays the first 10% more of the same year's area and the second 5% (at the
    # tolerance: a near miss), and another program's row of the second household (ignored)
    shutil.copytree(before, after)
    more = {**farm, "period": "2025-10"}
    _append_rows(
        after,
        "benefits",
        [
            _benefit("t-3", "TP01", grown, "", quantity=area_grown / 10, **more),
            _benefit("t-4", "TP02", kept, "", quantity=area_kept / 20, **more),
            _benefit("t-5", "TP02", kept, "", **{**more, "program": "低保"}),
        ],
    )
    result, hits = _scan_grown(before, after, tmp_path, ["B13"])
    # Then the first household's year is a hit with its September row, the second is none
    assert result.summary["incremental"]["rules"]["B13"]["mode"] == DELTA
    excess = {hit.subject_id: hit.record_ids for hit in hits if hit.rule_id == "B13"}
    assert "benefits:t-1" in excess[f"{grown}/2025"].split(";")
    assert "benefits:t-3" in excess[f"{grown}/2025"].split(";")
    assert f"{kept}/2025" not in excess


def test_b05_new_payroll_of_an_old_month_meets_old_benefits(
    packages: dict[str, Path], tmp_path: Path
) -> None:
    subsistence = {"program": "低保", "period": "2025-08"}
    # Given a 低保 benefit of August to TP01 and one to TP02
    before, after = tmp_path / "p-before", tmp_path / "p-after"
    shutil.copytree(packages["2025-09"], before)
    _append_rows(
        before,
        "benefits",
        [
            _benefit("t-1", "TP01", "TH1", "ACC1", **subsistence),
            _benefit("t-2", "TP02", "TH2", "ACC2", **subsistence),
        ],
    )
    # When a month appends (late) payroll of August for TP01, of July for TP02 (a near miss), and
    # a new benefit of September for TP03, paid in September
    shutil.copytree(before, after)
    _append_rows(
        after,
        "payroll",
        [
            {"person_id": "TP01", "period": "2025-08"},
            {"person_id": "TP02", "period": "2025-07"},
            {"person_id": "TP03", "period": "2025-09"},
        ],
    )
    _append_rows(
        after, "benefits", [_benefit("t-3", "TP03", "TH3", "ACC3", program="低保", period="2025-09")]
    )
    result, hits = _scan_grown(before, after, tmp_path, ["B05"])
    # Then both grown datasets ran on their new rows: the old benefit meets the new payroll,
    # the new benefit the new payroll; TP02 is no hit
    plan = result.summary["incremental"]["rules"]["B05"]
    assert plan["mode"] == DELTA
    found = {hit.subject_id: hit.record_ids for hit in hits if hit.rule_id == "B05"}
    assert "benefits:t-1" in found["TP01"].split(";")
    assert "benefits:t-3" in found["TP03"].split(";")
    assert "TP02" not in found


def test_f06_new_managed_party_reruns_and_kept_parties_run_new_transactions(
    packages: dict[str, Path], tmp_path: Path
) -> None:
    with duckdb.connect() as connection:
        official, org = connection.execute(  # an official in post through October 2025
            f"SELECT person_id, org_code FROM '{packages['2025-09'] / 'officials.parquet'}'"
            " WHERE start_date < DATE '2025-01-01' AND end_date IS NULL ORDER BY person_id LIMIT 1"
        ).fetchone()
    holiday = {"to_id": official, "channel": "现金", "memo": ""}
    # Given cash handed to an official on 1 October by TP01 (1,000 yuan) and TP02 (100 yuan, under
    # F06's 200: a near miss), neither a managed party yet
    steps = [tmp_path / name for name in ("p0", "p1", "p2")]
    shutil.copytree(packages["2025-09"], steps[0])
    _append_rows(
        steps[0],
        "transactions",
        [
            {
                **holiday,
                "txn_id": "t-1",
                "from_id": "TP01",
                "time": dt.datetime(2025, 10, 1, 9),
                "amount": 1000,
            },
            {
                **holiday,
                "txn_id": "t-2",
                "from_id": "TP02",
                "time": dt.datetime(2025, 10, 1, 9),
                "amount": 100,
            },
        ],
    )
    # When a month pays both a benefit approved by the official's org (two new managed parties)
    shutil.copytree(steps[0], steps[1])
    paid = {"approver_org_code": org, "program": "低保", "period": "2025-10"}
    _append_rows(
        steps[1],
        "benefits",
        [_benefit("t-1", "TP01", "TH1", "ACC1", **paid), _benefit("t-2", "TP02", "TH2", "ACC2", **paid)],
    )
    first, hits = _scan_grown(steps[0], steps[1], tmp_path / "first", ["F06", "F07"])
    # Then F06 ran in full and TP01's old cash is a hit, TP02's is none
    assert first.summary["incremental"]["rules"]["F06"]["mode"] == FULL
    # with the witnesses grown from the old ones and the new rows: those of the whole file
    assert _witness_rows(tmp_path / "first" / "after") == _witness_rows(tmp_path / "first" / "full")
    keys = {key for hit in hits if hit.rule_id == "F06" for key in hit.record_ids.split(";")}
    assert {"transactions:t-1", "benefits:t-1"} <= keys
    assert "transactions:t-2" not in keys
    # And when the next month pays TP01 again (a later record: the same party, the same proof)
    # and TP01 hands more cash on 2 October, F06 runs on the new transaction alone
    shutil.copytree(steps[1], steps[2])
    _append_rows(steps[2], "benefits", [_benefit("t-3", "TP01", "TH1", "ACC1", **paid)])
    _append_rows(
        steps[2],
        "transactions",
        [{**holiday, "txn_id": "t-3", "from_id": "TP01", "time": dt.datetime(2025, 10, 2, 9), "amount": 500}],
    )
    second, hits = _scan_grown(steps[1], steps[2], tmp_path / "second", ["F06", "F07"])
    plans = second.summary["incremental"]["rules"]
    assert plans["F06"]["mode"] == plans["F07"]["mode"] == DELTA
    cash = [hit.record_ids.split(";") for hit in hits if hit.rule_id == "F06" and hit.subject_id == official]
    assert {"transactions:t-1", "transactions:t-3"} <= set(cash[0])


# ---- M01 and M03: sums per org and fund carried from month to month (kept tables) ----


def _flow(flow: str, fund: str, to_org: str, amount: str, day: str) -> dict[str, object]:
    return {
        "flow_id": flow,
        "fund_code": fund,
        "fund_name": "测试资金",
        "from_org_code": "TSRC",
        "to_org_code": to_org,
        "payee_id": None,
        "amount": Decimal(amount),
        "date": dt.date.fromisoformat(day),
    }


def _paid(record: str, org: str, fund: str, amount: str, day: str) -> dict[str, object]:
    return _benefit(
        record,
        "TP01",
        "TH1",
        "ACC1",
        approver_org_code=org,
        fund_code=fund,
        amount=Decimal(amount),
        pay_date=dt.date.fromisoformat(day),
    )


def _grow(
    before: Path,
    after: Path,
    packages: dict[str, Path],
    flows: list[Any],
    benefits: list[Any],
    more_flows: list[Any],
    more_benefits: list[Any],
) -> None:
    shutil.copytree(packages["2025-09"], before)
    _append_rows(before, "fund_flows", flows)
    _append_rows(before, "benefits", benefits)
    shutil.copytree(before, after)
    _append_rows(after, "fund_flows", more_flows)
    _append_rows(after, "benefits", more_benefits)


def _kept_sums_used(result: Any, rule_id: str, after: Path) -> None:
    plan = result.summary["incremental"]["rules"][rule_id]
    assert plan["mode"] == FULL
    assert "所读的合计沿用上次扫描" in plan["reason"]
    assert (after / "_incremental" / "tables" / "fund_benefit_days.parquet").is_file()


def test_m03_balances_grown_by_a_month_are_judged_on_the_kept_sums(
    packages: dict[str, Path], tmp_path: Path
) -> None:
    # Given September's package where TO1 and TO3 each received 1000 and paid 950 (5% left: at
    # the tolerance, no hit) and TO2 received 1000 and paid 900 (a hit on the old rows alone)
    before, after = tmp_path / "p-before", tmp_path / "p-after"
    flows = [_flow(f"t-{org}", f"TF{org}", f"TO{org}", "1000", "2025-09-01") for org in (1, 2, 3)]
    benefits = [
        _paid("t-b1", "TO1", "TF1", "950", "2025-09-10"),
        _paid("t-b2", "TO2", "TF2", "900", "2025-09-10"),
        _paid("t-b3", "TO3", "TF3", "950", "2025-09-10"),
    ]
    # When October brings TO1 one more cent (over the tolerance by a cent: a hit only with the
    # new month's rows), TO2 a payment of 40 (still a hit, its balance changed) and TO3 one more
    # cent received and one more paid by a late benefit of an old day (a near miss)
    _grow(
        before,
        after,
        packages,
        flows,
        benefits,
        [_flow("t-4", "TF1", "TO1", "0.01", "2025-10-05"), _flow("t-5", "TF3", "TO3", "0.01", "2025-10-05")],
        [_paid("t-b4", "TO2", "TF2", "40", "2025-10-10"), _paid("t-b5", "TO3", "TF3", "0.01", "2025-08-20")],
    )
    result, hits = _scan_grown(before, after, tmp_path, ["M03"])
    # Then the hits are a full scan's, judged on the kept benefit sums plus October's
    _kept_sums_used(result, "M03", tmp_path / "after")
    found = {hit.subject_id: hit for hit in hits if hit.rule_id == "M03"}
    assert found["TO1/TF1"].record_ids.split(";") == ["fund_flows:t-1", "fund_flows:t-4"]
    assert found["TO1/TF1"].amount == Decimal("50.01")
    assert found["TO2/TF2"].amount == Decimal("60.00")
    assert "TO3/TF3" not in found


def test_m01_funds_held_grown_by_a_month_are_judged_on_the_kept_sums(
    packages: dict[str, Path], tmp_path: Path
) -> None:
    # Given September's package where TM1 and TM3 received 1000 on 1 August and paid it all
    # within 90 days (no hit), TM2 paid all but 1 (a hit) and TM4 paid nothing (a hit)
    before, after = tmp_path / "p-before", tmp_path / "p-after"
    flows = [_flow(f"t-{org}", f"TG{org}", f"TM{org}", "1000", "2025-08-01") for org in (1, 2, 3, 4)]
    benefits = [
        _paid("t-b1", "TM1", "TG1", "1000", "2025-09-15"),
        _paid("t-b2", "TM2", "TG2", "999", "2025-09-15"),
        _paid("t-b3", "TM3", "TG3", "1000", "2025-09-15"),
    ]
    # When October's package brings a late cent received on 1 August by TM1 (a hit only with the
    # new rows), a payment of 0.50 by TM2 on the 90th day (still a hit), a late cent received by
    # TM3 and a cent paid on the 90th day (a near miss), and TM4's payment of it all on the 91st
    _grow(
        before,
        after,
        packages,
        flows,
        benefits,
        [_flow("t-5", "TG1", "TM1", "0.01", "2025-08-01"), _flow("t-6", "TG3", "TM3", "0.01", "2025-08-01")],
        [
            _paid("t-b4", "TM2", "TG2", "0.50", "2025-10-30"),
            _paid("t-b5", "TM3", "TG3", "0.01", "2025-10-30"),
            _paid("t-b6", "TM4", "TG4", "1000", "2025-10-31"),
        ],
    )
    result, hits = _scan_grown(before, after, tmp_path, ["M01"])
    # Then the hits are a full scan's, judged on the kept benefit sums plus October's
    _kept_sums_used(result, "M01", tmp_path / "after")
    found = {hit.subject_id: hit for hit in hits if hit.rule_id == "M01"}
    assert found["TM1/TG1"].record_ids.split(";") == ["fund_flows:t-1", "fund_flows:t-5"]
    assert found["TM1/TG1"].amount == Decimal("0.01")
    assert found["TM2/TG2"].amount == Decimal("0.50")
    assert "TM3/TG3" not in found
    assert found["TM4/TG4"].amount == Decimal("1000.00")


def test_rules_of_one_witness_shape_keep_one_witnesses_file(
    packages: dict[str, Path], tmp_path: Path
) -> None:
    # Given F06 and F07, which keep the same witnesses (the first benefit per approver and person)
    # When September's package is scanned in full into a result folder
    scan(package=packages["2025-09"], out=tmp_path / "result", as_of=AS_OF, rules=["F06", "F07"])
    # Then the witnesses were computed once: F07's file is F06's (linked), one row per key
    state = tmp_path / "result" / "_incremental"
    f06, f07 = state / "F06.witnesses" / "part-0.parquet", state / "F07.witnesses" / "part-0.parquet"
    assert f06.samefile(f07)
    with duckdb.connect() as connection:
        rows, keys = connection.execute(
            f"SELECT count(*), count(DISTINCT (approver_org_code, person_id)) FROM '{f06}'"
        ).fetchall()[0]
    assert rows == keys > 0


def _witness_rows(result: Path) -> list[tuple[Any, ...]]:
    parts = sorted((result / "_incremental" / "F06.witnesses").glob("*.parquet"))
    assert parts
    with duckdb.connect() as connection:
        files = ", ".join(f"'{part}'" for part in parts)
        return connection.execute(f"SELECT * FROM read_parquet([{files}]) ORDER BY ALL").fetchall()
