"""阳光纪检 under a busy day: the home page, a news page and a village's 民生资金 page of 10,000
lines, under 200 concurrent requests, against the real server (gunicorn on 127.0.0.1), alone and
behind the shipped nginx with its micro-cache (deploy/nginx/, docs/deploy.md).

    .venv/bin/python bench/public.py                                   # full size, every mode
    .venv/bin/python bench/public.py --mode python                     # the Python client only
    .venv/bin/python bench/public.py --lines 500 --requests 600 --concurrency 50 --seconds 5   # quick

Sets up a fresh database (DATABASE_URL, default PostgreSQL lianqing_bench_public on 127.0.0.1),
migrates it, loads one commission, one published news article and one published disclosure whose
village holds `--lines` lines (the page shows 100 at a time, with totals and standards), starts
`lianqing serve` and keeps `--concurrency` clients busy (closed loop, keep-alive connections), each
asking the three pages in turn, until `--requests` answers have come. Published pages are served
from the cache (publicity/cache.py); a warm-up first lets every worker fill its cache once.

Modes (`--mode`; the default is `all` when /usr/sbin/nginx and wrk are installed, else `python`):
- python: the Python client straight to gunicorn (the server alone; the client shares the CPU);
- wrk: wrk (-t2 -c200 --latency, a Lua script spreading requests over the three pages) straight
  to gunicorn, then through an nginx on 127.0.0.1 started from the shipped configuration
  (bench/nginx_local.py: its own prefix, pid, logs and cache folder), for `--seconds` each;
- all: both. Then the cold case: right after nginx stored the home page (a MISS or EXPIRED answer,
  so its copy has its whole lifetime ahead), an article is published
  and the home page is asked through nginx every 50 ms until it shows the article; the seconds it
  took are printed (at most the micro-cache's lifetime + 1 s + GENERATION_SECONDS, docs/deploy.md).
A table per mode gives requests, seconds, answers/s, p50/p95/p99, errors, the servers' peak memory
(VmHWM summed over gunicorn's or nginx's processes) and the load average after each run.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import nginx_local
from bench.timing import load_average

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lianqing_bench_public"
VILLAGE = "370124001201"


def load(lines: int) -> dict[str, str]:
    """Runs inside Django (a subprocess): the published content; returns the page paths."""
    import django

    django.setup()
    from django.utils import timezone

    from lianqing.core.models import Org, OrgKind
    from lianqing.publicity.masking import name_mask
    from lianqing.publicity.models import (
        Article,
        Disclosure,
        DisclosureLine,
        DisclosureVillage,
        PublicationStatus,
        Section,
    )
    from lianqing.publicity.services import _index

    org = Org.objects.filter(kind=OrgKind.COMMISSION).order_by("path").first() or Org.objects.create(
        org_code="JW1", name="示范县纪委监委", kind=OrgKind.COMMISSION
    )
    now = timezone.now()
    published = {"org": org, "status": PublicationStatus.APPROVED, "publish_at": now}
    article = Article.objects.create(
        **published, section=Section.NEWS, title="县纪委监委召开警示教育大会", tags=["警示教育"],
        body_markdown="全县党员干部参加。" * 50, body_html="<p>" + "全县党员干部参加。" * 50 + "</p>",
    )  # fmt: skip
    _index(article)
    disclosure = Disclosure.objects.create(
        **published, title="2025年民生资金公开", package_id=0, package_name="bench", programs=["低保"],
        standards=[{"program": "低保", "region_code": "370124", "period_from": "2024-01", "period_to": "", "max_cents": "65000"}],
        line_count=lines,
    )  # fmt: skip
    periods = [f"2025-{month:02d}" for month in range(1, 13)]
    village = DisclosureVillage.objects.create(
        disclosure=disclosure, code=VILLAGE, name="甲镇东山村村民委员会", town="甲镇人民政府", line_count=lines,
        total_cents=50000 * lines,
        totals=[{"program": "低保", "period": p, "count": lines // 12 + (i < lines % 12), "cents": 50000 * (lines // 12 + (i < lines % 12))} for i, p in enumerate(periods)],
    )  # fmt: skip
    surnames, given = "王李张刘陈杨赵黄周吴", "建国秀英小明桂兰志强玉梅海燕"
    DisclosureLine.objects.bulk_create(
        [
            DisclosureLine(
                village=village,
                reference=f"MS{disclosure.pk}-{i + 1:06d}",
                program="低保",
                masked_name=name_mask(surnames[i % 10] + given[i % 7] + given[(i * 3) % 11]),
                household_size=1 + i % 5,
                amount_cents=50000,
                period=periods[i % 12],
                approver="甲镇人民政府",
                lookup_digest=f"{i:064x}",
            )
            for i in range(lines)
        ],
        batch_size=5000,
    )
    return {"home": "/", "news": f"/news/item/{article.pk}/", "village": f"/funds/{VILLAGE}/"}


def publish(title: str) -> None:
    """Runs inside Django (a subprocess): says "ready", waits for a line, then publishes one more
    article (the generation moves) and says "committed"; the parent times the rest."""
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from lianqing.core.models import Org, OrgKind
    from lianqing.publicity.cache import generation_bump
    from lianqing.publicity.models import Article, PublicationStatus, Section
    from lianqing.publicity.services import _index

    org = Org.objects.filter(kind=OrgKind.COMMISSION).order_by("path").first()
    print("ready", flush=True)
    sys.stdin.readline()
    with transaction.atomic():
        article = Article.objects.create(
            org=org, status=PublicationStatus.APPROVED, publish_at=timezone.now(), section=Section.NEWS,
            title=title, tags=[], body_markdown="正文。", body_html="<p>正文。</p>",
        )  # fmt: skip
        _index(article)
        generation_bump()
    print("committed", flush=True)


def prepare_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def wait_for(port: int, seconds: float = 300) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("服务器没有启动 (the server did not start): see server.log in LIANQING_HOME")


def drive(
    port: int, paths: dict[str, str], total: int, concurrency: int
) -> tuple[dict[str, list[float]], dict[str, int], float]:
    """`concurrency` clients, each asking the pages in turn until `total` answers have come."""
    timings: dict[str, list[float]] = {name: [] for name in paths}
    errors: dict[str, int] = dict.fromkeys(paths, 0)
    lock = threading.Lock()
    remaining = [total]
    names = list(paths)

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        turn = offset
        while True:
            with lock:
                if remaining[0] <= 0:
                    break
                remaining[0] -= 1
            name = names[turn % len(names)]
            turn += 1
            started = time.perf_counter()
            try:
                connection.request("GET", paths[name], headers={"Accept-Language": "zh-CN"})
                response = connection.getresponse()
                body = response.read()
                ok = response.status == 200 and len(body) > 1000
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = time.perf_counter() - started
            with lock:
                timings[name].append(elapsed)
                if not ok:
                    errors[name] += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, errors, time.perf_counter() - started


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000 if ordered else float("nan")


WRK_SCRIPT = """
local paths = {%(paths)s}
local counter = 0
bad = 0  -- a global: done() reads each thread's with thread:get
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1], {["Accept-Language"] = "zh-CN"})
end

