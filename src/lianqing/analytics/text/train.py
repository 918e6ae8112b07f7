"""Train the shipped default classifier: `python -m lianqing.analytics.text.train`.

Deterministic: the generated corpus (seed 1) in, `data/triage_model.npz` out. bench/triage.py
measures it on a corpus of another seed, which the model never saw.
"""

from __future__ import annotations

import sys
from pathlib import Path

from lianqing.analytics.text.classifier import default_model_path, train
from lianqing.analytics.text.corpus import generate_corpus

TRAINING_SIZE = 8000
VERSION = "default-2026.1"


def main(argv: list[str] | None = None) -> int:
    out = Path(argv[0]) if argv else default_model_path()
    samples = [s for s in generate_corpus(TRAINING_SIZE, seed=1) if not s.duplicate_of]
    model = train([s.text for s in samples], [s.category for s in samples], version=VERSION)
    model.save(out)
    print(f"{len(samples)} texts → {out} ({out.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
