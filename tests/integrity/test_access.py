"""Every integrity URL in the authorization matrix: anonymous, other jurisdiction, wrong role, right role."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianqing.core.models import AuditEvent
from lianqing.core.roles import Role
from lianqing.integrity.configuration import config_form_data
from lianqing.integrity.models import (
    DistrictMap,
    IndexConfigVersion,
    IndexScore,
    Warning,
    WarningEvent,
)

GEOJSON = (
    b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"\xe7\x94\xb2\xe9\x95\x87"},'
    b'"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}'
)

INTEGRITY_URLS = [
    # (name, method, needs an object, right role's expected status)
    ("integrity:cockpit", "get", False, 200),
    ("integrity:screen", "get", False, 200),
    ("integrity:warning_list", "get", False, 200),
    ("integrity:warning_detail", "get", True, 200),
    ("integrity:warning_act", "post", True, 302),
    ("integrity:score_list", "get", False, 200),
    ("integrity:score_detail", "get", True, 200),
    ("integrity:config", "post", False, 302),
    ("integrity:map_upload", "post", False, 302),
    ("integrity:map_data", "get", False, 200),
]

STAFF_URLS = [name for name, *_ in INTEGRITY_URLS]  # read by tests/test_url_coverage.py


def test_every_integrity_url_is_in_the_matrix():
    from lianqing.integrity.urls import urlpatterns

    assert {f"integrity:{pattern.name}" for pattern in urlpatterns} == {name for name, *_ in INTEGRITY_URLS}


@pytest.fixture
def matrix(org_tree, make_user):  # type: ignore[no-untyped-def]
    warning = Warning.objects.create(
        kind="苗头性", unit_code="U-A", unit_name="甲镇人民政府", category="sifeng_dining", region_code="370124001",
        month=dt.date(2026, 10, 1), observed=8, expected=1.0, band_low=0, band_high=3, score=5.0,
        explanation="说明", org=org_tree.township_a, history=[["2026-10", 8]],
    )  # fmt: skip
    score = IndexScore.objects.create(
        subject_kind="unit", subject_id="U-A", subject_name="甲镇人民政府", org=org_tree.township_a,
        month=dt.date(2026, 10, 1), score=70, colour="橙", version="2026.1", computed_at=timezone.now(),
    )  # fmt: skip
    people = {
        "right-role": make_user(Role.LEADER, org=org_tree.commission, username="leader"),
        "other-jurisdiction": make_user(Role.LEADER, org=org_tree.township_b, username="township"),
        "wrong-role": make_user(Role.DATA_ANALYSIS, org=org_tree.commission, username="analyst"),
    }
    return warning, score, people


def _request(client: Client, name: str, method: str, warning: Warning, score: IndexScore) -> int:
    args: list[object] = []
    data: dict[str, object] = {}
    if name == "integrity:warning_act":
        args, data = [warning.pk, "verify"], {"version": warning.version}
    elif name == "integrity:warning_detail":
        args = [warning.pk]
    elif name == "integrity:score_detail":
        args = [score.pk]
    elif name == "integrity:config":
        data = config_form_data() | {"note": "调整"}
    elif name == "integrity:map_upload":
        data = {"file": SimpleUploadedFile("district.geojson", GEOJSON)}
    response = getattr(client, method)(reverse(name, args=args), data)
    return response.status_code


def _footprint(warning: Warning) -> tuple[object, ...]:
    fresh = Warning.objects.get(pk=warning.pk)
    return (
        fresh.status,
        fresh.version,
        WarningEvent.objects.count(),
        IndexConfigVersion.objects.count(),
        DistrictMap.objects.filter(org__org_code="JW1").count(),
    )


@pytest.mark.parametrize(
    ("name", "method", "needs_object", "allowed"), INTEGRITY_URLS, ids=[u[0] for u in INTEGRITY_URLS]
)
@pytest.mark.parametrize("who", ["anonymous", "other-jurisdiction", "wrong-role", "right-role"])
def test_authorization_matrix(matrix, client_for, name, method, needs_object, allowed, who):
    warning, score, people = matrix
    client = Client() if who == "anonymous" else client_for(people[who])
    before, audit_before = _footprint(warning), AuditEvent.objects.count()
    status = _request(client, name, method, warning, score)
    if who == "right-role":
        assert status == allowed
        assert _footprint(warning) != before or method == "get"  # a permitted write wrote
        return
    if who == "anonymous":
        assert status == 302  # to the login page
    elif who == "other-jurisdiction" and name == "integrity:map_upload":
        assert status == 302  # a township commission uploads its own map, never ours
        assert DistrictMap.objects.get().org.org_code == "JW1-B"
    elif needs_object and who == "other-jurisdiction":
        assert status == 404  # the same 404 for a warning one may not see as for a missing one
    elif who == "wrong-role" or name == "integrity:config":
        assert status == 403
    else:
        assert status == 200  # a list of nothing: the other jurisdiction's view is empty
    assert _footprint(warning) == before  # denied: nothing changed
    if who == "anonymous" or needs_object:
        assert AuditEvent.objects.count() == audit_before


def test_the_other_jurisdiction_sees_none_of_ours(matrix, client_for):
    warning, _score, people = matrix
    page = client_for(people["other-jurisdiction"]).get(reverse("integrity:warning_list"))
    assert warning.unit_name not in page.content.decode()
    page = client_for(people["right-role"]).get(reverse("integrity:warning_list"))
    assert warning.unit_name in page.content.decode()