function response(status, headers, body)
  if status ~= 200 or string.len(body) < 1000 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local wrong = 0
  for _, thread in ipairs(threads) do
    wrong = wrong + thread:get("bad")
  end
  local e = summary.errors
  io.write(string.format("LQWRK %%d %%.3f %%.3f %%.3f %%.3f %%d\\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout + wrong))
end
"""


def peak_memory_mb(pid: int) -> float:
    """VmHWM of a process and its children (gunicorn's master and workers, nginx's)."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM")), 0)
        pending.extend(int(child) for child in children)
    return total / 1024


def run_wrk(
    port: int, paths: dict[str, str], *, seconds: int, concurrency: int, folder: Path
) -> dict[str, float]:
    script = folder / "public.lua"
    script.write_text(WRK_SCRIPT % {"paths": ", ".join(f'"{path}"' for path in paths.values())})
    wrk = shutil.which("wrk") or "/usr/bin/wrk"
    argv = [
        wrk,
        "-t2",
        f"-c{concurrency}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(script),
    ]
    finished = subprocess.run(  # noqa: S603
        [*argv, f"http://127.0.0.1:{port}/"], check=False, capture_output=True, text=True
    )
    if finished.returncode != 0:
        raise SystemExit(f"wrk 运行失败：{finished.stderr.strip()}")
    line = next(line for line in finished.stdout.splitlines() if line.startswith("LQWRK "))
    requests, duration, p50, p95, p99, errors = (float(value) for value in line.split()[1:])
    return {"requests": requests, "seconds": duration, "p50": p50, "p95": p95, "p99": p99, "errors": errors}


