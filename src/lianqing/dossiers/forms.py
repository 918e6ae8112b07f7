"""Forms of the registry: what no department exports, the reason to open a file, 意见回复."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianqing.core.forms import style_widget

from .models import OpinionConclusion, Record, Sanction

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class Styled:
    """Bootstrap classes on every widget (no template filter library needed)."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():
            style_widget(field.widget, small=True)


class ReasonForm(Styled, forms.Form):
    reason = forms.CharField(
        label=_("查阅事由"),
        min_length=4,
        max_length=200,
        help_text=_("每次查阅都记入审计日志。"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class SanctionForm(Styled, forms.ModelForm):
    class Meta:
        model = Sanction
        fields = ["kind", "decided_on", "decided_by", "document_number", "case_number", "reason"]
        widgets = {"decided_on": DATE_INPUT, "reason": forms.Textarea(attrs={"rows": 2})}


class RecordForm(Styled, forms.ModelForm):
    class Meta:
        model = Record
        fields = ["kind", "happened_on", "title", "result", "source_ref", "is_resolved", "content"]
        widgets = {"happened_on": DATE_INPUT, "content": forms.Textarea(attrs={"rows": 2})}


class LinkDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", _("确认")), ("reject", _("否定"))])
    cadre = forms.IntegerField(required=False, min_value=1)


class OpinionCreateForm(Styled, forms.Form):
    requester = forms.CharField(label=_("征求单位"), max_length=200, initial=_("县委组织部"))
    letter_number = forms.CharField(label=_("来函文号"), max_length=100, required=False)
    purpose = forms.CharField(label=_("事由"), max_length=200, initial=_("拟提拔使用"))
    lookback_years = forms.TypedChoiceField(
        label=_("回溯年限"), coerce=int, choices=[(3, _("3 年")), (5, _("5 年"))], initial=3
    )
    received_on = forms.DateField(label=_("收函日期"), widget=DATE_INPUT)
    cadres = forms.CharField(
        label=_("干部名单"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一人：姓名或公民身份号码；同名时请写身份号码。"),
    )

    def cadre_lines(self) -> list[str]:
        data: dict[str, Any] = self.cleaned_data
        return [line.strip() for line in data["cadres"].splitlines() if line.strip()]


class OpinionItemForm(Styled, forms.Form):
    conclusion = forms.ChoiceField(label=_("回复意见"), choices=OpinionConclusion.choices)
    text = forms.CharField(label=_("回复内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
