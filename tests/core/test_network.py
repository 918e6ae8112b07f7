"""The client's address behind proxies: X-Forwarded-For is believed only through trusted hops."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client, RequestFactory
from django.urls import reverse

from lianqing.core.models import AuditEvent
from lianqing.core.network import client_address
from lianqing.core.roles import Role
from lianqing.intake.abuse import client_key
from tests.core.factories import TEST_PASSWORD

PROXY = "10.0.0.5"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "fd00::/8"]
    return settings


def _request(peer: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        pytest.param("198.51.100.9", None, "198.51.100.9", id="direct"),
        pytest.param("198.51.100.9", "1.2.3.4", "198.51.100.9", id="forged-header-from-untrusted-peer"),
        pytest.param(PROXY, "203.0.113.7", "203.0.113.7", id="through-trusted-proxy"),
        pytest.param(PROXY, "6.6.6.6, 203.0.113.7", "203.0.113.7", id="client-forged-left-part-ignored"),
        pytest.param(PROXY, "203.0.113.7, 10.0.0.6", "203.0.113.7", id="two-trusted-hops"),
        pytest.param(PROXY, "10.0.0.7, 10.0.0.6", "10.0.0.7", id="all-hops-trusted"),
        pytest.param(PROXY, "203.0.113.7, junk", PROXY, id="garbage-hop-stops"),
        pytest.param(PROXY, "", PROXY, id="proxy-without-header"),
        pytest.param("::ffff:10.0.0.5", "203.0.113.7", "203.0.113.7", id="ipv4-mapped-proxy"),
    ],
)
def test_client_address(behind_proxy, peer, forwarded, expected):
    assert client_address(_request(peer, forwarded)) == expected


def test_without_trusted_proxies_the_header_is_never_read(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(_request(PROXY, "203.0.113.7")) == PROXY


def test_intake_rate_key_follows_the_real_client(behind_proxy):
    alice = client_key(_request(PROXY, "203.0.113.7"))
    bob = client_key(_request(PROXY, "203.0.113.8"))
    assert alice != bob  # two citizens behind the same nginx no longer share one limit
    forger = {client_key(_request("198.51.100.9", f"1.2.3.{n}")) for n in range(5)}
    assert len(forger) == 1  # a forged header from outside changes nothing


def _sign_in(client: Client, username: str, password: str, address: str):
    return client.post(
        reverse("core:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


@pytest.mark.django_db
def test_lockout_is_per_username_and_real_client(behind_proxy, org_tree, make_user):
    """Behind the proxy, an attacker's bad passwords no longer lock the colleague out."""
    make_user(Role.PETITION, org=org_tree.petition_office, username="xf")
    attacker = Client()
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        _sign_in(attacker, "xf", "wrong-password", "198.51.100.66")
    assert _sign_in(attacker, "xf", TEST_PASSWORD, "198.51.100.66").status_code == 429
    colleague = _sign_in(Client(), "xf", TEST_PASSWORD, "203.0.113.7")
    assert colleague.status_code == 302
    assert AuditEvent.objects.filter(action="login", ip_address="203.0.113.7").exists()


@pytest.mark.django_db
def test_forged_header_from_outside_does_not_escape_lockout(behind_proxy, org_tree, make_user):
    make_user(Role.PETITION, org=org_tree.petition_office, username="xf")
    attacker = Client()
    for n in range(django_settings.AXES_FAILURE_LIMIT):
        attacker.post(
            reverse("core:login"),
            {"username": "xf", "password": "wrong"},
            REMOTE_ADDR="198.51.100.66",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    locked = attacker.post(
        reverse("core:login"),
        {"username": "xf", "password": TEST_PASSWORD},
        REMOTE_ADDR="198.51.100.66",
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert locked.status_code == 429
