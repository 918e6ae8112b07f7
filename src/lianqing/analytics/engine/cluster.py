"""A real Spark standalone cluster on this machine: one master and N workers, each its own JVM.

They are started with the pyspark package's own launcher (`bin/spark-class`, which runs Spark's
launcher classes), so no separate Spark download is needed. Every process binds to 127.0.0.1
(`SPARK_LOCAL_IP`, `--host`, web UIs on loopback): on a government network nothing here may talk
to any other address. Used by `bench/spark_cluster.py` and the `spark_cluster` test; in production
the same `lianqing scan --engine spark --spark-master spark://…` points at the commission's cluster.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from lianqing.analytics.errors import AnalyticsError

LOOPBACK = "127.0.0.1"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def _spark_home() -> Path:
    try:
        import pyspark
    except ImportError:
        raise AnalyticsError("未安装 Spark 支持，请安装 lianqing[spark]") from None
    return Path(pyspark.__file__).parent


def cluster_environment(work_dir: Path) -> dict[str, str]:
    """The environment of every Spark process started here: loopback only, logs in work_dir."""
    environment = dict(os.environ)
    environment.update(
        SPARK_HOME=str(_spark_home()),
        SPARK_LOCAL_IP=LOOPBACK,
        SPARK_MASTER_HOST=LOOPBACK,
        SPARK_LOG_DIR=str(work_dir / "logs"),
        SPARK_WORKER_DIR=str(work_dir / "work"),
        SPARK_NO_DAEMONIZE="1",
        PYSPARK_PYTHON=sys.executable,
    )
    return environment


@dataclass
class LocalCluster:
    master_url: str
    web_url: str
    work_dir: Path
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def alive_workers(self) -> int:
        try:
            with urllib.request.urlopen(f"{self.web_url}/json/", timeout=2) as response:  # noqa: S310 (loopback)
                state = json.loads(response.read().decode("utf-8"))
        except (OSError, ValueError):
            return 0
        return int(state.get("aliveworkers", 0))

    def stop(self) -> None:
        """Workers first, then the master; each asked to stop, then killed if it will not."""
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 20
        for process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()

    def log_tail(self, lines: int = 20) -> str:
        tails = []
        for log in sorted((self.work_dir / "logs").glob("*.log")):
            text = log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
            tails.append(f"== {log.name}\n" + "\n".join(text))
        return "\n".join(tails)

    def __enter__(self) -> LocalCluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_local_cluster(
    work_dir: Path, *, workers: int = 2, cores: int = 1, memory: str = "1g", timeout: float = 180.0
) -> LocalCluster:
    """Start a master and `workers` workers; return once every worker has registered."""
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise AnalyticsError("找不到 Java，Spark 需要 Java 17")
    (work_dir / "logs").mkdir(parents=True, exist_ok=True)
    (work_dir / "work").mkdir(parents=True, exist_ok=True)
    environment = cluster_environment(work_dir)
    launcher = str(_spark_home() / "bin" / "spark-class")
    port, web_port = _free_port(), _free_port()
    cluster = LocalCluster(
        master_url=f"spark://{LOOPBACK}:{port}", web_url=f"http://{LOOPBACK}:{web_port}", work_dir=work_dir
    )

    def launch(name: str, arguments: list[str]) -> None:
        log = (work_dir / "logs" / f"{name}.log").open("wb")
        cluster.processes.append(
            subprocess.Popen(  # noqa: S603 (our own launcher and arguments)
                [launcher, *arguments], env=environment, stdout=log, stderr=subprocess.STDOUT, cwd=work_dir
            )
        )

    try:
        launch(
            "master",
            [
                "org.apache.spark.deploy.master.Master",
                "--host",
                LOOPBACK,
                "--port",
                str(port),
                "--webui-port",
                str(web_port),
            ],
        )
        for number in range(1, workers + 1):
            launch(
                f"worker-{number}",
                [
                    "org.apache.spark.deploy.worker.Worker",
                    "--host", LOOPBACK, "--port", str(_free_port()), "--webui-port", str(_free_port()),
                    "--cores", str(cores), "--memory", memory,
                    "--work-dir", str(work_dir / "work" / f"worker-{number}"),
                    cluster.master_url,
                ],
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while cluster.alive_workers() < workers:
            if time.monotonic() > deadline or any(p.poll() is not None for p in cluster.processes):
                raise AnalyticsError(f"Spark 集群未能在 {timeout:.0f} 秒内启动\n{cluster.log_tail()}")
            time.sleep(0.5)
    except BaseException:
        cluster.stop()
        raise
    return cluster
