"""`lianqing import ocds=FILE.jsonl`: releases flattened as Cardinal reads them, bad lines reported."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from tests.analytics.engine.ocds_kit import award, bid, release, write_releases

from lianqing.analytics.commands.package import import_main
from lianqing.analytics.contract import DATASETS, OCDS_DATASET_NAMES
from lianqing.analytics.errors import AnalyticsError
from lianqing.analytics.generate.ocds import generate_releases
from lianqing.analytics.ocds import flatten_block, import_ocds, whole_days


def _rows(package: Path, name: str) -> list[dict]:
    return pq.read_table(package / f"{name}.parquet").to_pylist()


def test_a_release_is_flattened_into_the_six_datasets(tmp_path: Path) -> None:
    # Given one release with a consortium bid and a classified award
    data = release(
        "ocds-1",
        buyer="B",
        entity="E",
        period=("2024-03-01T00:00:00Z", "2024-03-16T12:00:00+08:00"),
        tenderers=2,
        bids=[bid("A", 100, date="2024-03-02T00:00:00Z"), bid(["C", "D"], 99.5, status="disqualified")],
        awards=[award("A", items=["43211503"])],
    )
    # When it is imported
    result = import_ocds(write_releases(tmp_path / "r.jsonl", [data]), tmp_path / "pkg", workers=1)
    # Then each dataset holds its rows, in the contract's schema
    assert result.releases == 1
    assert not result.rejected
    for name in OCDS_DATASET_NAMES:
        schema = pq.read_schema(tmp_path / "pkg" / f"{name}.parquet")
        assert schema.names == list(DATASETS[name].column_names)
    (process,) = _rows(tmp_path / "pkg", "ocds_processes")
    assert process["buyer_id"] == "B"
    assert process["procuring_entity_id"] == "E"
    assert process["submission_days"] == 15  # 15 days 4 hours
    assert process["number_of_tenderers"] == 2
    assert process["has_awards"]
    assert process["has_bid_details"]
    bids = _rows(tmp_path / "pkg", "ocds_bids")
    assert [(b["bid_index"], b["status"], b["amount"], b["currency"], b["tenderer_count"]) for b in bids] == [
        (0, "valid", 100.0, "USD", 1),
        (1, "disqualified", 99.5, "USD", 2),
    ]
    assert [t["tenderer_id"] for t in _rows(tmp_path / "pkg", "ocds_bid_tenderers")] == ["A", "C", "D"]
    assert [i["classification_id"] for i in _rows(tmp_path / "pkg", "ocds_award_items")] == ["43211503"]


def test_fields_of_another_type_are_left_empty_as_cardinal_ignores_them(tmp_path: Path) -> None:
    # Given a release whose amount is text, whose tenderer id is a number, whose numberOfTenderers
    # is a float and one of whose bids is not an object
    data = release("ocds-2", tenderers=1.0, bids=[bid("A", "100"), "not a bid"], awards=[award("A")])
    data["bids"]["details"][0]["tenderers"][0]["id"] = 7
    path = write_releases(tmp_path / "r.jsonl", [data])
    result = import_ocds(path, tmp_path / "pkg", workers=1)
    assert result.releases == 1
    (process,) = _rows(tmp_path / "pkg", "ocds_processes")
    assert process["number_of_tenderers"] is None
    (only,) = _rows(tmp_path / "pkg", "ocds_bids")
    assert only["amount"] is None
    assert [t["tenderer_id"] for t in _rows(tmp_path / "pkg", "ocds_bid_tenderers")] == [None]


def test_the_typed_and_the_lenient_path_give_the_same_rows() -> None:
    # Given releases that decode into the typed structs, and the same releases made to take the
    # lenient path by an item that is not an object (which both paths skip)
    typed_lines, lenient_lines = [], []
    for number in range(40):
        data = release(
            f"o{number}",
            buyer=f"B{number % 3}",
            period=("2024-03-01T00:00:00Z", f"2024-03-{number % 28 + 1:02d}T00:00:00Z"),
            tenderers=number % 4,
            bids=[bid("A", number), bid(["C", "D"], number + 1, status="disqualified"), bid(None, None)],
            awards=[award("A", items=["43211503", "10"]), award(["C", "D"], status="pending")],
        )
        typed_lines.append(json.dumps(data))
        data["awards"][0]["items"].append(5)
        lenient_lines.append(json.dumps(data))
    # When each is flattened
    typed = flatten_block(("\n".join(typed_lines) + "\n").encode())
    lenient = flatten_block(("\n".join(lenient_lines) + "\n").encode())
    # Then the rows are the same
    assert typed.releases == lenient.releases == 40
    for name in OCDS_DATASET_NAMES:
        assert typed.tables[name].num_rows > 0, name
        assert typed.tables[name].equals(lenient.tables[name]), name


def test_bad_lines_are_reported_by_line_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    good = json.dumps(release("ok"))
    path.write_text(
        "\n".join(
            [good, "{not json", "", "[1, 2]", json.dumps({"tender": {}}), json.dumps({"ocid": 5}), good]
        )
        + "\n",
        encoding="utf-8",
    )
    result = import_ocds(path, tmp_path / "pkg", workers=1)
    assert result.releases == 1
    assert [line for line, _ in result.rejected] == [2, 4, 5, 6, 7]
    reasons = dict(result.rejected)
    assert "JSON" in reasons[2]
    assert "对象" in reasons[4]
    assert "ocid" in reasons[5]
    assert "重复" in reasons[7]
    with (tmp_path / "pkg" / "_rejects.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert (rows[0]["file"], rows[0]["row"]) == ("bad.jsonl", "2")


def test_blocks_in_two_processes_number_lines_across_the_whole_file(tmp_path: Path) -> None:
    # Given a generated file with a bad line and a repeated ocid far apart, cut in small blocks
    path = generate_releases(tmp_path / "r.jsonl", 300, seed=3)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(200, "oops")
    lines.append(lines[10])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # When two workers import it
    result = import_ocds(path, tmp_path / "pkg", workers=2, block_bytes=20_000)
    # Then the lines are those of the file, and the first of the two releases is kept
    assert result.releases == 300
    assert [line for line, _ in result.rejected] == [201, 302]
    processes = pq.read_table(tmp_path / "pkg" / "ocds_processes.parquet")
    assert processes.num_rows == 300
    assert processes.column("line").to_pylist()[:3] == [1, 2, 3]
    assert max(processes.column("line").to_pylist()) == 301


def test_gzip_and_records_with_a_compiled_release(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(
            json.dumps({"ocid": "r1", "releases": [], "compiledRelease": release("r1", tenderers=1)}) + "\n"
        )
    result = import_ocds(path, tmp_path / "pkg", workers=1)
    assert result.releases == 1
    assert _rows(tmp_path / "pkg", "ocds_processes")[0]["number_of_tenderers"] == 1


def test_a_failed_import_leaves_the_package_as_it_was(tmp_path: Path) -> None:
    # Given a package holding an earlier import
    package = tmp_path / "pkg"
    import_ocds(write_releases(tmp_path / "first.jsonl", [release("first")]), package, workers=1)
    before = {path.name: path.read_bytes() for path in package.iterdir()}
    # When the next file is cut short inside a gzip stream
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(gzip.compress(b'{"ocid": "x"}\n' * 1000)[:-30])
    with pytest.raises(AnalyticsError):
        import_ocds(broken, package, workers=1)
    # Then nothing of it reached the package, and no temporary folder is left beside it
    assert {path.name: path.read_bytes() for path in package.iterdir()} == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["broken.jsonl.gz", "first.jsonl", "pkg"]


def test_whole_days_truncate_toward_zero() -> None:
    assert whole_days("2024-03-01T00:00:00Z", "2024-03-15T23:59:59Z") == 14
    assert whole_days("2024-03-15T23:59:59Z", "2024-03-01T00:00:00Z") == -14
    assert whole_days("2024-03-01T00:00:00.5+08:00", "2024-03-02T00:00:00+08:00") == 0
    assert whole_days("2024-03-01", "2024-03-02") is None


def test_the_command_imports_and_says_what_it_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "tenders.jsonl"
    path.write_text(json.dumps(release("a")) + "\nnot json\n", encoding="utf-8")
    assert import_main([f"ocds={path}"]) == 1
    captured = capsys.readouterr()
    assert "导入 1 个采购过程" in captured.out
    assert "第 2 行" in captured.err
    assert (tmp_path / "tenders" / "ocds_processes.parquet").is_file()
    assert import_main([f"ocds={tmp_path / 'missing.jsonl'}", "--out", str(tmp_path / "x")]) == 2
    assert "找不到文件" in capsys.readouterr().err
