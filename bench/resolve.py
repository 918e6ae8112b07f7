"""Resolution benchmark: `lianqing resolve` against vanilla Splink and exact-name matching.

    .venv/bin/python bench/resolve.py                         # quality (3 counties) + speed (10k x 500k)
    .venv/bin/python bench/resolve.py --no-speed --counties 2 --per-county 1000 --mentions 1000
    .venv/bin/python bench/resolve.py --speed-cadres 100000 --speed-mentions 2000

Quality: a generated registry (seeded: namesakes in other units and in the same unit, moved
cadres with ended posts) and labelled mentions of every error kind (traditional characters,
同音字, 形近字, pinyin, full-width and spaces, a dropped or an extra character, surname +
title, unit abbreviations and older names, a unit the cadre left, namesakes told apart by the
unit), ambiguous mentions (the name alone of namesakes; surname + title fitting two cadres)
and outsiders (citizens; people of other counties, half of them sharing a cadre's name).
The three methods run on the same data in the same run:
  - ours: lianqing.analytics.resolve on the package folder, exactly as `lianqing resolve`;
  - vanilla Splink (in the dev extra): Jaro-Winkler on the name (0.9 / 0.7), exact unit name,
    u by random sampling, m by EM; the best pair links when its probability reaches 0.9 (as
    ours does), and, as a second column, 0.5;
  - exact name: a mention links when exactly one cadre has exactly that name.
Speed: 10,000 mentions against a 500,000-cadre registry, resolved in a child process: seconds
and peak resident memory. Prints tables, asserts nothing. Goals (issue 12): precision >= 0.99,
recall >= 0.95 on linkable mentions, the true person among the candidates >= 0.99 (ambiguous
included), abstention >= 0.90 on ambiguous ones; speed < 60 s and < 4 GB on 2 cores.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from lianqing.analytics.resolve import Mention, Registry, resolve_mentions, resolve_package
from lianqing.analytics.resolve.synthetic import (
    KINDS_AMBIGUOUS,
    KINDS_LINKABLE,
    KINDS_OUTSIDER,
    TestSet,
    generate_test_set,
)

# method -> mention_id -> (linked person or "", [candidate person ids, best first])
Answers = dict[str, tuple[str, list[str]]]


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def write_package(test_set: TestSet, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "officials.csv", test_set.officials)
    write_csv(folder / "orgs.csv", test_set.orgs)
    write_csv(folder / "persons.csv", test_set.persons)
    write_csv(folder / "mentions.csv", test_set.mentions)
    return folder


def ours(folder: Path) -> tuple[Answers, dict[str, float]]:
    result = resolve_package(folder, folder / "mentions.csv", folder / "out")
    answers = {
        link.mention_id: (link.person_id or "", [c.person_id for c in link.candidates])
        for link in result.links
    }
    scores = {link.mention_id: link.score for link in result.links}
    return answers, scores


def exact_name(test_set: TestSet) -> Answers:
    by_name: dict[str, list[str]] = defaultdict(list)
    for row in test_set.officials:
        if row["person_id"] not in by_name[row["name"]]:
            by_name[row["name"]].append(row["person_id"])
    answers = {}
    for mention in test_set.mentions:
        people = by_name.get(mention["name"].strip(), [])
        answers[mention["mention_id"]] = (people[0] if len(people) == 1 else "", people[:5])
    return answers


def vanilla_splink(test_set: TestSet) -> dict[float, Answers] | str:
    try:
        import pyarrow as pa
        import splink.comparison_library as cl
        from splink import Linker, SettingsCreator, block_on
        from splink.backends.duckdb import DuckDBAPI
    except ImportError:
        return "splink not installed (pip install -e '.[bench]')"
    unit_names = {row["org_code"]: row["name"] for row in test_set.orgs}
    people: dict[str, dict[str, str]] = {}
    for row in test_set.officials:
        if not row["end_date"] or row["person_id"] not in people:
            people[row["person_id"]] = {
                "unique_id": row["person_id"],
                "name": row["name"],
                "org": unit_names.get(row["org_code"], ""),
            }
    registry = pa.Table.from_pylist(list(people.values()))
    mentions = pa.Table.from_pylist(
        [{"unique_id": m["mention_id"], "name": m["name"], "org": m["org_text"]} for m in test_set.mentions]
    )
    db_api = DuckDBAPI()
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[cl.JaroWinklerAtThresholds("name", [0.9, 0.7]), cl.ExactMatch("org")],
        blocking_rules_to_generate_predictions=[block_on("substr(name, 1, 1)"), block_on("org")],
        probability_two_random_records_match=1 / len(people),
    )
    linker = Linker(
        [
            db_api.register(mentions, dataset_display_name="mentions"),
            db_api.register(registry, dataset_display_name="registry"),
        ],
        settings,
        log_level=40,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    for rule in (block_on("org"), block_on("substr(name, 1, 1)")):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(rule)
        except Exception as error:  # EM may not converge on one side: vanilla keeps the default m
            print(f"  (splink EM on {rule}: {error})", file=sys.stderr)
    predictions = linker.inference.predict(threshold_match_probability=0.01).as_duckdbpyrelation()
    rows = predictions.select("unique_id_l, unique_id_r, match_probability").fetchall()
    by_mention: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for left, right, probability in rows:
        mention_id, person = (left, right) if str(left).startswith("M") else (right, left)
        by_mention[mention_id].append((probability, person))
    decisions: dict[float, Answers] = {0.9: {}, 0.5: {}}
    for mention in test_set.mentions:
        ranked = sorted(by_mention.get(mention["mention_id"], []), key=lambda item: (-item[0], item[1]))
        best = ranked[0] if ranked else (0.0, "")
        is_unique = len(ranked) < 2 or ranked[1][0] < best[0]
        for threshold, answers in decisions.items():
            answers[mention["mention_id"]] = (
                best[1] if best[0] >= threshold and is_unique else "",
                [person for _, person in ranked[:5]],
            )
    return decisions


def quality_table(test_set: TestSet, methods: dict[str, Answers | str]) -> None:
    kinds = [*KINDS_LINKABLE, *KINDS_AMBIGUOUS, *KINDS_OUTSIDER]
    header = f"{'kind':24} {'n':>5} " + " ".join(f"{name:>31}" for name in methods)
    print(header)
    print(f"{'':24} {'':>5} " + " ".join(f"{'prec  recall cand  abstain':>31}" for _ in methods))
    groups = {kind: [m for m, (_, k) in test_set.truth.items() if k == kind] for kind in kinds}
    groups["ALL linkable"] = [m for m, (_, k) in test_set.truth.items() if k in KINDS_LINKABLE]
    groups["ALL ambiguous"] = [m for m, (_, k) in test_set.truth.items() if k in KINDS_AMBIGUOUS]
    groups["ALL outsiders"] = [m for m, (_, k) in test_set.truth.items() if k in KINDS_OUTSIDER]
    groups["ALL mentions"] = list(test_set.truth)
    for kind, ids in groups.items():
        cells = []
        for answers in methods.values():
            if isinstance(answers, str):
                cells.append(f"{'-':>31}")
                continue
            linked = [m for m in ids if answers[m][0]]
            right = [m for m in linked if answers[m][0] == test_set.truth[m][0]]
            with_truth = [m for m in ids if test_set.truth[m][0]]
            precision = len(right) / len(linked) if linked else 1.0
            recall = len(right) / len(with_truth) if with_truth else float("nan")
            candidates = (
                sum(1 for m in with_truth if test_set.truth[m][0] in answers[m][1]) / len(with_truth)
                if with_truth
                else float("nan")
            )
            abstain = sum(1 for m in ids if not answers[m][0]) / len(ids) if ids else float("nan")
            cells.append(f"{precision:6.3f} {recall:6.3f} {candidates:6.3f} {abstain:7.3f}   ")
        print(f"{kind:24} {len(ids):>5} " + " ".join(cells))


def calibration_table(test_set: TestSet, answers: Answers, scores: dict[str, float]) -> None:
    bins: dict[str, list[bool]] = defaultdict(list)
    for mention_id, (_, candidates) in answers.items():
        if not candidates:
            continue
        score = scores[mention_id]
        edge = min(int(score * 10), 9) / 10
        bins[f"{edge:.1f}-{edge + 0.1:.1f}"].append(candidates[0] == test_set.truth[mention_id][0])
    print("best candidate score   n   share right (calibration)")
    for label in sorted(bins):
        values = bins[label]
        print(f"  {label}        {len(values):>5}   {sum(values) / len(values):.3f}")


def step_speed(folder: str) -> None:
    """Child process: resolve the speed set and print seconds (peak memory read by the parent)."""
    started = time.perf_counter()
    registry = Registry.from_package(folder)
    built = time.perf_counter()
    with open(Path(folder) / "mentions.csv", encoding="utf-8") as handle:
        mentions = [Mention(**row) for row in csv.DictReader(handle)]
    links = resolve_mentions(registry, mentions)
    done = time.perf_counter()
    print(f"{len(registry)} {len(links)} {built - started:.2f} {done - built:.2f} {done - started:.2f}")


def speed(cadres: int, mentions: int, workdir: Path) -> None:
    folder = workdir / f"speed-{cadres}-{mentions}"
    if (folder / "mentions.csv").is_file():
        print(f"speed set reused from {folder}")
    else:
        counties = max(cadres // 1500, 1)
        started = time.perf_counter()
        test_set = generate_test_set(
            seed=11, counties=counties, cadres_per_county=cadres // counties, mentions=mentions
        )
        write_package(test_set, folder)
        print(
            f"generated {len(test_set.officials):,} posts, {len(test_set.mentions):,} mentions in "
            f"{time.perf_counter() - started:.0f} s (kept in {folder})"
        )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = subprocess.run(  # noqa: S603 - this script, by its own path
        [sys.executable, __file__, "--step-speed", str(folder)], check=True, capture_output=True, text=True
    ).stdout.split()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    registry_size, links, build_seconds, resolve_seconds, total = output
    print(
        f"{'mentions':>9} {'cadres':>9} {'build s':>8} {'resolve s':>10} {'total s':>8} {'CPU s':>6} "
        f"{'mentions/s':>11} {'peak MB':>8} {'load avg':>9}"
    )
    print(
        f"{int(links):>9,} {int(registry_size):>9,} {float(build_seconds):>8.1f} {float(resolve_seconds):>10.1f} "
        f"{float(total):>8.1f} {cpu:>6.1f} {int(links) / float(total):>11.0f} {after.ru_maxrss / 1024:>8.0f} "
        f"{os.getloadavg()[0]:>9.2f}"
    )
    print("(seconds are wall-clock in the child; CPU s is its user + system time: on a shared, loaded")
    print(" machine the CPU time is the steadier measure of what 2 free cores would take)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--counties", type=int, default=3)
    parser.add_argument("--per-county", type=int, default=1500)
    parser.add_argument("--mentions", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--no-splink", action="store_true")
    parser.add_argument("--speed-cadres", type=int, default=500_000)
    parser.add_argument("--speed-mentions", type=int, default=10_000)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--step-speed", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.step_speed:
        step_speed(options.step_speed)
        return
    workdir = options.workdir or Path(tempfile.mkdtemp(prefix="bench-resolve-"))
    test_set = generate_test_set(
        seed=options.seed,
        counties=options.counties,
        cadres_per_county=options.per_county,
        mentions=options.mentions,
    )
    folder = write_package(test_set, workdir / "quality")
    people = len({row["person_id"] for row in test_set.officials})
    print(
        f"quality set: {people:,} cadres, {len(test_set.officials):,} posts, {len(test_set.orgs)} units, "
        f"{len(test_set.mentions):,} mentions (seed {options.seed})"
    )
    timings = {}
    started = time.perf_counter()
    mine, scores = ours(folder)
    timings["ours"] = time.perf_counter() - started
    methods: dict[str, Answers | str] = {"ours (lianqing resolve)": mine}
    if not options.no_splink:
        started = time.perf_counter()
        splink = vanilla_splink(test_set)
        if isinstance(splink, str):
            methods["vanilla Splink"] = splink
        else:
            methods["Splink, p >= 0.9"] = splink[0.9]
            methods["Splink, p >= 0.5"] = splink[0.5]
        timings["vanilla Splink"] = time.perf_counter() - started
    started = time.perf_counter()
    methods["exact name"] = exact_name(test_set)
    timings["exact name"] = time.perf_counter() - started
    print("seconds: " + ", ".join(f"{name} {seconds:.1f}" for name, seconds in timings.items()))
    print("prec = right links / links made; recall = right links / mentions of a cadre;")
    print("cand = the true cadre among the (up to 5) candidates; abstain = no link made")
    quality_table(test_set, methods)
    calibration_table(test_set, mine, scores)
    if not options.no_speed:
        speed(options.speed_cadres, options.speed_mentions, workdir)


if __name__ == "__main__":
    main()
