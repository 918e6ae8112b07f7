"""The OCDS import's block reader (Arrow) gives exactly the tables of the line-by-line reader."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from tests.analytics.engine.ocds_kit import award, bid, release

from lianqing.analytics.contract import OCDS_DATASET_NAMES
from lianqing.analytics.generate.ocds import generate_releases
from lianqing.analytics.ocds import (
    SMALL_BLOCK_LINES,
    flatten_block_by_line,
    flatten_parts,
    import_ocds,
    whole_days,
)
from lianqing.analytics.ocds_native import native_tables, submission_days


def _good(number: int) -> dict:
    return release(
        f"g{number}",
        buyer=f"B{number % 5}",
        entity=f"E{number % 3}",
        period=("2024-03-01T08:00:00Z", f"2024-03-{number % 28 + 1:02d}T07:59:59Z"),
        tenderers=number % 4,
        bids=[bid("A", number + 0.5), bid(["C", "D"], number, status="disqualified", currency="EUR")],
        awards=[award("A", items=["43211503", "10"]), award(["C", "D"], status="pending")],
    )


def _odd_lines() -> list[bytes]:
    """Lines each of which the two readers could take differently, from the methodology's own cases."""

    def line(data: object) -> bytes:
        return json.dumps(data, ensure_ascii=False).encode()

    def varied(ocid: str, change: str) -> bytes:
        data = _good(7)
        data["ocid"] = ocid
        exec(change, {"d": data})  # noqa: S102 (a test's own one-line edits)
        return line(data)

    edits = [
        "d['bids']['details'][0]['value']['amount'] = '100'",  # an amount in text
        "d['bids']['details'][0]['value']['amount'] = True",
        "d['bids']['details'][0]['value']['amount'] = 5",
        "d['bids']['details'][0]['value']['amount'] = 1e30",
        "d['bids']['details'][0]['tenderers'][0]['id'] = 7",  # a numeric id
        "d['bids']['details'].insert(1, None)",  # a bid that is not an object
        "d['bids']['details'].insert(0, 'no')",
        "d['bids']['details'][1]['tenderers'].insert(0, None)",
        "d['bids']['details'][0]['tenderers'] = None",
        "d['bids']['details'][0]['value'] = None",
        "d['awards'][0]['items'].append(5)",
        "d['awards'][0]['items'].append({'description': 'no classification'})",
        "d['awards'][0]['items'].insert(0, None)",
        "d['awards'][0]['suppliers'].append(None)",
        "d['awards'][1]['items'] = None",
        "d['awards'].insert(0, None)",
        "d['awards'] = None",
        "d['bids'] = None",
        "d['bids'] = {'details': None}",
        "d['bids'] = {'details': {}}",
        "d['tender'] = None",
        "d['tender'] = 'text'",
        "d['tender']['numberOfTenderers'] = -1",
        "d['tender']['numberOfTenderers'] = 1.0",
        "d['tender']['numberOfTenderers'] = 2**63",
        "d['tender']['numberOfTenderers'] = 2**64 - 1",
        "d['tender']['numberOfTenderers'] = True",
        "d['tender']['tenderPeriod'] = {'startDate': '2024-03-01T00:00:00+08:00', 'endDate': '2024-03-09T00:00:00.5Z'}",
        "d['tender']['tenderPeriod'] = {'startDate': '2024-02-30T00:00:00Z', 'endDate': '2024-03-09T00:00:00Z'}",
        "d['tender']['tenderPeriod'] = {'startDate': '0000-01-01T00:00:00Z', 'endDate': '2024-03-09T00:00:00Z'}",
        "d['tender']['tenderPeriod'] = {'startDate': '2024-03-01t00:00:00z', 'endDate': '2024-03-09 00:00:00Z'}",
        "d['tender']['tenderPeriod'] = {'startDate': '2024-03-01T00:00:60Z', 'endDate': '2024-03-09T24:00:00Z'}",
        "d['tender']['tenderPeriod'] = {'startDate': '2024-03-01T00:00:00Z'}",
        "d['tender']['tenderPeriod'] = {'startDate': '', 'endDate': '2024-03-09T00:00:00Z'}",
        "d['tender']['title'] = '零\\u0000号 Ünïcode'",
        "d['buyer'] = None",
        "d['buyer'] = {'id': None, 'name': ['x']}",
    ]
    lines = [varied(f"odd{number}", change) for number, change in enumerate(edits)]
    lines += [
        b"",
        b"   ",
        b"null",
        b"[1, 2]",
        b"{not json",
        line({"tender": {}}),  # no ocid
        line({"ocid": 5}),
        line(_good(1)) + b" " + line(_good(2)),  # two releases on one line
        line(_good(3))[:-1] + b', "x": NaN}',
        line(_good(4))[:-1] + b', "x": 1e400}',
        b'{"ocid": "bad-\xff-utf8"}',
        b'{"ocid": "lone-\\ud800"}',
        b'{"ocid": "d1", "ocid": "d2"}',
        line(_good(5)) + b"\r",  # one Windows line end
        line({"ocid": "rec1", "releases": [], "compiledRelease": _good(900)}),
        line({"ocid": "rec2", "compiledRelease": None, "tender": {"title": "顶层"}}),
        line({"ocid": "rec3", "compiledRelease": {"tender": {}}}),  # the compiled release has no ocid
        line(_good(10)),  # the same ocid as a good line earlier
    ]
    return lines


