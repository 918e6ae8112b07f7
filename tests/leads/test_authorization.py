"""Every leads staff URL in one authorization matrix: who gets in, who gets 403, who gets 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianqing.leads import urls as leads_urls
from lianqing.leads.models import HitStatus

pytestmark = pytest.mark.django_db

# url name -> (method, object the URL is about, POST data); "read" URLs are GET, the rest decide
URLS: dict[str, tuple[str, str, dict[str, str]]] = {
    "package_list": ("GET", "", {}),
    "rule_catalogue": ("GET", "", {}),
    "package_detail": ("GET", "package", {}),
    "package_import_progress": ("GET", "package", {}),
    "run_detail": ("GET", "run", {}),
    "run_progress": ("GET", "run", {}),
    "run_disappeared": ("GET", "run", {}),
    "run_export": ("GET", "run", {}),
    "hit_detail": ("GET", "hit", {}),
    "hit_chart": ("GET", "hit", {}),
    "hit_notice": ("GET", "hit", {}),
    "mapping_list": ("GET deciding", "", {}),
    "mapping_start": ("POST", "", {}),
    "mapping_wizard": ("POST", "", {}),
    "mapping_import": ("POST", "", {}),
    "package_upload": ("POST", "", {}),
    "package_folder": ("POST", "", {"folder": "nowhere"}),
    "scan_start": ("POST", "package", {"engine": "duckdb"}),
    "run_cancel": ("POST", "run", {}),
    "hit_reveal": ("POST", "hit", {"token": "subject"}),
    "hit_exclude": ("POST", "hit", {"reason": "已核查"}),
    "hit_convert": ("POST", "hit", {}),
}
# URLs whose arguments are no database object (an expired wizard, a mapping that is not there)
ARGS = {"mapping_wizard": ["0" * 32], "mapping_import": ["nothing"]}
STAFF_URLS = [f"leads:{name}" for name in URLS]  # read by tests/test_url_coverage.py
READERS = {"owner", "leader", "case_manager"}
DECIDERS = {"owner", "leader"}


def test_the_matrix_lists_every_leads_url():
    assert {pattern.name for pattern in leads_urls.urlpatterns} == set(URLS)


def _expected(who: str, method: str, about: str) -> set[int]:
    if who == "anonymous":
        return {302}
    allowed = READERS if method == "GET" else DECIDERS
    if who == "other_jurisdiction":  # a data analyst elsewhere: no object of ours exists for them
        return {404} if about else {200, 302}
    return {200, 302} if who in allowed else {403}


@pytest.mark.parametrize(
    "who",
    [
        "anonymous",
        "wrong_role",
        "township_case_manager",
        "case_manager",
        "other_jurisdiction",
        "leader",
        "owner",
    ],
)
def test_every_url_for_every_role(who, people, scanned, client, client_for):
    package, run, hit = scanned
    objects = {"package": package, "run": run, "hit": hit}
    http = client if who == "anonymous" else client_for(people[who])
    for name, (method, about, data) in URLS.items():
        url = reverse(f"leads:{name}", args=[objects[about].pk] if about else ARGS.get(name, []))
        response = http.get(url) if method.startswith("GET") else http.post(url, data)
        assert response.status_code in _expected(who, method, about), f"{who} {method} {name}"
    hit.refresh_from_db()
    if who not in DECIDERS:
        assert hit.status == HitStatus.PENDING
