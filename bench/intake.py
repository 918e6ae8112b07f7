"""Public reporting under load: concurrent submissions with a 100 KB photo against the real server.

    .venv/bin/python bench/intake.py                       # 60 s, 16 clients
    .venv/bin/python bench/intake.py --seconds 20 --clients 8

Sets up a fresh PostgreSQL database (DATABASE_URL, default lianqing_bench_intake on 127.0.0.1),
migrates it and loads the demo district and key pair, starts `lianqing serve` (gunicorn, 4 workers)
and drives it through the JSON API: each submission fetches a challenge, solves it, and posts the
report with a 100 KB JPEG. The server does everything it does for a citizen: content check, EXIF
strip (re-encode), sealing to the public key, argon2id receipt hash (OWASP minimum), the case, the
audit row, and moving the file in on commit.

Two limits are relaxed for the run, because every request comes from one address: the per-client
rate limit, and the proof of work is 8 bits instead of 14 (the bench's own CPU would otherwise
compete with the server on a small machine). Prints submissions/s, latency percentiles, errors,
and a count check: every accepted receipt's report is in the database and every sealed file on disk;
after the timed run every receipt is tracked through the API to prove it opens its report.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lianqing_bench_intake"
FIELDS = {
    "category": "sifeng_dining",
    "province": "370000",
    "city": "370100",
    "county": "370124",
    "description": "某单位负责人多次在高档酒店用公款宴请，费用以会议费名义报销，附现场照片。",
    "persons": json.dumps([{"name": "张某", "org_name": "某局", "position": "局长"}], ensure_ascii=False),
    "consent": "true",
}


def photo_100kb() -> bytes:
    """A JPEG of about 100 KB (noise compresses badly, like a real photo)."""
    rng = random.Random(7)
    side = 180
    for _ in range(12):
        image = Image.frombytes(
            "RGB", (side, side), bytes(rng.getrandbits(8) for _ in range(side * side * 3))
        )
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=85)
        if 95_000 <= out.tell() <= 110_000:
            return out.getvalue()
        side = int(side * (100_000 / out.tell()) ** 0.5)
    return out.getvalue()


def multipart(fields: dict[str, str], photo: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="photo.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
        + photo
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def solve(token: str, bits: int) -> str:
    import hashlib

    counter = 0
    while True:
        digest = hashlib.sha256(f"{token}:{counter}".encode()).digest()
        if 256 - int.from_bytes(digest, "big").bit_length() >= bits:
            return str(counter)
        counter += 1


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)  # seconds, challenge + submit
    receipts: list[str] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, kind: str) -> None:
        with self.lock:
            self.errors[kind] = self.errors.get(kind, 0) + 1


def client_loop(port: int, photo: bytes, stop_at: float, results: Results) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.perf_counter() < stop_at:
        start = time.perf_counter()
        try:
            connection.request("GET", "/api/reports/challenge")
            challenge = json.loads(connection.getresponse().read())
            proof = solve(challenge["token"], challenge["bits"])
            body, content_type = multipart({**FIELDS, "token": challenge["token"], "proof": proof}, photo)
            connection.request("POST", "/api/reports", body=body, headers={"Content-Type": content_type})
            response = connection.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException, ValueError) as error:
            results.error(type(error).__name__)
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        elapsed = time.perf_counter() - start
        if response.status == 201:
            with results.lock:
                results.latencies.append(elapsed)
                results.receipts.append(json.loads(payload)["receipt"])
        else:
            results.error(f"HTTP {response.status}")
    connection.close()


def receipts_that_open(port: int, receipts: list[str], threads: int = 4) -> int:
    """Track every accepted receipt through the API (after the timed run): how many find their report."""
    found = 0
    lock = threading.Lock()
    queue = list(receipts)

    def worker() -> None:
        nonlocal found
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                if not queue:
                    break
                code = queue.pop()
            body = json.dumps({"code": code})
            connection.request(
                "POST", "/api/reports/track", body=body, headers={"Content-Type": "application/json"}
            )
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                with lock:
                    found += 1
        connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return found


def prepare_database(url: str) -> None:
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def wait_for(port: int, seconds: float = 60) -> None:
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


def database_counts(url: str) -> tuple[int, int]:
    with psycopg.connect(url) as connection:
        reports = connection.execute("SELECT count(*) FROM intake_report WHERE channel = 'api'").fetchone()
        files = connection.execute(
            "SELECT count(*) FROM intake_attachment a JOIN intake_report r ON r.id = a.report_id WHERE r.channel = 'api'"
        ).fetchone()
    return int(reports[0]), int(files[0])  # type: ignore[index]


def process_tree_cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children (the gunicorn master and its workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(child) for child in children.read_text().split()]
    for each in pids:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    home = Path(tempfile.mkdtemp(prefix="lianqing-bench-intake-"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "LIANQING_MODE": "demo",
        "LIANQING_HOME": str(home),
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "LIANQING_INTAKE_SUBMISSIONS_PER_HOUR": "100000000",
        "LIANQING_INTAKE_CHALLENGE_BITS": "8",
        "LIANQING_INTAKE_RECEIPT_ATTEMPTS_PER_HOUR": "100000000",
    }
    prepare_database(url)
    lianqing = [sys.executable, "-m", "lianqing.cli"]
    subprocess.run([*lianqing, "demo", "--no-serve"], env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    server = subprocess.Popen(  # noqa: S603
        [*lianqing, "serve", "--port", str(args.port), "--workers", "4"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(args.port)
        photo = photo_100kb()
        warm_up = Results()  # every worker loads templates, URLs and the schema once; not counted
        warmers = [
            threading.Thread(target=client_loop, args=(args.port, photo, time.perf_counter() + 3, warm_up))
            for _ in range(args.clients)
        ]
        for thread in warmers:
            thread.start()
        for thread in warmers:
            thread.join()
        cpu_before = process_tree_cpu_seconds(server.pid)
        results = Results()
        started = time.perf_counter()
        stop_at = started + args.seconds
        threads = [
            threading.Thread(target=client_loop, args=(args.port, photo, stop_at, results))
            for _ in range(args.clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        duration = time.perf_counter() - started
        server_cpu = process_tree_cpu_seconds(server.pid) - cpu_before
        load = os.getloadavg()[0]
        opened = receipts_that_open(args.port, results.receipts)
    finally:
        server.terminate()
        server.wait(timeout=30)

    reports, attachments = database_counts(url)
    reports -= len(warm_up.receipts)
    attachments -= len(warm_up.receipts)
    files = len(list((home / "uploads" / "intake" / "files").iterdir()))
    shutil.rmtree(home, ignore_errors=True)
    demo_files = 1 + len(warm_up.receipts)  # the demo's own report has one photo
    accepted = len(results.receipts)
    lost = accepted - reports
    errors = sum(results.errors.values())
    rows = [
        ("server", "gunicorn, 4 workers x 4 threads, PostgreSQL"),
        ("clients / seconds", f"{args.clients} / {duration:.1f}"),
        ("photo size", f"{len(photo) / 1024:.0f} KiB"),
        ("accepted submissions", f"{accepted}"),
        ("submissions/s", f"{accepted / duration:.1f}"),
        (
            "latency p50 (ms)",
            f"{statistics.median(results.latencies) * 1000:.0f}" if results.latencies else "-",
        ),
        ("latency p99 (ms)", f"{percentile(results.latencies, 0.99) * 1000:.0f}"),
        ("errors", f"{errors} {results.errors if errors else ''}".strip()),
        ("reports in database", f"{reports}"),
        ("unique receipts", f"{len(set(results.receipts))}"),
        ("attachments rows / files on disk", f"{attachments} / {files - demo_files}"),
        ("receipts that open their report", f"{opened} / {accepted}"),
        ("lost (accepted, not in database)", f"{lost}"),
        ("server CPU per submission (ms)", f"{server_cpu / max(accepted, 1) * 1000:.0f}"),
        ("machine cores / load average", f"{os.cpu_count()} / {load:.1f}"),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"{'metric':<{width}}  value")
    print(f"{'-' * width}  {'-' * 40}")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
