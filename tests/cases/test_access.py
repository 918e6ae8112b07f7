"""Who sees which case: one definition, and every cases staff URL in the authorization matrix."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from lianqing.cases.access import case_scope, case_visible_to
from lianqing.cases.models import Case, CaseAttachment, CaseEvent, CaseNote, HigherLevel
from lianqing.cases.services import case_attachment_add
from lianqing.core.models import AuditEvent, Clearance, OrgKind
from lianqing.core.roles import Role
from tests.cases.factories import act, register_case
from tests.core.factories import OrgFactory


@pytest.fixture
def fixtures(org_tree, make_user):
    """Cases at every level and of every sensitivity, and a user of every role at several orgs."""
    handler = make_user(Role.SUPERVISION, org=org_tree.supervision_office, username="handler")
    cases = {
        "commission": register_case(org_tree.commission),
        "township-a": register_case(org_tree.township_a),
        "township-b": register_case(org_tree.township_b),
        "confidential": register_case(org_tree.commission, confidentiality=Clearance.CONFIDENTIAL),
        "secret": register_case(org_tree.commission, confidentiality=Clearance.SECRET),
        "level-above": register_case(org_tree.commission, higher_level=HigherLevel.LEVEL_ABOVE),
        "own-head": register_case(org_tree.commission, higher_level=HigherLevel.OWN_HEAD),
        "foreign": register_case(OrgFactory(org_code="OTHER", kind=OrgKind.COMMISSION)),
    }
    officer = make_user(Role.PETITION, org=org_tree.petition_office, username="officer")
    act(cases["commission"], "accept", officer)
    act(cases["commission"], "assign", officer, to_org=org_tree.supervision_office, handler=handler)
    users = {"handler": handler, "officer": officer}
    orgs = {
        "commission": org_tree.commission,
        "petition": org_tree.petition_office,
        "supervision": org_tree.supervision_office,
        "township": org_tree.township_a,
    }
    for role in Role:
        for place, org in orgs.items():
            for clearance in (Clearance.ORDINARY, Clearance.SECRET):
                name = f"{role.name}-{place}-{clearance}"
                users[name] = make_user(role, org=org, username=name, clearance=clearance)
    users["superuser"] = make_user(org=org_tree.commission, username="root", is_superuser=True)
    return cases, users


def test_the_list_and_the_case_page_agree_for_every_role_and_case(fixtures):
    cases, users = fixtures
    disagreements = []
    for user_name, user in users.items():
        listed = set(case_scope(Case.objects.all(), user).values_list("pk", flat=True))
        for case_name, case in cases.items():
            if (case.pk in listed) != case_visible_to(case, user):
                disagreements.append((user_name, case_name))
    assert disagreements == []
    # and the rule is not trivially "all" or "nothing"
    seen = {name: case_visible_to(cases["township-b"], user) for name, user in users.items()}
    assert seen["PETITION-commission-0"]
    assert not seen["PETITION-township-0"]
    top = Clearance.SECRET
    assert not case_visible_to(cases["secret"], users["LEADER-commission-0"])
    assert not case_visible_to(cases["level-above"], users[f"SUPERVISION-supervision-{top}"])
    assert case_visible_to(cases["level-above"], users[f"PETITION-petition-{top}"])
    assert case_visible_to(cases["commission"], users["handler"])
    assert not case_visible_to(cases["foreign"], users[f"LEADER-commission-{top}"])


# --- the authorization matrix of every cases staff URL ----------------------------------------

CASE_URLS = [
    # (name, method, needs a case, right role's expected status)
    ("cases:inbox", "get", False, 200),
    ("cases:export", "get", False, 200),
    ("cases:bulk_assign", "post", False, 302),
    ("cases:register", "post", False, 302),
    ("cases:statistics", "get", False, 200),
    ("cases:statistics_data", "get", False, 200),
    ("cases:detail", "get", True, 200),
    ("cases:act", "post", True, 302),
    ("cases:add_note", "post", True, 302),
    ("cases:add_attachment", "post", True, 302),
    ("cases:attachment", "get", True, 200),
    ("cases:print", "get", True, 200),
]

STAFF_URLS = [name for name, *_ in CASE_URLS]  # read by tests/test_url_coverage.py


def test_every_cases_url_is_in_the_matrix():
    from lianqing.cases.urls import urlpatterns

    assert {f"cases:{pattern.name}" for pattern in urlpatterns} == {name for name, *_ in CASE_URLS}


@pytest.fixture
def matrix(org_tree, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    officer = make_user(Role.PETITION, org=org_tree.petition_office, username="officer")
    case = register_case(org_tree.commission)
    attachment = case_attachment_add(case=case, by=officer, uploaded=ContentFile(b"x", name="a.txt"))
    people = {
        "right-role": officer,
        "other-jurisdiction": make_user(Role.PETITION, org=org_tree.township_b, username="township"),
        "wrong-role": make_user(Role.DATA_ANALYSIS, org=org_tree.commission, username="analyst"),
    }
    return case, attachment, people, org_tree


def _request(client: Client, name: str, method: str, case: Case, attachment: CaseAttachment, org_tree) -> int:
    args: list[object] = []
    data: dict[str, object] = {}
    if name == "cases:act":
        args, data = [case.pk, "accept"], {"accept-version": case.version}
    elif name == "cases:attachment":
        args = [case.pk, attachment.pk]
    elif name in {"cases:detail", "cases:print", "cases:add_note", "cases:add_attachment"}:
        args = [case.pk]
    if name == "cases:add_note":
        data = {"text": "备注"}
    elif name == "cases:add_attachment":
        data = {"file": ContentFile(b"y", name="b.txt")}
    elif name == "cases:bulk_assign":
        data = {"case_ids": [case.pk], "to_org": org_tree.supervision_office.pk, "mode": "delegate"}
    elif name == "cases:register":
        data = {
            "kind": "petition", "source": "letter", "category": "sifeng_dining", "summary": "来信反映",
            "received_at": "2026-11-30T09:30", "confidentiality": 0,
        }  # fmt: skip
    response = getattr(client, method)(reverse(name, args=args), data)
    return response.status_code


def _footprint(case: Case) -> tuple[object, ...]:
    fresh = Case.objects.get(pk=case.pk)
    return (
        fresh.status,
        fresh.version,
        fresh.org_id,
        CaseEvent.objects.count(),
        CaseNote.objects.count(),
        CaseAttachment.objects.count(),
        Case.objects.count(),
    )


@pytest.mark.parametrize(
    ("name", "method", "needs_case", "allowed"), CASE_URLS, ids=[u[0] for u in CASE_URLS]
)
@pytest.mark.parametrize("who", ["anonymous", "other-jurisdiction", "wrong-role", "right-role"])
def test_authorization_matrix(matrix, client_for, name, method, needs_case, allowed, who):
    case, attachment, people, org_tree = matrix
    client = Client() if who == "anonymous" else client_for(people[who])
    before, audit_before = _footprint(case), AuditEvent.objects.count()
    status = _request(client, name, method, case, attachment, org_tree)
    if who == "right-role":
        assert status == allowed
        return
    if who == "anonymous":
        assert status == 302  # to the login page
    elif who == "other-jurisdiction" and name == "cases:register":
        # a township commission registers in its own jurisdiction, never in ours
        assert status == 302
        assert Case.objects.latest("pk").home_org == org_tree.township_b
        return
    elif who == "other-jurisdiction" and name == "cases:bulk_assign":
        assert status == 302  # back to their inbox: our case is not among theirs
    elif needs_case or name in {"cases:bulk_assign", "cases:register"}:
        # the same 404 for a case one may not see as for a missing one; 403 for a screen of another role
        assert status in {403, 404}
    elif name == "cases:export":
        assert status == 200  # an export of nothing but one's own (empty) list
    else:
        assert status in {200, 403}
    assert _footprint(case) == before  # denied: nothing changed
    if who == "anonymous" or needs_case:
        assert AuditEvent.objects.count() == audit_before