def _mixed_file(path: Path) -> Path:
    rng = random.Random(16)
    good = [json.dumps(_good(number), ensure_ascii=False).encode() for number in range(900)]
    lines = list(good)
    for odd in _odd_lines():
        lines.insert(rng.randrange(len(lines) + 1), odd)
    lines.append(good[-1])  # a repeated ocid far from the first
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def _tables(package: Path) -> dict[str, pa.Table]:
    return {name: pq.read_table(package / f"{name}.parquet") for name in OCDS_DATASET_NAMES}


def test_the_block_reader_and_the_line_reader_import_the_same_tables(tmp_path: Path) -> None:
    # Given a file of good releases with every odd line scattered among them
    path = _mixed_file(tmp_path / "mixed.jsonl")
    # When it is imported line by line, and in small blocks by two threads
    old = import_ocds(path, tmp_path / "old", workers=1, line_by_line=True)
    new = import_ocds(path, tmp_path / "new", workers=2, block_bytes=40_000)
    # Then the tables, the counts and the rejected lines are the same
    assert new.releases == old.releases > 900
    assert new.rejected == old.rejected
    assert len(old.rejected) >= 12
    old_tables, new_tables = _tables(tmp_path / "old"), _tables(tmp_path / "new")
    for name in OCDS_DATASET_NAMES:
        assert new_tables[name].num_rows > 0, name
        assert new_tables[name].equals(old_tables[name]), name
    assert (tmp_path / "new" / "_rejects.csv").read_bytes() == (
        tmp_path / "old" / "_rejects.csv"
    ).read_bytes()


def test_one_bad_line_sends_only_the_lines_around_it_line_by_line() -> None:
    lines = [json.dumps(_good(number)).encode() for number in range(1000)]
    lines[500] = b"{not json"
    parts = flatten_parts(b"\n".join(lines) + b"\n")
    assert sum(part.lines for part in parts) == 1000
    assert [line for part in parts for line, _ in part.rejected] == [1]  # its place within its part
    assert len(parts) >= 4
    assert max(part.lines for part in parts if part.rejected) <= 2 * SMALL_BLOCK_LINES


def test_clean_blocks_are_read_by_arrow(tmp_path: Path) -> None:
    # Given generated releases, the same as records, and with Windows line ends
    plain = generate_releases(tmp_path / "r.jsonl", 200, seed=4).read_bytes()
    records = b"".join(
        json.dumps({"ocid": json.loads(raw)["ocid"], "compiledRelease": json.loads(raw)}).encode() + b"\n"
        for raw in plain.splitlines()
    )
    windows = plain.replace(b"\n", b"\r\n")
    for block in (plain, records, windows):
        # Then Arrow takes each whole, and its rows are those of the line reader
        native = native_tables(block)
        assert native is not None
        tables, releases = native
        by_line = flatten_block_by_line(block)
        assert releases == by_line.releases == 200
        for name in OCDS_DATASET_NAMES:
            assert tables[name].equals(by_line.tables[name]), name


def test_submission_days_in_arrow_are_those_of_python() -> None:
    rng = random.Random(7)

    def moment() -> str | None:
        text = (
            f"{rng.choice((0, 1, 1969, 1970, 2000, 2023, 2024, 2100, 9999)):04d}-{rng.randint(0, 13):02d}"
            f"-{rng.randint(0, 32):02d}T{rng.randint(0, 24):02d}:{rng.randint(0, 60):02d}"
            f":{rng.randint(0, 60):02d}{rng.choice(('Z', 'Z', 'Z', 'Z', '+08:00', 'z', '', '.5Z'))}"
        )
        return rng.choice((text, text, text, text, None, "", text.replace("T", " "), "x" * 20))

    starts = [moment() for _ in range(20_000)]
    ends = [moment() for _ in range(20_000)]
    got = submission_days(pa.array(starts, pa.string()), pa.array(ends, pa.string())).to_pylist()
    want = [whole_days(a, b) if a and b else None for a, b in zip(starts, ends, strict=True)]
    assert got == want
    assert sum(value is not None for value in want) > 1000
    assert any(value is not None and value < 0 for value in want)


def test_each_odd_line_is_read_by_arrow_alike_or_left_to_the_line_reader() -> None:
    taken = 0
    for odd in _odd_lines():
        block = b"\n".join([json.dumps(_good(1)).encode(), odd, json.dumps(_good(2)).encode()]) + b"\n"
        native = native_tables(block)
        by_line = flatten_block_by_line(block)
        if native is None:
            continue
        # a block Arrow takes holds no line the line reader would reject, and gives its rows
        taken += 1
        assert not by_line.rejected, odd
        tables, releases = native
        assert releases == by_line.releases == 3, odd
        for name in OCDS_DATASET_NAMES:
            assert tables[name].equals(by_line.tables[name]), (odd, name)
    assert taken >= 20  # null bids and items, whole-number amounts, odd dates, records...
