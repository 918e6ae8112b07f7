"""三员分立: the system administrator, the security administrator and the auditor cannot do each
other's work, no one account holds two of them, and production refuses a superuser."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.core.checks import run_checks
from django.db import transaction
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

from lianqing.core import demo
from lianqing.core.grants import GrantRefusedError, role_grant_bootstrap, role_grant_request
from lianqing.core.models import AuditEvent, Clearance, GrantStatus, Org, RoleGrantRequest, User
from lianqing.core.roles import THREE_ADMINS, Role
from lianqing.core.separation import ThreeAdminsError, role_permissions_ensure, superusers_retire
from tests.test_url_coverage import PUBLIC, PUBLIC_NAMESPACES, _names

# The staff pages (without arguments) each of the three may open; every other one refuses them.
# (The case inbox and its export open for every staff user and list nothing here: case_scope gives
# none of the three a single case.)
EVERY_STAFF_USER = {
    "core:home", "core:password_change", "core:org_list", "core:notifications", "cases:inbox", "cases:export",
}  # fmt: skip
MAY_OPEN = {
    Role.ADMIN: EVERY_STAFF_USER | {"triage:model", "integrity:map_upload"},
    Role.SECURITY_ADMIN: EVERY_STAFF_USER | {"core:audit_list"},
    Role.AUDITOR: EVERY_STAFF_USER | {"core:audit_list", "core:audit_export"},
}
# Admin-site pages by role: 200 for the listed ones, 403 for the others.
ADMIN_PAGES = {
    "/admin/core/user/": {Role.ADMIN, Role.SECURITY_ADMIN},
    "/admin/core/user/add/": {Role.ADMIN},
    "/admin/core/org/": {Role.ADMIN},
    "/admin/core/org/add/": {Role.ADMIN},
    "/admin/cases/timelimits/": {Role.ADMIN},
    "/admin/intake/retentionpolicy/": {Role.SECURITY_ADMIN},
    "/admin/core/auditevent/": set(),  # the auditor reads the log on /staff/audit/, not in the admin site
}


@pytest.fixture
def three(org_tree, make_user):
    role_permissions_ensure()
    return {
        Role.ADMIN: make_user(Role.ADMIN, org=org_tree.commission, username="admin"),
        Role.SECURITY_ADMIN: make_user(Role.SECURITY_ADMIN, org=org_tree.commission, username="anquan"),
        Role.AUDITOR: make_user(Role.AUDITOR, org=org_tree.commission, username="shenji"),
    }


def _staff_urls_without_arguments() -> list[str]:
    from django.urls import get_resolver

    names = []
    for name in sorted(set(_names(get_resolver().url_patterns))):
        if name in PUBLIC or name.startswith(PUBLIC_NAMESPACES):
            continue
        try:
            reverse(name)
        except NoReverseMatch:
            continue
        names.append(name)
    return names


@pytest.mark.parametrize("role", sorted(THREE_ADMINS), ids=lambda r: r.name)
def test_each_of_the_three_opens_only_its_own_staff_pages(three, client_for, role):
    http = client_for(three[role])
    opened = set()
    for name in _staff_urls_without_arguments():
        response = http.get(reverse(name))
        if response.status_code == 200:
            opened.add(name)
    assert opened == MAY_OPEN[role]


@pytest.mark.parametrize("role", sorted(THREE_ADMINS), ids=lambda r: r.name)
def test_each_of_the_three_sees_only_its_part_of_the_admin_site(three, client_for, role):
    http = client_for(three[role])
    got = {page: http.get(page).status_code for page in ADMIN_PAGES}
    wanted = {page: 200 if role in roles else 403 for page, roles in ADMIN_PAGES.items()}
    if role == Role.AUDITOR:  # not an admin-site user at all: sent to sign in
        wanted = dict.fromkeys(ADMIN_PAGES, 302)
    assert got == wanted


def test_the_system_administrator_cannot_change_roles_or_clearance(three, client_for, org_tree, make_user):
    person = make_user(
        Role.PETITION, org=org_tree.petition_office, username="clerk", clearance=Clearance.ORDINARY
    )
    page = client_for(three[Role.ADMIN]).get(f"/admin/core/user/{person.pk}/change/").content.decode()
    assert 'name="full_name"' in page
    assert 'name="groups"' not in page
    assert 'name="clearance"' not in page
    assert 'name="is_superuser"' not in page


def test_the_security_administrator_changes_roles_and_clearance_only(three, client_for, org_tree, make_user):
    person = make_user(
        Role.PETITION, org=org_tree.petition_office, username="clerk", clearance=Clearance.ORDINARY
    )
    http = client_for(three[Role.SECURITY_ADMIN])
    page = http.get(f"/admin/core/user/{person.pk}/change/").content.decode()
    assert 'name="groups"' in page
    assert 'name="clearance"' in page
    assert 'name="full_name"' not in page
    petition, trial = Group.objects.get(name="信访"), Group.objects.get_or_create(name="审理")[0]
    response = http.post(
        f"/admin/core/user/{person.pk}/change/",
        {"groups": [petition.pk, trial.pk], "clearance": Clearance.SECRET, "_save": "1"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.clearance == Clearance.SECRET
    assert person.role_names() == {"信访"}  # the new role waits for a 领导
    assert RoleGrantRequest.objects.filter(user=person, role="审理", status=GrantStatus.PENDING).exists()


@pytest.mark.parametrize(
    ("held", "adding"),
    [(Role.ADMIN, Role.AUDITOR), (Role.AUDITOR, Role.SECURITY_ADMIN), (Role.SECURITY_ADMIN, Role.ADMIN)],
    ids=["admin+auditor", "auditor+security", "security+admin"],
)
def test_no_account_holds_two_of_the_three(org_tree, make_user, held, adding):
    person = make_user(held, org=org_tree.commission, username="one")
    with pytest.raises(GrantRefusedError, match="三员分立"):
        role_grant_request(user=person, role=adding, by=None)
    group = Group.objects.get_or_create(name=str(adding))[0]
    with pytest.raises(ThreeAdminsError, match="三员分立"), transaction.atomic():  # on any path
        person.groups.add(group)
    with pytest.raises(ThreeAdminsError, match="三员分立"), transaction.atomic():
        group.user_set.add(person)
    assert person.role_names() == {str(held)}
    assert not RoleGrantRequest.objects.filter(user=person).exists()


def test_two_pending_requests_cannot_make_one_account_two_of_the_three(org_tree, make_user):
    person = make_user(Role.PETITION, org=org_tree.commission, username="two")
    role_grant_request(user=person, role=Role.ADMIN, by=None)
    with pytest.raises(GrantRefusedError, match="三员分立"):
        role_grant_request(user=person, role=Role.AUDITOR, by=None)
    role_grant_bootstrap(user=person, role=Role.ADMIN)  # no 领导 yet: effective at once
    assert User.objects.get(pk=person.pk).has_role(Role.ADMIN)


def test_the_auditor_reads_and_exports_every_row_and_the_security_administrator_sees_those_reads(
    three, client_for, org_tree
):
    auditor, security = client_for(three[Role.AUDITOR]), client_for(three[Role.SECURITY_ADMIN])
    admin = client_for(three[Role.ADMIN])
    admin.post(reverse("admin:core_org_add"), {"org_code": "NEW1", "name": "新机构", "kind": "other"})
    assert Org.objects.filter(org_code="NEW1").exists()
    listed = auditor.get(reverse("core:audit_list")).content.decode()
    assert "admin" in listed  # the system administrator's change is in the auditor's log
    exported = b"".join(auditor.get(reverse("core:audit_export")).streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    assert any(row[2] == "admin" and row[4] == "core.org" for row in rows[1:])
    reads = AuditEvent.objects.filter(actor=three[Role.AUDITOR], object_type="core.auditevent")
    assert set(reads.values_list("action", flat=True)) == {"view", "export"}
    seen = security.get(reverse("core:audit_list")).content.decode()
    assert seen.count("shenji") >= 2  # both of the auditor's reads
    assert "core.org" not in seen  # the security administrator reads the auditors' rows only


@pytest.mark.django_db
def test_production_refuses_a_superuser_until_it_is_retired(org_tree, make_user):
    make_user(Role.ADMIN, org=org_tree.commission, username="root", is_superuser=True)
    with override_settings(MODE="production"):
        errors = [e for e in run_checks(tags=["security"]) if e.id == "lianqing.E002"]
    assert len(errors) == 1
    assert "root" in errors[0].msg
    assert "superuser_retire" in errors[0].msg
    assert superusers_retire(by=None) == ["root"]
    with override_settings(MODE="production"):
        assert [e for e in run_checks(tags=["security"]) if e.id == "lianqing.E002"] == []
    root = User.objects.get(username="root")
    assert not root.is_superuser
    assert root.has_role(Role.ADMIN)  # keeps its role


@pytest.mark.django_db
def test_the_demo_has_the_three_administrators_and_no_superuser():
    out = io.StringIO()
    demo.load(out)
    assert not User.objects.filter(is_superuser=True).exists()
    assert {
        u.username: u.role_names() for u in User.objects.filter(username__in=["admin", "anquan", "shenji"])
    } == {
        "admin": {"系统管理员"},
        "anquan": {"安全保密管理员"},
        "shenji": {"安全审计员"},
    }
    assert User.objects.get(username="shenji").check_password(demo.DEMO_PASSWORD)


def test_a_security_setting_changed_in_the_admin_site_is_audited(three, client_for):
    from lianqing.intake.models import Category, RetentionPolicy

    policy = RetentionPolicy.objects.create(
        category=Category.values[0], identity_days=365, attachments_days=365, content_days=730
    )
    http = client_for(three[Role.SECURITY_ADMIN])
    form = http.get(f"/admin/intake/retentionpolicy/{policy.pk}/change/").context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data["content_days"] = 731
    assert http.post(f"/admin/intake/retentionpolicy/{policy.pk}/change/", data).status_code == 302
    row = AuditEvent.objects.filter(
        object_type="intake.retentionpolicy", actor=three[Role.SECURITY_ADMIN]
    ).get()
    assert row.details["values"]["content_days"] == str(data["content_days"])
