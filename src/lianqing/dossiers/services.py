"""Writes of the registry: forms' records, the registry import, linking mentions to cadres."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqing.analytics.idcodes import is_valid_person_id
from lianqing.cases import services as case_services
from lianqing.cases.access import commission_of
from lianqing.cases.models import Case
from lianqing.cases.selectors import reported_person_list
from lianqing.core.models import AuditAction, Org, User
from lianqing.leads.models import DataPackage

from . import events
from .errors import DossierError
from .linking import Mention, RegistryEntry, resolve_mentions
from .models import (
    Cadre,
    LinkStatus,
    MentionLink,
    MentionSource,
    Post,
    Record,
    RegistryImport,
    Sanction,
    Unit,
)
from .registry_import import registry_import_run


@transaction.atomic
def sanction_create(*, cadre: Cadre, user: User, **fields: object) -> Sanction:
    sanction = Sanction.objects.create(cadre=cadre, entered_by=user, **fields)
    events.record_changed_event(user=user, obj=sanction, action=AuditAction.CREATE, what=sanction.kind)
    return sanction


@transaction.atomic
def cadre_upsert(
    *, org: Org, person_id: str, name: str, unit: Unit, position: str, start_date: dt.date, source: str
) -> Cadre:
    """A cadre entered by hand (or by the demo), with the post they hold; one cadre per ID."""
    if not is_valid_person_id(person_id):
        raise DossierError(_("公民身份号码 %(id)s 格式或校验位不正确") % {"id": person_id})
    cadre, _created = Cadre.objects.get_or_create(person_id=person_id, defaults={"name": name, "org": org})
    Post.objects.get_or_create(
        cadre=cadre, unit=unit, position=position, start_date=start_date, defaults={"source": source}
    )
    Cadre.objects.filter(pk=cadre.pk).update(unit=unit, position=position)
    cadre.refresh_from_db()
    return cadre


@transaction.atomic
def record_create(*, user: User, cadre: Cadre | None, unit: Unit | None, **fields: object) -> Record:
    if cadre is None and unit is None:
        raise DossierError(_("记录须关联干部或单位"))
    record = Record.objects.create(cadre=cadre, unit=unit, entered_by=user, **fields)
    events.record_changed_event(user=user, obj=record, action=AuditAction.CREATE, what=record.kind)
    return record


# --- the registry import ----------------------------------------------------------------------


@transaction.atomic
def registry_import_queue(*, package: DataPackage, user: User) -> RegistryImport:
    """Queue 更新廉政档案 from a package for the worker."""
    if not package.is_ready:
        raise DossierError(_("数据包尚未导入完成"))
    if "officials" not in package.datasets:
        raise DossierError(_("数据包没有公职人员数据集，无法更新廉政档案"))
    # The registry is the commission's, whichever of its departments loaded the package.
    run = RegistryImport.objects.create(
        package_id=package.pk, package_name=package.name, org=commission_of(package.org), created_by=user
    )
    from .tasks import registry_import_task

    transaction.on_commit(lambda: registry_import_task.enqueue(run.pk))
    return run


def registry_import_execute(run_id: int) -> RegistryImport | None:
    """Run a queued import (worker). A run that is not queued any more is left alone."""
    with transaction.atomic():
        run = RegistryImport.objects.select_for_update().filter(pk=run_id, status="queued").first()
        if run is None:
            return None
        run.status = "running"
        run.save(update_fields=["status"])
    package = DataPackage.objects.filter(pk=run.package_id).first()
    try:
        if package is None:
            raise DossierError(_("数据包已删除"))
        run = registry_import_run(run=run, folder=Path(package.path), as_of=package.as_of)
    except Exception as error:
        RegistryImport.objects.filter(pk=run.pk).update(
            status="failed", error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    events.registry_imported_event(user=run.created_by, obj=run, counts=run.counts)
    return run


# --- linking mentions to cadres ------------------------------------------------------------------


def _cadres_by_key(keys: set[str]) -> dict[str, int]:
    return dict(Cadre.objects.filter(person_id__in=keys).values_list("person_id", "pk"))


def _registry_for(case: Case) -> list[RegistryEntry]:
    """Every post (ended ones too) of the cadres in the case's commission's jurisdiction; cadres
    entered without a 公民身份号码 cannot be resolved and are left out."""
    path = commission_of(case.org).path
    # Plain rows, not model instances: the worker reads the whole registry for every new case.
    posts = (
        Post.objects.filter(cadre__org__path__startswith=path)
        .exclude(cadre__person_id="")
        .order_by("pk")
        .values_list("cadre__person_id", "cadre__name", "unit__code", "unit__name", "position", "end_date")
    )
    return [
        RegistryEntry(
            key=key, name=name, unit_code=code, unit_name=unit, position=position, is_current=ended is None
        )
        for key, name, code, unit, position, ended in posts
    ]


def case_links_suggest(*, case_id: int) -> int:
    """Compute suggestions for the case's reported persons not decided yet; returns how many."""
    case = Case.objects.select_related("org").filter(pk=case_id).first()
    if case is None:
        return 0
    decided = set(
        MentionLink.objects.filter(
            case_id=case_id, status__in=[LinkStatus.CONFIRMED, LinkStatus.REJECTED]
        ).values_list("mention_id", flat=True)
    )
    people = [p for p in reported_person_list(case_ids=[case_id]) if p["pk"] not in decided]
    if not people:
        return 0
    mentions = [
        Mention(mention_id=str(p["pk"]), name=p["name"], org_text=p["org_name"], position_text=p["position"])
        for p in people
    ]
    suggestions = resolve_mentions(mentions, _registry_for(case), scope=commission_of(case.org).path)
    cadre_ids = _cadres_by_key(
        {key for s in suggestions for key, _ in s.candidates} | {s.key for s in suggestions if s.key}
    )
    with transaction.atomic():
        for person, suggestion in zip(people, suggestions, strict=True):
            status = (
                LinkStatus.SUGGESTED
                if suggestion.key
                else LinkStatus.ABSTAINED
                if suggestion.candidates
                else LinkStatus.UNMATCHED
            )
            MentionLink.objects.update_or_create(
                source=MentionSource.CASE_PERSON,
                mention_id=person["pk"],
                defaults={
                    "case_id": case_id,
                    "name": person["name"][:64],
                    "org_text": person["org_name"][:200],
                    "position_text": person["position"][:100],
                    "status": status,
                    "suggested_id": cadre_ids.get(suggestion.key) if suggestion.key else None,
                    "score": suggestion.score,
                    "reasons": suggestion.reasons,
                    "candidates": [
                        {"cadre_id": cadre_ids[key], "score": score}
                        for key, score in suggestion.candidates
                        if key in cadre_ids
                    ],
                },
            )
    return len(people)


