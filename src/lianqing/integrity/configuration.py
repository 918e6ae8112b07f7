"""The index configuration in force: the latest version the commission saved, else the shipped
default (`lianqing/analytics/data/integrity_index.yaml`). Every score records its version."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from lianqing.analytics.errors import AnalyticsError
from lianqing.analytics.trends.index import IndexConfig, load_config
from lianqing.core.models import User

from .events import config_created_event
from .models import IndexConfigVersion


def active_config() -> tuple[IndexConfigVersion | None, IndexConfig]:
    version = IndexConfigVersion.objects.first()
    if version is None:
        return None, load_config()
    return version, load_config(version.text)


def config_as_values(config: IndexConfig) -> dict[str, Any]:
    return {
        "version": config.version,
        "unit_share": config.unit_share,
        "unit_share_cap": config.unit_share_cap,
        "colours": {"green": config.green, "yellow": config.yellow, "orange": config.orange},
        "indicators": {
            code: {
                "name": indicator.name,
                "points": indicator.points,
                "cap": indicator.cap,
                "window_months": indicator.window_months,
            }
            for code, indicator in config.indicators.items()
        },
    }


class ConfigInvalidError(ValueError):
    pass


@transaction.atomic
def config_version_create(
    *, values: dict[str, Any], note: str, by: User, today: dt.date | None = None
) -> IndexConfigVersion:
    """Save edited weights and thresholds as a new version (the library checks them)."""
    today = today or timezone.localdate()
    number = IndexConfigVersion.objects.filter(version__startswith=f"{today:%Y.%m.%d}").count() + 1
    values = {**values, "version": f"{today:%Y.%m.%d}-{number}"}
    text = yaml.safe_dump(values, allow_unicode=True, sort_keys=False)
    try:
        load_config(text)
    except AnalyticsError as error:
        raise ConfigInvalidError(str(error)) from error
    version = IndexConfigVersion.objects.create(
        version=values["version"], text=text, note=note, created_by=by
    )
    config_created_event(user=by, obj=version, version=version.version)
    return version


def config_form_data(config: IndexConfig | None = None) -> dict[str, object]:
    """The settings form's fields filled from a configuration (the shipped default if none)."""
    config = config or load_config()
    data: dict[str, object] = {
        "green": config.green,
        "yellow": config.yellow,
        "orange": config.orange,
        "unit_share": config.unit_share,
        "unit_share_cap": config.unit_share_cap,
    }
    for code, indicator in config.indicators.items():
        data[f"{code}__points"] = indicator.points
        data[f"{code}__cap"] = indicator.cap
        data[f"{code}__window"] = "" if indicator.window_months is None else indicator.window_months
    return data
