from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianqing.analytics.trends.index import IndexConfig
from lianqing.core.models import User


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("责任人"), queryset=User.objects.none())

    def __init__(self, *args: Any, staff: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if staff is not None:
            self.fields["owner"].queryset = staff  # type: ignore[attr-defined]


class MapUploadForm(forms.Form):
    file = forms.FileField(label=_("辖区 GeoJSON 文件"))


class ConfigForm(forms.Form):
    """Every indicator's points, cap and look-back, the colour thresholds and the unit share."""

    green = forms.FloatField(label=_("绿色下限"), min_value=0, max_value=100)
    yellow = forms.FloatField(label=_("黄色下限"), min_value=0, max_value=100)
    orange = forms.FloatField(label=_("橙色下限"), min_value=0, max_value=100)
    unit_share = forms.FloatField(label=_("单位承担所属干部扣分的比例"), min_value=0, max_value=1)
    unit_share_cap = forms.FloatField(label=_("单位承担干部扣分的上限"), min_value=0, max_value=100)
    note = forms.CharField(label=_("修改说明"), max_length=200)

    def __init__(self, *args: Any, config: IndexConfig, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.config = config
        self.indicator_rows = []
        for code, indicator in config.indicators.items():
            names = (f"{code}__points", f"{code}__cap", f"{code}__window")
            self.fields[names[0]] = forms.FloatField(min_value=0, max_value=100, initial=indicator.points)
            self.fields[names[1]] = forms.FloatField(min_value=0, max_value=100, initial=indicator.cap)
            self.fields[names[2]] = forms.IntegerField(
                min_value=1, max_value=120, required=False, initial=indicator.window_months
            )
            for name, what in zip(names, (_("每项扣分"), _("扣分上限"), _("回溯月数")), strict=True):
                self.fields[name].label = f"{indicator.name} {what}"
            self.indicator_rows.append((indicator.name, [self[name] for name in names]))
        self.fields["green"].initial = config.green
        self.fields["yellow"].initial = config.yellow
        self.fields["orange"].initial = config.orange
        self.fields["unit_share"].initial = config.unit_share
        self.fields["unit_share_cap"].initial = config.unit_share_cap

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        green, yellow, orange = data.get("green"), data.get("yellow"), data.get("orange")
        if None not in (green, yellow, orange) and not green >= yellow >= orange:  # type: ignore[operator]
            raise forms.ValidationError(_("颜色阈值应为 绿 ≥ 黄 ≥ 橙"))
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "unit_share": data["unit_share"],
            "unit_share_cap": data["unit_share_cap"],
            "colours": {"green": data["green"], "yellow": data["yellow"], "orange": data["orange"]},
            "indicators": {
                code: {
                    "name": indicator.name,
                    "points": data[f"{code}__points"],
                    "cap": data[f"{code}__cap"],
                    "window_months": data[f"{code}__window"],
                }
                for code, indicator in self.config.indicators.items()
            },
        }
