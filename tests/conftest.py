"""Fixtures every app's tests share: a small org tree, staff users by role, verified clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianqing.core.generations import caches_clear_all
from lianqing.core.models import Org, OrgKind, User
from lianqing.core.roles import Role
from tests.core.factories import OrgFactory, UserFactory


@pytest.fixture(autouse=True)
def _caches_fresh() -> Iterator[None]:
    """Per-process caches hold database rows, and every test rolls its database back."""
    caches_clear_all()
    yield
    caches_clear_all()


@dataclass
class OrgTree:
    commission: Org
    petition_office: Org  # 信访室
    case_office: Org  # 案件监督管理室
    supervision_office: Org  # 第一监督检查室
    township_a: Org
    township_b: Org


@pytest.fixture
def org_tree(db: None) -> OrgTree:
    commission = OrgFactory(org_code="JW1", name="示范县纪委监委", kind=OrgKind.COMMISSION)
    return OrgTree(
        commission=commission,
        petition_office=OrgFactory(
            org_code="JW1-XF", name="信访室", kind=OrgKind.DEPARTMENT, parent=commission
        ),
        case_office=OrgFactory(
            org_code="JW1-AG", name="案件监督管理室", kind=OrgKind.DEPARTMENT, parent=commission
        ),
        supervision_office=OrgFactory(
            org_code="JW1-JC1", name="第一监督检查室", kind=OrgKind.DEPARTMENT, parent=commission
        ),
        township_a=OrgFactory(
            org_code="JW1-A",
            name="甲镇纪委",
            kind=OrgKind.TOWNSHIP,
            parent=commission,
            region_code="370124001",
        ),
        township_b=OrgFactory(
            org_code="JW1-B",
            name="乙镇纪委",
            kind=OrgKind.TOWNSHIP,
            parent=commission,
            region_code="370124100",
        ),
    )


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(*roles: Role, org: Org, username: str | None = None, **fields: object) -> User:
        extra = {"username": username} if username else {}
        return UserFactory(org=org, roles=list(roles), **extra, **fields)

    return make


def verified_client(user: User) -> Client:
    """A client logged in as `user` with a confirmed TOTP device verified for the session."""
    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    return verified_client
