from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EvidenceKind, Frequency, Grade, Responsible, TemplateKind


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("材料类别"), choices=EvidenceKind.choices)
    file = forms.FileField(label=_("文件"))


class SubmitForm(forms.Form):
    account = forms.CharField(label=_("履责纪实"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class AcceptForm(forms.Form):
    grade = forms.ChoiceField(label=_("评定等次"), choices=Grade.choices)
    note = forms.CharField(label=_("审核意见"), required=False, max_length=2000)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("解锁理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=200)
    kind = forms.ChoiceField(label=_("类别"), choices=TemplateKind.choices)


class ItemForm(forms.Form):
    title = forms.CharField(label=_("责任事项"), max_length=300)
    description = forms.CharField(
        label=_("具体要求"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    frequency = forms.ChoiceField(label=_("频次"), choices=Frequency.choices)
    once_month = forms.IntegerField(label=_("一次性事项所在月份"), min_value=1, max_value=12, initial=12)
    due_month_offset = forms.IntegerField(label=_("期末后第几个月截止"), min_value=0, max_value=12, initial=0)
    due_day = forms.IntegerField(label=_("截止日"), min_value=1, max_value=31, initial=31)
    evidence_kinds = forms.MultipleChoiceField(
        label=_("所需佐证材料"),
        choices=EvidenceKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    points = forms.DecimalField(label=_("分值"), min_value=0, max_value=1000, initial=1)
    responsible = forms.ChoiceField(label=_("责任人"), choices=Responsible.choices)


class AssignForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    units = forms.MultipleChoiceField(label=_("单位"), widget=forms.CheckboxSelectMultiple)
    reviewer = forms.ChoiceField(label=_("审核部门"))
    warning_days = forms.IntegerField(label=_("提前亮黄灯的工作日数"), min_value=0, max_value=60, initial=10)
    lock_grace_days = forms.IntegerField(
        label=_("逾期后锁定前的工作日数"), min_value=0, max_value=60, initial=5
    )


class TalkForm(forms.Form):
    talked_on = forms.DateField(label=_("约谈日期"), widget=forms.DateInput(attrs={"type": "date"}))
    talked_by = forms.CharField(label=_("约谈人"), max_length=200)
    talked_to = forms.CharField(label=_("被约谈人"), max_length=200)
    points_raised = forms.CharField(label=_("指出的问题"), widget=forms.Textarea(attrs={"rows": 3}))
    follow_up = forms.CharField(
        label=_("整改要求与跟踪"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class LeaderForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=64)
    post = forms.CharField(label=_("职务"), max_length=100, required=False)
    is_secretary = forms.BooleanField(label=_("书记"), required=False)
    user = forms.TypedChoiceField(label=_("平台账号"), required=False, coerce=int, empty_value=None)


class ReportForm(forms.Form):
    leader = forms.TypedChoiceField(label=_("述责述廉人"), coerce=int)
    content = forms.CharField(
        label=_("述责述廉报告"), widget=forms.Textarea(attrs={"rows": 10}), max_length=20000
    )


class ResubmitForm(forms.Form):
    content = forms.CharField(
        label=_("述责述廉报告"), widget=forms.Textarea(attrs={"rows": 10}), max_length=20000
    )


class ReportReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("审核结论"), choices=[("accept", _("通过")), ("return", _("退回"))])
    grade = forms.ChoiceField(label=_("评定等次"), choices=[("", "—"), *Grade.choices], required=False)
    comment = forms.CharField(
        label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    reason = forms.CharField(
        label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
