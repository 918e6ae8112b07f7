"""Triage benchmark: the first reading of reports against a keyword-rule baseline.

    .venv/bin/python bench/triage.py                  # 4,000 held-back texts
    .venv/bin/python bench/triage.py --size 20000     # more texts, for the speed row

The shipped model is trained on the generated corpus of seed 1 (lianqing.analytics.text.train);
this measures on a corpus of seed 2, which it never saw (same generator, other draws: it says how
well the pipeline reads text of that kind, not how well it reads a real commission's letters).
Printed, for the pipeline and for a keyword baseline in the same run: category macro-F1,
duplicate precision / recall / F1, person-name precision / recall, amount accuracy, and reports per
minute on one process. It asserts nothing. Goals (issue 17): macro-F1 ≥ 0.90, duplicates F1 ≥ 0.95,
strictly better than the baseline on every figure, ≥ 10,000 reports per minute on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import time

from sklearn.metrics import f1_score

from lianqing.analytics.text.corpus import Sample, generate_corpus
from lianqing.analytics.text.duplicates import letters
from lianqing.analytics.text.persons import SURNAMES, TITLE_WORDS
from lianqing.analytics.text.triage import Reader, load_model

KEYWORDS = {
    "sifeng_dining": ("吃喝", "宴请", "饭店", "聚餐", "喝酒", "餐费"),
    "sifeng_gifts": ("红包", "礼金", "购物卡", "礼品", "烟酒"),
    "sifeng_vehicle": ("公车", "公务车", "单位的车"),
    "sifeng_allowance": ("补贴", "津贴", "奖金", "福利"),
    "sifeng_ceremony": ("婚礼", "大操大办", "升学宴", "乔迁"),
    "sifeng_travel": ("旅游", "游玩", "景区"),
    "sifeng_formalism": ("形式主义", "填表", "开会", "走过场"),
    "bribery": ("好处费", "贿赂", "送了", "要价"),
    "abuse_of_power": ("滥用职权", "干预", "擅自", "打击报复"),
    "dereliction": ("失职", "不作为", "不闻不问", "监管"),
    "public_interest": ("低保", "补贴", "扶贫", "克扣", "冒领"),
    "business": ("公司", "入股", "经商", "办企业"),
}
_BASELINE_NAME = re.compile(f"([{''.join(SURNAMES)}][\u4e00-\u9fff]{{1,2}})(?:{'|'.join(TITLE_WORDS)})")
_BASELINE_AMOUNT = re.compile(r"(\d+)元")


def baseline(samples: list[Sample]) -> list[tuple[str, str, tuple[str, ...], float | None]]:
    seen: dict[str, str] = {}
    results = []
    for sample in samples:
        text = sample.text
        scores = {code: sum(word in text for word in words) for code, words in KEYWORDS.items()}
        best = max(scores, key=scores.__getitem__)
        category = best if scores[best] else "other"
        key = letters(text)
        duplicate = seen.setdefault(key, sample.text_id)
        amounts = [float(m) for m in _BASELINE_AMOUNT.findall(text)]
        results.append(
            (
                category,
                "" if duplicate == sample.text_id else duplicate,
                tuple(dict.fromkeys(_BASELINE_NAME.findall(text))),
                max(amounts) if amounts else None,
            )
        )
    return results


def scores(
    samples: list[Sample], predicted: list[tuple[str, str, tuple[str, ...], float | None]]
) -> dict[str, float]:
    truth_categories = [s.category for s in samples]
    macro = f1_score(truth_categories, [p[0] for p in predicted], average="macro")
    said = [(s, p[1]) for s, p in zip(samples, predicted, strict=True) if p[1]]
    right = sum(1 for s, guess in said if guess == s.duplicate_of)
    copies = sum(1 for s in samples if s.duplicate_of)
    precision = right / len(said) if said else 0.0
    recall = right / copies if copies else 0.0
    found = [(s.text_id, name) for s, p in zip(samples, predicted, strict=True) for name in p[2]]
    true_names = {(s.text_id, name) for s in samples for name in s.persons}
    hits = sum(1 for pair in found if pair in true_names)
    amount_right = sum(
        1
        for s, p in zip(samples, predicted, strict=True)
        if (s.amount is None and p[3] is None)
        or (s.amount is not None and p[3] is not None and abs(s.amount - p[3]) < 0.5)
    )
    return {
        "macro_f1": macro,
        "dup_precision": precision,
        "dup_recall": recall,
        "dup_f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "person_precision": hits / len(found) if found else 0.0,
        "person_recall": hits / len(true_names) if true_names else 0.0,
        "amount_accuracy": amount_right / len(samples),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=4000)
    options = parser.parse_args()
    samples = generate_corpus(options.size, seed=2)
    model, _ = load_model()
    reader = Reader(model)
    started = time.perf_counter()
    readings = reader.read_many([(s.text_id, s.text) for s in samples])
    seconds = time.perf_counter() - started
    method = [(r.category, r.duplicate_of, r.persons, r.amount) for r in readings]
    started = time.perf_counter()
    keyword = baseline(samples)
    baseline_seconds = time.perf_counter() - started
    ours, theirs = scores(samples, method), scores(samples, keyword)
    copies = sum(1 for s in samples if s.duplicate_of)
    print(f"Held-back corpus: {len(samples):,} texts (seed 2), {copies} copies, model {model.version}")
    print("| figure | pipeline | keyword baseline | goal |")
    print("|---|---|---|---|")
    goals = {"macro_f1": "≥ 0.90", "dup_f1": "≥ 0.95"}
    for name in ours:
        print(f"| {name} | {ours[name]:.3f} | {theirs[name]:.3f} | {goals.get(name, '> baseline')} |")
    print(
        f"| reports per minute (1 process) | {len(samples) / seconds * 60:,.0f} | "
        f"{len(samples) / baseline_seconds * 60:,.0f} | ≥ 10,000 |"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory {peak:,.0f} MB; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
