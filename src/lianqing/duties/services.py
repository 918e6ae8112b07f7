"""Writes of 主体责任: templates and their versions, unit leaders, assignments (tasks generated
set-based from a version's schedule), applying a new version, evidence and talks.

Task steps (submit, return, accept, reopen) go through `workflow.transition`; the daily lights
through `lights.lights_refresh`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqing.analytics.workdays import is_known_year
from lianqing.core.models import Org, User
from lianqing.intake.attachments import attachment_prepare
from lianqing.intake.errors import IntakeError

from . import sealing
from .access import UNIT_KINDS, is_unit_liaison
from .calendar import occurrences
from .errors import DutyError
from .events import (
    assignment_created_event,
    evidence_added_event,
    evidence_removed_event,
    leader_changed_event,
    talk_recorded_event,
    template_changed_event,
    version_applied_event,
)
from .models import (
    Assignment,
    DutyItem,
    DutyTemplate,
    Evidence,
    EvidenceKind,
    Frequency,
    Responsible,
    ScheduleRow,
    Talk,
    Task,
    TaskStatus,
    TemplateKind,
    TemplateVersion,
    UnitLeader,
)

DEFAULT_WARNING_DAYS = 10
DEFAULT_LOCK_GRACE_DAYS = 5
EDITABLE_STATUSES = (TaskStatus.OPEN, TaskStatus.REOPENED, TaskStatus.RETURNED)
ITEM_FIELDS = (
    "title", "description", "frequency", "once_month", "due_month_offset", "due_day", "evidence_kinds",
    "points", "responsible",
)  # fmt: skip


@transaction.atomic
def template_create(*, owner: Org, name: str, kind: str, by: User | None = None) -> DutyTemplate:
    name = name.strip()
    if not name:
        raise DutyError(_("请填写责任清单名称"), field="name")
    if kind not in TemplateKind.values:
        raise DutyError(_("责任清单类别无效"), field="kind")
    template = DutyTemplate.objects.create(owner=owner, name=name, kind=kind)
    version = TemplateVersion.objects.create(template=template, number=1, created_by=by, note=_("初始版本"))
    template_changed_event(template=template, version=version, by=by, details={"created": True})
    return template


def version_latest(template: DutyTemplate) -> TemplateVersion:
    version = template.versions.order_by("-number").first()
    if version is None:  # every template is created with its first version
        raise DutyError(_("责任清单没有版本"))
    return version


def _editable_version(template: DutyTemplate, by: User | None, note: str) -> TemplateVersion:
    """The latest version when nothing is assigned from it yet, else a new copy of it."""
    latest = TemplateVersion.objects.select_for_update().get(pk=version_latest(template).pk)
    if not latest.assignments.exists():
        return latest
    fresh = TemplateVersion.objects.create(
        template=template, number=latest.number + 1, created_by=by, note=note
    )
    DutyItem.objects.bulk_create(
        DutyItem(
            version=fresh,
            lineage=item.lineage,
            position=item.position,
            **{f: getattr(item, f) for f in ITEM_FIELDS},
        )
        for item in latest.items.all()
    )
    return fresh


def _clean_item(fields: dict[str, Any]) -> dict[str, Any]:
    title = str(fields.get("title", "")).strip()
    if not title:
        raise DutyError(_("请填写责任事项"), field="title")
    if fields.get("frequency") not in Frequency.values:
        raise DutyError(_("频次无效"), field="frequency")
    kinds = list(fields.get("evidence_kinds") or [])
    unknown = [kind for kind in kinds if kind not in EvidenceKind.values]
    if unknown:
        raise DutyError(_("佐证材料类别无效"), field="evidence_kinds")
    due_day = int(fields.get("due_day") or 31)
    if not 1 <= due_day <= 31:
        raise DutyError(_("截止日须在 1 至 31 之间"), field="due_day")
    once_month = int(fields.get("once_month") or 12)
    if not 1 <= once_month <= 12:
        raise DutyError(_("月份须在 1 至 12 之间"), field="once_month")
    offset = int(fields.get("due_month_offset") or 0)
    if not 0 <= offset <= 12:
        raise DutyError(_("期末后月数须在 0 至 12 之间"), field="due_month_offset")
    points = Decimal(str(fields.get("points") or 1))
    if points < 0 or points > 1000:
        raise DutyError(_("分值须在 0 至 1000 之间"), field="points")
    responsible = fields.get("responsible") or Responsible.SECRETARY
    if responsible not in Responsible.values:
        raise DutyError(_("责任人无效"), field="responsible")
    return {
        "title": title[:300], "description": str(fields.get("description", "")).strip(),
        "frequency": fields["frequency"], "once_month": once_month, "due_month_offset": offset,
        "due_day": due_day, "evidence_kinds": kinds, "points": points, "responsible": responsible,
    }  # fmt: skip


@transaction.atomic
def item_save(
    *, template: DutyTemplate, fields: dict[str, Any], lineage: int | None = None, by: User | None = None
) -> DutyItem:
    """Add a duty (lineage None) or change one. Never touches tasks already assigned: when the
    latest version is assigned, the change goes into a new version."""
    cleaned = _clean_item(fields)
    version = _editable_version(template, by, _("修改事项：%(title)s") % {"title": cleaned["title"]})
    if lineage is None:
        position = (version.items.order_by("-position").values_list("position", flat=True).first() or 0) + 1
        item = DutyItem.objects.create(version=version, position=position, **cleaned)
        DutyItem.objects.filter(pk=item.pk).update(lineage=item.pk)
        item.lineage = item.pk
    else:
        item = version.items.filter(lineage=lineage).first()  # type: ignore[assignment]
        if item is None:
            raise DutyError(_("没有找到该责任事项"))
        for name, value in cleaned.items():
            setattr(item, name, value)
        item.save(update_fields=list(cleaned))
    template_changed_event(
        template=template, version=version, by=by, details={"item": item.lineage, "title": item.title}
    )
    return item


def started_tasks(template: DutyTemplate, lineage: int) -> QuerySet[Task]:
    """Tasks of a duty that a unit has started: anything but open-and-untouched (an account
    written or evidence uploaded), i.e. what `assignment_apply_version` would keep."""
    tasks = Task.objects.filter(assignment__template=template, lineage=lineage)
    untouched = Q(status=TaskStatus.OPEN, account="") & ~Q(
        Exists(Evidence.objects.filter(task=OuterRef("pk")))
    )
    return tasks.exclude(untouched)


@transaction.atomic
def item_remove(*, template: DutyTemplate, lineage: int, by: User | None = None) -> TemplateVersion:
    """Delete a duty (in a new version when the latest is assigned). Refused while any unit has
    started a task of it: the work and its evidence would be orphaned."""
    item = version_latest(template).items.filter(lineage=lineage).first()
    if item is None:
        raise DutyError(_("没有找到该责任事项"))
    started = started_tasks(template, lineage)
    count = started.count()
    if count:
        units = "、".join(started.order_by("unit__name").values_list("unit__name", flat=True).distinct()[:3])
        raise DutyError(
            _(
                "“%(title)s”已有 %(count)d 项任务在办理或已办结（%(units)s 等），不能删除；可修改该事项，或在新年度不再分派。"
            )
            % {"title": item.title, "count": count, "units": units}
        )
    version = _editable_version(template, by, _("删除事项：%(title)s") % {"title": item.title})
    deleted, _rows = version.items.filter(lineage=lineage).delete()
    if not deleted:
        raise DutyError(_("没有找到该责任事项"))
    template_changed_event(template=template, version=version, by=by, details={"removed": lineage})
    return version


@transaction.atomic
def leader_upsert(
    *, unit: Org, name: str, post: str = "", is_secretary: bool = False, user: User | None = None
) -> UnitLeader:
    name = name.strip()
    if not name:
        raise DutyError(_("请填写姓名"), field="name")
    if is_secretary:
        UnitLeader.objects.filter(unit=unit, is_secretary=True).exclude(name=name).update(is_secretary=False)
    leader, _created = UnitLeader.objects.update_or_create(
        unit=unit,
        name=name,
        defaults={"post": post, "is_secretary": is_secretary, "user": user, "is_active": True},
    )
    return leader


def leaders_of(unit: Org) -> QuerySet[UnitLeader]:
    return UnitLeader.objects.filter(unit=unit, is_active=True).select_related("user")


def _secretary_moves(unit: Org, old: UnitLeader | None, new: UnitLeader) -> int:
    """A new 书记 takes over the unit's assignments and the tasks the old one still owes."""
    if old is None or old.pk == new.pk:
        Assignment.objects.filter(unit=unit, secretary__isnull=True).update(secretary=new)
        return 0
    Assignment.objects.filter(unit=unit, secretary=old).update(secretary=new)
    owed = [*EDITABLE_STATUSES, TaskStatus.LOCKED]
    return Task.objects.filter(unit=unit, responsible=old, status__in=owed).update(
        responsible=new, version=F("version") + 1
    )


