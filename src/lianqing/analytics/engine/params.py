"""Rule parameters: overrides checked against each rule's declared params, typed for binding.

The one public parser: `parse_param_assignments` reads `RULE.name=value` text (the CLI's --param,
the scan form's lines) and `check_params` checks names, types and ranges; the scan itself, the CLI,
the leads form and the leads service all go through these two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from lianqing.analytics.engine.library import Param, Rule
from lianqing.analytics.errors import AnalyticsError, Term

LOCAL_TIME = ZoneInfo("Asia/Shanghai")


def today() -> dt.date:
    return dt.datetime.now(tz=LOCAL_TIME).date()


def parse_date(value: Any, *, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise AnalyticsError(
            "参数 %(field)s：无法识别的日期“%(value)s”，应为 YYYY-MM-DD", field=field, value=str(value)
        ) from None


def convert_param(param: Param, value: Any, *, field: str) -> int | Decimal | dt.date | str:
    """The typed value of one parameter, or an AnalyticsError naming it."""
    converted: int | Decimal | dt.date
    if param.type == "text":
        return "" if value is None else str(value).strip()
    if param.type == "date":
        return parse_date(value, field=field)
    try:
        if isinstance(value, bool):
            raise ValueError(value)
        if param.type == "integer":
            if isinstance(value, float) and not value.is_integer():
                raise ValueError(value)
            converted = int(value) if not isinstance(value, str) else int(value.strip())
        else:
            converted = Decimal(str(value).strip())
            if not converted.is_finite():
                raise ValueError(value)
    except (ValueError, InvalidOperation):
        kind = Term("整数" if param.type == "integer" else "数值")
        raise AnalyticsError(
            "参数 %(field)s：“%(value)s”不是%(kind)s", field=field, value=str(value), kind=kind
        ) from None
    if param.minimum is not None and converted < param.minimum:
        raise AnalyticsError(
            "参数 %(field)s：“%(value)s”小于下限 %(minimum)s",
            field=field,
            value=str(value),
            minimum=param.minimum,
        )
    if param.maximum is not None and converted > param.maximum:
        raise AnalyticsError(
            "参数 %(field)s：“%(value)s”大于上限 %(maximum)s",
            field=field,
            value=str(value),
            maximum=param.maximum,
        )
    return converted


def parse_param_assignments(lines: Iterable[str]) -> dict[str, str]:
    """`RULE.name=value` lines (blank ones skipped) as {"RULE.name": "value"}, the rule id upper-cased."""
    assignments: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        key, equals, value = line.partition("=")
        rule_id, dot, name = key.strip().partition(".")
        if not equals or not dot or not rule_id.strip() or not name.strip() or not value.strip():
            raise AnalyticsError(
                "第 %(number)s 个参数“%(line)s”应写作 规则编号.参数名=值，如 F02.per_head_max=200",
                number=number,
                line=line.strip(),
            )
        assignments[f"{rule_id.strip().upper()}.{name.strip()}"] = value.strip()
    return assignments


def check_params(overrides: Mapping[str, Any], rules: Mapping[str, Rule]) -> dict[str, Any]:
    """Every override by its `RULE.name` with its typed value; an AnalyticsError names the first bad one."""
    checked: dict[str, Any] = {}
    for rule_id, values in split_overrides(overrides, rules).items():
        rule = rules[rule_id]
        for name, value in values.items():
            field = f"{rule_id}.{name}"
            checked[field] = convert_param(rule.params[name], value, field=field)
    return checked


def split_overrides(overrides: Mapping[str, Any], rules: Mapping[str, Rule]) -> dict[str, dict[str, Any]]:
    """{"F02.per_head_max": "200"} -> {"F02": {"per_head_max": "200"}}, checking every name."""
    by_rule: dict[str, dict[str, Any]] = {}
    for key, value in overrides.items():
        rule_id, dot, name = key.partition(".")
        rule_id = rule_id.strip().upper()
        if not dot or not name:
            raise AnalyticsError("参数名“%(key)s”应写作 规则编号.参数名，如 F02.per_head_max", key=key)
        rule = rules.get(rule_id)
        if rule is None:
            raise AnalyticsError("参数 %(key)s：没有规则 %(rule)s", key=key, rule=rule_id)
        if name not in rule.params:
            if not rule.params:
                raise AnalyticsError("参数 %(key)s：规则 %(rule)s 没有可调的参数", key=key, rule=rule_id)
            raise AnalyticsError(
                "参数 %(key)s：规则 %(rule)s 没有参数 %(name)s，可用的参数有：%(known)s",
                key=key,
                rule=rule_id,
                name=name,
                known=list(rule.params),
            )
        by_rule.setdefault(rule_id, {})[name] = value
    return by_rule


def resolve_params(rule: Rule, overrides: Mapping[str, Any], *, as_of: dt.date) -> dict[str, Any]:
    """Every declared parameter of `rule` with its typed value (override, else default)."""
    values: dict[str, Any] = {}
    for name, param in rule.params.items():
        field = f"{rule.id}.{name}"
        if name in overrides:
            values[name] = convert_param(param, overrides[name], field=field)
        elif param.type == "date" and param.default == "today":
            values[name] = as_of
        elif param.default is None:  # unset: the rule computes the value itself (a fence)
            values[name] = None
        else:
            values[name] = convert_param(param, param.default, field=field)
    return values
