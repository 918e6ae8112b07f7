"""Early-warning benchmark: detection against planted anomalies, beside two references.

    .venv/bin/python bench/trends.py                       # county, 3 seeds, and the province speed row
    .venv/bin/python bench/trends.py --seeds 1 --province-units 0   # county quality only

County: 300 units × 6 categories × 36 months of gamma-Poisson counts with seasonality, a Spring
Festival lift and a slow drift (lianqing.analytics.trends.synthetic), with planted sudden rises
(×2, ×3, ×5 for 1–3 months), sustained trends (ramp to ×2 or ×3 over three months) and bursts
(5, 10, 20 extra events inside five days). `lianqing trends` runs on them as it would in use,
prospectively, month by month. Printed, per kind and size:
  - caught: a rise when warned in its first month or (if it lasts) the next; a trend within three
    months of its start; a burst in its month — any warning of the planted unit series counts;
  - false warnings per 1,000 series-months: warnings on series-months away from every planted
    anomaly (unit and region series; months of an anomaly and the three after it are set aside);
  - two references computed in the same run at the SAME false-warning rate on the unit series:
    a naive rule (count > mean + z·sd of the last 12 months, z tuned) and an oracle that knows each
    series' true mean and dispersion and flags improbable months (its α tuned).
Province speed: 10,000 units (≈ 10 million events over 36 months) through the CLI path in a fresh
process: seconds, events/s, peak memory; then the 廉情指数 of 1,000,000 cadres and the units from
those events (each a report naming a cadre) and open 疑点 on 5% of the cadres. It prints tables and asserts nothing. Goals (issue 13):
false warnings ≤ 5 per 1,000 series-months; rises and trends caught at ≥ 90% of the oracle's rate;
more rises caught than the tuned naive rule; province < 5 minutes and < 8 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from scipy import stats

from lianqing.analytics.trends import TrendParams, warnings_for_events
from lianqing.analytics.trends.index import compute_index
from lianqing.analytics.trends.synthetic import History, Planted, generate_history

AFTER = 3  # months after an anomaly that are neither clean nor judged


def _judge_window(planted: Planted) -> range:
    if planted.kind == "rise":
        return range(planted.start, planted.start + min(2, planted.months))
    if planted.kind == "trend":
        return range(planted.start, planted.start + 3)
    return range(planted.start, planted.start + 1)


def _excused(history: History) -> tuple[np.ndarray, dict[tuple[str, str], set[int]]]:
    """(series, months) True where a unit series-month is near an anomaly; region series likewise."""
    series, months = history.counts.shape
    near = np.zeros((series, months), dtype=bool)
    regions: dict[tuple[str, str], set[int]] = defaultdict(set)
    for planted in history.planted:
        stop = min(months, planted.start + (planted.months if planted.kind != "trend" else months) + AFTER)
        near[planted.series, planted.start : stop] = True
        _, category, region = history.keys[planted.series]
        regions[(category, region)].update(range(planted.start, stop))
    return near, regions


def _method(history: History, params: TrendParams) -> dict[str, object]:
    rows = history.events.to_pylist()
    started = time.perf_counter()
    result = warnings_for_events(rows, as_of=history.as_of, params=params)
    seconds = time.perf_counter() - started
    index = {key: row for row, key in enumerate(history.keys)}
    first = history.first_month
    near, region_near = _excused(history)
    flagged = np.zeros_like(near)
    false = 0
    judged_months = {
        int(label[:4]) * 12 + int(label[5:]) - 1 - first for label in result.detection.months_judged
    }
    for warning in result.warnings:
        month = int(warning.month[:4]) * 12 + int(warning.month[5:]) - 1 - first
        if warning.unit_code:
            row = index[(warning.unit_code, warning.category, warning.region_code)]
            flagged[row, month] = True
            false += not near[row, month]
        else:
            false += month not in region_near.get((warning.category, warning.region_code), set())
    judged = np.zeros(near.shape[1], dtype=bool)
    judged[sorted(judged_months)] = True
    region_series = {(c, r) for _, c, r in history.keys}
    clean_units = int((~near[:, judged]).sum())
    clean_regions = sum(
        int(judged.sum()) - len(region_near.get(key, set()) & set(np.flatnonzero(judged)))
        for key in region_series
    )
    unit_false = int((flagged & ~near & judged[None, :]).sum())
    return {
        "flagged": flagged,
        "false_per_1000": 1000 * false / max(clean_units + clean_regions, 1),
        "unit_false_rate": unit_false / max(clean_units, 1),
        "judged": judged,
        "seconds": seconds,
        "warnings": len(result.warnings),
    }


def _tune(scores: np.ndarray, clean: np.ndarray, rate: float) -> float:
    """The threshold on `scores` (higher = more alarming) whose false rate on clean cells is `rate`."""
    values = np.sort(scores[clean])[::-1]
    allowed = int(np.floor(rate * len(values)))
    if allowed <= 0:
        return float(values[0]) + 1e-9 if len(values) else np.inf
    return float(values[allowed - 1]) + 1e-12 if allowed < len(values) else -np.inf


def _references(history: History, judged: np.ndarray, rate: float) -> dict[str, np.ndarray]:
    counts = history.counts.astype(float)
    near, _ = _excused(history)
    clean = ~near & judged[None, :]
    size = history.dispersion_size
    mean = history.true_mean
    oracle_score = -np.log10(np.maximum(stats.nbinom.sf(counts - 1, size, size / (size + mean)), 1e-300))
    naive_score = np.full(counts.shape, -np.inf)
    for month in range(12, counts.shape[1]):
        past = counts[:, month - 12 : month]
        spread = past.std(axis=1, ddof=1)
        naive_score[:, month] = (counts[:, month] - past.mean(axis=1)) / np.where(spread > 0, spread, 0.5)
    oracle_score[:, ~judged] = -np.inf
    return {
        "oracle": oracle_score >= _tune(oracle_score, clean, rate),
        "naive": naive_score >= _tune(naive_score, clean, rate),
    }


def _caught(history: History, flagged: np.ndarray) -> dict[tuple[str, float], list[bool]]:
    caught: dict[tuple[str, float], list[bool]] = defaultdict(list)
    for planted in history.planted:
        window = [m for m in _judge_window(planted) if m < flagged.shape[1]]
        caught[(planted.kind, planted.size)].append(bool(flagged[planted.series, window].any()))
    return caught


def quality(seeds: list[int], units: int) -> None:
    params = TrendParams()
    totals: dict[str, dict[tuple[str, float], list[bool]]] = {
        "method": defaultdict(list),
        "naive": defaultdict(list),
        "oracle": defaultdict(list),
    }
    false_rates, seconds, series_months = [], [], 0
    for seed in seeds:
        history = generate_history(units=units, seed=seed)
        run = _method(history, params)
        false_rates.append(run["false_per_1000"])
        seconds.append(run["seconds"])
        series_months += int(run["judged"].sum()) * history.counts.shape[0]
        references = _references(history, run["judged"], run["unit_false_rate"])
        for name, flagged in (("method", run["flagged"]), *references.items()):
            for key, values in _caught(history, flagged).items():
                totals[name][key].extend(values)
        print(
            f"seed {seed}: {history.events.num_rows:,} events, {run['warnings']} warnings, "
            f"{run['seconds']:.2f} s, false warnings {run['false_per_1000']:.2f} per 1,000 series-months"
        )
    print()
    print(
        f"County: {units} units × 6 categories × 36 months, seeds {seeds}, {series_months:,} unit series-months"
    )
    print(
        "| planted | n | method caught | naive (same false rate) | oracle (same false rate) | method / oracle |"
    )
    print("|---|---|---|---|---|---|")
    groups: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for key in sorted(totals["method"]):
        groups[key[0]].append(key)
    for kind in ("rise", "trend", "burst"):
        for key in groups[kind] + [("all", 0.0)]:
            keys = groups[kind] if key[1] == 0.0 else [key]
            rates = {
                name: np.mean([v for k in keys for v in totals[name][k]])
                for name in ("method", "naive", "oracle")
            }
            n = sum(len(totals["method"][k]) for k in keys)
            label = f"{kind} ×{key[1]:g}" if key[1] else f"{kind} (all)"
            ratio = rates["method"] / rates["oracle"] if rates["oracle"] else float("nan")
            print(
                f"| {label} | {n} | {rates['method']:.1%} | {rates['naive']:.1%} | {rates['oracle']:.1%} | {ratio:.2f} |"
            )
    print(f"\nfalse warnings per 1,000 series-months (all kinds, unit and region series): "
          f"{np.mean(false_rates):.2f} (per seed: {', '.join(f'{r:.2f}' for r in false_rates)})")  # fmt: skip


# ---- the province speed row, in a fresh process ---------------------------------------


def step_province(units: str, workdir: str) -> dict[str, object]:
    import pyarrow.csv as pacsv

    from lianqing.analytics.trends import trends

    history = generate_history(units=int(units), seed=7, median_mean=4.6, plant_per_size=20)
    events_csv = Path(workdir) / "events.csv"
    pacsv.write_csv(history.events, events_csv)
    started = time.perf_counter()
    result = trends(events_csv, as_of=history.as_of, out=Path(workdir) / "out")
    seconds = time.perf_counter() - started
    items, memberships = _province_items(history, cadres_per_unit=100)
    started = time.perf_counter()
    index = compute_index(items, as_of=history.as_of, memberships=memberships)
    index_seconds = time.perf_counter() - started
    return {
        "events": history.events.num_rows,
        "series": len(history.keys),
        "seconds": seconds,
        "warnings": len(result.warnings),
        "cadres": memberships.num_rows,
        "items": items.num_rows,
        "index_seconds": index_seconds,
        "scored": index.scores.num_rows,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _province_items(history: History, cadres_per_unit: int) -> tuple[pa.Table, pa.Table]:
    """Every event as a report naming a random cadre of its unit, plus open 疑点 on 5% of cadres."""
    rng = np.random.default_rng(3)
    units = len(history.keys) // 6
    cadre_count = units * cadres_per_unit
    unit_no = pc.cast(pc.utf8_slice_codeunits(history.events.column("unit_code"), 1), pa.int64()).to_numpy()
    cadre_no = unit_no * cadres_per_unit + rng.integers(0, cadres_per_unit, len(unit_no))
    flagged = rng.choice(cadre_count, cadre_count // 20, replace=False)

    def ids(numbers: np.ndarray) -> pa.Array:
        return pc.binary_join_element_wise("C", pa.array(numbers).cast(pa.string()), "")

    reports = pa.table(
        {
            "subject_kind": pa.array(["cadre"] * len(cadre_no)),
            "subject_id": ids(cadre_no),
            "indicator": pa.array(["report_received"] * len(cadre_no)),
            "item_ref": history.events.column("event_id"),
            "date": history.events.column("date").cast(pa.date32()),
            "weight": pa.nulls(len(cadre_no), pa.float64()),
        }
    )
    hits = pa.table(
        {
            "subject_kind": pa.array(["cadre"] * len(flagged)),
            "subject_id": ids(flagged),
            "indicator": pa.array(["hit_high"] * len(flagged)),
            "item_ref": pc.binary_join_element_wise(
                "hit:", pa.array(np.arange(len(flagged))).cast(pa.string()), ""
            ),
            "date": pa.nulls(len(flagged), pa.date32()),
            "weight": pa.nulls(len(flagged), pa.float64()),
        }
    )
    everyone = np.arange(cadre_count)
    memberships = pa.table(
        {
            "cadre_id": ids(everyone),
            "unit_id": pc.binary_join_element_wise(
                "U", pa.array(everyone // cadres_per_unit).cast(pa.string()), ""
            ),
        }
    )
    return pa.concat_tables([reports, hits]), memberships


def province(units: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-trends-") as workdir:
        output = subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--step-province", str(units), workdir],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    row = json.loads(output.strip().splitlines()[-1])
    print(
        "\n| units | events | unit series | trends s | events/s | warnings | peak MB (incl. generating) | load |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| {units:,} | {row['events']:,} | {row['series']:,} | {row['seconds']:.1f} | "
        f"{row['events'] / row['seconds']:,.0f} | {row['warnings']:,} | {row['peak_mb']:,.0f} | "
        f"{os.getloadavg()[0]:.1f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--province-units", type=int, default=10_000)
    parser.add_argument("--step-province", nargs=2, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.step_province:
        print(json.dumps(step_province(*options.step_province)))
        return
    quality([int(seed) for seed in options.seeds.split(",")], options.units)
    if options.province_units:
        province(options.province_units)


if __name__ == "__main__":
    main()
