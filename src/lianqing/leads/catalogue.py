"""The rule catalogue as a person reads it: every rule of the library with its condition in plain
words, its parameters and defaults, datasets, severity, category, origins, and its hits in the
last scans the reader may see.

Everything comes from the rule files' headers (the library); the words go through the catalogue
of translations, so an English page reads English.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from lianqing.analytics.contract import DATASETS
from lianqing.analytics.engine import Rule, list_rules
from lianqing.analytics.engine.library import ORIGINS
from lianqing.cases.models import Category
from lianqing.core.models import User
from lianqing.leads.access import run_scope
from lianqing.leads.models import ScanRun, ScanStatus, Severity

LAST_SCANS = 3


@dataclass(frozen=True)
class ParamRow:
    name: str
    description: str
    default: str


@dataclass(frozen=True)
class RuleRow:
    id: str
    name: str
    condition: str
    severity: str
    severity_label: str
    category: str
    datasets: list[str]
    optional_datasets: list[str]
    alternative_datasets: list[str]
    params: list[ParamRow]
    origins: list[str]
    hits: list[tuple[int, int | None]]  # (scan id, hits) of the last scans; None: it did not run


@dataclass(frozen=True)
class Catalogue:
    rules: list[RuleRow]
    scans: list[ScanRun]


def _default(value: Any) -> str:
    if value == "today":
        return _("检查日")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float | Decimal):
        return f"{Decimal(str(value)).normalize():f}"
    return str(value)


def _condition(rule: Rule) -> str:
    """The rule's condition in the reader's language, its parameters at their defaults."""
    if not rule.condition:
        return ""
    return _(rule.condition).format(**{name: _default(p.default) for name, p in rule.params.items()})


def _hits_by_rule(run: ScanRun) -> dict[str, int]:
    return {
        entry["rule_id"]: int(entry["hits"])
        for entry in (run.summary or {}).get("rules", [])
        if not entry.get("skipped")
    }


def last_scans(*, user: User | AnonymousUser, count: int = LAST_SCANS) -> list[ScanRun]:
    return list(
        run_scope(user)
        .filter(status=ScanStatus.SUCCEEDED)
        .select_related("package")
        .order_by("-finished_at", "-id")[:count]
    )


def rule_catalogue(*, user: User | AnonymousUser) -> Catalogue:
    scans = last_scans(user=user)
    counts = [_hits_by_rule(run) for run in scans]
    severities = dict(Severity.choices)
    categories = dict(Category.choices)
    rows = [
        RuleRow(
            id=rule.id,
            name=_(rule.name),
            condition=_condition(rule),
            severity=rule.severity,
            severity_label=str(severities.get(rule.severity, rule.severity)),
            category=str(categories.get(rule.category, rule.category)),
            datasets=[_(DATASETS[name].title) for name in rule.datasets],
            optional_datasets=[_(DATASETS[name].title) for name in rule.optional_datasets],
            alternative_datasets=[_(DATASETS[name].title) for name in rule.alternative_datasets],
            params=[
                ParamRow(name=param.name, description=_(param.description), default=_default(param.default))
                for param in rule.params.values()
            ],
            origins=[_(ORIGINS[origin]) for origin in rule.origins],
            hits=[(run.pk, found.get(rule.id)) for run, found in zip(scans, counts, strict=True)],
        )
        for rule in list_rules()
    ]
    return Catalogue(rules=rows, scans=scans)
