"""Forms of the leads screens: parse and check input, nothing else."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lianqing.analytics.engine import check_scan_params, list_rules, parse_param_assignments
from lianqing.analytics.engine.scan import ENGINES
from lianqing.analytics.errors import AnalyticsError
from lianqing.core.wording import localized

MAX_UPLOAD_BYTES = 1024**3


class UploadForm(forms.Form):
    archive = forms.FileField(label=_("数据包压缩包 (.zip)"))
    name = forms.CharField(label=_("名称"), max_length=200, required=False)
    scan_now = forms.BooleanField(label=_("导入后立即扫描（全部规则）"), required=False, initial=True)

    def clean_archive(self):  # type: ignore[no-untyped-def]
        archive = self.cleaned_data["archive"]
        if not archive.name.lower().endswith(".zip"):
            raise forms.ValidationError(_("请上传 .zip 压缩包"))
        if archive.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("压缩包超过 1 GB"))
        return archive


class FolderForm(forms.Form):
    folder = forms.ChoiceField(label=_("数据目录中的文件夹"))
    name = forms.CharField(label=_("名称"), max_length=200, required=False)
    scan_now = forms.BooleanField(label=_("导入后立即扫描（全部规则）"), required=False, initial=True)

    def __init__(self, *args: object, folders: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["folder"].choices = [(folder, folder) for folder in folders]  # type: ignore[attr-defined]


class ScanForm(forms.Form):
    engine = forms.ChoiceField(
        label=_("引擎"), choices=[(engine, engine) for engine in ENGINES], initial="duckdb"
    )
    as_of = forms.DateField(
        label=_("检查日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    rules = forms.MultipleChoiceField(
        label=_("规则（不选即全部）"), required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )

    params = forms.CharField(
        label=_("参数（每行一个，如 F02.per_head_max=200）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_params(self) -> dict[str, str]:
        """The library's own parser and checks: the same answer as the command line's --param."""
        try:
            overrides = parse_param_assignments(self.cleaned_data["params"].splitlines())
            check_scan_params(overrides)
        except AnalyticsError as error:
            raise forms.ValidationError(localized(error.message)) from error
        return overrides

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["rules"].choices = [(rule.id, f"{rule.id} {rule.name}") for rule in list_rules()]  # type: ignore[attr-defined]


class ExcludeForm(forms.Form):
    reason = forms.CharField(
        label=_("排除理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), strip=True
    )


EXPORT_SUFFIXES = (".csv", ".txt", ".xlsx")


def _dataset_choices() -> list[tuple[str, str]]:
    from lianqing.analytics.contract import DATASETS

    return [(name, str(_(dataset.title))) for name, dataset in DATASETS.items()]


class ExportForm(forms.Form):
    """A department's export (.csv or .xlsx) for the mapping wizard or a saved mapping."""

    export = forms.FileField(label=_("部门导出文件（.csv 或 .xlsx）"))

    def clean_export(self):  # type: ignore[no-untyped-def]
        export = self.cleaned_data["export"]
        if not export.name.lower().endswith(EXPORT_SUFFIXES):
            raise forms.ValidationError(_("请上传 .csv 或 .xlsx 文件"))
        if export.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件超过 1 GB"))
        return export


class WizardStartForm(ExportForm):
    dataset = forms.ChoiceField(label=_("数据集"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["dataset"].choices = _dataset_choices()  # type: ignore[attr-defined]
