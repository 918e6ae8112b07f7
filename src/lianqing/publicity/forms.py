"""Forms of the public site and its staff pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianqing.intake.forms import BootstrapForm, LongTextField, plain_text

from .models import QuestionKind, Section


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ArticleForm(BootstrapForm):
    section = forms.ChoiceField(label=_("栏目"), choices=Section.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    summary = forms.CharField(label=_("摘要"), max_length=300, required=False)
    body = LongTextField(
        label=_("正文"), max_chars=50_000, widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("使用 Markdown 书写；粘贴的 HTML 会被净化：脚本、事件属性和外部图片将被删除"),
    )  # fmt: skip
    tags = forms.CharField(label=_("标签"), max_length=300, required=False, help_text=_("多个标签用逗号分隔"))
    attachments = forms.FileField(
        label=_("附件"), required=False, widget=MultipleFileInput(attrs={"multiple": True})
    )

    def clean_title(self) -> str:
        return plain_text(self.cleaned_data["title"])

    def clean_summary(self) -> str:
        return plain_text(self.cleaned_data.get("summary", ""))


class ReasonForm(BootstrapForm):
    reason = forms.CharField(
        label=_("理由"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    publish_at = forms.DateTimeField(
        label=_("定时发布"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("留空则批准后立即发布"),
    )  # fmt: skip


class DisclosureForm(BootstrapForm):
    package = forms.TypedChoiceField(label=_("数据包"), coerce=int, choices=[])
    title = forms.CharField(label=_("标题"), max_length=200, required=False)
    programs = forms.MultipleChoiceField(
        label=_("公开项目"), choices=[], widget=forms.CheckboxSelectMultiple, required=False
    )
    extra_programs = forms.CharField(
        label=_("其他项目"),
        required=False,
        max_length=500,
        help_text=_("数据包标准中没有的项目会被列出且不公开"),
    )
    all_villages = forms.BooleanField(label=_("公开全部村（社区）"), required=False, initial=True)
    villages = forms.CharField(
        label=_("指定村（社区）代码"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一个；数据包中没有的村（社区）会被列出且不公开"),
    )  # fmt: skip

    def __init__(
        self, *args: Any, packages: list[tuple[int, str]], programs: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["package"].choices = packages  # type: ignore[attr-defined]
        self.fields["programs"].choices = [(p, p) for p in programs]  # type: ignore[attr-defined]
        self.fields["programs"].widget.attrs["class"] = "form-check-input"

    def chosen_programs(self) -> list[str]:
        extra = [p.strip() for p in self.cleaned_data.get("extra_programs", "").replace("，", ",").split(",")]
        return list(dict.fromkeys([*self.cleaned_data.get("programs", []), *[p for p in extra if p]]))

    def chosen_villages(self) -> list[str] | None:
        if self.cleaned_data.get("all_villages"):
            return None
        return [line.strip() for line in self.cleaned_data.get("villages", "").splitlines() if line.strip()]


class LookupForm(BootstrapForm):
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    name = forms.CharField(
        label=_("姓名"), max_length=32, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    captcha = forms.CharField(
        label=_("图片中的字符"), max_length=16, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )


class AnswerLookupForm(BootstrapForm):
    code = forms.CharField(
        label=_("留言编号"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    captcha = forms.CharField(
        label=_("图片中的字符"), max_length=16, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )


class QuestionForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("留言类型"), choices=QuestionKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("标题"), max_length=100)
    body = LongTextField(label=_("内容"), max_chars=2000, widget=forms.Textarea(attrs={"rows": 6}))
    captcha = forms.CharField(
        label=_("图片中的字符"), max_length=16, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )

    def clean_title(self) -> str:
        return plain_text(self.cleaned_data["title"])

    def clean_body(self) -> str:
        text = plain_text(self.cleaned_data["body"])
        if len(text) < 10:
            raise forms.ValidationError(_("内容至少 10 个字"))
        if text.count("http://") + text.count("https://") > 2:
            raise forms.ValidationError(_("内容中的链接过多，请删减后再提交"))
        return text


class AnswerForm(BootstrapForm):
    answer = LongTextField(label=_("答复"), max_chars=5000, widget=forms.Textarea(attrs={"rows": 5}))
    publish = forms.BooleanField(label=_("选登到网站（问题将隐去个人信息）"), required=False)
    public_title = forms.CharField(label=_("选登标题"), max_length=100, required=False)
    public_body = forms.CharField(
        label=_("选登的问题内容"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("身份证号、电话、邮箱等会自动隐去；请删去姓名等其他个人信息"),
    )  # fmt: skip
