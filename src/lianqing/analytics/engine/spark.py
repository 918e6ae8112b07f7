"""The Spark backend: the same rules, transpiled by dialect.to_spark, run through PySpark.

PySpark is the optional `spark` extra; importing this module does not need it.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from typing import Any, TypeVar

import pyarrow as pa

from lianqing.analytics.contract import Dataset
from lianqing.analytics.engine.dialect import to_spark
from lianqing.analytics.engine.library import Macro
from lianqing.analytics.engine.package import DatasetFile, typed_select
from lianqing.analytics.errors import AnalyticsError

_SESSIONS: dict[str, Any] = {}
_LOCK = threading.Lock()
_T = TypeVar("_T")


def stall_seconds() -> float:
    """How long a cluster job may wait with no executor before the scan gives up (the setting
    LIANQING_SPARK_STALL_SECONDS; two minutes by default, time for a worker to restart; 0 waits
    as long as Spark does, for a busy YARN queue that grants executors late)."""
    value = os.environ.get("LIANQING_SPARK_STALL_SECONDS", "120")
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:  # also NaN
        raise AnalyticsError("环境变量 LIANQING_SPARK_STALL_SECONDS 应为秒数，而不是 %(value)s", value=value)
    return seconds


class ExecutorWatchdog:
    """Cancels the driver's jobs once a cluster has had no executor for `seconds` during a call.

    When every worker of a standalone cluster dies, Spark does not fail the job: it waits for
    resources forever ("Initial job has not accepted any resources"). One thread per backend
    polls the driver's status tracker while a job-running call is `watching()`; `tripped` tells
    the caller that the failure it sees is this cancellation, `seen` whether any executor came.
    """

    def __init__(self, context: Any, seconds: float) -> None:
        self.context, self.seconds = context, seconds
        self.seen = self.tripped = False
        self._since: float | None = None  # when the watched call began or last had an executor
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None

    def executors(self) -> int:
        """Executors the driver can send tasks to (the status tracker lists the driver too)."""
        return max(0, len(self.context._jsc.sc().statusTracker().getExecutorInfos()) - 1)

    @contextmanager
    def watching(self) -> Iterator[ExecutorWatchdog]:
        if self._thread is None:
            self._thread = threading.Thread(target=self._watch, name="lianqing-spark-watchdog", daemon=True)
            self._thread.start()
        with self._lock:
            self._since, self.tripped = time.monotonic(), False
        try:
            yield self
        finally:
            with self._lock:
                self._since = None

    def _watch(self) -> None:
        while not self._stopped.wait(min(1.0, self.seconds / 5)):
            if self._since is None:  # between calls: nothing runs, nothing to wait for
                continue
            try:
                executors = self.executors()
            except Exception:  # the driver itself has gone: the caller sees that failure
                return
            with self._lock:
                if self._since is None:
                    continue
                if executors > 0:
                    self.seen, self._since = True, time.monotonic()
                    continue
                if time.monotonic() - self._since < self.seconds:
                    continue
                self.tripped, self._since = True, None
            self.context.cancelAllJobs()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join()


def check_reachable(master: str, timeout: float = 5.0) -> None:
    """A standalone master (`spark://host:port[,host:port]`) must answer before a driver starts:
    Spark itself would retry for a minute and then fail the first rule with a Java trace."""
    if not master.startswith("spark://"):
        return
    for address in master.removeprefix("spark://").split(","):
        host, _, port = address.rpartition(":")
        try:
            with socket.create_connection((host, int(port)), timeout=timeout):
                return
        except (OSError, ValueError):
            continue
    raise AnalyticsError("无法连接 Spark 集群 %(master)s：请确认地址、端口无误且集群已启动", master=master)


def spark_session(master: str) -> Any:
    """One SparkSession per master for the whole process (starting one takes seconds)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise AnalyticsError("未安装 Spark 支持，请安装 lianqing[spark]") from None
    check_reachable(master)
    with _LOCK:
        if master not in _SESSIONS:
            # A process has one SparkContext: getOrCreate would silently reuse another master's.
            _stop_sessions()
            # The driver binds to loopback unless the operator says otherwise: Spark would pick a
            # network interface by itself, and on these networks nothing may talk past loopback.
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
            host = os.environ["SPARK_LOCAL_IP"]
            try:
                builder = (
                    SparkSession.builder.master(master)
                    .config("spark.driver.host", host)
                    .config("spark.driver.bindAddress", host)
                    .config("spark.pyspark.python", sys.executable)
                )
                # One machine: a few shuffle partitions, not the cluster default of 200; a cluster
                # keeps Spark's default unless the operator sizes it (LIANQING_SPARK_SHUFFLE_PARTITIONS).
                partitions = os.environ.get(
                    "LIANQING_SPARK_SHUFFLE_PARTITIONS", "4" if master.startswith("local") else ""
                )
                if partitions:
                    builder = builder.config("spark.sql.shuffle.partitions", partitions)
                if not master.startswith("local"):
                    memory = os.environ.get("LIANQING_SPARK_EXECUTOR_MEMORY", "1g")
                    builder = builder.config("spark.executor.memory", memory)
                _SESSIONS[master] = (
                    builder.appName("lianqing-scan")
                    .config("spark.sql.session.timeZone", "UTC")  # timestamps are wall times
                    .config("spark.ui.enabled", "false")
                    .config("spark.ui.showConsoleProgress", "false")
                    .config("spark.driver.memory", "4g")
                    .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                    .getOrCreate()
                )
                _SESSIONS[master].sparkContext.setLogLevel("FATAL")
                # py4j logs at INFO while the interpreter shuts down, after streams are closed.
                logging.getLogger("py4j").setLevel(logging.WARNING)
            except Exception as error:  # Java missing, bad master URL...
                raise AnalyticsError(f"无法启动 Spark: {error}") from None
        return _SESSIONS[master]


