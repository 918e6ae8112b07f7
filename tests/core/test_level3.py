"""The 等保 2.0 level-3 settings: password complexity and expiry, one session per account, the idle
timeout, audit retention, the syslog sink, the time source in every row, audited security
configuration, and the installed code checked against its RECORD hashes."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import logging.config
import socket
from datetime import timedelta
from importlib import metadata

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lianqing import settings as lianqing_settings
from lianqing.core.audit import audit_record, audit_verify
from lianqing.core.audit_retention import AuditRetentionError, audit_prune
from lianqing.core.code_integrity import installed_files_check
from lianqing.core.models import AuditAction, AuditEvent, User
from lianqing.core.roles import Role
from lianqing.core.security_settings import security_settings_audit
from tests.core.factories import TEST_PASSWORD


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("lowercase-only-words", False),
        ("abcdefghij12", False),
        ("Abcdefghij12", True),
        ("abcdefgh-12x", True),
    ],
    ids=["one-class-and-symbol", "two-classes", "three-classes", "lower-digit-symbol"],
)
def test_a_password_needs_three_kinds_of_character(password, accepted):
    if accepted:
        validate_password(password)
        return
    with pytest.raises(ValidationError, match="至少 3 类"):
        validate_password(password)


@override_settings(PASSWORD_MAX_AGE_DAYS=90)
def test_an_expired_password_must_be_changed_before_anything_else(org_tree, make_user, client_for):
    user = make_user(Role.PETITION, org=org_tree.petition_office)
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    http = client_for(user)
    response = http.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:password_change"))
    assert "已过有效期" in http.get(reverse("core:password_change")).content.decode()
    http.post(
        reverse("core:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Brand-New-Pass-77",
            "new_password2": "Brand-New-Pass-77",
        },
    )
    assert http.get(reverse("core:home")).status_code == 200
    assert timezone.now() - User.objects.get(pk=user.pk).password_changed_at < timedelta(minutes=1)


def _signed_in(username: str) -> Client:
    client = Client()
    client.post(reverse("core:login"), {"username": username, "password": TEST_PASSWORD})
    return client


@pytest.mark.parametrize("single", [True, False], ids=["one-session", "several-sessions"])
def test_one_session_per_account_ends_the_earlier_one(org_tree, make_user, single):
    make_user(Role.PETITION, org=org_tree.petition_office, username="clerk")
    with override_settings(SINGLE_SESSION=single):
        first = _signed_in("clerk")
        assert first.get(reverse("core:otp")).status_code == 200  # signed in, at the second factor
        _signed_in("clerk")
        still = first.get(reverse("core:otp"))
    assert (still.status_code == 302) == single  # the earlier session was ended: back to sign in
    login = AuditEvent.objects.filter(action="login", actor_username="clerk").order_by("-seq").first()
    assert login is not None
    assert login.details.get("other_sessions_ended", False) == single


@pytest.mark.django_db
def test_the_session_ends_after_the_idle_time_and_is_renewed_at_most_once_a_minute(
    org_tree, make_user, client_for
):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60
    assert settings.SESSION_IDLE_MINUTES == 30  # the default outside the demo
    client = client_for(make_user(Role.PETITION, org=org_tree.petition_office))
    inbox = reverse("cases:inbox")
    assert client.get(inbox).status_code == 200
    row = Session.objects.get(pk=client.session.session_key)

    # Within the minute: no write of the session row
    with CaptureQueriesContext(connection) as queries:
        assert client.get(inbox).status_code == 200
    assert [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]
    ] == []

    # A minute after the last renewal (the row would end in a minute): a request gives it 30 more
    session = client.session
    session["_renewed_at"] -= 61
    session.save()
    Session.objects.filter(pk=row.pk).update(expire_date=timezone.now() + timedelta(minutes=1))
    assert client.get(inbox).status_code == 200
    assert Session.objects.get(pk=row.pk).expire_date > timezone.now() + timedelta(minutes=29)

    # Idle past the timeout: the session is gone and the page asks for a sign-in
    Session.objects.filter(pk=row.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(inbox)
    assert response.status_code == 302
    assert "/staff/login/" in response["Location"]


@pytest.mark.django_db
def test_audit_rows_younger_than_the_retention_period_are_never_pruned():
    for n in range(5):
        audit_record(action=AuditAction.CREATE, object_type="case", object_id=str(n))
    with pytest.raises(AuditRetentionError, match="至少保存 183 天"):
        audit_prune(older_than_days=30)
    assert audit_prune(older_than_days=183) == 0  # nothing is that old
    assert AuditEvent.objects.count() == 5
    later = timezone.now() + timedelta(days=200)  # half a year on, the same rows are old enough
    removed = audit_prune(older_than_days=183, now=later)
    assert removed == 4  # never the chain's last row
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == [5, 6]  # 6: the prune
    assert audit_verify().ok  # the chain verifies from where the pruned part ended


@pytest.mark.django_db
def test_every_row_names_its_time_source_and_goes_to_the_syslog_sink(
    django_capture_on_commit_callbacks, monkeypatch
):
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(5)
    monkeypatch.setattr(lianqing_settings, "AUDIT_SYSLOG", f"udp://127.0.0.1:{receiver.getsockname()[1]}")
    handlers = lianqing_settings._audit_sink_handlers()
    logger = logging.getLogger("lianqing.audit")
    saved = logger.handlers[:]
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": lianqing_settings.LOGGING["formatters"],
            "handlers": handlers,
            "loggers": {
                "lianqing.audit": {"handlers": sorted(handlers), "level": "INFO", "propagate": False}
            },
        }
    )
    try:
        with (
            override_settings(LIANQING_TIME_SOURCE="chrony: ntp1.example.gov"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            event = audit_record(action=AuditAction.VIEW, object_type="intake.report", object_id="7")
        message = receiver.recv(65536).decode()
    finally:
        for handler in logger.handlers:
            handler.close()
        logger.handlers = saved
        receiver.close()
    assert event.time_source == "chrony: ntp1.example.gov"
    assert "lianqing-audit:" in message
    sent = json.loads(message.split("lianqing-audit: ", 1)[1].rstrip("\x00"))
    assert (sent["seq"], sent["object"], sent["hash"]) == (event.seq, "intake.report:7", event.hash)
    assert audit_verify().ok  # the time source is part of the row's hash


@pytest.mark.django_db
def test_a_changed_security_setting_is_audited_once():
    first = security_settings_audit()
    assert first is not None
    assert security_settings_audit() is None  # unchanged: no new row
    with override_settings(AXES_FAILURE_LIMIT=3):
        changed = security_settings_audit()
    assert changed is not None
    assert changed.details["changed"] == ["login_failure_limit"]
    assert changed.details["before"] == {"login_failure_limit": 5}


def _record_line(path, content: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(content)}"


def test_the_installed_files_are_checked_against_the_record_hashes(tmp_path):
    (tmp_path / "demo_pkg").mkdir()
    good, other = b"print('ok')\n", b"VALUE = 1\n"
    (tmp_path / "demo_pkg" / "a.py").write_bytes(good)
    (tmp_path / "demo_pkg" / "b.py").write_bytes(other)
    info = tmp_path / "demo_pkg-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: demo_pkg\nVersion: 1.0\n")
    (info / "RECORD").write_text(
        "\n".join(
            [
                _record_line("demo_pkg/a.py", good),
                _record_line("demo_pkg/b.py", other),
                "demo_pkg-1.0.dist-info/RECORD,,",
            ]
        )
        + "\n"
    )
    dist = metadata.PathDistribution(info)
    report = installed_files_check(dist)
    assert (report.ok, report.checked) == (True, 2)
    (tmp_path / "demo_pkg" / "a.py").write_bytes(b"import os; os.system('x')\n")
    (tmp_path / "demo_pkg" / "b.py").unlink()
    report = installed_files_check(dist)
    assert report.changed == ["demo_pkg/a.py"]
    assert report.missing == ["demo_pkg/b.py"]