@transaction.atomic
def mention_link_decide(
    *, link_id: int, user: User, confirm: bool, cadre: Cadre | None = None
) -> MentionLink:
    """Confirm a cadre for a mention (the suggestion or one of the candidates) or reject the link.

    Decided once: a second decision on the same mention is refused.
    """
    link = MentionLink.objects.select_for_update().get(pk=link_id)
    if link.is_decided:
        raise DossierError(_("该被反映人已经确认或否定过，不再重复询问"))
    if confirm:
        cadre = cadre or link.suggested
        allowed = {link.suggested_id} | {int(c["cadre_id"]) for c in link.candidates}
        if cadre is None or cadre.pk not in allowed:
            raise DossierError(_("请选择建议的干部或候选人之一"))
        link.cadre, link.status = cadre, LinkStatus.CONFIRMED
    else:
        link.cadre, link.status = None, LinkStatus.REJECTED
    link.decided_by, link.decided_at = user, timezone.now()
    link.save(update_fields=["cadre", "status", "decided_by", "decided_at", "computed_at"])
    case_services.reported_person_link(person_id=link.mention_id, cadre_key=str(link.cadre_id or ""))
    events.link_decided_event(
        user=user, obj=link, decision="confirm" if confirm else "reject", cadre_id=link.cadre_id
    )
    return link


def dossier_roles_grant() -> None:
    """Grant 查阅廉政档案 and 办理党风廉政意见回复 to their default roles again (re-runnable: the
    demo calls it, and so do tests after a database flush removed the migration's grants)."""
    from django.contrib.auth.models import Group, Permission

    from .access import OPINION_ROLES, VIEWING_ROLES

    view = Permission.objects.get(content_type__app_label="dossiers", codename="view_dossier")
    reply = Permission.objects.get(content_type__app_label="dossiers", codename="reply_opinion")
    for role in VIEWING_ROLES:
        Group.objects.get_or_create(name=str(role))[0].permissions.add(view)
    for role in OPINION_ROLES:
        Group.objects.get_or_create(name=str(role))[0].permissions.add(reply)


def text_mentions_suggest(*, case_id: int, mentions: list[dict[str, str]]) -> list[dict[str, object]]:
    """People a report's text names (name, org_text, position_text), resolved against the registry
    of the case's commission as the reported persons are; nothing is stored. One dict per mention:
    the suggested cadre (or none), score, reasons, candidates, and the cadre's jurisdiction."""
    case = Case.objects.select_related("org").filter(pk=case_id).first()
    if case is None or not mentions:
        return []
    suggestions = resolve_mentions(
        [
            Mention(str(i), m["name"], m.get("org_text", ""), m.get("position_text", ""))
            for i, m in enumerate(mentions)
        ],
        _registry_for(case),
        scope=commission_of(case.org).path,
    )
    keys = {key for s in suggestions for key, _ in s.candidates} | {s.key for s in suggestions if s.key}
    cadres = {c.person_id: c for c in Cadre.objects.filter(person_id__in=keys).select_related("unit", "org")}
    leaders = set(
        Post.objects.filter(cadre__person_id__in=keys, end_date__isnull=True, is_leader=True).values_list(
            "cadre__person_id", flat=True
        )
    )

    def cadre_row(key: str, score: float) -> dict[str, object]:
        cadre = cadres[key]
        return {
            "cadre_id": cadre.pk,
            "name": cadre.name,
            "unit": cadre.unit.name if cadre.unit else "",
            "position": cadre.position,
            "org_id": cadre.org_id,
            "is_leader": key in leaders,
            "score": score,
        }

    rows: list[dict[str, object]] = []
    for mention, suggestion in zip(mentions, suggestions, strict=True):
        rows.append(
            {
                **mention,
                "cadre": cadre_row(suggestion.key, suggestion.score) if suggestion.key in cadres else None,
                "score": suggestion.score,
                "reasons": suggestion.reasons,
                "candidates": [
                    cadre_row(k, s) for k, s in suggestion.candidates if k in cadres and k != suggestion.key
                ],
            }
        )
    return rows
