"""The receiving commission and its recipients' keys are cached per process (core.generations):
each submission still seals to exactly the people allowed to read it, in this process and in
every other one, as soon as a change commits.

These tests commit for real (a transactional database): the caches are used and invalidated as
in production. "Another process" is a second cache over the same token file, which no signal of
this process reaches."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lianqing.cases.models import TimeLimits
from lianqing.cases.time_limits import time_limits
from lianqing.core.generations import Generation, KeyedCache
from lianqing.core.models import OrgKind
from lianqing.core.roles import Role
from lianqing.intake.models import StaffKey
from lianqing.intake.recipients import _recipient_keys_load, recipient_keys_for, staff_key_rotate
from lianqing.intake.services import receiving_org
from tests.core.factories import OrgFactory, UserFactory
from tests.intake.conftest import PASSPHRASE, give_key, keeper
from tests.intake.test_keys import _submit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def instance_home(settings, tmp_path):
    settings.HOME = tmp_path / "instance"  # the token files of this test's instance
    settings.HOME.mkdir()
    return settings.HOME


def _holders(report) -> set[str]:
    return set(report.recipients.values_list("staff_key__user__username", flat=True))


def _key_owners(keys) -> set[str]:
    return {key.user.username for key in keys}


def test_a_submission_reads_no_recipient_or_commission_row_while_nothing_changed(instance_home, intake_env):
    org = receiving_org()
    recipient_keys_for(org)
    with CaptureQueriesContext(connection) as queries:
        assert receiving_org().pk == org.pk
        assert _key_owners(recipient_keys_for(org)) == {"keeper"}
    assert queries.captured_queries == []


def test_each_change_of_recipients_reaches_the_next_submission(instance_home, intake_env, org_tree):
    assert _holders(_submit()) == {"keeper"}
    newcomer = UserFactory(org=org_tree.petition_office, roles=[Role.PETITION], username="newcomer")
    give_key(newcomer)
    assert _holders(_submit()) == {"keeper", "newcomer"}  # a new key

    petition = Group.objects.get(name=str(Role.PETITION))
    newcomer.groups.remove(petition)
    assert _holders(_submit()) == {"keeper"}  # a role taken
    newcomer.groups.add(petition)
    assert _holders(_submit()) == {"keeper", "newcomer"}  # and given back

    newcomer.is_active = False
    newcomer.save()
    assert _holders(_submit()) == {"keeper"}  # a person who left

    old_key = StaffKey.objects.get(user=keeper(), retired_at__isnull=True)
    new_key, _ = staff_key_rotate(
        user=keeper(), passphrase=PASSPHRASE, new_passphrase="a brand new passphrase"
    )
    report = _submit()  # a rotated key: the new one only, never the retired one
    assert list(report.recipients.values_list("staff_key_id", flat=True)) == [new_key.pk]
    assert new_key.pk != old_key.pk


def test_another_process_sees_a_change_once_it_commits(instance_home, intake_env, org_tree):
    org = receiving_org()
    other = KeyedCache(Generation("intake-recipients"), _recipient_keys_load)  # another worker's cache
    assert _key_owners(other.get(org.path)) == {"keeper"}
    with CaptureQueriesContext(connection) as queries:
        other.get(org.path)
    assert queries.captured_queries == []  # cached there too

    leader = UserFactory(org=org_tree.commission, roles=[Role.LEADER], username="leader")
    give_key(leader)
    assert _key_owners(other.get(org.path)) == {"keeper", "leader"}
    leader.groups.clear()
    assert _key_owners(other.get(org.path)) == {"keeper"}


def test_the_receiving_commission_follows_a_change_of_orgs(instance_home, intake_env, org_tree, settings):
    assert receiving_org().pk == org_tree.commission.pk
    settings.INTAKE_RECEIVING_ORG_CODE = "JW2"
    OrgFactory(org_code="JW2", name="另一纪委监委", kind=OrgKind.COMMISSION)
    assert receiving_org().org_code == "JW2"


def test_the_time_limits_in_force_follow_a_save(instance_home, db):
    assert time_limits().accept_days == TimeLimits().accept_days
    limits = TimeLimits.objects.get(pk=1)
    limits.accept_days = 9
    limits.save()
    assert time_limits().accept_days == 9
    other = KeyedCache(Generation("time-limits"), lambda _key: TimeLimits.objects.get(pk=1))
    assert other.get().accept_days == 9
    TimeLimits.objects.filter(pk=1).delete()
    TimeLimits.objects.create(pk=1, accept_days=11)
    assert other.get().accept_days == 11  # another process, told by the token
