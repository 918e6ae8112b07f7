"""How many SQL queries a citizen's submission and a reporter's message cost, and that the count
does not grow with the number of recipients or of 信访 staff to notify (each used to cost a
query or two per person).

Measured through the web pages, as a citizen's browser posts them, inside the test's
transaction (so the portal's outermost transactions show as savepoints here)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lianqing.core.models import Notification
from lianqing.core.roles import Role
from lianqing.intake.abuse import _bucket_start, client_key, rate_bucket_key
from lianqing.intake.models import Attachment, Message, RateCounter, Report, ReportRecipient
from tests.core.factories import UserFactory
from tests.intake.conftest import FORM_DATA, give_key, image_upload, pdf_upload
from tests.intake.test_views import RECEIPT, _post_report

# Measured (SQLite and PostgreSQL alike): 31 for a submission with three files (36, then 33
# once recipients no longer cost two queries each and the rate limit lost its own transaction,
# then 29 once an audit row no longer opened a savepoint of its own inside the caller's
# transaction, then 28 once the answer no longer read the attachments back, then 31 since a
# case keeps four tallies instead of one; 30 on PostgreSQL, whose rate limit is one statement).
# The receiving commission, the recipients' keys and the time limits are cached per process,
# but not read from the cache inside a transaction that changed them, as a test's does:
# test_recipient_cache shows they cost no query otherwise.
# 17 for a message with a file (26, then 21 once 信访 officers no longer cost two queries and a
# notice each, then 17 for the same savepoints).
# Then 29 (SQLite) and 23 (PostgreSQL) once the case's id and number are one statement, a new
# case queues one task instead of two, and on PostgreSQL the four tallies are one statement and
# each audit row with the move of the chain's tip one.
# Then 27 and 21: a case registered inside the submission's transaction opens no savepoint.
SUBMISSION_QUERIES = {"sqlite": 27, "postgresql": 21}
MESSAGE_QUERIES = 17


def _rate_buckets_ready() -> None:
    """The rate counters of this minute and the next exist, so that a measurement straddling a
    minute does not count the first-in-bucket insert (a different, rarer path)."""
    request = RequestFactory().post("/")  # the test client's address
    now = _bucket_start(timezone.now())
    for scope in ("submit", "receipt"):
        key = rate_bucket_key(client_key(request), scope=scope)
        for start in (now, now + timedelta(minutes=1)):
            # count 1: a bucket already used (the first request of a bucket prunes old ones)
            RateCounter.objects.get_or_create(key=key, window_start=start, defaults={"count": 1})


def _more_staff(org_tree, count: int, role: Role) -> None:
    for index in range(count):
        user = UserFactory(org=org_tree.petition_office, roles=[role], username=f"{role.name}-{index}")
        give_key(user)


def _three_files():
    return [image_upload("一.jpg"), pdf_upload(), image_upload("二.jpg")]


def _measured_submission(client, capture) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries, capture(execute=True):
        response = _post_report(client, FORM_DATA, _three_files())
    assert response.status_code == 200
    return len(queries.captured_queries), RECEIPT.search(response.content.decode()).group(1)


@pytest.mark.django_db
def test_a_submission_with_three_files_runs_a_bounded_number_of_queries(
    client, intake_env, org_tree, django_capture_on_commit_callbacks
):
    _post_report(client, FORM_DATA)  # first of the day: time-limit settings, the audit head
    _rate_buckets_ready()

    with_one_recipient, _ = _measured_submission(client, django_capture_on_commit_callbacks)
    assert with_one_recipient <= SUBMISSION_QUERIES[connection.vendor]

    # Six more recipients (信访 and 领导 with their own keys) cost no further query
    _more_staff(org_tree, 3, Role.PETITION)
    _more_staff(org_tree, 3, Role.LEADER)
    with_seven, _ = _measured_submission(client, django_capture_on_commit_callbacks)
    assert with_seven == with_one_recipient
    newest = Report.objects.latest("pk")
    assert Attachment.objects.filter(report=newest).count() == 3
    assert ReportRecipient.objects.filter(report=newest).count() == 7


def _measured_message(client, capture, receipt: str) -> int:
    client.post(reverse("intake:track"), {"code": receipt})
    with CaptureQueriesContext(connection) as queries, capture(execute=True):
        response = client.post(
            reverse("intake:track_status"),
            {"body": "宴请在10月2日晚，补充一张照片。", "attachments": [image_upload()]},
        )
    assert response.status_code == 302
    return len(queries.captured_queries)


@pytest.mark.django_db
def test_a_reporter_message_runs_a_bounded_number_of_queries(
    client, intake_env, org_tree, django_capture_on_commit_callbacks
):
    _post_report(client, FORM_DATA)
    _rate_buckets_ready()
    _, receipt = _measured_submission(client, django_capture_on_commit_callbacks)

    with_one_officer = _measured_message(client, django_capture_on_commit_callbacks, receipt)
    assert with_one_officer <= MESSAGE_QUERIES

    # Five more 信访 staff to notify cost no further query, and each is notified
    _more_staff(org_tree, 5, Role.PETITION)
    with_six = _measured_message(client, django_capture_on_commit_callbacks, receipt)
    assert with_six == with_one_officer
    latest = Message.objects.latest("pk")
    assert Notification.objects.filter(dedupe_key=f"intake-message-{latest.pk}").count() == 6