@transaction.atomic
def leader_save(
    *,
    unit: Org,
    name: str,
    post: str = "",
    is_secretary: bool = False,
    user: User | None = None,
    leader: UnitLeader | None = None,
    by: User | None = None,
) -> UnitLeader:
    """Add a leader (leader None) or change one. Naming a new 书记 hands the old one's owed
    tasks and the unit's assignments to them; the old 书记 stays a 班子成员."""
    name, post = name.strip(), post.strip()
    if not name:
        raise DutyError(_("请填写姓名"), field="name")
    if len(name) > 64 or len(post) > 100:
        raise DutyError(_("姓名或职务过长"), field="name")
    if user is not None and user.org_id != unit.pk:
        raise DutyError(_("所选账号不属于本单位"), field="user")
    clash = UnitLeader.objects.filter(unit=unit, name=name, is_active=True)
    if leader is not None:
        clash = clash.exclude(pk=leader.pk)
    if clash.exists():
        raise DutyError(_("本单位已有名为“%(name)s”的班子成员") % {"name": name}, field="name")
    old = UnitLeader.objects.select_for_update().filter(unit=unit, is_secretary=True, is_active=True).first()
    if is_secretary and old is not None and (leader is None or old.pk != leader.pk):
        UnitLeader.objects.filter(pk=old.pk).update(is_secretary=False)
    if leader is None:
        leader = UnitLeader.objects.create(
            unit=unit, name=name, post=post, is_secretary=is_secretary, user=user
        )
    else:
        leader.name, leader.post, leader.is_secretary, leader.user = name, post, is_secretary, user
        leader.save(update_fields=["name", "post", "is_secretary", "user"])
    if is_secretary:
        _secretary_moves(unit, old, leader)
    leader_changed_event(leader=leader, by=by, details={"secretary": is_secretary})
    return leader


