"""Writes of the integrity app: the warning disposition (one transition function), reminders to
owners, the district map. The daily recomputation is `refresh.integrity_refresh`; configuration
versions are `configuration.config_version_create`."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqing.core.models import Org, User
from lianqing.core.services import notification_send

from .access import access_warning_by_id, may_dispose, scope_path
from .events import map_uploaded_event, warning_transition_event
from .models import DistrictMap, Warning, WarningEvent, WarningStatus

# --- the disposition: 预警 → 核实 → 整改 → 销号 ------------------------------------------------


class TransitionRefusedError(Exception):
    """An action the warning's state or the form does not allow; the message is for the user."""


@dataclass(frozen=True)
class Assign:
    owner: User
    name = "assign"


@dataclass(frozen=True)
class Verify:
    note: str = ""
    name = "verify"


@dataclass(frozen=True)
class Rectify:
    measures: str
    name = "rectify"


@dataclass(frozen=True)
class Close:
    reason: str
    name = "close"


Action = Assign | Verify | Rectify | Close
OPEN = (WarningStatus.WARNED, WarningStatus.VERIFYING, WarningStatus.RECTIFYING)
# action -> (the states it may start from, the state it leads to; None: unchanged)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "assign": (OPEN, None),
    "verify": ((WarningStatus.WARNED,), WarningStatus.VERIFYING),
    "rectify": ((WarningStatus.VERIFYING,), WarningStatus.RECTIFYING),
    "close": ((WarningStatus.VERIFYING, WarningStatus.RECTIFYING), WarningStatus.CLOSED),
}


def allowed_actions(warning: Warning, user: User) -> list[str]:
    if not may_dispose(user):
        return []
    return [name for name, (sources, _target) in TRANSITIONS.items() if warning.status in sources]


def _reason(action: Action) -> str:
    if isinstance(action, Close):
        return action.reason.strip()
    if isinstance(action, Rectify):
        return action.measures.strip()
    if isinstance(action, Verify):
        return action.note.strip()
    return str(action.owner)


def warning_transition(
    *, warning_id: int, action: Action, by: User, expected_version: int | None = None
) -> Warning:
    """The one way a warning's disposition changes: checks the right, the state and the facts,
    writes the record and the audit event, tells the owner."""
    access_warning_by_id(by, warning_id)  # the same 404 for a warning one may not see
    if not may_dispose(by):
        raise TransitionRefusedError(_("您的角色不能处置预警"))
    with transaction.atomic():
        warning = Warning.objects.select_for_update().get(pk=warning_id)
        if expected_version is not None and warning.version != expected_version:
            raise TransitionRefusedError(_("预警已被他人处理，请刷新后重试"))
        sources, target = TRANSITIONS[action.name]
        if warning.status not in sources:
            raise TransitionRefusedError(
                _("当前状态为「%(status)s」，不能执行此操作") % {"status": warning.get_status_display()}
            )
        reason = _reason(action)
        if isinstance(action, Close) and not reason:
            raise TransitionRefusedError(_("销号须填写理由"))
        if isinstance(action, Rectify) and not reason:
            raise TransitionRefusedError(_("请填写整改措施"))
        if isinstance(action, Assign):
            path = scope_path(by)
            if action.owner.org is None or path is None or not action.owner.org.path.startswith(path):
                raise TransitionRefusedError(_("责任人须为本辖区的工作人员"))
        before = warning.status
        fields = ["version", "updated_at"]
        if target is not None:
            warning.status = target
            fields.append("status")
        if isinstance(action, Assign):
            warning.owner = action.owner
            fields.append("owner")
        if target == WarningStatus.CLOSED:
            warning.closed_at = timezone.now()
            fields.append("closed_at")
        warning.version += 1
        warning.save(update_fields=fields)
        WarningEvent.objects.create(
            warning=warning,
            at=timezone.now(),
            actor=by,
            action=action.name,
            from_status=before,
            to_status=warning.status,
            reason=reason,
        )
        warning_transition_event(
            user=by, obj=warning, action=action.name, to_status=warning.status, reason=reason
        )
        if isinstance(action, Assign) and action.owner != by:
            notification_send(
                recipient=action.owner,
                title=f"请处置预警：{warning}",
                link=reverse("integrity:warning_detail", args=[warning.pk]),
                dedupe_key=f"warning-assigned-{warning.pk}-{warning.version}",
            )
    return warning


def warning_reminders_send(*, today: dt.date | None = None) -> int:
    """Once a week, every owner of a warning not yet closed is reminded of it (deduplicated)."""
    today = today or timezone.localdate()
    year, week, _weekday = today.isocalendar()
    sent = 0
    for warning in Warning.objects.filter(status__in=OPEN, owner__isnull=False).select_related("owner"):
        sent += notification_send(
            recipient=warning.owner,  # type: ignore[arg-type]
            title=f"预警尚未销号：{warning}（{warning.get_status_display()}）",
            link=reverse("integrity:warning_detail", args=[warning.pk]),
            dedupe_key=f"warning-open-{warning.pk}-{year}W{week:02d}",
        )
    return sent


# --- the district map -------------------------------------------------------------------------

MAP_MAX_BYTES = 8 * 1024 * 1024
MAP_GEOMETRIES = {"Polygon", "MultiPolygon"}


class MapInvalidError(ValueError):
    pass


def _check_geojson(name: str, raw: bytes) -> tuple[str, int]:
    if len(raw) > MAP_MAX_BYTES:
        raise MapInvalidError(_("%(file)s：文件超过 8 MB") % {"file": name})
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise MapInvalidError(
            _("%(file)s：不是 UTF-8 编码的 GeoJSON 文件（%(error)s）") % {"file": name, "error": error}
        ) from error
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise MapInvalidError(_("%(file)s：应为 GeoJSON 的 FeatureCollection") % {"file": name})
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise MapInvalidError(_("%(file)s：没有任何区域（features 为空）") % {"file": name})
    for number, feature in enumerate(features, start=1):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(geometry, dict) or geometry.get("type") not in MAP_GEOMETRIES:
            raise MapInvalidError(
                _("%(file)s 第 %(n)s 个区域：应为多边形（Polygon 或 MultiPolygon）")
                % {"file": name, "n": number}
            )
        if not isinstance(properties, dict) or not str(properties.get("name") or "").strip():
            raise MapInvalidError(
                _("%(file)s 第 %(n)s 个区域：缺少名称（properties.name）") % {"file": name, "n": number}
            )
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")), len(features)


def district_map_upload(*, org: Org, name: str, raw: bytes, by: User) -> DistrictMap:
    text, features = _check_geojson(name, raw)
    district_map, _created = DistrictMap.objects.update_or_create(
        org=org, defaults={"name": name[:200], "geojson": text, "features": features, "uploaded_by": by}
    )
    map_uploaded_event(user=by, obj=district_map, features=features)
    return district_map