def _stop_sessions() -> None:
    for session in _SESSIONS.values():
        session.stop()
    _SESSIONS.clear()


def stop_spark_sessions() -> None:
    """Stop the process's Spark driver (after a cluster it used has gone, or before exit)."""
    with _LOCK:
        _stop_sessions()


class SparkBackend:
    name = "spark"

    def __init__(self, *, master: str = "local[2]") -> None:
        # A new session of the shared context: its own temp views, the JVM started once.
        self.spark = spark_session(master).newSession()
        self.spark.conf.set("spark.sql.session.timeZone", "UTC")
        self.master = master
        self.cached: list[str] = []
        self.lost = False
        # A cluster's workers can all die; on local[N] the driver is the executor: nothing to lose.
        stall = 0.0 if master.startswith("local") else stall_seconds()
        self.watchdog = ExecutorWatchdog(self.spark.sparkContext, stall) if stall else None

    def register_dataset(
        self, dataset: Dataset, file: DatasetFile | None, as_name: str | None = None
    ) -> None:
        source = None
        if file is not None:
            reader = self.spark.read
            if file.format == "parquet":  # reading the schema is a job on the cluster
                frame = self._on_cluster(lambda: reader.parquet(str(file.path)))
            else:
                frame = reader.option("header", True).option("encoding", "UTF-8").csv(str(file.path))
            source = f"_source_{dataset.name}"
            frame.createOrReplaceTempView(source)
        present = set(file.columns) if file is not None else set()
        self.create_view(as_name or dataset.name, typed_select(dataset, source, present))

    def register_table(self, name: str, table: pa.Table) -> None:
        rows = [tuple(row.values()) for row in table.to_pylist()]
        frame = self.spark.createDataFrame(rows, schema=_spark_schema(table.schema))
        frame.createOrReplaceTempView(name)

    def create_macros(self, macros: tuple[Macro, ...]) -> None:
        """Nothing to create: to_spark inlines macro calls into each statement."""

    def create_view(self, name: str, select_sql: str) -> None:
        self.spark.sql(f"CREATE OR REPLACE TEMPORARY VIEW {name} AS {to_spark(select_sql)}")

    def create_table(self, name: str, select_sql: str) -> None:
        """A temporary view cached eagerly: computed once, read from memory by every rule."""
        self.create_view(name, select_sql)
        self._on_cluster(lambda: self.spark.sql(f"CACHE TABLE {name}"))
        self.cached.append(name)

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> pa.Table:
        def run() -> pa.Table:
            frame = self.spark.sql(to_spark(sql), args=dict(params) if params else None)
            if hasattr(frame, "toArrow"):
                return frame.toArrow()
            return pa.Table.from_pylist([row.asDict() for row in frame.collect()])  # PySpark < 4

        return self._on_cluster(run)

    def _on_cluster(self, run: Callable[[], _T]) -> _T:
        """Run a call that starts Spark jobs; a cluster that is lost, or whose workers are all
        gone, ends the scan with a message naming it instead of a Java trace or a hang."""
        with self.watchdog.watching() if self.watchdog is not None else nullcontext():
            try:
                return run()
            except Exception as error:
                if self.watchdog is not None and self.watchdog.tripped:
                    self._give_up()
                    raise self._stalled_error(self.watchdog) from None
                if _cluster_lost(error) or not self._context_alive():
                    self._give_up()
                    raise AnalyticsError(
                        "Spark 集群 %(master)s 在扫描中断开或其工作节点已退出，扫描未完成", master=self.master
                    ) from None
                raise

    def _stalled_error(self, watchdog: ExecutorWatchdog) -> AnalyticsError:
        seconds = round(watchdog.seconds)
        if watchdog.seen:
            return AnalyticsError(
                "Spark 集群 %(master)s 的工作节点已全部退出，%(seconds)s 秒内没有可用的执行器：扫描已停止，未写入结果",
                master=self.master,
                seconds=seconds,
            )
        return AnalyticsError(
            "Spark 集群 %(master)s 在 %(seconds)s 秒内没有为扫描分配执行器：请确认工作节点已启动且内存足够，扫描已停止，未写入结果",
            master=self.master,
            seconds=seconds,
        )

    def _give_up(self) -> None:
        self.lost = True
        if self.watchdog is not None:
            self.watchdog.stop()
        stop_spark_sessions()  # a driver whose cluster has gone cannot be reused

    def _context_alive(self) -> bool:
        """False once the driver's SparkContext has stopped: Spark stops it itself when the
        standalone master stops answering."""
        try:
            context = self.spark.sparkContext._jsc
            return context is not None and not context.sc().isStopped()
        except Exception:  # py4j gone with the JVM
            return False

    def close(self) -> None:
        if self.watchdog is not None:
            self.watchdog.stop()
        if self.lost or not self._context_alive():  # the session is stopped: nothing left to drop
            return
        for name in self.cached:  # before the views they are built on go
            self.spark.sql(f"UNCACHE TABLE IF EXISTS {name}")
        self.cached.clear()
        for view in self.spark.catalog.listTables():
            if view.isTemporary:
                self.spark.catalog.dropTempView(view.name)


def _cluster_lost(error: Exception) -> bool:
    """Whether a Spark failure is the cluster's (a lost executor or driver link), not the rule's."""
    text = str(error)
    return any(
        sign in text
        for sign in (
            "SparkContext was shut down",
            "Cannot call methods on a stopped SparkContext",
            "ExecutorLostFailure",
            "Connection refused",
            "Py4JNetworkError",
            "Answer from Java side is empty",
        )
    ) or type(error).__name__ in {"Py4JNetworkError", "ConnectionRefusedError"}


def _spark_schema(schema: pa.Schema) -> Any:
    from pyspark.sql import types

    mapping = {
        pa.date32(): types.DateType(),
        pa.int64(): types.LongType(),
        pa.bool_(): types.BooleanType(),
        pa.string(): types.StringType(),
    }

    def spark_type(kind: pa.DataType) -> Any:
        if pa.types.is_decimal(kind):  # the kept sums of an incremental scan (DECIMAL(38, 2))
            return types.DecimalType(kind.precision, kind.scale)
        return mapping[kind]

    return types.StructType([types.StructField(field.name, spark_type(field.type), True) for field in schema])