@transaction.atomic
def leader_remove(*, leader: UnitLeader, by: User | None = None) -> None:
    """A leader who left: kept for the record (tasks and talks name them), no longer listed.
    The 书记 is replaced first, so the unit's owed tasks always have someone."""
    if leader.is_secretary:
        raise DutyError(_("请先指定新的书记，再移除“%(name)s”") % {"name": leader.name})
    UnitLeader.objects.filter(pk=leader.pk).update(is_active=False)
    Assignment.objects.filter(member=leader).update(member=None)
    leader_changed_event(leader=leader, by=by, details={"removed": True})


def _schedule_ensure(version: TemplateVersion, year: int, warning_days: int, lock_grace_days: int) -> None:
    rows = ScheduleRow.objects.filter(
        version=version, year=year, warning_days=warning_days, lock_grace_days=lock_grace_days
    )
    if rows.exists():
        return
    ScheduleRow.objects.bulk_create(
        ScheduleRow(
            version=version, year=year, warning_days=warning_days, lock_grace_days=lock_grace_days, item=item,
            period=occ.period, month=occ.deadline.month, deadline=occ.deadline, deadline_moved_from=occ.moved_from,
            warn_on=occ.warn_on, lock_on=occ.lock_on,
        )
        for item in version.items.all()
        for occ in occurrences(item, year, warning_days=warning_days, lock_grace_days=lock_grace_days)
    )  # fmt: skip


