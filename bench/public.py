"""阳光纪检 under a busy day: the home page, a news page and a village's 民生资金 page of 10,000
lines, under 200 concurrent requests, against the real server (gunicorn on 127.0.0.1).

    .venv/bin/python bench/public.py                                   # full size
    .venv/bin/python bench/public.py --lines 500 --requests 600 --concurrency 50   # a quick check

Sets up a fresh database (DATABASE_URL, default PostgreSQL lianqing_bench_public on 127.0.0.1),
migrates it, loads one commission, one published news article and one published disclosure whose
village holds `--lines` lines (the page shows 100 at a time, with totals and standards), starts
`lianqing serve` and keeps `--concurrency` clients busy (closed loop, keep-alive connections), each
asking the three pages in turn, until `--requests` answers have come. Published pages are served
from the cache (publicity/cache.py); a warm-up first lets every worker fill its cache once. Prints
p50/p95/p99 per page, errors and throughput, and the load average.
"""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

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


def prepare_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def wait_for(port: int, seconds: float = 90) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("服务器没有启动 (the server did not start)")


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000, help="lines of the village's disclosure")
    parser.add_argument("--requests", type=int, default=20_000, help="answers to wait for")
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--load-only", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load_only:
        print(repr(load(args.load_only)))
        return

    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    home = Path(tempfile.mkdtemp(prefix="lianqing-bench-public-"))
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
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(args.port)
        drive(args.port, paths, total=args.workers * 30, concurrency=args.workers * 4)  # every worker's cache
        timings, errors, seconds = drive(args.port, paths, total=args.requests, concurrency=args.concurrency)
    finally:
        server.terminate()
        server.wait(timeout=30)
    load_average = " ".join(f"{value:.2f}" for value in os.getloadavg())
    answered = sum(len(values) for values in timings.values())
    print(f"\n阳光纪检 under load: {args.concurrency} concurrent clients, {answered} requests in {seconds:.1f} s "
          f"({answered / seconds:.0f}/s), gunicorn {args.workers} workers, {url.split('://')[0]}, "
          f"village page of {args.lines} lines (100 shown per page); load average {load_average}\n")  # fmt: skip
    print(
        f"| {'page':<8} | {'requests':>8} | {'p50 ms':>7} | {'p95 ms':>7} | {'p99 ms':>7} | {'errors':>6} |"
    )
    print(f"|{'-' * 10}|{'-' * 10}|{'-' * 9}|{'-' * 9}|{'-' * 9}|{'-' * 8}|")
    for name, values in timings.items():
        print(
            f"| {name:<8} | {len(values):>8} | {percentile(values, 0.5):>7.1f} | {percentile(values, 0.95):>7.1f} | "
            f"{percentile(values, 0.99):>7.1f} | {errors[name]:>6} |"
        )


if __name__ == "__main__":
    main()
