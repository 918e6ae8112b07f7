"""Per-category precision, recall and F1 of predictions against the handlers' labels."""

from __future__ import annotations


def category_quality(truth: list[str], predicted: list[str]) -> dict[str, object]:
    """{category: {precision, recall, f1, support}} for every category seen, and `_macro_f1`,
    `_accuracy`, `_count`."""
    result: dict[str, object] = {}
    f1s = []
    for category in sorted(set(truth) | set(predicted)):
        true_positive = sum(1 for t, p in zip(truth, predicted, strict=True) if t == p == category)
        said = sum(1 for p in predicted if p == category)
        real = sum(1 for t in truth if t == category)
        precision = true_positive / said if said else 0.0
        recall = true_positive / real if real else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result[category] = {
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
            "support": real,
        }
        if real:
            f1s.append(f1)
    result["_macro_f1"] = round(sum(f1s) / len(f1s), 3) if f1s else 0.0
    result["_accuracy"] = (
        round(sum(1 for t, p in zip(truth, predicted, strict=True) if t == p) / len(truth), 3)
        if truth
        else 0.0
    )
    result["_count"] = len(truth)
    return result
