"""The reporting form (used by the web page and, for the same rules, by the JSON API) and the
small forms of the track page and the staff side."""

from __future__ import annotations

import copy
import re
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from lianqing.cases.models import CATEGORY_GROUPS, Category
from lianqing.core.forms import style_widget
from lianqing.intake import conf
from lianqing.intake.identity import person_id_normalise, person_id_problem, phone_normalise, phone_problem
from lianqing.intake.models import AddressedLevel, PersonLevel
from lianqing.intake.regions import region_children, region_name, region_provinces
from lianqing.intake.services import ReportDraft, ReporterIdentity

MAX_PERSONS = 3
PERSON_PREFIXES = tuple(f"person{index}_" for index in range(1, MAX_PERSONS + 1))
MAX_TEXT = 5000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain_text(value: str) -> str:
    """Text with any HTML markup and control characters removed."""
    return _CONTROL.sub("", strip_tags(value)).strip()


class LongTextField(forms.CharField):
    """Text that is counted, never cut. No `maxlength` on the widget (a browser silently cuts a
    paste to it); over the limit it is refused with the count, naming the field. Newlines count
    as one character, as the page's counter counts them."""

    def __init__(self, *, max_chars: int, **kwargs: Any) -> None:
        self.max_chars = max_chars
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs["data-max-chars"] = str(self.max_chars)
        return attrs

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def validate(self, value: Any) -> None:
        super().validate(value)
        if len(value) > self.max_chars:
            raise forms.ValidationError(
                _(
                    "%(field)s最多 %(limit)d 个字，现在是 %(count)d 个字，请删减 %(over)d 个字后再提交（系统不会替您截断）"
                ),
                code="max_length",
                params={
                    "field": self.label,
                    "limit": self.max_chars,
                    "count": len(value),
                    "over": len(value) - self.max_chars,
                },
            )


def _blank_choice(label: str) -> list[tuple[str, str]]:
    return [("", label)]


def _province_choices() -> list[tuple[str, str]]:
    # A callable, not a list: a form made per request copies it instead of re-checking 34
    # provinces for every cascade, and it is read only to render or to check a chosen province.
    return _blank_choice(str(_("请选择省份"))) + [(r.code, r.name) for r in region_provinces()]


def region_fields(*, required: bool) -> tuple[forms.ChoiceField, forms.ChoiceField, forms.ChoiceField]:
    """The province/city/county cascade's fields; `region_choices_set` fills the lower levels."""
    return (
        forms.ChoiceField(label=_("省"), choices=_province_choices, required=required),
        forms.ChoiceField(label=_("市"), choices=[("", _("请选择市"))], required=False),
        forms.ChoiceField(label=_("县（区）"), choices=[("", _("请选择县（区）"))], required=False),
    )


def region_choices_set(form: forms.Form, prefix: str = "") -> None:
    """Choices of a province/city/county cascade (fields `{prefix}province` etc.): the cities
    of the chosen province and the counties of the chosen city, so a posted code is checked.
    Nothing chosen: the fields keep their blank choice (the province list is a callable)."""
    province = form.data.get(f"{prefix}province", "") if form.is_bound else ""
    city = form.data.get(f"{prefix}city", "") if form.is_bound else ""
    if province:
        form.fields[f"{prefix}city"].choices = _blank_choice(str(_("请选择市"))) + [  # type: ignore[attr-defined]
            (r.code, r.name) for r in region_children(province)
        ]
    if province and city.startswith(province[:2]):
        form.fields[f"{prefix}county"].choices = _blank_choice(str(_("请选择县（区）"))) + [  # type: ignore[attr-defined]
            (r.code, r.name) for r in region_children(city)
        ]


def region_code_parts(code: str) -> dict[str, str]:
    """A 6-digit GB/T 2260 code as the cascade's three fields (for the JSON API)."""
    if len(code) != 6 or not code.isdigit():
        return {"province": code, "city": "", "county": ""}
    province = code[:2] + "0000"
    city = code[:4] + "00" if code != province else ""
    county = code if code not in (province, city) else ""
    return {"province": province, "city": city, "county": county}


