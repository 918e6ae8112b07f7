"""Forms of the case screens: inbox filters, registering, the fields each action asks for."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianqing.core.models import Clearance, Org, OrgKind, User
from lianqing.intake.identity import person_id_normalise, person_id_problem, phone_normalise, phone_problem
from lianqing.intake.regions import region_children, region_provinces
from lianqing.intake.services import ReporterIdentity

from .access import commission_of
from .models import (
    AssignMode,
    AssignRoute,
    Case,
    Category,
    Disposal,
    HigherLevel,
    Kind,
    Outcome,
    Source,
    Status,
)
from .selectors import CaseFilters


def _style(form: forms.Form, size: str = "") -> None:
    """Bootstrap classes on every widget (templates render fields with {{ field }})."""
    suffix = f" form-select-{size}" if size else ""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.HiddenInput | forms.RadioSelect):
            continue
        if isinstance(widget, forms.Select):
            widget.attrs["class"] = "form-select" + suffix
        else:
            widget.attrs["class"] = "form-control" + (f" form-control-{size}" if size else "")


MAX_ID = 2**63 - 1  # the largest value a BIGINT primary key can hold on every database
MATCHES_NOTHING = -1  # ids and levels are never negative
ISO_DATE = "%Y-%m-%d"
ISO_MINUTE = "%Y-%m-%dT%H:%M"


def _now_to_the_minute() -> dt.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


def _blank(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=_blank(Status.choices), required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=_blank(Kind.choices), required=False)
    source = forms.ChoiceField(label=_("来源"), choices=_blank(Source.choices), required=False)
    category = forms.ChoiceField(label=_("问题类别"), choices=_blank(Category.choices), required=False)
    region_code = forms.CharField(label=_("行政区划"), max_length=12, required=False)
    region_exact = forms.BooleanField(required=False, widget=forms.HiddenInput)
    org = forms.IntegerField(
        label=_("承办机构"), required=False, min_value=1, max_value=MAX_ID, widget=forms.Select
    )
    handler = forms.IntegerField(
        label=_("承办人"), required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )
    overdue = forms.BooleanField(label=_("仅超期"), required=False)
    due_soon = forms.BooleanField(label=_("临期（3个工作日内）"), required=False)
    open_only = forms.BooleanField(label=_("在办（有时限）"), required=False, widget=forms.HiddenInput)
    concluded = forms.BooleanField(label=_("已有结果"), required=False, widget=forms.HiddenInput)
    received_from = forms.DateField(
        label=_("收到日期从"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
        input_formats=[ISO_DATE],
    )
    received_to = forms.DateField(
        label=_("至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
        input_formats=[ISO_DATE],
    )
    disposal = forms.ChoiceField(label=_("处置方式"), choices=_blank(Disposal.choices), required=False)
    form_level = forms.IntegerField(
        label=_("四种形态"), required=False, min_value=0, max_value=32767, widget=forms.HiddenInput
    )
    unclaimed = forms.BooleanField(label=_("待认领"), required=False, widget=forms.HiddenInput)
    q = forms.CharField(label=_("摘要或编号"), max_length=100, required=False)

    def __init__(self, *args: Any, orgs: list[Org] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].widget.choices = [("", "—"), *[(org.pk, org.name) for org in orgs or []]]
        _style(self, "sm")

    def to_filters(self) -> CaseFilters:
        # Valid fields filter as asked; an id or level that cannot exist (out of range, not a
        # number) matches nothing, rather than being dropped and showing everything.
        self.is_valid()
        data: dict[str, Any] = dict(getattr(self, "cleaned_data", {}))
        for name in ("org", "handler", "form_level"):
            if name in self.errors:
                data[name] = MATCHES_NOTHING
        return CaseFilters(
            status=data.get("status", ""),
            kind=data.get("kind", ""),
            source=data.get("source", ""),
            category=data.get("category", ""),
            region_code=data.get("region_code", ""),
            region_exact=bool(data.get("region_exact")),
            org_id=data.get("org"),
            handler_id=data.get("handler"),
            overdue=bool(data.get("overdue")),
            due_soon=bool(data.get("due_soon")),
            open_only=bool(data.get("open_only")),
            concluded=bool(data.get("concluded")),
            received_from=data.get("received_from"),
            received_to=data.get("received_to"),
            text=(data.get("q") or "").strip(),
            disposal=data.get("disposal", ""),
            form_level=data.get("form_level"),
            unclaimed=bool(data.get("unclaimed")),
        )


class ReportedPersonsField(forms.CharField):
    """One person a line: 姓名，单位，职务 (Chinese or ASCII commas)."""

    def to_python(self, value: Any) -> list[dict[str, str]]:  # type: ignore[override]
        text = super().to_python(value) or ""
        persons = []
        for line in text.splitlines():
            parts = [part.strip() for part in line.replace("，", ",").split(",")]
            if parts and parts[0]:
                persons.append(
                    {
                        "name": parts[0],
                        "org_name": parts[1] if len(parts) > 1 else "",
                        "position": ",".join(parts[2:]),
                    }
                )
        return persons


class CaseRegisterForm(forms.Form):
    """Registering a letter, visit, call or referral by hand."""

    kind = forms.ChoiceField(label=_("类型"), choices=Kind.choices, initial=Kind.PETITION)
    source = forms.ChoiceField(label=_("来源"), choices=Source.choices, initial=Source.LETTER)
    category = forms.ChoiceField(label=_("问题类别"), choices=Category.choices)
    summary = forms.CharField(label=_("摘要"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    reported_persons = ReportedPersonsField(
        label=_("被反映人（每行一人：姓名，单位，职务）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    # The same 行政区划 cascade as the public portal (GB/T 2260): names, never codes to type.
    province = forms.ChoiceField(label=_("省"), choices=[], required=False)
    city = forms.ChoiceField(label=_("市"), choices=[], required=False)
    county = forms.ChoiceField(label=_("县（区）"), choices=[], required=False)
    # The browser's date and time inputs speak ISO whatever the page's language.
    received_at = forms.DateTimeField(
        label=_("收到时间"),
        initial=_now_to_the_minute,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=ISO_MINUTE),
        input_formats=[ISO_MINUTE, "%Y-%m-%dT%H:%M:%S"],
    )
    confidentiality = forms.TypedChoiceField(
        label=_("密级"), choices=Clearance.choices, coerce=int, initial=Clearance.ORDINARY
    )
    is_reporter_named = forms.BooleanField(label=_("实名举报"), required=False)
    # Shown once 实名 is ticked, required then (the ID number stays optional); sealed by the intake
    # app like a portal reporter's identity, never stored in the case.
    reporter_name = forms.CharField(label=_("举报人姓名"), max_length=64, required=False)
    reporter_phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    reporter_id_number = forms.CharField(label=_("身份证号（选填）"), max_length=32, required=False)
    higher_level = forms.ChoiceField(label=_("管辖"), choices=HigherLevel.choices, required=False)

    NAMED_FIELDS = ("reporter_name", "reporter_phone", "reporter_id_number")
    NAMED_REQUIRED = ("reporter_name", "reporter_phone")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        allowed = [c for c in Clearance.choices if c[0] <= user.clearance]
        self.fields["confidentiality"].choices = allowed  # type: ignore[attr-defined]
        self._region_choices()
        _style(self)

    def _region_choices(self) -> None:
        """Choices for the cascade: the chosen (or, unbound, the commission's own) province and city."""
        home = commission_of(self.user.org).region_code[:6] if self.user.org else ""
        if self.is_bound:
            province, city, county = (self.data.get(name, "") for name in ("province", "city", "county"))
        else:
            province, city, county = (
                (home[:2] + "0000", home[:4] + "00", home)
                if len(home) == 6 and home.isdigit()
                else ("", "", "")
            )
            self.initial.update({"province": province, "city": city, "county": county})
        self.fields["province"].choices = _blank([(r.code, r.name) for r in region_provinces()])  # type: ignore[attr-defined]
        self.fields["city"].choices = _blank([(r.code, r.name) for r in region_children(province)])  # type: ignore[attr-defined]
        counties = region_children(city) if city[:2] == province[:2] else ()
        self.fields["county"].choices = _blank([(r.code, r.name) for r in counties])  # type: ignore[attr-defined]
        del county

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        province, city, county = data.get("province", ""), data.get("city", ""), data.get("county", "")
        if county and not city:
            self.add_error("city", _("请选择市"))
        data["region_code"] = county or city or province
        data["reporter"] = self._reporter(data) if data.get("is_reporter_named") else None
        return data

    def _reporter(self, data: dict[str, Any]) -> ReporterIdentity | None:
        name = " ".join(str(data.get("reporter_name", "")).split())
        phone = phone_normalise(data.get("reporter_phone", ""))
        number = person_id_normalise(data.get("reporter_id_number", ""))
        if not name:
            self.add_error("reporter_name", _("实名举报请填写举报人姓名"))
        if not phone:
            self.add_error("reporter_phone", _("实名举报请填写联系电话"))
        elif problem := phone_problem(phone):
            self.add_error("reporter_phone", problem)
        if number and (problem := person_id_problem(number)):
            self.add_error("reporter_id_number", problem)
        return ReporterIdentity(name=name, id_number=number, phone=phone)


# Which fields each action asks for, in order; those in REQUIRED are marked (*) on the form.
ACTION_FIELDS: dict[str, list[str]] = {
    "accept": [],
    "start": [],
    "to_lead": [],
    "reject": ["reason"],
    "send_up": ["reason"],
    "return": ["reason"],
    "reopen": ["reason"],
    "resume": ["reason"],
    "merge": ["original_number", "reason"],
    "assign": ["route", "to_org", "mode", "handler", "external_org_name"],
    "extend": ["until", "reason"],
    "conclude": ["disposal", "outcome", "result"],
    "notify": ["text"],
    "feedback": ["text"],
    "dispose": ["method", "external_org_name", "reason"],
    "record_outcome": ["outcome", "result"],
    "send_to_trial": ["to_org"],
    "trial_opinion": ["opinion"],
    "record_decision": ["outcome", "result"],
}
REQUIRED: dict[str, set[str]] = {
    "reject": {"reason"}, "send_up": {"reason"}, "return": {"reason"}, "reopen": {"reason"},
    "resume": {"reason"}, "merge": {"original_number"}, "extend": {"until", "reason"},
    "conclude": {"disposal", "outcome", "result"}, "notify": {"text"}, "feedback": {"text"},
    "dispose": {"method"}, "record_outcome": {"outcome"}, "send_to_trial": {"to_org"},
    "trial_opinion": {"opinion"}, "record_decision": {"outcome", "result"},
}  # fmt: skip
# Outcomes a 处分决定 can record (the sanctions and their equivalents).
DECISION_OUTCOMES = [
    Outcome.LIGHT_SANCTION, Outcome.HEAVY_SANCTION, Outcome.ORG_ADJUSTMENT, Outcome.MAJOR_POST_ADJUSTMENT,
    Outcome.JUDICIAL_TRANSFER, Outcome.ADMONITION, Outcome.CLEARED,
]  # fmt: skip


class ActionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    text = forms.CharField(label=_("答复举报人"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    disposal = forms.ChoiceField(label=_("处置方式"), choices=_blank(Disposal.choices), required=False)
    outcome = forms.ChoiceField(label=_("处置结果"), choices=_blank(Outcome.choices), required=False)
    result = forms.CharField(label=_("办理结果"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    original_number = forms.CharField(label=_("原件编号"), max_length=32, required=False)
    route = forms.ChoiceField(label=_("分办方式"), choices=AssignRoute.choices, required=False)
    to_org = forms.ModelChoiceField(label=_("承办机构"), queryset=Org.objects.none(), required=False)
    mode = forms.ChoiceField(label=_("交办/督办"), choices=AssignMode.choices, required=False)
    handler = forms.ModelChoiceField(label=_("承办人"), queryset=User.objects.none(), required=False)
    external_org_name = forms.CharField(label=_("有关机关"), max_length=200, required=False)
    until = forms.DateField(
        label=_("延期至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
        input_formats=[ISO_DATE],
    )
    method = forms.ChoiceField(label=_("处置方式"), choices=_blank(Disposal.choices), required=False)
    opinion = forms.CharField(label=_("审理意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, action: str, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"version": case.version})
        kwargs.setdefault("prefix", action)
        super().__init__(*args, **kwargs)
        self.action = action
        keep = {"version", *ACTION_FIELDS.get(action, [])}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        for name in REQUIRED.get(action, set()):
            field = self.fields[name]
            field.required = True
            ask = _("请选择“%(label)s”") if isinstance(field, forms.ChoiceField) else _("请填写“%(label)s”")
            field.error_messages["required"] = ask % {"label": field.label}
        commission = commission_of(case.org)
        if action == "assign":
            self.fields["to_org"].queryset = (  # type: ignore[attr-defined]
                Org.objects.filter(path__startswith=commission.path)
                .filter(Q(kind=OrgKind.DEPARTMENT, parent=commission) | ~Q(kind=OrgKind.DEPARTMENT))
                .exclude(pk=commission.pk)
                .order_by("path")
            )
            self.fields["handler"].queryset = User.objects.filter(  # type: ignore[attr-defined]
                is_active=True, org__path__startswith=commission.path
            ).order_by("org__path", "username")
        if action == "send_to_trial":
            self.fields["to_org"].label = _("审理部门")
            self.fields["to_org"].queryset = Org.objects.filter(  # type: ignore[attr-defined]
                kind=OrgKind.DEPARTMENT, parent=commission
            ).order_by("path")
        if action == "record_decision":
            self.fields["outcome"].label = _("处分决定")
            self.fields["outcome"].choices = _blank([(o.value, o.label) for o in DECISION_OUTCOMES])  # type: ignore[attr-defined]
            self.fields["result"].label = _("处分决定内容")
        _style(self, "sm")

    def facts_fields(self) -> dict[str, Any]:
        """The cleaned values the action's facts take (the merge's original is looked up apart)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in {"version", "original_number"} and value is not None
        }
