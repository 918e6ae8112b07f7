"""The category classifier: TF-IDF of character 1–3-grams and a multinomial logistic regression.

Characters, not words: reports mix dialect, typos and traditional forms that a word segmenter
splits badly, and character n-grams carry them all. The model is stored as plain arrays (the
vocabulary, idf, coefficients) in a compressed .npz — never a pickle, so loading a model file can
run no code. The shipped default (`data/triage_model.npz`) is trained by `train.py` on the
generated corpus; a commission's own model, retrained from handlers' corrections, replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from lianqing.analytics.errors import AnalyticsError
from lianqing.analytics.text.normalize import to_simplified

NGRAMS = (1, 3)
MAX_FEATURES = 40_000


def _vectorizer(vocabulary: list[str] | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="char",
        ngram_range=NGRAMS,
        sublinear_tf=True,
        min_df=1 if vocabulary is not None else 2,
        max_features=None if vocabulary is not None else MAX_FEATURES,
        vocabulary=vocabulary,
        dtype=np.float32,
    )


@dataclass
class CategoryModel:
    classes: list[str]
    vectorizer: TfidfVectorizer
    coef: np.ndarray  # (classes, features)
    intercept: np.ndarray  # (classes,)
    version: str

    def predict(self, texts: list[str]) -> list[tuple[str, float]]:
        """(category code, confidence) per text."""
        if not texts:
            return []
        matrix = self.vectorizer.transform([to_simplified(text) for text in texts])
        scores = np.asarray(matrix @ self.coef.T) + self.intercept
        scores -= scores.max(axis=1, keepdims=True)
        probabilities = np.exp(scores)
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        best = probabilities.argmax(axis=1)
        return [(self.classes[b], float(probabilities[row, b])) for row, b in enumerate(best)]

    def save(self, path: Path) -> None:
        vocabulary = sorted(self.vectorizer.vocabulary_, key=self.vectorizer.vocabulary_.__getitem__)
        with path.open("wb") as handle:
            np.savez_compressed(
                handle,
                classes=np.array(self.classes),
                vocabulary=np.array(vocabulary),
                idf=self.vectorizer.idf_.astype(np.float32),
                coef=self.coef.astype(np.float16),
                intercept=self.intercept.astype(np.float32),
                version=np.array(self.version),
            )


def train(texts: list[str], labels: list[str], *, version: str) -> CategoryModel:
    vectorizer = _vectorizer()
    matrix = vectorizer.fit_transform([to_simplified(text) for text in texts])
    regression = LogisticRegression(C=20.0, max_iter=300)
    regression.fit(matrix, labels)
    return CategoryModel(
        classes=[str(c) for c in regression.classes_],
        vectorizer=vectorizer,
        coef=regression.coef_.astype(np.float32),
        intercept=regression.intercept_.astype(np.float32),
        version=version,
    )


def load(path: Path) -> CategoryModel:
    try:
        with np.load(path, allow_pickle=False) as stored:
            vocabulary = [str(term) for term in stored["vocabulary"]]
            vectorizer = _vectorizer(vocabulary)
            vectorizer.fit(["x"])  # sets the fixed vocabulary up; idf_ follows
            vectorizer.idf_ = stored["idf"].astype(np.float32)
            return CategoryModel(
                classes=[str(c) for c in stored["classes"]],
                vectorizer=vectorizer,
                coef=stored["coef"].astype(np.float32),
                intercept=stored["intercept"].astype(np.float32),
                version=str(stored["version"]),
            )
    except (OSError, KeyError, ValueError) as error:
        raise AnalyticsError(f"无法读取分类模型 {path.name}：{error}") from error


def default_model_path() -> Path:
    return Path(str(resources.files("lianqing.analytics").joinpath("data/triage_model.npz")))
