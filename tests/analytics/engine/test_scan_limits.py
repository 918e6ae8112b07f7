"""A scan at any size: memory capped, spill beside the result, a result folder complete or absent,
and a clear message (never a traceback) when memory, the disk or a Spark cluster fails."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from rule_kit import PackageFactory, benefit
from rule_kit import person_id as pid

from lianqing.analytics.commands.scan import scan_main
from lianqing.analytics.engine import scan
from lianqing.analytics.engine.backend import default_memory_limit
from lianqing.analytics.engine.progress import ScanEta
from lianqing.analytics.engine.spark import stall_seconds
from lianqing.analytics.errors import AnalyticsError
from lianqing.analytics.generate import generate

AS_OF = "2025-12-31"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated package big enough that a 2 MB memory cap cannot hold a rule's join."""
    package = tmp_path_factory.mktemp("package")
    generate(package, persons=5_000, seed=2)
    return package


def _siblings(out: Path) -> list[str]:
    """The result folder and any hidden partial one beside it."""
    return sorted(path.name for path in out.parent.iterdir() if out.name in path.name)


def test_a_result_folder_is_whole_and_the_spill_is_gone(generated: Path, tmp_path: Path) -> None:
    out = tmp_path / "result"
    scan(package=generated, out=out, as_of=AS_OF, memory_limit="256MB")
    assert sorted(path.name for path in out.iterdir()) == ["_incremental", "hits.csv", "summary.json"]
    assert _siblings(out) == ["result"]  # no hidden partial folder left beside it
    # A second scan replaces the earlier result
    (out / "hits.csv").write_text("old", encoding="utf-8")
    scan(package=generated, out=out, as_of=AS_OF, rules=["B01"])
    assert (out / "hits.csv").read_text(encoding="utf-8").startswith("rule_id,")
    assert _siblings(out) == ["result"]


def test_memory_short_and_spill_unwritable_leaves_no_result(generated: Path, tmp_path: Path) -> None:
    # Given a memory cap far too small and a temp folder that cannot be created (under a file)
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    out = tmp_path / "result"
    # When the library runs
    with pytest.raises(AnalyticsError) as raised:
        scan(package=generated, out=out, as_of=AS_OF, memory_limit="2MB", temp_dir=blocker / "spill")
    # Then the message names the temp folder, and no result (whole or partial) exists
    message = str(raised.value)
    assert str(blocker / "spill") in message
    assert message.startswith(("扫描无法在", "扫描内存不足"))
    assert _siblings(out) == []


def test_the_command_reports_memory_and_disk_failures_in_chinese(
    generated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    out = tmp_path / "result"
    arguments = [str(generated), "--out", str(out), "--as-of", AS_OF, "--quiet"]
    code = scan_main([*arguments, "--memory-limit", "2MB", "--temp-dir", str(blocker)])
    error = capsys.readouterr().err
    assert code == 2
    assert error.startswith("错误: 扫描")
    assert "Traceback" not in error
    assert not out.exists()
    # An unreadable memory size is named as such
    assert scan_main([*arguments, "--memory-limit", "2XB"]) == 2
    assert "内存上限 2XB 无法识别" in capsys.readouterr().err


def test_a_folder_holding_other_files_is_not_taken(make_package: PackageFactory, tmp_path: Path) -> None:
    package = make_package({"benefits": [benefit("b1", pid(1), "2024-03")]})
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(AnalyticsError, match="已存在且含有其他文件"):
        scan(package=package, out=out, as_of=AS_OF)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep"


def test_a_result_folder_that_cannot_be_created_is_named(
    make_package: PackageFactory, tmp_path: Path
) -> None:
    package = make_package({"benefits": [benefit("b1", pid(1), "2024-03")]})
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(AnalyticsError, match=f"无法创建结果文件夹 {blocker / 'out'}"):
        scan(package=package, out=blocker / "out", as_of=AS_OF)


def test_an_unreachable_spark_cluster_is_a_clear_error(make_package: PackageFactory, tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    # Given a master URL on a loopback port nobody listens on
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    package = make_package({"benefits": [benefit("b1", pid(1), "2024-03")]})
    out = tmp_path / "result"
    # When a Spark scan is asked of it
    with pytest.raises(AnalyticsError) as raised:
        scan(package=package, out=out, as_of=AS_OF, engine="spark", spark_master=f"spark://127.0.0.1:{port}")
    # Then the message names the cluster and no result folder is left
    assert str(raised.value).startswith(f"无法连接 Spark 集群 spark://127.0.0.1:{port}")
    assert _siblings(out) == []


@pytest.mark.parametrize(("setting", "seconds"), [(None, 120.0), ("15", 15.0), ("0", 0.0)])
def test_how_long_a_scan_waits_for_executors_is_two_minutes_or_the_setting(
    monkeypatch: pytest.MonkeyPatch, setting: str | None, seconds: float
) -> None:
    if setting is None:
        monkeypatch.delenv("LIANQING_SPARK_STALL_SECONDS", raising=False)
    else:
        monkeypatch.setenv("LIANQING_SPARK_STALL_SECONDS", setting)
    assert stall_seconds() == seconds


@pytest.mark.parametrize("setting", ["两分钟", "-5", "nan"])
def test_a_wait_that_is_not_seconds_is_named(monkeypatch: pytest.MonkeyPatch, setting: str) -> None:
    monkeypatch.setenv("LIANQING_SPARK_STALL_SECONDS", setting)
    with pytest.raises(AnalyticsError) as raised:
        stall_seconds()
    assert str(raised.value) == f"环境变量 LIANQING_SPARK_STALL_SECONDS 应为秒数，而不是 {setting}"


def test_default_memory_limit_is_half_the_machine_or_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    total_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    monkeypatch.delenv("LIANQING_DUCKDB_MEMORY", raising=False)
    assert abs(int(default_memory_limit().removesuffix("MB")) - total_mb // 2) <= 1
    monkeypatch.setenv("LIANQING_DUCKDB_MEMORY", "3GB")
    assert default_memory_limit() == "3GB"


def test_eta_counts_rows_not_rules(generated: Path) -> None:
    # Given two rules, one reading far more rows than the other
    eta = ScanEta(generated, ["B01", "B03"])
    first, second = eta.rows["B01"], eta.rows["B03"]
    assert first > 0
    assert second > 0
    # When the first has taken 10 seconds
    start = eta.line("B01", 1, 2, now=100.0)
    during = eta.line("B03", 2, 2, now=110.0)
    # Then nothing is promised before any rule ends, and then 10 s per the first rule's rows
    assert "预计" not in start
    expected = round(10.0 / first * second)
    assert f"已扫描 {first / 10_000:.1f} 万行" in during or f"已扫描 {first} 行" in during
    minutes, seconds = divmod(expected, 60)
    assert (f"约 {minutes} 分 {seconds} 秒" if minutes else f"约 {seconds} 秒") in during
