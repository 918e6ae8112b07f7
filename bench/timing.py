"""What the benches measure the same way: latency samples, their percentiles, peak memory, load.

A bench script runs as `.venv/bin/python bench/X.py`; it imports these after putting the
repository root on sys.path (`from bench.timing import percentile`), as bench/public.py does.
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


def timed(function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> tuple[float, T]:
    """One call: its seconds and what it returned."""
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def samples_ms(function: Callable[[], object], runs: int, *, warm: bool = True) -> list[float]:
    """`runs` calls' milliseconds, after one uncounted call that warms connections and caches."""
    if warm:
        function()
    return [timed(function)[0] * 1000 for _ in range(runs)]


def percentile(samples: list[float], fraction: float) -> float:
    """The sample at `fraction` of the sorted list (nearest rank, no interpolation)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def peak_mib() -> float:
    """This process's own peak RSS (VmHWM): getrusage would count the parent's pages it forked from."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: others' jobs on the machine slow every step."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())
