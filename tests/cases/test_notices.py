"""Notices at once: the handler a case is given to, or the head(s) of a department without one."""

from __future__ import annotations

from django.urls import reverse

from lianqing.core.models import Notification
from lianqing.core.roles import Role
from tests.cases.factories import act, register_case


def test_department_without_handler_hears_of_it_and_has_it_on_its_to_do_list(org_tree, make_user, client_for):
    # Defect 2: assigning to a department without a handler notified nobody
    officer = make_user(Role.PETITION, org=org_tree.petition_office)
    head = make_user(Role.LEADER, Role.SUPERVISION, org=org_tree.supervision_office, username="zhuren")
    member = make_user(Role.SUPERVISION, org=org_tree.supervision_office, username="ganbu")
    case = register_case(org_tree.commission)
    act(case, "accept", officer)
    act(case, "assign", officer, to_org=org_tree.supervision_office)

    notice = Notification.objects.get(recipient=head)
    assert notice.title == f"{case.number} 已分至第一监督检查室，尚无承办人"
    assert notice.link == reverse("cases:detail", args=[case.pk])
    assert not Notification.objects.filter(recipient=member).exists()

    to_do = reverse("cases:inbox") + "?unclaimed=1"
    assert case.number in client_for(member).get(to_do).content.decode()
    act(case, "start", member)  # someone takes it
    assert case.number not in client_for(member).get(to_do).content.decode()


def test_department_without_a_head_of_its_own_escalates_to_the_commission_leaders(org_tree, make_user):
    officer = make_user(Role.PETITION, org=org_tree.petition_office)
    leader = make_user(Role.LEADER, org=org_tree.commission)
    case = register_case(org_tree.commission)
    act(case, "accept", officer)
    act(case, "assign", officer, to_org=org_tree.supervision_office)
    assert Notification.objects.filter(recipient=leader).count() == 1


def test_assigning_with_a_handler_tells_the_handler_only(org_tree, make_user):
    officer = make_user(Role.PETITION, org=org_tree.petition_office)
    head = make_user(Role.LEADER, org=org_tree.supervision_office)
    handler = make_user(Role.SUPERVISION, org=org_tree.supervision_office)
    case = register_case(org_tree.commission)
    act(case, "accept", officer)
    act(case, "assign", officer, to_org=org_tree.supervision_office, handler=handler)
    assert Notification.objects.filter(recipient=handler).count() == 1
    assert not Notification.objects.filter(recipient=head).exists()
