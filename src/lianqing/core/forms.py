from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


def style_widget(widget: forms.Widget, *, small: bool = False) -> None:
    """Bootstrap's class on a widget (no template filter library needed); `small`: the compact
    size of the staff side's dense pages."""
    if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
        widget.attrs["class"] = "form-check-input"
        return
    base = "form-select" if isinstance(widget, forms.Select) else "form-control"
    widget.attrs["class"] = f"{base} {base}-sm" if small else base


class LoginForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    password = forms.CharField(label=_("密码"), strip=False, widget=forms.PasswordInput)


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("动态验证码"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("请输入 6 位数字验证码")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label=_("绑定码"),
        max_length=20,
        help_text=_("由系统管理员签发的一次性绑定码，形如 ABCD-EFGH-JKMN"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
