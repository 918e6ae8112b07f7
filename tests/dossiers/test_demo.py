"""`lianqing demo` gives the demo district a registry and a report naming 汪局长 卫健局 that the
resolver links to 王建华 of 县卫生健康局; twice is once."""

from __future__ import annotations

import io

import pytest

from lianqing.core import demo as core_demo
from lianqing.dossiers import demo
from lianqing.dossiers.models import Cadre, LinkStatus, MentionLink, Sanction
from lianqing.intake import demo as intake_demo

pytestmark = [pytest.mark.django_db]


def test_demo_registry_and_the_report_naming_wang(settings, tmp_path):
    settings.KEYS_DIR = tmp_path / "keys"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INTAKE_CHALLENGE_BITS = 4
    core_demo.load(io.StringIO())
    intake_demo.load(io.StringIO())  # the recipients' keys an online report is sealed to
    demo.load(io.StringIO())
    demo.load(io.StringIO())
    assert Cadre.objects.filter(name="王建华").count() == 1
    assert Cadre.objects.count() > 200
    assert Sanction.objects.count() == 1
    link = MentionLink.objects.get(name="汪局长")
    assert link.status == LinkStatus.SUGGESTED
    assert link.suggested is not None
    assert (link.suggested.name, link.suggested.unit.name) == ("王建华", "县卫生健康局")
