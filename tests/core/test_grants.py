"""Separation of duties: the superuser flag reads no content; role grants need a 领导 to confirm."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from lianqing.cases.models import HigherLevel
from lianqing.core import grants
from lianqing.core.models import AuditEvent, GrantStatus, RoleGrantRequest
from lianqing.core.roles import Role
from lianqing.intake.abuse import challenge_issue, proof_solve
from lianqing.intake.services import ReportDraft, report_submit
from tests.cases.factories import register_case
from tests.intake.conftest import intake_env, intake_key_dir  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

DRAFT = ReportDraft(
    category="sifeng_gifts",
    region_code="370124",
    description="反映本委主要负责人春节前收受下属单位送的购物卡，合计数万元。",
    persons=[{"name": "王某", "org_name": "县纪委监委", "position": "书记"}],
)


@pytest.fixture
def admin_user(org_tree, make_user):
    return make_user(Role.ADMIN, org=org_tree.commission, username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def report(request):
    request.getfixturevalue("intake_env")
    challenge = challenge_issue()
    return report_submit(
        draft=DRAFT,
        uploads=[],
        token=challenge.token,
        proof=proof_solve(challenge.token, challenge.bits),
        client="c",
    ).report


def test_superuser_opens_no_report_case_or_lead(org_tree, admin_user, client_for, report, settings):
    """Reports about the commission's own head, plain cases, leads: none for the administrator."""
    own_head = register_case(org_tree.commission, higher_level=HigherLevel.OWN_HEAD)
    plain = register_case(org_tree.petition_office)
    client = client_for(admin_user)

    pages = {
        "report list": client.get(reverse("intake:staff_report_list")),
        "report": client.get(reverse("intake:staff_report_detail", args=[report.pk])),
        "own-head case": client.get(reverse("cases:detail", args=[own_head.pk])),
        "case": client.get(reverse("cases:detail", args=[plain.pk])),
        "case export": client.get(reverse("cases:export")),
        "leads": client.get(reverse("leads:package_list")),
    }
    assert pages["report"].status_code == 404
    assert pages["own-head case"].status_code == 404
    assert pages["case"].status_code == 404
    assert (
        pages["report list"].status_code in {403, 404}
        or DRAFT.description[:10] not in pages["report list"].content.decode()
    )
    assert pages["case export"].status_code in {403, 404} or plain.summary not in pages[
        "case export"
    ].content.decode(errors="ignore")
    assert pages["leads"].status_code in {403, 404}
    assert not admin_user.has_role(Role.PETITION, Role.LEADER, Role.CASE_MANAGEMENT)


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        pytest.param("anonymous", False, id="anonymous"),
        pytest.param("superuser", False, id="superuser-admin"),
        pytest.param("other-township", False, id="other-jurisdiction"),
        pytest.param("data-analyst", False, id="wrong-role"),
        pytest.param("petition", True, id="right-role"),
    ],
)
def test_report_authorization_matrix(org_tree, make_user, client_for, client, admin_user, report, who, sees):
    users = {
        "superuser": admin_user,
        "other-township": make_user(Role.PETITION, org=org_tree.township_b),
        "data-analyst": make_user(Role.DATA_ANALYSIS, org=org_tree.commission),
        "petition": make_user(Role.PETITION, org=org_tree.petition_office),
    }
    http = client if who == "anonymous" else client_for(users[who])
    response = http.get(reverse("intake:staff_report_detail", args=[report.pk]))
    assert (response.status_code == 200) is sees
    if who != "anonymous" and not sees:
        assert response.status_code == 404


def _group_ids(user):
    return set(user.groups.values_list("name", flat=True))