def _insert_tasks(assignment_ids: Sequence[int], *, only_missing: bool = False) -> int:
    """Generate tasks for assignments from their version's schedule, in SQL (INSERT … SELECT)."""
    task, schedule, item, assignment = (m._meta.db_table for m in (Task, ScheduleRow, DutyItem, Assignment))
    missing = (
        f" AND NOT EXISTS (SELECT 1 FROM {task} t WHERE t.assignment_id = a.id AND t.lineage = i.lineage"
        " AND t.period = s.period)"
        if only_missing
        else ""
    )
    total = 0
    with connection.cursor() as cursor:
        for start in range(0, len(assignment_ids), 500):
            chunk = list(assignment_ids[start : start + 500])
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {task} (assignment_id, item_id, lineage, unit_id, year, period, month, deadline,"
                " deadline_moved_from, warn_on, lock_on, responsible_id, light, status, was_late, account,"
                " grade, version)"
                " SELECT a.id, s.item_id, i.lineage, a.unit_id, a.year, s.period, s.month, s.deadline,"
                " s.deadline_moved_from, s.warn_on, s.lock_on,"
                " CASE WHEN i.responsible = %s AND a.member_id IS NOT NULL THEN a.member_id ELSE a.secretary_id END,"
                " %s, %s, %s, '', '', 0"
                f" FROM {assignment} a JOIN {schedule} s ON s.version_id = a.version_id AND s.year = a.year"
                " AND s.warning_days = a.warning_days AND s.lock_grace_days = a.lock_grace_days"
                f" JOIN {item} i ON i.id = s.item_id WHERE a.id IN ({marks}){missing}",
                [Responsible.MEMBER, "blue", TaskStatus.OPEN, False, *chunk],
            )
            total += cursor.rowcount
    return total


def _check_year(year: int) -> None:
    if not is_known_year(year):
        raise DutyError(
            _("%(year)d 年的法定节假日尚未公布（日历数据未覆盖），暂不能按工作日排定期限") % {"year": year},
            field="year",
        )


@transaction.atomic
def assignment_create(
    *,
    template: DutyTemplate,
    units: Iterable[Org],
    year: int,
    reviewer: Org,
    by: User | None = None,
    warning_days: int = DEFAULT_WARNING_DAYS,
    lock_grace_days: int = DEFAULT_LOCK_GRACE_DAYS,
    members: dict[int, UnitLeader] | None = None,
    audit_each: bool = True,
) -> list[Assignment]:
    """Assign the template's latest version to units for a year; tasks are generated at once.
    Units already holding the template for the year are refused by name."""
    _check_year(year)
    if not 0 <= warning_days <= 60 or not 0 <= lock_grace_days <= 60:
        raise DutyError(_("提前天数与锁定宽限天数须在 0 至 60 之间"), field="warning_days")
    version = version_latest(template)
    if not version.items.exists():
        raise DutyError(_("责任清单还没有事项，不能分派"))
    units = list(units)
    if not units:
        raise DutyError(_("请选择至少一个单位"), field="units")
    wrong = [unit.name for unit in units if unit.kind not in UNIT_KINDS]
    if wrong:
        raise DutyError(
            _("以下机构不是可分派的单位：%(names)s") % {"names": "、".join(wrong[:5])}, field="units"
        )
    taken = Assignment.objects.filter(template=template, year=year, unit__in=units).select_related("unit")
    if taken.exists():
        names = "、".join(a.unit.name for a in taken[:5])
        raise DutyError(
            _("以下单位已分派过该清单的 %(year)d 年度任务：%(names)s") % {"year": year, "names": names},
            field="units",
        )
    _schedule_ensure(version, year, warning_days, lock_grace_days)
    secretaries = {
        leader.unit_id: leader
        for leader in UnitLeader.objects.filter(unit__in=units, is_secretary=True, is_active=True)
    }
    members = members or {}
    created = Assignment.objects.bulk_create(
        Assignment(
            template=template, version=version, unit=unit, year=year, reviewer=reviewer,
            secretary=secretaries.get(unit.pk), member=members.get(unit.pk),
            warning_days=warning_days, lock_grace_days=lock_grace_days, assigned_by=by,
        )
        for unit in units
    )  # fmt: skip
    if any(a.pk is None for a in created):  # a backend that returns no ids from bulk inserts
        created = list(Assignment.objects.filter(template=template, year=year, unit__in=units))
    ids = [a.pk for a in created]
    count = _insert_tasks(ids)
    if audit_each:
        per_unit = count // max(len(created), 1)
        for assignment in created:
            assignment_created_event(assignment=assignment, by=by, tasks=per_unit)
    else:
        assignment_created_event(assignment=created[0], by=by, tasks=count)
    return created


