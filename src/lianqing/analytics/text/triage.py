"""The first reading of a report: category, copies, people, the largest sum.

`Reader` keeps the classifier and the copy finder; feed it texts in order of arrival. A text that
cannot be read (empty, binary-looking, symbols only) gets category `other` with confidence 0 and a
note, never an exception. `load_model` falls back to the shipped default when a commission's model
file cannot be loaded, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lianqing.analytics.errors import AnalyticsError
from lianqing.analytics.text.amounts import largest_amount
from lianqing.analytics.text.classifier import CategoryModel, default_model_path, load
from lianqing.analytics.text.duplicates import CopyFinder
from lianqing.analytics.text.normalize import clean, readable
from lianqing.analytics.text.persons import persons

UNREADABLE = "无法识别的内容"


@dataclass(frozen=True)
class Reading:
    text_id: str
    category: str
    confidence: float
    duplicate_of: str
    persons: tuple[str, ...]
    amount: float | None
    note: str = ""


def load_model(path: Path | None = None) -> tuple[CategoryModel, str]:
    """The model at `path`, or the shipped default with a note saying why it was used instead."""
    if path is not None:
        try:
            return load(path), ""
        except AnalyticsError as error:
            return load(default_model_path()), f"{error}；已改用内置默认模型"
    return load(default_model_path()), ""


@dataclass
class Reader:
    model: CategoryModel
    copies: CopyFinder = field(default_factory=CopyFinder)

    def read_many(self, items: list[tuple[str, str]]) -> list[Reading]:
        cleaned = [(text_id, clean(text)) for text_id, text in items]
        legible = [(text_id, text) for text_id, text in cleaned if readable(text)]
        predictions = dict(
            zip((i for i, _ in legible), self.model.predict([t for _, t in legible]), strict=True)
        )
        readings = []
        for text_id, text in cleaned:
            if text_id not in predictions:
                self.copies.add(text_id, "")
                readings.append(Reading(text_id, "other", 0.0, "", (), None, UNREADABLE))
                continue
            category, confidence = predictions[text_id]
            names = tuple(persons(text))
            amount = largest_amount(text)
            readings.append(
                Reading(
                    text_id=text_id,
                    category=category,
                    confidence=confidence,
                    duplicate_of=self.copies.add(text_id, text, (tuple(sorted(names)), amount)),
                    persons=names,
                    amount=amount,
                )
            )
        return readings

    def read(self, text_id: str, text: str) -> Reading:
        return self.read_many([(text_id, text)])[0]
