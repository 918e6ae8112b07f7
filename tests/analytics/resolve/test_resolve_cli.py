"""`lianqing resolve PACKAGE --mentions MENTIONS.csv --out DIR` on real files."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from resolve_kit import HAND_ORGS, hand_officials, person_id

from lianqing.cli import main

MENTION_HEADER = "mention_id,name,org_text,position_text,gender,phone\n"


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def package(tmp_path: Path, background) -> Path:
    folder = tmp_path / "package"
    folder.mkdir()
    write_rows(folder / "officials.csv", background.officials + hand_officials())
    write_rows(folder / "orgs.csv", background.orgs + HAND_ORGS)
    return folder


def run(package: Path, mentions: Path, out: Path, capsys) -> tuple[int, str, str]:
    code = main(["lianqing", "resolve", str(package), "--mentions", str(mentions), "--out", str(out)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def read_links(out: Path) -> list[dict[str, str]]:
    with (out / "links.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_links_csv_has_one_row_per_mention_in_input_order(package, tmp_path, capsys) -> None:
    mentions = tmp_path / "mentions.csv"
    mentions.write_text(
        MENTION_HEADER + "r9,汪局长,云梦县卫健局,,,\nr2,张伟,,,,\nr5,李小二,望湖镇前村,村民,男,13800000000\n",
        encoding="utf-8",
    )

    code, out, err = run(package, mentions, tmp_path / "out", capsys)

    assert code == 0, err
    links = read_links(tmp_path / "out")
    assert list(links[0]) == ["mention_id", "person_id", "score", "candidates"]
    assert [row["mention_id"] for row in links] == ["r9", "r2", "r5"]
    assert links[0]["person_id"] == person_id(1)
    assert links[0]["candidates"].split(";")[0] == f"{person_id(1)}:{float(links[0]['score']):.3f}"
    assert links[1]["person_id"] == ""  # two 张伟: not confident
    assert {person_id(4), person_id(5)} <= {c.split(":")[0] for c in links[1]["candidates"].split(";")}
    assert links[2]["person_id"] == ""
    assert all(0 <= float(row["score"]) <= 1 for row in links)
    assert "3 条提及：1 条已关联" in out


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(
            b"mention_id,name,org_text\nr1,x,y\n",
            "mentions.csv 缺少必需列 position_text, gender, phone",
            id="columns",
        ),
        pytest.param(
            MENTION_HEADER.encode() + "r1,王伟,,,,\n".encode() + "r2,张伟,民政局,,,\n".encode("gbk"),
            "mentions.csv 第 3 行不是 UTF-8",
            id="encoding",
        ),
        pytest.param(
            (MENTION_HEADER + "r1,王伟,,,,\n,张伟,,,,\n").encode(),
            "mentions.csv 第 3 行 列 mention_id: 值为空",
            id="empty-id",
        ),
        pytest.param(
            (MENTION_HEADER + "r1,王伟,,,,\nr2,李明,,,,\nr1,张伟,,,,\n").encode(),
            "mentions.csv 第 4 行 列 mention_id: 'r1' 与 第 2 行重复",
            id="repeated-id",
        ),
    ],
)
def test_a_bad_mention_file_gets_one_chinese_line_naming_file_row_and_column(
    package, tmp_path, capsys, content, expected
) -> None:
    mentions = tmp_path / "mentions.csv"
    mentions.write_bytes(content)

    code, _, err = run(package, mentions, tmp_path / "out", capsys)

    assert code == 2
    assert expected in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out" / "links.csv").exists()


def test_a_malformed_registry_id_is_named_with_file_row_and_column(tmp_path, capsys) -> None:
    folder = tmp_path / "package"
    folder.mkdir()
    rows = hand_officials()
    rows[2]["person_id"] = "4209231980010"
    write_rows(folder / "officials.csv", rows)
    mentions = tmp_path / "mentions.csv"
    mentions.write_text(MENTION_HEADER + "r1,王伟,,,,\n", encoding="utf-8")

    code, _, err = run(folder, mentions, tmp_path / "out", capsys)

    assert code == 2
    assert "officials.csv 第 4 行 列 person_id: '4209231980010' 不是 18 位公民身份号码" in err
    assert "Traceback" not in err


def test_a_registry_without_officials_or_a_name_column_is_refused(tmp_path, capsys) -> None:
    folder = tmp_path / "package"
    folder.mkdir()
    mentions = tmp_path / "mentions.csv"
    mentions.write_text(MENTION_HEADER + "r1,王伟,,,,\n", encoding="utf-8")

    code, _, err = run(folder, mentions, tmp_path / "out", capsys)
    assert code == 2
    assert "没有 officials 数据集" in err

    (folder / "officials.csv").write_text(f"person_id,org_code\n{person_id(1)},YMCIV\n", encoding="utf-8")
    code, _, err = run(folder, mentions, tmp_path / "out", capsys)
    assert code == 2
    assert "officials.csv 缺少必需列 name" in err


def test_one_person_under_two_ids_is_reported_and_both_kept(tmp_path, capsys) -> None:
    folder = tmp_path / "package"
    folder.mkdir()
    rows = [
        *hand_officials(),
        {**hand_officials()[0], "person_id": person_id(40, birth="19700707"), "name": "赵红"},
        {**hand_officials()[0], "person_id": person_id(41, birth="19700707"), "name": "赵红"},
    ]
    write_rows(folder / "officials.csv", rows)
    write_rows(folder / "orgs.csv", HAND_ORGS)
    mentions = tmp_path / "mentions.csv"
    mentions.write_text(MENTION_HEADER + "r1,赵红,卫健局,,,\n", encoding="utf-8")

    code, _, err = run(folder, mentions, tmp_path / "out", capsys)

    assert code == 0
    assert "赵红（出生日期 1970-07-07）在名录中有 2 个不同身份号码" in err
    with (tmp_path / "out" / "duplicates.csv").open(encoding="utf-8") as handle:
        duplicate = next(csv.DictReader(handle))
    assert duplicate["person_ids"].split(";") == [
        person_id(40, birth="19700707"),
        person_id(41, birth="19700707"),
    ]
    assert duplicate["rows"] == f"officials.csv:{len(rows)};officials.csv:{len(rows) + 1}"  # header is row 1
    link = read_links(tmp_path / "out")[0]
    assert link["person_id"] == ""  # not merged: the two fit alike
    assert len(link["candidates"].split(";")) == 2


def test_persons_lend_the_cadres_gender_and_the_rest_of_the_population_is_not_read(tmp_path) -> None:
    from lianqing.analytics.resolve import Mention, Registry, resolve_mentions

    folder = tmp_path / "package"
    folder.mkdir()
    write_rows(folder / "officials.csv", hand_officials())
    write_rows(folder / "orgs.csv", HAND_ORGS)
    write_rows(
        folder / "persons.csv",
        [
            {"person_id": person_id(9), "name": "邝振邦", "gender": "女", "birth_date": "1969-01-15"},
            {"person_id": "not-an-id", "name": "某村民", "gender": "男", "birth_date": ""},
            {"person_id": person_id(99), "name": "村民甲", "gender": "男", "birth_date": "1990-01-01"},
        ],
    )

    registry = Registry.from_package(folder)
    link = resolve_mentions(registry, [Mention("m", name="邝振邦", org_text="民政局", gender="女")])[0]

    assert person_id(99) not in registry.person_ids
    assert "gender_same" in {reason.code for reason in link.reasons}
