"""The SQL check of 公民身份号码 (macros.sql, rule B10) agrees with python-stdnum on every engine.

The expected validity comes from lianqing.analytics.idcodes (stdnum's calc_check_digit and
get_birth_date), not from the SQL under test.
"""

from __future__ import annotations

import random
from pathlib import Path

import pyarrow as pa
import pytest
from rule_kit import PackageFactory, benefit, run_rule
from stdnum.cn import ric

from lianqing.analytics.engine.backend import DuckDBBackend
from lianqing.analytics.engine.library import load_macros
from lianqing.analytics.idcodes import is_valid_person_id


def _with_check(body: str) -> str:
    return body + ric.calc_check_digit(body + "0")


def _wrong_check(body: str) -> str:
    right = ric.calc_check_digit(body + "0")
    return body + ("0" if right != "0" else "X")


def edge_ids() -> list[str]:
    """Every bound the check has: dates, check characters, shape."""
    ids = [
        _with_check("370102" + birth + "001")
        for birth in (
            "19800101", "20000229", "19000228", "19000229", "20230229", "20240229", "21000229",
            "19800431", "19800430", "19800132", "19800131", "19801231", "19801232", "19800001",
            "19801301", "19800100", "00000101", "00010101", "99991231",
        )
    ]  # fmt: skip
    x_body = next(b for b in (f"37010219800101{n:03d}" for n in range(1000)) if _with_check(b)[-1] == "X")
    ids += [
        _with_check(x_body),  # check character X
        x_body + "x",  # lower-case x is not the contract's form
        _wrong_check("37010219800101001"),
        _wrong_check(x_body),
        _with_check("37010219800101001")[:17],  # 17 characters
        _with_check("37010219800101001") + "1",  # 19 characters
        " " + _with_check("3701021980010100")[:17],  # a space where a digit belongs
        "+" + _with_check("3701021980010100")[1:],
        "-" + _with_check("3701021980010100")[1:],
        "3701021980010100A1",
        "37010219800101.001",
        "1_0102198001010011",
        "",
    ]
    return ids


def random_ids(count: int, seed: int) -> list[str]:
    """Bodies with dates in and out of range, check characters right half the time."""
    rng = random.Random(seed)
    ids = []
    for _ in range(count):
        birth = f"{rng.choice([0, 1, 1899, 1900, 1968, 2000, 2004, 2023, 2400, 9999]):04d}"
        birth += f"{rng.randint(0, 13):02d}{rng.randint(0, 32):02d}"
        body = f"{rng.randint(0, 999999):06d}{birth}{rng.randint(0, 999):03d}"
        right = ric.calc_check_digit(body + "0")
        ids.append(body + (right if rng.random() < 0.5 else rng.choice("0123456789X")))
    return ids


def test_macro_matches_stdnum_on_edge_and_random_ids() -> None:
    ids = edge_ids() + random_ids(20_000, seed=7)
    backend = DuckDBBackend()
    try:
        backend.create_macros(load_macros())
        backend.register_table("ids", pa.table({"s": pa.array(ids, pa.string())}))
        got = backend.execute(
            "SELECT s, is_valid_person_id(s, body) AS valid "
            "FROM (SELECT s, person_id_body(s) AS body FROM ids)"
        ).to_pylist()
    finally:
        backend.close()
    wrong = [row["s"] for row in got if row["valid"] != is_valid_person_id(row["s"])]
    assert wrong == []
    # the sample exercises both outcomes in quantity
    assert 3_000 < sum(row["valid"] for row in got) < 17_000


def _b10_package(make_package: PackageFactory, ids: list[str]) -> Path:
    rows = [benefit(f"b{index}", number, "2024-03") for index, number in enumerate(ids)]
    return make_package({"benefits": rows})


def test_b10_flags_exactly_the_ids_stdnum_rejects(make_package: PackageFactory) -> None:
    ids = [number for number in edge_ids() if number]  # an empty CSV field reads as NULL
    hits = run_rule(_b10_package(make_package, ids), "B10")
    assert set(hits) == {number for number in ids if not is_valid_person_id(number)}
    # a leap day only in leap years (1900 is not one, 2000 is); year 0000 is no date
    assert _with_check("37010219000229001") in hits
    assert _with_check("37010220000229001") not in hits
    assert _with_check("37010200000101001") in hits


@pytest.mark.spark
@pytest.mark.slow
def test_b10_on_spark_matches_stdnum(make_package: PackageFactory) -> None:
    pytest.importorskip("pyspark")
    ids = [number for number in edge_ids() if number] + random_ids(2_000, seed=11)
    package = _b10_package(make_package, ids)
    expected = {number for number in ids if not is_valid_person_id(number)}
    spark = run_rule(package, "B10", engine="spark", spark_master="local[2]")
    assert set(spark) == expected
    assert set(run_rule(package, "B10")) == expected
