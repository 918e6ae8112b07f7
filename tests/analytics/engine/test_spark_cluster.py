"""A real standalone cluster (a master and two worker JVMs on 127.0.0.1): hits identical to DuckDB's."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from lianqing.analytics.engine import scan
from lianqing.analytics.engine.cluster import LOOPBACK, LocalCluster, start_local_cluster
from lianqing.analytics.engine.spark import stop_spark_sessions
from lianqing.analytics.errors import AnalyticsError
from lianqing.analytics.generate import generate

pytest.importorskip("pyspark")

pytestmark = [pytest.mark.spark, pytest.mark.spark_cluster, pytest.mark.slow]


LOOPBACK_IN_PROC = {"0100007F", "0000000000000000FFFF00000100007F", "00000000000000000000000001000000"}


def listening_addresses(pids: list[int]) -> set[str]:
    """The local addresses the processes listen on, from /proc (no tool needed)."""
    inodes: set[str] = set()
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            target = os.readlink(fd) if fd.is_symlink() else ""
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    addresses = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A = LISTEN
                addresses.add(fields[1].rsplit(":", 1)[0])
    return addresses


def java_children(pid: int) -> list[int]:
    """The JVM a launcher script exec'd or started (the script's own pid, or its children)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    found = [pid]
    if children.exists():
        found += [int(child) for child in children.read_text().split()]
    return found


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    package = tmp_path_factory.mktemp("cluster-package") / "package"
    generate(package, persons=1_000, seed=3)
    return package


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCluster]:
    """One cluster (and one driver) for the module: starting the JVMs is most of each test's time.
    The workers-die test kills its workers, so it comes last."""
    with start_local_cluster(tmp_path_factory.mktemp("cluster"), workers=2) as cluster:
        try:
            yield cluster
        finally:
            stop_spark_sessions()


def test_a_standalone_cluster_on_loopback_writes_the_same_hits_as_duckdb(
    package: Path, cluster: LocalCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIANQING_SPARK_SHUFFLE_PARTITIONS", "4")
    as_of = json.loads((package / "_manifest.json").read_text(encoding="utf-8"))["as_of"]
    duck = scan(package=package, as_of=as_of, out=tmp_path / "duckdb")
    assert cluster.master_url.startswith(f"spark://{LOOPBACK}:")
    assert cluster.alive_workers() == 2
    pids = [p for process in cluster.processes for p in java_children(process.pid)]
    # Every port of the master and workers is on loopback: 127.0.0.1 as /proc writes it for
    # IPv4 and for an IPv6 socket bound to ::ffff:127.0.0.1 (never 0.0.0.0 or :: = any address).
    addresses = listening_addresses(pids)
    assert addresses
    assert addresses <= LOOPBACK_IN_PROC
    result = scan(
        package=package,
        as_of=as_of,
        out=tmp_path / "spark",
        engine="spark",
        spark_master=cluster.master_url,
    )
    # The scan ran on the cluster, not on a local context left over from another test.
    master_log = (cluster.work_dir / "logs" / "master.log").read_text(encoding="utf-8")
    assert "Registered app lianqing-scan" in master_log
    assert result.summary["engine"] == "spark"
    assert (tmp_path / "spark" / "hits.csv").read_bytes() == (tmp_path / "duckdb" / "hits.csv").read_bytes()
    assert len(duck.hits) > 20


def kill_workers(cluster: LocalCluster) -> None:
    """SIGKILL every worker JVM and the executor JVMs it started: machines that die, not a stop."""
    for process in cluster.processes[1:]:  # the first is the master, which stays up
        for pid in reversed(java_children(process.pid)):  # executors first, then their worker
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait(timeout=30)


def test_workers_that_all_die_mid_scan_end_it_in_bounded_time_with_no_result(
    package: Path, cluster: LocalCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stall = 15
    monkeypatch.setenv("LIANQING_SPARK_SHUFFLE_PARTITIONS", "4")
    monkeypatch.setenv("LIANQING_SPARK_STALL_SECONDS", str(stall))
    as_of = json.loads((package / "_manifest.json").read_text(encoding="utf-8"))["as_of"]
    out = tmp_path / "spark"
    killed = threading.Event()
    killed_at: list[float] = []
    outcome: list[BaseException | object] = []
    assert cluster.alive_workers() == 2

    def progress(rule_id: str, index: int, total: int) -> None:
        # Given a scan whose first rules ran on the workers, every worker dies before the last
        if index == total and not killed.is_set():
            kill_workers(cluster)
            killed_at.append(time.monotonic())
            killed.set()

    def run() -> None:
        try:
            outcome.append(
                scan(
                    package=package,
                    as_of=as_of,
                    out=out,
                    rules=["B01", "B02", "B03"],
                    engine="spark",
                    spark_master=cluster.master_url,
                    progress=progress,
                )
            )
        except BaseException as error:
            outcome.append(error)

    # When the scan goes on (in a thread, so that a hang fails the test instead of stalling it;
    # the time before the workers die is the machine's, only the time after it is bounded)
    scanning = threading.Thread(target=run, daemon=True)
    scanning.start()
    try:
        assert killed.wait(timeout=900) or outcome, "the scan never reached its last rule"
        scanning.join(timeout=stall + 120)
        assert not scanning.is_alive(), "the scan still waits for workers that are gone"
    finally:
        stop_spark_sessions()
    assert cluster.alive_workers() == 0  # the master stayed up and saw them go

    # Then it ends soon after the watchdog's time, saying the master's workers are gone
    assert killed_at, outcome
    assert len(outcome) == 1
    error = outcome[0]
    assert isinstance(error, AnalyticsError), repr(error)
    assert str(error).startswith(
        f"Spark 集群 {cluster.master_url} 的工作节点已全部退出，{stall} 秒内没有可用的执行器"
    )
    # And no result folder, whole or half-written, is left beside where it would have been
    assert not out.exists()
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".spark")] == []
    # Stopping the cluster ends the master too: no JVM is left behind
    processes = list(cluster.processes)
    cluster.stop()
    assert processes
    assert all(process.poll() is not None for process in processes)