def _expect(stream: Any, word: str) -> None:
    while (line := stream.readline()) and line.strip() != word:
        pass
    if not line:
        raise SystemExit(f"发布进程意外结束（没有输出 {word}）")


def cold_case(port: int, env: dict[str, str]) -> float:
    """Seconds from a publication's commit to the first page through nginx that shows it."""
    title = f"冷启动检查{time.time_ns()}"
    publisher = subprocess.Popen(  # noqa: S603
        [sys.executable, __file__, "--publish-only", title],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    if publisher.stdin is None or publisher.stdout is None:
        raise SystemExit("无法与发布进程通信")
    _expect(publisher.stdout, "ready")
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline:  # until nginx has just stored the home page: the worst moment
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/", headers={"Accept-Language": "zh-CN"})
        response = connection.getresponse()
        response.read()
        if response.getheader("X-Cache-Status") in ("MISS", "EXPIRED"):
            break
        time.sleep(0.02)
    publisher.stdin.write("go\n")
    publisher.stdin.flush()
    _expect(publisher.stdout, "committed")
    committed = time.perf_counter()
    publisher.wait(timeout=60)
    while time.perf_counter() - committed < 30:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/", headers={"Accept-Language": "zh-CN"})
        if title in connection.getresponse().read().decode():
            return time.perf_counter() - committed
        time.sleep(0.05)
    return float("nan")


ROW = "| {:<34} | {:>8} | {:>7} | {:>9} | {:>7} | {:>7} | {:>7} | {:>6} | {:>9} | {:<17} |"


def print_table(title: str, rows: list[tuple[str, dict[str, float], float, str]]) -> None:
    print(f"\n{title}\n")
    print(
        ROW.format(
            "run",
            "requests",
            "seconds",
            "answers/s",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "errors",
            "peak MB",
            "load after",
        )
    )
    print("|" + "|".join("-" * (width + 2) for width in (34, 8, 7, 9, 7, 7, 7, 6, 9, 17)) + "|")
    for name, result, memory, load in rows:
        print(ROW.format(
            name, f"{result['requests']:,.0f}", f"{result['seconds']:.1f}",
            f"{result['requests'] / result['seconds']:,.0f}", f"{result['p50']:.1f}", f"{result['p95']:.1f}",
            f"{result['p99']:.1f}", f"{result['errors']:.0f}", f"{memory:,.0f}", load,
        ))  # fmt: skip


def python_rows(
    port: int, paths: dict[str, str], args: argparse.Namespace, server: int
) -> list[tuple[str, dict[str, float], float, str]]:
    timings, errors, seconds = drive(port, paths, total=args.requests, concurrency=args.concurrency)
    memory, load = peak_memory_mb(server), load_average()
    everything = [value for values in timings.values() for value in values]
    rows = [
        ("python client → gunicorn (all)", _summary(everything, sum(errors.values()), seconds), memory, load)
    ]
    for name, values in timings.items():
        rows.append((f"  … {name}", _summary(values, errors[name], seconds), memory, load))
    return rows


def progress(row: tuple[str, dict[str, float], float, str]) -> None:
    """One line as soon as a run ends, so that a later failure loses nothing measured."""
    name, result, _memory, load = row
    print(f"measured {name}: {result['requests']:.0f} requests, p95 {result['p95']:.1f} ms, "
          f"errors {result['errors']:.0f}, load {load}", flush=True)  # fmt: skip


def _summary(values: list[float], errors: int, seconds: float) -> dict[str, float]:
    return {
        "requests": len(values), "seconds": seconds, "errors": errors,
        "p50": percentile(values, 0.5), "p95": percentile(values, 0.95), "p99": percentile(values, 0.99),
    }  # fmt: skip


def main() -> None:
    tools = nginx_local.NGINX is not None and (shutil.which("wrk") or Path("/usr/bin/wrk").exists())
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000, help="lines of the village's disclosure")
    parser.add_argument("--requests", type=int, default=20_000, help="answers to wait for (python mode)")
    parser.add_argument("--seconds", type=int, default=20, help="length of each wrk run")
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--nginx-port", type=int, default=8767)
    parser.add_argument("--mode", choices=["all", "python", "wrk"], default="all" if tools else "python")
    parser.add_argument("--data", default=None, help="folder for the bench's instance (default: $TMPDIR)")
    parser.add_argument("--load-only", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--publish-only", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load_only:
        print(repr(load(args.load_only)))
        return
    if args.publish_only:
        publish(args.publish_only)
        return

    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    # The instance folder (and nginx's prefix) lives under --data (or $TMPDIR) and is removed after.
    if args.data:
        Path(args.data).mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="lianqing-bench-public-", dir=args.data))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "LIANQING_MODE": "demo",
        "LIANQING_HOME": str(home),
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "lianqing.settings",
    }
    if url.startswith("sqlite"):
        env.pop("DATABASE_URL")
    prepare_database(url)
    lianqing = [sys.executable, "-m", "lianqing.cli"]
    subprocess.run([*lianqing, "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    loaded = subprocess.run(  # noqa: S603
        [sys.executable, __file__, "--load-only", str(args.lines)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    paths: dict[str, str] = eval(loaded.stdout.strip().splitlines()[-1])  # noqa: S307 (our own repr)
    server = subprocess.Popen(  # noqa: S603
        [*lianqing, "serve", "--host", "127.0.0.1", "--port", str(args.port), "--workers", str(args.workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(home / "server.log").open("wb"),  # why it did not start, if it does not
    )
    nginx = None
    rows: list[tuple[str, dict[str, float], float, str]] = []
    cold = float("nan")
    try:
        wait_for(args.port)
        drive(args.port, paths, total=args.workers * 30, concurrency=args.workers * 4)  # every worker's cache
        if args.mode in ("all", "python"):
            rows += python_rows(args.port, paths, args, server.pid)
            progress(rows[0])
        if args.mode in ("all", "wrk"):
            result = run_wrk(
                args.port, paths, seconds=args.seconds, concurrency=args.concurrency, folder=home
            )
            rows.append(("wrk → gunicorn (server alone)", result, peak_memory_mb(server.pid), load_average()))
            progress(rows[-1])
            nginx = nginx_local.start(home / "nginx", port=args.nginx_port, upstream_port=args.port)
            result = run_wrk(
                args.nginx_port, paths, seconds=args.seconds, concurrency=args.concurrency, folder=home
            )
            rows.append(
                ("wrk → nginx micro-cache → gunicorn", result, peak_memory_mb(nginx.pid), load_average())
            )
            progress(rows[-1])
            cold = cold_case(args.nginx_port, env)
    finally:
        for process in (nginx, server):
            if process is not None:
                process.terminate()
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:  # gunicorn's graceful stop can outlast keep-alive clients
                    process.kill()
    print_table(
        f"阳光纪检 under load: {args.concurrency} concurrent keep-alive clients, gunicorn {args.workers} workers, "
        f"{url.split('://')[0]}, village page of {args.lines} lines (100 shown per page), "
        f"nginx micro-cache {os.environ.get('LIANQING_PUBLIC_CACHE_SECONDS', '3')} s; uptime: {load_average()}",
        rows,
    )
    shutil.rmtree(home, ignore_errors=True)  # kept when a run failed: server.log says why
    if cold == cold:  # measured
        print(f"\ncold case: a publication appeared through nginx {cold:.2f} s after its commit")


if __name__ == "__main__":
    main()
