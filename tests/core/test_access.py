"""Jurisdiction: who sees which org. Objects of other apps are scoped by the same function."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianqing.core.access import jurisdiction_root, scope_to_jurisdiction
from lianqing.core.models import Org
from lianqing.core.roles import Role

pytestmark = pytest.mark.django_db


def test_township_user_cannot_read_another_township_by_url(org_tree, make_user, client_for):
    user = make_user(Role.PETITION, org=org_tree.township_a)
    client = client_for(user)

    own = client.get(reverse("core:org_detail", args=[org_tree.township_a.pk]))
    other = client.get(reverse("core:org_detail", args=[org_tree.township_b.pk]))
    missing = client.get(reverse("core:org_detail", args=[999_999]))

    assert own.status_code == 200
    assert "甲镇纪委" in own.content.decode()
    assert other.status_code == 404
    assert missing.status_code == 404
    assert "乙镇纪委" not in other.content.decode()
    # The same page for a forbidden and a missing org: the URL tells nothing.
    assert other.content == missing.content


@pytest.mark.parametrize(
    ("role", "org_attr", "sees_all"),
    [
        pytest.param(Role.LEADER, "commission", True, id="leader-of-commission"),
        pytest.param(Role.CASE_MANAGEMENT, "case_office", True, id="case-management-department"),
        pytest.param(Role.PETITION, "petition_office", True, id="petition-office-runs-the-whole-inbox"),
        pytest.param(Role.SUPERVISION, "supervision_office", False, id="supervision-department-own-subtree"),
        pytest.param(Role.LEADER, "township_a", False, id="township-leader-own-township"),
    ],
)
def test_commission_wide_roles(org_tree, make_user, role, org_attr, sees_all):
    user = make_user(role, org=getattr(org_tree, org_attr))
    visible = set(
        scope_to_jurisdiction(Org.objects.all(), user, org_field="").values_list("org_code", flat=True)
    )
    if sees_all:
        assert jurisdiction_root(user) == org_tree.commission
        assert visible == set(Org.objects.values_list("org_code", flat=True))
    else:
        assert visible == {getattr(org_tree, org_attr).org_code}


def test_org_list_shows_only_the_jurisdiction(org_tree, make_user, client_for, django_assert_max_num_queries):
    client = client_for(make_user(Role.SUPERVISION, org=org_tree.township_b))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("core:org_list"))
    body = response.content.decode()
    assert "乙镇纪委" in body
    assert "甲镇纪委" not in body


def test_anonymous_is_sent_to_login(org_tree, client):
    response = client.get(reverse("core:org_detail", args=[org_tree.township_a.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


def test_audit_page_is_the_auditors_and_the_security_administrators(org_tree, make_user, client_for):
    petition = client_for(make_user(Role.PETITION, org=org_tree.petition_office))
    leader = client_for(make_user(Role.LEADER, org=org_tree.commission))
    auditor = client_for(make_user(Role.AUDITOR, org=org_tree.commission))
    assert petition.get(reverse("core:audit_list")).status_code == 403
    assert leader.get(reverse("core:audit_list")).status_code == 403  # 三员分立: the auditor's log
    assert auditor.get(reverse("core:audit_list")).status_code == 200
