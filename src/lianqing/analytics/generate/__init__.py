"""Synthetic standard data packages with planted violations and the truth about them.

`generate(out, persons=N, seed=S)` writes a county (a province of counties when N is large)
as Parquet in chunks of people, so memory stays bounded whatever N is; the same seed gives
the same package. A killed run started again with the same settings goes on from its last
finished chunk (resume.py), and gives the same package. `_truth.csv` lists exactly the 疑点 the rules of RULES.md must find under
default parameters with `as_of` from `_manifest.json`.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lianqing.analytics.contract import DATASET_NAMES
from lianqing.analytics.errors import AnalyticsError
from lianqing.analytics.generate.calendar import AS_OF, PERIODS, calendar
from lianqing.analytics.generate.flows import write_fund_flows, write_orgs_and_standards
from lianqing.analytics.generate.monthly import check_until, cut_until
from lianqing.analytics.generate.planted import Planter
from lianqing.analytics.generate.population import State, background_chunk
from lianqing.analytics.generate.resume import Checkpoints, check_free_space
from lianqing.analytics.generate.scenarios import (
    plant_benefits,
    plant_business,
    plant_conduct,
    plant_fund_flows,
    plant_gifts,
    plant_payroll,
    plant_procurement,
)
from lianqing.analytics.generate.scenarios_registers import plant_registers
from lianqing.analytics.generate.sink import PackageSink
from lianqing.analytics.generate.world import (
    PERSONS_PER_COUNTY,
    County,
    IdAllocator,
    NamePools,
    build_counties,
)

__all__ = ["GenerateSummary", "generate"]

TRUTH = "_truth.csv"
MANIFEST = "_manifest.json"
MIN_PERSONS = 1_000


@dataclass(frozen=True)
class GenerateSummary:
    out: Path
    persons: int
    seed: int
    as_of: str
    rows: dict[str, int]
    truth_rows: int


def replicates_for(persons: int) -> int:
    """How many copies of the planted cases: one per 200,000 people, 1 to 50."""
    return max(1, min(50, persons // 200_000))


def generate(
    out: str | Path,
    *,
    persons: int,
    seed: int = 1,
    chunk_persons: int = 500_000,
    progress: bool = False,
    county: tuple[str, str] | None = None,
    until: str | None = None,
) -> GenerateSummary:
    """A package of `persons` people; `county` (region code, name) names the first county, as the
    demo does with its district, else the counties are invented ones of 河南省 (4115xx).

    `until` (YYYY-MM) keeps the monthly records up to that month only (generate/monthly.py): the
    packages of successive months grow by appended rows, as a monthly export does. The truth file
    still lists the 疑点 of the whole span."""
    if until is not None:
        check_until(until)
    if county is not None and not (len(county[0]) == 6 and county[0].isdigit() and county[1]):
        raise AnalyticsError(f"县的区划代码应为 6 位数字: {county[0]!r}")
    if persons < MIN_PERSONS:
        raise AnalyticsError(f"人口数至少为 {MIN_PERSONS}")
    if chunk_persons < MIN_PERSONS:  # smaller chunks leave some kinds of household empty
        raise AnalyticsError("每块人数至少为 %(minimum)s", minimum=MIN_PERSONS)
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise AnalyticsError(f"无法创建输出文件夹 {out}: {error}") from error
    check_free_space(out, persons)

    counties = build_counties(math.ceil(persons / PERSONS_PER_COUNTY), county)
    checkpoints = Checkpoints(
        out, {"persons": persons, "seed": seed, "chunk_persons": chunk_persons, "county": county}
    )
    done, saved = checkpoints.resume()
    if done == 0:
        (out / MANIFEST).unlink(missing_ok=True)
        for name in DATASET_NAMES:  # a package holds one copy of each dataset
            for suffix in (".parquet", ".csv"):
                (out / f"{name}{suffix}").unlink(missing_ok=True)
    state: State = saved["state"] if saved else _initial_state(counties, seed)
    chunks = _people_chunks(counties, persons, chunk_persons)
    with _Progress(progress, persons) as advance:
        advance(sum(size for _, size in chunks[: max(0, done - 1)]))
        if done < 1:  # chunk 1: organisations and standards
            sink = checkpoints.part(1)
            write_orgs_and_standards(sink, counties, state.override_town)
            checkpoints.finish(1, sink, {"state": state})
        for number, (place, size) in enumerate(chunks, start=2):
            if number <= done:
                continue
            sink = checkpoints.part(number)
            background_chunk(state, place, size, sink)
            checkpoints.finish(number, sink, {"state": state})
            advance(size)
    last = len(chunks) + 2  # the planted cases and the fund flows that total the benefits
    if done < last:
        sink = checkpoints.part(last)
        truth = _plant(state, counties, persons, sink)
        checkpoints.finish(last, sink, {"state": state, "truth": truth})
    else:
        truth = saved["truth"]
    rows = checkpoints.rows()
    checkpoints.assemble()

    if until is not None:
        rows.update(cut_until(out, out, until))
    with (out / TRUTH).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("rule_id", "subject_id"))
        writer.writerows(truth)
    manifest = {
        "format": 1,
        "kind": "generated",
        "as_of": AS_OF.isoformat(),
        "seed": seed,
        "persons": persons,
        "counties": len(counties),
        "county": [counties[0].code, counties[0].name],
        "periods": [PERIODS[0], until or PERIODS[-1]],
        "datasets": rows,
        "truth_rows": len(truth),
    }
    if until is not None:
        manifest["until"] = until
    # Written last: a package with a manifest is complete.
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    checkpoints.remove()
    return GenerateSummary(out, persons, seed, AS_OF.isoformat(), rows, len(truth))


def _initial_state(counties: list[County], seed: int) -> State:
    return State(
        rng=np.random.default_rng(seed),
        counties=counties,
        pools=NamePools(seed),
        allocator=IdAllocator(len(counties)),
        calendar=calendar(),
        override_town=counties[0].towns[0].code,
    )


def _people_chunks(counties: list[County], persons: int, chunk_persons: int) -> list[tuple[County, int]]:
    """(county, people) of each background chunk, in the order they are generated."""
    chunks: list[tuple[County, int]] = []
    for place in counties:
        share = persons // len(counties) + (1 if place.index < persons % len(counties) else 0)
        chunks.extend((place, min(chunk_persons, share - start)) for start in range(0, share, chunk_persons))
    return chunks


def _plant(state: State, counties: list[County], persons: int, sink: PackageSink) -> list[tuple[str, str]]:
    """Write the planted cases and the fund flows; return the truth, sorted."""
    planter = Planter(state, counties[0])
    for replicate in range(replicates_for(persons)):
        plant_benefits(planter)
        plant_business(planter)
        plant_procurement(planter)
        plant_payroll(planter)
        plant_conduct(planter, state.calendar, replicate)
        plant_gifts(planter, state.calendar)
        plant_fund_flows(planter, replicate)
        plant_registers(planter, state.calendar, replicate)
    planter.write(sink)
    write_fund_flows(sink, state, planter)
    return sorted(planter.truth)


class _Progress:
    """A rich progress bar on stderr, or nothing."""

    def __init__(self, enabled: bool, total: int) -> None:
        self.enabled, self.total = enabled, total

    def __enter__(self) -> Callable[[int], None]:
        if not self.enabled:
            return lambda _count: None
        from rich.console import Console
        from rich.progress import Progress

        self.bar = Progress(console=Console(stderr=True), transient=True)
        self.bar.start()
        task = self.bar.add_task("生成人口", total=self.total)
        return lambda count: self.bar.advance(task, count)

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self.bar.stop()
