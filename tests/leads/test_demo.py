"""`lianqing demo` leaves a scanned package with real 疑点 for the demo analyst; twice is once."""

from __future__ import annotations

import io
import json

import pytest

from lianqing.core import demo as core_demo
from lianqing.leads import demo
from lianqing.leads.models import DataPackage, Hit, ScanRun, ScanStatus

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_generates_imports_and_scans_once():
    core_demo.load(io.StringIO())
    out = io.StringIO()
    demo.load(out)
    demo.load(out)
    package = DataPackage.objects.get()
    run = ScanRun.objects.get()
    assert package.org.org_code == "JW370124-XX"
    assert run.status == ScanStatus.SUCCEEDED
    assert {"B02", "M01", "F01"} <= set(Hit.objects.values_list("rule_id", flat=True))
    assert "个疑点" in out.getvalue()


def test_the_demo_package_is_about_the_demo_district(data_dir):
    # Given the demo district and its leads demo
    core_demo.load(io.StringIO())
    demo.load(io.StringIO())
    package = DataPackage.objects.get()
    # Then the package's orgs, the hits' places and the people are all of 示范县 (370124)
    generated = json.loads((data_dir / demo.DEMO_FOLDER / "_manifest.json").read_text(encoding="utf-8"))
    assert generated["county"] == [core_demo.REGION, core_demo.DISTRICT_NAME]
    assert package.datasets["orgs"] > 0
    hits = Hit.objects.all()
    assert {hit.region_code[:6] for hit in hits if hit.region_code} == {core_demo.REGION}
    named = {hit.subject_org_name for hit in hits if hit.subject_org_name}
    assert f"{core_demo.DISTRICT_NAME}民政局" in named
    assert all(name.startswith(core_demo.DISTRICT_NAME) or name.endswith("村民委员会") for name in named)
    assert not any("新山" in hit.explanation or "新山" in hit.subject_org_name for hit in hits)
