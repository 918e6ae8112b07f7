"""述责述廉: the annual written report of a unit's 书记 or 班子成员, its own flow beside the duty
tasks. The leader (their own account) or the unit's 履责联络员 for them submits it; the commission
(the unit's reviewing office, or a leader of the commission) accepts it with a rating and a
comment, or returns it with a reason; a returned report is revised and submitted again.

Accepted, it is filed in the 廉政档案 (dossiers, category 述责述廉) through the dossiers app's own
selectors and services: the cadre of that name at that unit as the reviewer can see them, else
the unit's file; the report keeps the record it made."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqing.core.access import commission_of
from lianqing.core.audit import audit_record
from lianqing.core.models import AuditAction, Org, User
from lianqing.core.roles import Role

from .access import is_liaison
from .errors import DutyError
from .models import AccountabilityReport, Assignment, Grade, ReportStatus, UnitLeader

MAX_CHARS = 20000


def may_author(user: User, leader: UnitLeader) -> bool:
    """The leader themselves, or their unit's liaison entering it for them."""
    if not user.is_authenticated or not leader.is_active:
        return False
    return leader.user_id == user.pk or (is_liaison(user) and user.org_id == leader.unit_id)


def may_review(user: User, unit: Org, year: int) -> bool:
    """A leader of the unit's commission, or 监督检查 staff of an office reviewing the unit that year."""
    if not user.is_authenticated or is_liaison(user) or user.org is None:
        return False
    if user.has_role(Role.LEADER) and unit.path.startswith(commission_of(user.org).path):
        return True
    if not user.has_role(Role.SUPERVISION):
        return False
    offices = Assignment.objects.filter(unit=unit, year=year).values_list("reviewer__path", flat=True)
    return any(user.org.path.startswith(path) for path in offices)


def reports_visible(user: User) -> QuerySet[AccountabilityReport]:
    """The one place report querysets are scoped: authors see their own (a liaison their unit's),
    the commission its jurisdiction (supervision staff: the units their office reviews)."""
    reports = AccountabilityReport.objects.select_related("unit", "leader")
    if not user.is_authenticated or not user.is_active:
        return reports.none()
    if is_liaison(user):
        return reports.filter(unit_id=user.org_id)
    own = Q(leader__user=user)
    if user.org is None or not user.has_role(Role.LEADER, Role.SUPERVISION, Role.CASE_MANAGEMENT):
        return reports.filter(own)
    root = commission_of(user.org)
    if user.has_role(Role.LEADER, Role.CASE_MANAGEMENT) or user.org.pk == root.pk:
        return reports.filter(own | Q(unit__path__startswith=root.path))
    reviewed = Assignment.objects.filter(reviewer__path__startswith=user.org.path).values("unit_id")
    return reports.filter(own | Q(unit_id__in=reviewed))


def leaders_authorable(user: User) -> QuerySet[UnitLeader]:
    leaders = UnitLeader.objects.filter(is_active=True).select_related("unit")
    if is_liaison(user):
        return leaders.filter(unit_id=user.org_id)
    return leaders.filter(user=user)


def _clean(content: str) -> str:
    content = content.strip()
    if len(content) < 20:
        raise DutyError(_("请填写述责述廉报告正文（至少 20 个字）"), field="content")
    if len(content) > MAX_CHARS:
        raise DutyError(_("报告正文超过 %(max)d 字，请精简") % {"max": MAX_CHARS}, field="content")
    return content