class BootstrapForm(forms.Form):
    """Adds Bootstrap's classes to the widgets (templates stay free of widget tweaking)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def style_widgets(self) -> None:
        for field in self.fields.values():
            style_widget(field.widget)


def _category_choices() -> list[tuple[str, Any]]:
    return [
        ("", _("请选择")),
        *[(group, [(c.value, c.label) for c in members]) for group, members in CATEGORY_GROUPS],
    ]


def _person_fields(index: int) -> dict[str, forms.Field]:
    """The fields of the `index`-th reported person (declared once, copied by each form)."""
    prefix = f"person{index}_"
    province, city, county = region_fields(required=False)
    return {
        f"{prefix}name": forms.CharField(label=_("被举报人姓名"), max_length=64, required=False),
        f"{prefix}org": forms.CharField(label=_("单位"), max_length=200, required=False),
        f"{prefix}position": forms.CharField(label=_("职务"), max_length=100, required=False),
        f"{prefix}level": forms.ChoiceField(
            label=_("级别"), choices=[("", _("请选择")), *PersonLevel.choices], required=False
        ),
        f"{prefix}province": province,
        f"{prefix}city": city,
        f"{prefix}county": county,
    }


class ReportForm(BootstrapForm):
    category = forms.ChoiceField(label=_("举报类别"), choices=_category_choices)
    province, city, county = region_fields(required=True)
    occurred_on = forms.DateField(
        label=_("发生时间"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("大致日期即可"),
    )  # fmt: skip
    description = LongTextField(
        label=_("问题描述"), max_chars=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("请写明时间、地点、人物、事情经过和您掌握的证据"),
    )  # fmt: skip
    is_anonymous = forms.TypedChoiceField(
        label=_("举报方式"),
        choices=[("1", _("匿名举报")), ("0", _("实名举报"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    addressed_level = forms.ChoiceField(
        label=_("向哪一级纪检监察机关举报"),
        choices=[("", _("不确定，由纪检监察机关按管辖办理")), *AddressedLevel.choices],
        required=False,
        help_text=_("按干部管理权限分级受理：不属于所选机关管辖的，将转交有管辖权的机关。"),
    )
    reporter_name = forms.CharField(label=_("您的姓名"), max_length=64, required=False)
    reporter_id_number = forms.CharField(label=_("身份证号"), max_length=32, required=False)
    reporter_phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    consent = forms.BooleanField(
        label=_("我承诺所举报内容属实，知晓诬告陷害要承担相应责任；同意纪检监察机关为办理举报处理以上信息"),
        error_messages={"required": _("请阅读并勾选承诺")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_choices_set(self)
        for index in range(1, MAX_PERSONS + 1):
            region_choices_set(self, f"person{index}_")

    def style_widgets(self) -> None:
        """Nothing per form: the shared fields were styled once (`_shared_report_fields`)."""

    def person_rows(self) -> list[dict[str, forms.BoundField]]:
        return [
            {
                part: self[f"person{i}_{part}"]
                for part in ("name", "org", "position", "level", "province", "city", "county")
            }
            for i in range(1, MAX_PERSONS + 1)
        ]

    def clean_description(self) -> str:
        text = plain_text(self.cleaned_data["description"])
        minimum = conf.description_min_chars()
        if len(text) < minimum:
            raise forms.ValidationError(
                _("问题描述至少 %(minimum)d 个字，现在是 %(count)d 个字"),
                params={"minimum": minimum, "count": len(text)},
            )
        return text

    def clean_occurred_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("occurred_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("发生时间不能晚于今天"))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._clean_region(data)
        self._clean_persons(data)
        if data.get("is_anonymous") is False:
            self._clean_identity(data)
        return data

    def _clean_region(self, data: dict[str, Any]) -> None:
        province, city, county = data.get("province", ""), data.get("city", ""), data.get("county", "")
        if not province:
            return
        if county and not city:
            self.add_error("city", _("请选择市"))
        data["region_code"] = county or city or province
        data["region_name"] = region_name(data["region_code"])

    def _clean_persons(self, data: dict[str, Any]) -> None:
        persons = []
        for index in range(1, MAX_PERSONS + 1):
            row = {
                "name": plain_text(data.get(f"person{index}_name", "")),
                "org_name": plain_text(data.get(f"person{index}_org", "")),
                "position": plain_text(data.get(f"person{index}_position", "")),
                "level": data.get(f"person{index}_level", ""),
                "region_code": self._person_region(data, index),
            }
            if any(row.values()):
                if not row["name"] and not row["org_name"]:
                    self.add_error(f"person{index}_name", _("请填写被举报人姓名或单位"))
                persons.append(row)
        if not persons:
            self.add_error(
                "person1_name",
                _("请至少填写一名被举报人的姓名或单位"),
            )
        data["persons"] = persons

    def _person_region(self, data: dict[str, Any], index: int) -> str:
        prefix = f"person{index}_"
        province, city = data.get(f"{prefix}province", ""), data.get(f"{prefix}city", "")
        county = data.get(f"{prefix}county", "")
        if county and not city:
            self.add_error(f"{prefix}city", _("请选择市"))
        return str(county or city or province or "")

    def _clean_identity(self, data: dict[str, Any]) -> None:
        name = plain_text(data.get("reporter_name", ""))
        number = person_id_normalise(data.get("reporter_id_number", ""))
        phone = phone_normalise(data.get("reporter_phone", ""))
        if not name:
            self.add_error("reporter_name", _("实名举报请填写姓名"))
        if not number:
            self.add_error("reporter_id_number", _("实名举报请填写身份证号"))
        elif problem := person_id_problem(number):
            self.add_error("reporter_id_number", problem)
        if not phone:
            self.add_error("reporter_phone", _("实名举报请填写联系电话"))
        elif problem := phone_problem(phone):
            self.add_error("reporter_phone", problem)
        data["identity"] = ReporterIdentity(name=name, id_number=number, phone=phone)

    def to_draft(self) -> ReportDraft:
        data = self.cleaned_data
        return ReportDraft(
            category=Category(data["category"]).value,
            region_code=data["region_code"],
            description=data["description"],
            occurred_on=data.get("occurred_on"),
            persons=data["persons"],
            addressed_level=data.get("addressed_level", ""),
            identity=None if data["is_anonymous"] else data["identity"],
        )


for _index in range(1, MAX_PERSONS + 1):  # after the form's own fields, as the page shows them
    ReportForm.base_fields.update(_person_fields(_index))


class SharedFields(dict[str, forms.Field]):
    """A form class's fields, shared by its instances except those an instance changes.

    Django deep-copies every field for each form (`BaseForm.__init__`): 33 fields, 18 with
    choice lists, about a millisecond per submission. Only the cascade's lower levels change per
    request (`region_choices_set` gives them the chosen province's cities and city's counties);
    every other field and widget is read only once the class is built (its CSS classes are set
    here, once). So the deep copy Django asks for copies those and shares the rest."""

    def __init__(self, fields: dict[str, forms.Field], *, per_request: set[str]) -> None:
        super().__init__(fields)
        self.per_request = per_request

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        return {
            name: copy.deepcopy(field, memo) if name in self.per_request else field
            for name, field in self.items()
        }


def _shared_report_fields() -> SharedFields:
    cascade = {f"{prefix}{level}" for prefix in ("", *PERSON_PREFIXES) for level in ("city", "county")}
    for field in ReportForm.base_fields.values():
        style_widget(field.widget)
    return SharedFields(ReportForm.base_fields, per_request=cascade)


ReportForm.base_fields = _shared_report_fields()


_REFERENCE = re.compile(r"^[A-Z]{2}\d{1,9}-\d{6}$")


def report_initial(query: Any) -> dict[str, str]:
    """What a link may prefill on the reporting form: a published line's reference (e.g. a
    民生资金公开 line's "我有疑问"), nothing else; anything else in the link is ignored."""
    reference = str(query.get("ref", "")).strip()
    if not _REFERENCE.match(reference):
        return {}
    return {
        "category": Category.PUBLIC_INTEREST.value,
        "description": str(_("【民生资金公开 %(reference)s】我对这一条有疑问：")) % {"reference": reference},
    }