@transaction.atomic
def assignment_apply_version(*, assignment: Assignment, by: User | None = None) -> dict[str, int]:
    """Move an assignment to its template's latest version, as the commission chose: tasks not
    yet worked on (open, no evidence, no account) are regenerated; everything a unit has
    started, submitted, or that was reviewed or locked stays as it was."""
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    latest = version_latest(locked.template)
    if latest.pk == locked.version_id:
        raise DutyError(_("该单位已在使用最新版本"))
    untouched = Task.objects.filter(assignment=locked, status=TaskStatus.OPEN, account="").exclude(
        Exists(Evidence.objects.filter(task=OuterRef("pk")))
    )
    removed, _rows = untouched.delete()
    _schedule_ensure(latest, locked.year, locked.warning_days, locked.lock_grace_days)
    Assignment.objects.filter(pk=locked.pk).update(version=latest)
    added = _insert_tasks([locked.pk], only_missing=True)
    assignment.version = latest
    version_applied_event(assignment=assignment, by=by, details={"removed": removed, "added": added})
    from .tally import tally_rebuild

    tally_rebuild(year=locked.year, unit_ids=[locked.unit_id])
    return {"removed": removed, "added": added}


@transaction.atomic
def evidence_add(*, task: Task, upload: UploadedFile, kind: str, by: User) -> Evidence:
    """Check the file by its content and strip its metadata with the portal's own functions."""
    if not is_unit_liaison(by, task):
        raise DutyError(_("只有本单位的履责联络员可以上传佐证材料"))
    if task.status not in EDITABLE_STATUSES:
        raise DutyError(_("任务当前状态为“%(status)s”，不能上传材料") % {"status": task.get_status_display()})
    if kind not in EvidenceKind.values:
        raise DutyError(_("请选择材料类别"), field="kind")
    try:
        prepared = attachment_prepare(upload, strip_metadata=True, heic_as_jpeg=True)
    except IntakeError as error:
        raise DutyError(str(error), field="file") from error
    evidence = Evidence.objects.create(
        task=task, kind=kind, name=prepared.original_name, mime=prepared.file_type.mime,
        size=len(prepared.data), data=sealing.seal(prepared.data), scheme=sealing.SCHEME, uploaded_by=by,
    )  # fmt: skip
    evidence_added_event(evidence=evidence, by=by)
    return evidence


def evidence_read(evidence: Evidence) -> bytes:
    """The file as uploaded (checked and stripped), decrypted in memory for a download."""
    return sealing.unseal(bytes(evidence.data), evidence.scheme)


@transaction.atomic
def evidence_remove(*, evidence: Evidence, by: User) -> None:
    task = evidence.task
    if not is_unit_liaison(by, task) or task.status not in EDITABLE_STATUSES:
        raise DutyError(_("该材料现在不能删除"))
    name = evidence.name
    evidence.delete()
    evidence_removed_event(task=task, name=name, by=by)


@transaction.atomic
def talk_record(
    *,
    unit: Org,
    year: int,
    talked_on: dt.date,
    talked_by: str,
    talked_to: str,
    points_raised: str,
    follow_up: str = "",
    leader: UnitLeader | None = None,
    by: User,
) -> Talk:
    if not talked_by.strip() or not talked_to.strip():
        raise DutyError(_("请填写约谈人和被约谈人"), field="talked_by")
    if not points_raised.strip():
        raise DutyError(_("请填写约谈指出的问题"), field="points_raised")
    if talked_on > timezone.localdate():
        raise DutyError(_("约谈日期不能晚于今天"), field="talked_on")
    talk = Talk.objects.create(
        unit=unit, year=year, leader=leader, talked_on=talked_on, talked_by=talked_by.strip(),
        talked_to=talked_to.strip(), points_raised=points_raised.strip(), follow_up=follow_up.strip(), created_by=by,
    )  # fmt: skip
    talk_recorded_event(talk=talk, by=by)
    return talk
