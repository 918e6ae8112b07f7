"""Screens of 主体责任: thin — parse, check access, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianqing.core.audit import audit_record
from lianqing.core.models import AuditAction, Org, User

from . import reports as report_flow
from . import selectors, services
from .access import (
    REVIEWER_KINDS,
    access_task_by_id,
    access_template_by_id,
    access_unit_by_id,
    dashboard_root,
    is_liaison,
    is_unit_liaison,
    managed_root,
    tasks_visible,
)
from .errors import DutyError
from .export import ranking_workbook
from .forms import (
    AcceptForm,
    AssignForm,
    EvidenceForm,
    ItemForm,
    LeaderForm,
    ReopenForm,
    ReportForm,
    ReportReviewForm,
    ResubmitForm,
    ReturnForm,
    SubmitForm,
    TalkForm,
    TemplateForm,
)
from .models import AccountabilityReport, Evidence, Light, UnitLeader
from .workflow import Accept, Reopen, Return, Submit, allowed_actions, missing_evidence, transition

TALK_PROMPTS_SHOWN = 100  # most red first; a province has thousands
STEP_FORMS = {"submit": SubmitForm, "return": ReturnForm, "accept": AcceptForm, "reopen": ReopenForm}


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


def _root(user: User) -> Org:
    root = dashboard_root(user)
    if root is None:
        raise Http404("没有找到该页面")
    return root


def _page(request: HttpRequest, queryset: object, per_page: int = 50) -> object:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))  # type: ignore[arg-type]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if is_liaison(user) and user.org_id:
        return redirect("duties:unit_tasks", unit_id=user.org_id)
    if dashboard_root(user) is None and report_flow.leaders_authorable(user).exists():
        return redirect("duties:reports")  # a unit leader with an account: their 述责述廉
    _root(user)
    return redirect("duties:dashboard")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    root, year = _root(request.user), _year(request)  # type: ignore[arg-type]
    data = selectors.dashboard_get(root=root, year=year)
    prompts = selectors.talk_prompts(root=root, year=year, limit=20)
    return render(
        request,
        "duties/dashboard.html",
        {
            "data": data,
            "year": year,
            "prompts": prompts,
            "can_manage": managed_root(request.user) is not None,
        },
    )


@login_required
def drill(request: HttpRequest) -> HttpResponse:
    _root(request.user)  # type: ignore[arg-type]
    year = _year(request)

    def number(name: str) -> int | None:
        value = request.GET.get(name, "")
        return int(value) if value.isdigit() else None

    tasks = selectors.drill_tasks(
        tasks=tasks_visible(request.user), year=year, unit_id=number("unit"), lineage=number("duty"),
        month=number("month"), light=request.GET.get("light", ""),
    )  # fmt: skip
    return render(
        request,
        "duties/drill.html",
        {"page": _page(request, tasks), "year": year, "query": request.GET.urlencode()},
    )


@login_required
def unit_tasks(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = access_unit_by_id(request.user, unit_id)
    year = _year(request)
    tasks = selectors.task_list(
        tasks=tasks_visible(request.user).filter(unit=unit), year=year, light=request.GET.get("light", "")
    )
    counts = selectors.unit_duty_signals(unit_id=unit.pk, year=year)
    return render(
        request, "duties/unit.html",
        {"unit": unit, "year": year, "page": _page(request, tasks), "counts": counts, "lights": Light.choices,
         "light": request.GET.get("light", ""), "years": selectors.unit_years(unit.pk),
         "can_talk": managed_root(request.user) is not None,
         "talks": selectors.talk_list(root=unit, year=year, unit_id=unit.pk) if not is_liaison(request.user) else []},
    )  # fmt: skip


@login_required
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    task = access_task_by_id(request.user, task_id)
    return _task_page(request, task)


def _task_page(
    request: HttpRequest, task: object, forms: dict[str, object] | None = None, status: int = 200
) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    actions = allowed_actions(task, user)  # type: ignore[arg-type]
    forms = forms or {}
    context = {
        "task": task, "actions": actions,
        "forms": {name: forms.get(name) or STEP_FORMS[name]() for name in actions},
        "evidence_form": forms.get("evidence") or EvidenceForm(),
        "can_upload": is_unit_liaison(user, task) and task.status in services.EDITABLE_STATUSES,  # type: ignore[arg-type,attr-defined]
        "evidence": task.evidence.defer("data"),  # type: ignore[attr-defined]
        "missing": missing_evidence(task),  # type: ignore[arg-type]
        "events": selectors.task_events(task),  # type: ignore[arg-type]
    }  # fmt: skip
    return render(request, "duties/task.html", context, status=status)


@login_required
@require_POST
def evidence_upload(request: HttpRequest, task_id: int) -> HttpResponse:
    task = access_task_by_id(request.user, task_id)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_add(
                task=task,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                by=request.user,  # type: ignore[arg-type]
            )
        except DutyError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已上传佐证材料"))
            return redirect("duties:task_detail", task_id=task.pk)
    return _task_page(request, task, {"evidence": form}, status=400)


@login_required
def evidence_download(request: HttpRequest, evidence_id: int) -> HttpResponse:
    evidence = Evidence.objects.filter(pk=evidence_id).only("task_id").first()
    if evidence is None:
        raise Http404("没有找到该材料")
    access_task_by_id(request.user, evidence.task_id)
    evidence = Evidence.objects.get(pk=evidence_id)
    audit_record(action=AuditAction.VIEW, obj=evidence, request=request, details={"name": evidence.name})
    try:
        content = services.evidence_read(evidence)
    except DutyError as error:
        messages.error(request, error.message)
        return redirect("duties:task_detail", task_id=evidence.task_id)
    response = HttpResponse(content, content_type=evidence.mime)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{evidence.name}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def task_step(request: HttpRequest, task_id: int, action: str) -> HttpResponse:
    task = access_task_by_id(request.user, task_id)
    if action not in STEP_FORMS:
        raise Http404("没有该操作")
    form = STEP_FORMS[action](request.POST)
    if form.is_valid():
        data = form.cleaned_data
        step = {
            "submit": lambda: Submit(account=data["account"]),
            "return": lambda: Return(reason=data["reason"]),
            "accept": lambda: Accept(grade=data["grade"], note=data.get("note", "")),
            "reopen": lambda: Reopen(reason=data["reason"]),
        }[action]()
        try:
            transition(task=task, by=request.user, action=step)  # type: ignore[arg-type]
        except DutyError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已办理：%(action)s") % {"action": step.label})  # type: ignore[attr-defined]
            return redirect("duties:task_detail", task_id=task.pk)
    return _task_page(request, task, {action: form}, status=400)


@login_required
def handbook(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = access_unit_by_id(request.user, unit_id)
    return render(request, "duties/handbook.html", selectors.handbook(unit=unit, year=_year(request)))


@login_required
def ranking(request: HttpRequest) -> HttpResponse:
    root, year = _root(request.user), _year(request)  # type: ignore[arg-type]
    return render(
        request, "duties/ranking.html", {"scores": selectors.unit_scores(root=root, year=year), "year": year}
    )


@login_required
def ranking_export(request: HttpRequest) -> HttpResponse:
    root, year = _root(request.user), _year(request)  # type: ignore[arg-type]
    scores = selectors.unit_scores(root=root, year=year)
    audit_record(
        action=AuditAction.EXPORT,
        request=request,
        object_type="duties.ranking",
        details={"year": year, "rows": len(scores)},
    )
    response = HttpResponse(
        ranking_workbook(scores, year),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="duties-ranking-{year}.xlsx"'
    return response


@login_required
def talks(request: HttpRequest) -> HttpResponse:
    root, year = _root(request.user), _year(request)  # type: ignore[arg-type]
    return render(
        request,
        "duties/talks.html",
        {
            "talks": selectors.talk_list(root=root, year=year),
            "prompts": selectors.talk_prompts(root=root, year=year, limit=TALK_PROMPTS_SHOWN),
            "year": year,
        },
    )


@login_required
def talk_create(request: HttpRequest, unit_id: int) -> HttpResponse:
    root = managed_root(request.user)
    unit = access_unit_by_id(request.user, unit_id)
    if root is None:
        raise Http404("没有找到该页面")
    year = _year(request)
    form = TalkForm(request.POST or None, initial={"talked_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.talk_record(unit=unit, year=year, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except DutyError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已记录约谈"))
            return redirect(f"{request.path.rsplit('/talks/', 1)[0]}/?year={year}")
    return render(
        request,
        "duties/talk_form.html",
        {"form": form, "unit": unit, "year": year},
        status=400 if form.errors else 200,
    )


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    root = managed_root(request.user)
    if root is None:
        raise Http404("没有找到该页面")
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            template = services.template_create(owner=root, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except DutyError as error:
            form.add_error(None, error.message)
        else:
            return redirect("duties:template_detail", template_id=template.pk)
    return render(
        request, "duties/templates.html", {"templates": selectors.templates_list(root=root), "form": form}
    )


def _assign_form(root: Org, data: object = None) -> AssignForm:
    form = AssignForm(data, initial={"year": timezone.localdate().year})  # type: ignore[arg-type]
    form.fields["units"].choices = [(u.pk, u.name) for u in selectors.units_of(root=root)]  # type: ignore[attr-defined]
    offices = Org.objects.filter(path__startswith=root.path, kind__in=REVIEWER_KINDS).order_by("path")
    form.fields["reviewer"].choices = [(o.pk, o.name) for o in offices]  # type: ignore[attr-defined]
    return form


@login_required
def template_detail(
    request: HttpRequest,
    template_id: int,
    item_form: ItemForm | None = None,
    assign_form: AssignForm | None = None,
) -> HttpResponse:
    template = access_template_by_id(request.user, template_id)
    root = managed_root(request.user)
    if root is None:
        raise Http404("没有找到该页面")
    latest = services.version_latest(template)
    return render(
        request, "duties/template.html",
        {"template": template, "latest": latest, "items": latest.items.all(), "versions": template.versions.all(),
         "assignments": selectors.assignments_of(template=template)[:200],
         "item_form": item_form or ItemForm(), "assign_form": assign_form or _assign_form(root)},
        status=400 if (item_form or assign_form) else 200,
    )  # fmt: skip


@login_required
@require_POST
def item_add(request: HttpRequest, template_id: int) -> HttpResponse:
    template = access_template_by_id(request.user, template_id)
    form = ItemForm(request.POST)
    if form.is_valid():
        try:
            services.item_save(template=template, fields=form.cleaned_data, by=request.user)  # type: ignore[arg-type]
        except DutyError as error:
            form.add_error(None, error.message)
        else:
            return redirect("duties:template_detail", template_id=template.pk)
    return template_detail(request, template_id, item_form=form)


@login_required
@require_POST
def assign(request: HttpRequest, template_id: int) -> HttpResponse:
    template = access_template_by_id(request.user, template_id)
    root = managed_root(request.user)
    if root is None:
        raise Http404("没有找到该页面")
    form = _assign_form(root, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        units = list(selectors.units_of(root=root).filter(pk__in=data["units"]))
        reviewer = Org.objects.get(pk=data["reviewer"])
        try:
            created = services.assignment_create(
                template=template, units=units, year=data["year"], reviewer=reviewer, by=request.user,  # type: ignore[arg-type]
                warning_days=data["warning_days"], lock_grace_days=data["lock_grace_days"],
            )  # fmt: skip
        except DutyError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已分派给 %(count)d 个单位") % {"count": len(created)})
            return redirect("duties:template_detail", template_id=template.pk)
    return template_detail(request, template_id, assign_form=form)


@login_required
@require_POST
def apply_version(request: HttpRequest, assignment_id: int) -> HttpResponse:
    root = managed_root(request.user)
    from .models import Assignment

    assignment = (
        None if root is None else Assignment.objects.filter(pk=assignment_id, template__owner=root).first()
    )
    if assignment is None:
        raise Http404("没有找到该分派")
    try:
        result = services.assignment_apply_version(assignment=assignment, by=request.user)  # type: ignore[arg-type]
    except DutyError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("已采用最新版本：移除 %(removed)d 项未开始的任务，新增 %(added)d 项") % result
        )
    return redirect("duties:template_detail", template_id=assignment.template_id)


@login_required
def item_edit(request: HttpRequest, template_id: int, lineage: int) -> HttpResponse:
    template = access_template_by_id(request.user, template_id)
    latest = services.version_latest(template)
    item = latest.items.filter(lineage=lineage).first()
    if item is None:
        raise Http404("没有找到该责任事项")
    initial = {name: getattr(item, name) for name in services.ITEM_FIELDS}
    form = ItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.item_save(
                template=template,
                fields=form.cleaned_data,
                lineage=lineage,
                by=request.user,  # type: ignore[arg-type]
            )
        except DutyError as error:
            form.add_error(None, error.message)
        else:
            if saved.version_id != latest.pk:
                messages.success(
                    request, _("已保存为新版本；已分派的任务不变，可在下方为各单位采用最新版本。")
                )
            else:
                messages.success(request, _("已保存"))
            return redirect("duties:template_detail", template_id=template.pk)
    assigned = latest.assignments.exists()
    return render(
        request,
        "duties/item_form.html",
        {"template": template, "item": item, "form": form, "assigned": assigned},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def item_delete(request: HttpRequest, template_id: int, lineage: int) -> HttpResponse:
    template = access_template_by_id(request.user, template_id)
    try:
        services.item_remove(template=template, lineage=lineage, by=request.user)  # type: ignore[arg-type]
    except DutyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已删除该责任事项"))
    return redirect("duties:template_detail", template_id=template.pk)


def _managed_unit(user: User, unit_id: int) -> Org:
    root = managed_root(user)
    unit = None if root is None else selectors.units_of(root=root).filter(pk=unit_id).first()
    if unit is None:
        raise Http404("没有找到该单位")
    return unit


def _leader_form(unit: Org, data: object = None, initial: dict[str, object] | None = None) -> LeaderForm:
    form = LeaderForm(data, initial=initial)  # type: ignore[arg-type]
    accounts = User.objects.filter(org=unit, is_active=True).order_by("username")
    choices = [("", _("（无账号）")), *((u.pk, u.get_full_name() or u.username) for u in accounts)]
    form.fields["user"].choices = choices  # type: ignore[attr-defined]
    return form


def _leader_save(request: HttpRequest, unit: Org, form: LeaderForm, leader: object = None) -> bool:
    if not form.is_valid():
        return False
    data = form.cleaned_data
    account = User.objects.filter(pk=data["user"], org=unit).first() if data["user"] else None
    try:
        services.leader_save(
            unit=unit, name=data["name"], post=data["post"], is_secretary=data["is_secretary"], user=account,
            leader=leader, by=request.user,  # type: ignore[arg-type]
        )  # fmt: skip
    except DutyError as error:
        form.add_error(None, error.message)
        return False
    messages.success(request, _("已保存：%(name)s") % {"name": data["name"]})
    return True


@login_required
def leaders(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _managed_unit(request.user, unit_id)  # type: ignore[arg-type]
    form = _leader_form(unit, request.POST or None)
    if request.method == "POST" and _leader_save(request, unit, form):
        return redirect("duties:leaders", unit_id=unit.pk)
    return render(
        request,
        "duties/leaders.html",
        {"unit": unit, "leaders": services.leaders_of(unit), "form": form},
        status=400 if form.errors else 200,
    )


def _managed_leader(user: User, leader_id: int) -> UnitLeader:
    leader = UnitLeader.objects.filter(pk=leader_id, is_active=True).select_related("unit").first()
    if leader is None:
        raise Http404("没有找到该班子成员")
    _managed_unit(user, leader.unit_id)
    return leader


@login_required
def leader_edit(request: HttpRequest, leader_id: int) -> HttpResponse:
    leader = _managed_leader(request.user, leader_id)  # type: ignore[arg-type]
    initial = {
        "name": leader.name,
        "post": leader.post,
        "is_secretary": leader.is_secretary,
        "user": leader.user_id,
    }
    form = _leader_form(leader.unit, request.POST or None, initial=initial)
    if request.method == "POST" and _leader_save(request, leader.unit, form, leader):
        return redirect("duties:leaders", unit_id=leader.unit_id)
    return render(
        request,
        "duties/leader_form.html",
        {"unit": leader.unit, "leader": leader, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def leader_remove(request: HttpRequest, leader_id: int) -> HttpResponse:
    leader = _managed_leader(request.user, leader_id)  # type: ignore[arg-type]
    try:
        services.leader_remove(leader=leader, by=request.user)  # type: ignore[arg-type]
    except DutyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已移除：%(name)s") % {"name": leader.name})
    return redirect("duties:leaders", unit_id=leader.unit_id)


def _report_form(user: User, data: object = None) -> ReportForm:
    form = ReportForm(data)  # type: ignore[arg-type]
    form.fields["leader"].choices = [  # type: ignore[attr-defined]
        (leader.pk, f"{leader.unit.name} · {leader}") for leader in report_flow.leaders_authorable(user)
    ]
    return form


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    """述责述廉 of the year: the author side submits here; the commission sees what awaits review."""
    user: User = request.user  # type: ignore[assignment]
    year = _year(request)
    can_author = report_flow.leaders_authorable(user).exists()
    visible = report_flow.reports_visible(user)
    if not (can_author or is_liaison(user) or dashboard_root(user) is not None or visible.exists()):
        raise Http404("没有找到该页面")
    form = _report_form(user, request.POST or None) if can_author else None
    if request.method == "POST":
        if form is None:
            raise Http404("没有找到该页面")
        if form.is_valid():
            leader = report_flow.leaders_authorable(user).filter(pk=form.cleaned_data["leader"]).first()
            try:
                if leader is None:
                    raise DutyError(_("请选择述责述廉人"), field="leader")
                report = report_flow.report_submit(
                    leader=leader, year=year, content=form.cleaned_data["content"], by=user
                )
            except DutyError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("已提交述责述廉报告"))
                return redirect("duties:report_detail", report_id=report.pk)
    status = request.GET.get("status", "")
    listed = visible.filter(year=year)
    if status:
        listed = listed.filter(status=status)
    return render(
        request, "duties/reports.html",
        {"page": _page(request, listed.order_by("status", "unit__path", "leader__name")), "year": year, "form": form,
         "status": status, "statuses": report_flow.ReportStatus.choices},
        status=400 if form is not None and form.errors else 200,
    )  # fmt: skip


def _report_page(
    request: HttpRequest, report: AccountabilityReport, forms: dict[str, object] | None = None
) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    forms = forms or {}
    can_review = report.status == "submitted" and report_flow.may_review(user, report.unit, report.year)
    can_resubmit = report.status == "returned" and report_flow.may_author(user, report.leader)
    resubmit = forms.get("resubmit") or ResubmitForm(initial={"content": report.content})
    context = {
        "report": report,
        "review_form": (forms.get("review") or ReportReviewForm()) if can_review else None,
        "resubmit_form": resubmit if can_resubmit else None,
        "dossier_url": _dossier_url(user, report),
    }
    return render(request, "duties/report.html", context, status=400 if forms else 200)


def _dossier_url(user: User, report: AccountabilityReport) -> str:
    """Where the filed record can be read, for those who may open 廉政档案."""
    from django.urls import reverse

    from lianqing.dossiers.access import may_view_dossiers

    record = report.dossier_record  # type: ignore[attr-defined]
    if record is None or not may_view_dossiers(user):
        return ""
    if record.cadre_id:
        return reverse("dossiers:cadre_detail", args=[record.cadre_id])
    return reverse("dossiers:unit_detail", args=[record.unit_id]) if record.unit_id else ""


def _access_report(user: User, report_id: int) -> AccountabilityReport:
    report = report_flow.reports_visible(user).select_related("dossier_record").filter(pk=report_id).first()
    if report is None:
        raise Http404("没有找到该报告")
    return report


@login_required
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    return _report_page(request, _access_report(request.user, report_id))  # type: ignore[arg-type]


@login_required
@require_POST
def report_review(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _access_report(request.user, report_id)  # type: ignore[arg-type]
    form = ReportReviewForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            report_flow.report_review(
                report=report, by=request.user, accept=data["decision"] == "accept", grade=data["grade"],  # type: ignore[arg-type]
                comment=data["comment"], reason=data["reason"],
            )  # fmt: skip
        except DutyError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已审核"))
            return redirect("duties:report_detail", report_id=report.pk)  # type: ignore[attr-defined]
    return _report_page(request, report, {"review": form})


@login_required
@require_POST
def report_resubmit(request: HttpRequest, report_id: int) -> HttpResponse:
    report = _access_report(request.user, report_id)  # type: ignore[arg-type]
    form = ResubmitForm(request.POST)
    if form.is_valid():
        try:
            report_flow.report_submit(
                leader=report.leader,
                year=report.year,
                content=form.cleaned_data["content"],
                by=request.user,  # type: ignore[attr-defined,arg-type]
            )
        except DutyError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已重新提交述责述廉报告"))
            return redirect("duties:report_detail", report_id=report.pk)  # type: ignore[attr-defined]
    return _report_page(request, report, {"resubmit": form})
