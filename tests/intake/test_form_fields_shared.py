"""The reporting form shares its read-only fields between requests (Django would deep-copy all 33
for each form) and copies only the cascade's lower levels, which each request fills with the
chosen province's cities and city's counties: two reporters' forms never see each other's."""

from __future__ import annotations

from typing import Any

import pytest

from lianqing.intake.forms import ReportForm
from tests.intake.conftest import FORM_DATA

BEIJING = {"province": "110000", "city": "110100", "county": "110101"}  # 北京市 东城区


def _codes(field: Any) -> set[str]:
    return {str(code) for code, _label in field.choices}


@pytest.mark.django_db
def test_each_form_has_its_own_cascade_and_the_class_keeps_none():
    shandong = ReportForm(FORM_DATA)  # 山东省 济南市 平阴县
    beijing = ReportForm({**FORM_DATA, **BEIJING, "person1_province": "110000", "person1_city": "110100"})

    assert "370100" in _codes(shandong.fields["city"])
    assert "110100" not in _codes(shandong.fields["city"])
    assert "110100" in _codes(beijing.fields["city"])
    assert "370100" not in _codes(beijing.fields["city"])
    assert "370124" in _codes(shandong.fields["county"])
    assert "110101" not in _codes(shandong.fields["county"])
    assert "110100" in _codes(beijing.fields["person1_city"])
    assert _codes(shandong.fields["person1_city"]) == {""}
    # The class's fields, and a new blank form's, still offer only the blank choice
    assert _codes(ReportForm.base_fields["city"]) == {""}
    assert _codes(ReportForm().fields["county"]) == {""}
    # Both validate against their own cascade
    assert shandong.is_valid(), shandong.errors
    assert beijing.is_valid(), beijing.errors
    assert (shandong.cleaned_data["region_code"], beijing.cleaned_data["region_code"]) == ("370124", "110101")


@pytest.mark.django_db
def test_a_county_of_another_reporters_city_is_still_refused():
    ReportForm({**FORM_DATA, **BEIJING})  # another request filled its cascade with Beijing's
    mixed = ReportForm({**FORM_DATA, "county": "110101"})  # 东城区 under 济南市
    assert not mixed.is_valid()
    assert "county" in mixed.errors


@pytest.mark.django_db
def test_read_only_fields_are_shared_styled_once_and_a_forms_own_dict_is_its_own():
    first, second = ReportForm(FORM_DATA), ReportForm()
    assert first.fields["description"] is second.fields["description"]  # not copied per request
    assert first.fields["city"] is not second.fields["city"]  # copied: filled per request
    assert first.fields["description"].widget.attrs["class"] == "form-control"
    assert first.fields["category"].widget.attrs["class"] == "form-select"
    assert first.fields["is_anonymous"].widget.attrs["class"] == "form-check-input"
    del first.fields["consent"]  # a form changing its own field list changes no other form's
    assert "consent" in second.fields
    assert "consent" in ReportForm().fields