def test_admin_cannot_grant_himself_petition_in_the_admin(org_tree, admin_user, client_for, make_user):
    leader = make_user(Role.LEADER, org=org_tree.commission, username="lingdao")
    client = client_for(admin_user)
    petition = Group.objects.get_or_create(name=str(Role.PETITION))[0]
    admin_group = Group.objects.get(name=str(Role.ADMIN))
    form = client.get(reverse("admin:core_user_change", args=[admin_user.pk]))
    assert form.status_code == 200
    data = {
        "username": "root",
        "full_name": "",
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [admin_group.pk, petition.pk],
        "org": org_tree.commission.pk,
        "clearance": "1",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    response = client.post(reverse("admin:core_user_change", args=[admin_user.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]

    admin_user.refresh_from_db()
    assert str(Role.PETITION) not in _group_ids(admin_user)  # not yet: waits for a leader
    grant = RoleGrantRequest.objects.get(user=admin_user, role=str(Role.PETITION))
    assert grant.status == GrantStatus.PENDING
    requested = AuditEvent.objects.filter(object_type="core.rolegrantrequest", details__step="requested")
    assert requested.filter(actor=admin_user).exists()
    assert AuditEvent.objects.filter(details__via="admin", object_type="core.user").exists()

    # The administrator cannot confirm his own request, nor can the grantee (same person here).
    with pytest.raises(grants.GrantRefusedError):
        grants.role_grant_confirm(grant_id=grant.pk, by=admin_user)

    leader_client = client_for(leader)
    page = leader_client.get(reverse("core:grants"))
    assert "root" in page.content.decode()
    leader_client.post(reverse("core:grants"), {"grant_id": grant.pk, "decision": "confirm"})
    admin_user.refresh_from_db()
    del admin_user._role_names
    assert str(Role.PETITION) in _group_ids(admin_user)
    assert AuditEvent.objects.filter(
        object_type="core.rolegrantrequest", details__step="confirmed", actor=leader
    ).exists()


@pytest.mark.parametrize(
    ("confirmer", "allowed"),
    [
        pytest.param("leader-of-commission", True, id="leader"),
        pytest.param("leader-of-township", False, id="township-leader"),
        pytest.param("petition", False, id="wrong-role"),
        pytest.param("superuser", False, id="superuser"),
        pytest.param("requester-leader", False, id="requester-cannot-confirm"),
    ],
)
def test_who_may_confirm(org_tree, make_user, admin_user, confirmer, allowed):
    target = make_user(org=org_tree.petition_office, username="newcomer")
    requester_leader = make_user(Role.LEADER, org=org_tree.commission, username="l2")
    people = {
        "leader-of-commission": make_user(Role.LEADER, org=org_tree.commission, username="l1"),
        "leader-of-township": make_user(Role.LEADER, org=org_tree.township_a, username="l3"),
        "petition": make_user(Role.PETITION, org=org_tree.petition_office, username="p1"),
        "superuser": admin_user,
        "requester-leader": requester_leader,
    }
    by = requester_leader if confirmer == "requester-leader" else admin_user
    grant = grants.role_grant_request(user=target, role=Role.PETITION, by=by)
    if allowed:
        grants.role_grant_confirm(grant_id=grant.pk, by=people[confirmer])
        assert str(Role.PETITION) in _group_ids(target)
    else:
        with pytest.raises(grants.GrantRefusedError):
            grants.role_grant_confirm(grant_id=grant.pk, by=people[confirmer])
        assert str(Role.PETITION) not in _group_ids(target)
        assert RoleGrantRequest.objects.get(pk=grant.pk).status == GrantStatus.PENDING


def test_grant_page_is_for_leaders_only(org_tree, make_user, client_for, admin_user):
    assert client_for(admin_user).get(reverse("core:grants")).status_code == 404
    petition = make_user(Role.PETITION, org=org_tree.petition_office)
    assert client_for(petition).get(reverse("core:grants")).status_code == 404


def test_admin_cannot_rename_or_create_role_groups(admin_user, client_for):
    client = client_for(admin_user)
    group = Group.objects.get(name=str(Role.ADMIN))
    client.post(reverse("admin:auth_group_change", args=[group.pk]), {"name": str(Role.PETITION)})
    client.post(reverse("admin:auth_group_add"), {"name": "信访2"})
    group.refresh_from_db()
    assert group.name == str(Role.ADMIN)
    assert not Group.objects.filter(name="信访2").exists()


def test_command_line_grants_only_while_no_leader_could_confirm(org_tree, make_user):
    first = make_user(org=org_tree.commission, username="first-leader")
    call_command("roles", "grant", "--username", "first-leader", "--role", str(Role.LEADER))
    assert str(Role.LEADER) in _group_ids(first)  # bootstrap: nobody could confirm yet
    second = make_user(org=org_tree.petition_office, username="second")
    call_command("roles", "grant", "--username", "second", "--role", str(Role.PETITION))
    assert str(Role.PETITION) not in _group_ids(second)  # now the first leader must confirm
    assert RoleGrantRequest.objects.filter(user=second, status=GrantStatus.PENDING).exists()
