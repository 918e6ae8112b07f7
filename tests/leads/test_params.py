"""The scan form, the service and the command line share the library's one parameter parser."""

from __future__ import annotations

import pytest
from django.utils import translation

from lianqing.analytics.commands.scan import scan_main
from lianqing.analytics.engine import check_scan_params
from lianqing.analytics.errors import AnalyticsError
from lianqing.leads.errors import LeadsError
from lianqing.leads.forms import ScanForm
from lianqing.leads.services import package_register_folder, scan_start
from tests.leads.packages import january_package

pytestmark = pytest.mark.django_db

BAD = {"F02.per_head_max": "-5"}


def _library_message() -> str:
    with pytest.raises(AnalyticsError) as refused:
        check_scan_params(BAD)
    return str(refused.value)


def test_the_form_refuses_what_the_library_refuses_with_its_message():
    form = ScanForm(data={"engine": "duckdb", "params": "f02.per_head_max=-5"})
    with translation.override("zh-hans"):
        assert not form.is_valid()
    assert form.errors["params"] == [_library_message()]


def test_the_form_says_it_in_english_on_an_english_page():
    form = ScanForm(data={"engine": "duckdb", "params": "f02.per_head_max=-5"})
    with translation.override("en"):
        assert not form.is_valid()
    assert form.errors["params"] == ["Setting F02.per_head_max: “-5” is below the minimum 0"]


def test_the_form_accepts_a_typed_override_and_the_service_stores_it(analyst, data_dir):
    form = ScanForm(data={"engine": "duckdb", "params": "b08.min_persons = 4\n\nF02.per_head_max=180"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["params"] == {"B08.min_persons": "4", "F02.per_head_max": "180"}
    january_package(data_dir / "jan")
    package = package_register_folder(user=analyst, folder="jan")
    run = scan_start(package=package, user=analyst, params=form.cleaned_data["params"], enqueue=False)
    assert run.params == {"B08.min_persons": "4", "F02.per_head_max": "180"}


def test_the_service_refuses_what_the_library_refuses(analyst, data_dir):
    january_package(data_dir / "jan")
    package = package_register_folder(user=analyst, folder="jan")
    with pytest.raises(LeadsError, match="小于下限 0"):
        scan_start(package=package, user=analyst, params=BAD, enqueue=False)
    assert not package.runs.exists()


def test_the_command_line_refuses_the_same_line(tmp_path, capsys):
    january_package(tmp_path / "jan")
    options = ["--out", str(tmp_path / "out"), "--param", "F02.per_head_max=-5", "--quiet"]
    assert scan_main([str(tmp_path / "jan"), *options]) != 0
    assert _library_message() in capsys.readouterr().err
