"""`lianqing demo` leaves a scanned package with real 疑点 for the demo analyst; twice is once."""

from __future__ import annotations

import io

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