class TrackForm(BootstrapForm):
    code = forms.CharField(
        label=_("回执码"), max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "0000 0000 0000 0000"}),
    )  # fmt: skip


class ReplyForm(BootstrapForm):
    body = LongTextField(
        label=_("回复或补充说明"),
        max_chars=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_body(self) -> str:
        return plain_text(self.cleaned_data.get("body", ""))


class UnlockForm(BootstrapForm):
    passphrase = forms.CharField(
        label=_("个人解密口令"), widget=forms.PasswordInput(attrs={"autocomplete": "off"})
    )


class KeySetupForm(BootstrapForm):
    passphrase = forms.CharField(
        label=_("设置个人解密口令"),
        help_text=_("至少 12 个字符，不能与登录密码相同。忘记后无法找回，只能由同事重新授权。"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    repeat = forms.CharField(
        label=_("再次输入"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("passphrase") and data.get("passphrase") != data.get("repeat"):
            self.add_error("repeat", _("两次输入的口令不一致"))
        return data


class IdentityRequestForm(BootstrapForm):
    reason = forms.CharField(label=_("查看理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class IdentityDecisionForm(BootstrapForm):
    note = forms.CharField(label=_("审批意见"), max_length=1000, required=False)


class QuestionForm(BootstrapForm):
    body = LongTextField(
        label=_("向举报人提问"), max_chars=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_body(self) -> str:
        return plain_text(self.cleaned_data["body"])