@transaction.atomic
def report_submit(*, leader: UnitLeader, year: int, content: str, by: User) -> AccountabilityReport:
    """Submit the year's report, or resubmit a returned one with the revised text."""
    if not may_author(by, leader):
        raise DutyError(_("只有本人或本单位的履责联络员可以提交述责述廉报告"))
    content = _clean(content)
    report = AccountabilityReport.objects.select_for_update().filter(leader=leader, year=year).first()
    now = timezone.now()
    if report is None:
        report = AccountabilityReport.objects.create(
            unit_id=leader.unit_id,
            year=year,
            leader=leader,
            content=content,
            submitted_at=now,
            submitted_by=by,
        )
    else:
        if report.status != ReportStatus.RETURNED:
            raise DutyError(
                _("%(name)s 的 %(year)d 年度述责述廉报告已提交（%(status)s），不能重复提交")
                % {"name": leader.name, "year": year, "status": report.get_status_display()}
            )
        report.content, report.status, report.submitted_at, report.submitted_by = (
            content, ReportStatus.SUBMITTED, now, by,
        )  # fmt: skip
        report.version += 1
        report.save()
    audit_record(
        action=AuditAction.TRANSITION, actor=by, obj=report, details={"action": "submit", "year": year}
    )
    return report


def _file_in_dossier(report: AccountabilityReport, by: User) -> object | None:
    """File the accepted report in the 廉政档案 with the dossiers app's selectors and service."""
    from lianqing.dossiers import selectors as dossier_selectors
    from lianqing.dossiers import services as dossier_services
    from lianqing.dossiers.models import RecordKind

    name = report.leader.name
    cadres = [
        cadre for cadre in dossier_selectors.cadre_search(user=by, query=name)
        if cadre.name == name and cadre.unit is not None and cadre.unit.tree_org_id == report.unit_id
    ]  # fmt: skip
    cadre = cadres[0] if len(cadres) == 1 else None
    unit = None
    if cadre is None:
        unit = next(
            (
                u
                for u in dossier_selectors.unit_search(user=by, query=report.unit.name)
                if u.tree_org_id == report.unit_id
            ),
            None,
        )
        if unit is None:
            return None
    title = _("%(year)d 年度述责述廉：%(name)s") % {"year": report.year, "name": str(report.leader)}
    return dossier_services.record_create(
        user=by, cadre=cadre, unit=unit, kind=RecordKind.ACCOUNTABILITY_REPORT,
        happened_on=timezone.localdate(), title=title[:200], result=report.get_grade_display(),
        content=(report.comment + "\n\n" if report.comment else "") + report.content, source_ref=f"duties:report:{report.pk}",
    )  # fmt: skip


@transaction.atomic
def report_review(
    *,
    report: AccountabilityReport,
    by: User,
    accept: bool,
    grade: str = "",
    comment: str = "",
    reason: str = "",
) -> AccountabilityReport:
    locked = (
        AccountabilityReport.objects.select_for_update().select_related("unit", "leader").get(pk=report.pk)
    )
    if not may_review(by, locked.unit, locked.year):
        raise DutyError(_("只有审核部门或纪委领导可以审核述责述廉报告"))
    if locked.status != ReportStatus.SUBMITTED:
        raise DutyError(_("该报告当前状态为“%(status)s”，不能审核") % {"status": locked.get_status_display()})
    locked.reviewed_at, locked.reviewed_by = timezone.now(), by
    if accept:
        if grade not in Grade.values:
            raise DutyError(_("请选择评定等次"), field="grade")
        locked.status, locked.grade, locked.comment = ReportStatus.ACCEPTED, grade, comment.strip()
        record = _file_in_dossier(locked, by)
        locked.dossier_record = record  # type: ignore[assignment]
    else:
        if not reason.strip():
            raise DutyError(_("请填写退回理由"), field="reason")
        locked.status, locked.return_reason = ReportStatus.RETURNED, reason.strip()
    locked.version += 1
    locked.save()
    audit_record(
        action=AuditAction.TRANSITION, actor=by, obj=locked,
        details={"action": "accept" if accept else "return", "grade": locked.grade, "reason": reason.strip(),
                 "dossier_record": locked.dossier_record_id},
    )  # fmt: skip
    from .notices import report_notify

    report_notify(locked, accept=accept)
    return locked
