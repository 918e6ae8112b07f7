"""Which problem category a lead from each rule is, for the case workflow's statistics."""

from __future__ import annotations

from lianqing.analytics.engine import get_rule
from lianqing.analytics.errors import AnalyticsError
from lianqing.cases.models import Category


def rule_category(rule_id: str) -> str:
    """What kind of problem a lead from the rule is (the rule header's `category`), for the case
    workflow's statistics; a rule no longer in the library files as 其他."""
    try:
        return get_rule(rule_id).category
    except AnalyticsError:
        return Category.OTHER
