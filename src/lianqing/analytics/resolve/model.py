"""What the resolver takes and gives: mentions in, links with scored candidates and reasons out."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Mention:
    """How a report or another source names a person; every field but mention_id may be empty."""

    mention_id: str
    name: str = ""
    org_text: str = ""
    position_text: str = ""
    gender: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Reason:
    """One piece of evidence for or against a candidate.

    `code` is stable (the web app translates it); `text` is the Chinese sentence; `weight` is
    the Fellegi–Sunter match weight in bits (log2 m/u): positive for, negative against;
    `detail` is the data the sentence quotes ("汪局长／王建华"), shown beside the translated code.
    """

    code: str
    text: str
    weight: float
    detail: str = ""


@dataclass(frozen=True)
class Candidate:
    person_id: str
    name: str
    score: float  # posterior probability that the mention is this person, 0–1
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class Link:
    """The resolver's answer for one mention.

    `person_id` is None when no cadre is a confident match (an outsider, or several fit alike);
    `score` is then the best candidate's probability (0 when there is none). `candidates` holds
    up to five, best first, whatever the decision.
    """

    mention_id: str
    person_id: str | None
    score: float
    candidates: tuple[Candidate, ...] = ()

    @property
    def is_abstention(self) -> bool:
        return self.person_id is None and bool(self.candidates)

    @property
    def reasons(self) -> tuple[Reason, ...]:
        return self.candidates[0].reasons if self.candidates else ()

    def candidates_text(self) -> str:
        """The links.csv `candidates` cell: `person_id:score` joined by `;`, best first."""
        return ";".join(f"{c.person_id}:{c.score:.3f}" for c in self.candidates)


@dataclass(frozen=True)
class DuplicatePerson:
    """Registry rows that look like one person under several IDs (same name and birth date).

    Reported, never merged: which ID is right is for a person to decide.
    """

    name: str
    birth_date: str
    person_ids: tuple[str, ...]
    rows: tuple[str, ...] = field(default=())  # "file:row" of each, where known
