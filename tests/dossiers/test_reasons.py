"""The resolver's reasons read in the page's language: a translated label, the quoted data as written."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

import lianqing.analytics.resolve.scoring as scoring
from lianqing.dossiers.models import MentionLink
from lianqing.dossiers.reasons import REASON_LABELS, reason_display
from lianqing.dossiers.services import case_links_suggest
from tests.cases.factories import register_case

CJK = re.compile(r"[\u4e00-\u9fff]")


def _codes_the_resolver_can_give() -> set[str]:
    source = Path(scoring.__file__).read_text(encoding="utf-8")
    literal = set(re.findall(r'"((?:name|surname|unit|title|gender|phone)_[a-z_]+|surname)"', source))
    formers = {
        code + "_former" for code in ("unit_same", "unit_part", "unit_similar", "title_same", "title_fits")
    }
    return (literal | set(scoring._NAME_TEXT) | formers) - set(scoring.__all__)


def test_every_code_the_resolver_gives_has_a_label():
    assert _codes_the_resolver_can_give() - set(REASON_LABELS) == set()


def test_english_page_reads_english_labels_and_keeps_the_names_as_written(registry, org_tree):
    case = register_case(
        org_tree.commission, persons=[{"name": "汪局长", "org_name": "卫健局", "position": ""}]
    )
    case_links_suggest(case_id=case.pk)
    link = MentionLink.objects.get(case_id=case.pk)
    with translation.override("en"):
        shown = [reason_display(reason) for reason in link.reasons]
    assert any(line.startswith("Surname sounds the same") for line in shown), shown
    assert any(line.startswith("Same unit") or line.startswith("Unit partly") for line in shown), shown
    for line in shown:
        label = line.split(": ", 1)[0]
        assert not CJK.search(label), line
    assert "Surname sounds the same: 汪局长／王建国" in shown  # names stay as written


def test_chinese_display_is_the_resolver_sentence_for_quoted_reasons(registry, org_tree):
    case = register_case(
        org_tree.commission, persons=[{"name": "汪局长", "org_name": "卫健局", "position": ""}]
    )
    case_links_suggest(case_id=case.pk)
    link = MentionLink.objects.get(case_id=case.pk)
    with translation.override("zh-hans"):
        for reason in link.reasons:
            if "：" in reason["text"]:
                assert reason_display(reason) == reason["text"]


def test_a_reason_stored_before_details_shows_its_sentence():
    old = {"code": "unit_same", "text": "单位相符：卫健局／县卫生健康局", "weight": 3.2}
    with translation.override("en"):
        assert reason_display(old) == old["text"]
    assert reason_display({"code": "new_kind", "text": "新理由", "detail": "x"}) == "新理由"
