"""Reads of the triage app: the suggestion panel of a case, the model page, 舆情 lists."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy

from lianqing.cases.models import Case, Category
from lianqing.cases.selectors import case_allowed_actions
from lianqing.core.models import User

from .access import may_decide, post_events_scoped, post_imports_scoped
from .models import Feedback, Field, ModelStatus, ModelVersion, PostEvent, PostImport, Reading

PRIORITY_TEXT = {
    "real_name": gettext_lazy("实名举报"),
    "leader": gettext_lazy("反映领导干部：%(detail)s"),
    "large_amount": gettext_lazy("涉及金额较大：%(detail)s 元"),
    "very_large_amount": gettext_lazy("涉及金额巨大：%(detail)s 元"),
    "ongoing": gettext_lazy("问题可能仍在持续：%(detail)s"),
    "repeated": gettext_lazy("重复或相关举报 %(detail)s 件"),
}
LEVEL_TEXT = {
    "own": gettext_lazy("本级管辖"),
    "lower": gettext_lazy("下级纪委管辖"),
    "above": gettext_lazy("属上级管辖"),
}


def money(value: float | None) -> str:
    """¥ figures as handlers write them: 20,000 or 1,234.50."""
    if value is None:
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def category_label(code: str) -> str:
    return str(Category(code).label) if code in Category.values else code


def _decisions(case: Case) -> dict[tuple[str, str], Feedback]:
    latest: dict[tuple[str, str], Feedback] = {}
    for row in Feedback.objects.filter(case=case).select_related("decided_by").order_by("decided_at", "pk"):
        latest[(row.field, row.item)] = row
    return latest


def reading_panel(*, case: Case, user: User) -> dict[str, Any]:
    reading = Reading.objects.filter(case=case).first()
    if reading is None:
        return {"case": case, "reading": None}
    decisions = _decisions(case)
    allowed = {action.name for action in case_allowed_actions(case, user)}
    jurisdiction = dict(reading.jurisdiction)
    action = jurisdiction.get("action", "")
    persons = [p | {"decision": decisions.get((Field.PERSON, str(p["name"])))} for p in reading.persons]
    duplicates = [
        d | {"decision": decisions.get((Field.DUPLICATE, str(d["case_id"])))} for d in reading.duplicates
    ]
    category_decision = decisions.get((Field.CATEGORY, ""))
    return {
        "case": case,
        "reading": reading,
        "category_label": category_label(reading.category),
        "confidence_percent": round(reading.confidence * 100),
        "category_decision": category_decision,
        "category_decision_label": category_label(category_decision.label) if category_decision else "",
        "amount_decision": decisions.get((Field.AMOUNT, "")),
        "jurisdiction_decision": decisions.get((Field.JURISDICTION, "")),
        "categories": [(c.value, c.label) for c in Category],
        "amount_texts": [money(a) for a in reading.amounts],
        "persons": persons,
        "duplicates": duplicates,
        "copies": [d for d in duplicates if d["kind"] == "copy"],
        "jurisdiction": jurisdiction,
        "level_text": LEVEL_TEXT.get(jurisdiction.get("level", ""), ""),
        "transfer_allowed": bool(action) and action in allowed,
        "priority": [
            {"points": p["points"], "text": PRIORITY_TEXT[p["code"]] % {"detail": p["detail"]}}
            for p in reading.priority
            if p["code"] in PRIORITY_TEXT
        ],
        "may_decide": may_decide(user),
    }


def model_overview() -> dict[str, Any]:
    active = ModelVersion.objects.filter(status=ModelStatus.ACTIVE).order_by("-created_at", "-pk").first()
    latest = ModelVersion.objects.order_by("-created_at", "-pk").first()
    shown = active or latest
    rows = []
    if shown is not None:
        for code, label in Category.choices:
            figures = shown.quality.get(code)
            before = shown.baseline_quality.get(code)
            if figures or before:
                rows.append({"label": label, "now": figures or {}, "before": before or {}})
    counts = dict(Feedback.objects.values_list("field").annotate(n=Count("pk")).values_list("field", "n"))
    corrected = Feedback.objects.filter(field=Field.CATEGORY, is_accepted=False).count()
    return {
        "active": active,
        "shown": shown,
        "macro_f1": shown.quality.get("_macro_f1") if shown else None,
        "baseline_macro_f1": shown.baseline_quality.get("_macro_f1") if shown else None,
        "rows": rows,
        "history": ModelVersion.objects.order_by("-created_at", "-pk")[:20],
        "category_decisions": counts.get(Field.CATEGORY, 0),
        "category_corrections": corrected,
        "decision_count": sum(counts.values()),
    }


def training_rows(*, limit: int = 50) -> QuerySet[Feedback]:
    return Feedback.objects.select_related("case", "decided_by").order_by("-decided_at", "-pk")[:limit]


def post_import_list(*, user: User) -> QuerySet[PostImport]:
    return post_imports_scoped(user).select_related("created_by").order_by("-created_at", "-pk")[:20]


def post_event_list(*, user: User, status: str = "open") -> QuerySet[PostEvent]:
    return (
        post_events_scoped(user)
        .filter(status=status)
        .annotate(post_count=Count("posts"))
        .select_related("case")
        .order_by("-post_count", "-last_at")
    )
