"""The intake rate limit counts the last 60 minutes (not the clock hour) and says when to return."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lianqing.intake.abuse import rate_bucket_key, rate_limit_hit
from lianqing.intake.errors import IntakeError
from lianqing.intake.models import RateCounter

pytestmark = pytest.mark.django_db


def _earlier(minutes: int, count: int, *, client: str = "c1", scope: str = "submit") -> None:
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=minutes)
    RateCounter.objects.create(key=rate_bucket_key(client, scope=scope), window_start=start, count=count)


def test_requests_of_the_last_hour_count_across_the_clock_hour():
    _earlier(58, 2)
    rate_limit_hit("c1", scope="submit", limit=3)
    with pytest.raises(IntakeError) as refused:
        rate_limit_hit("c1", scope="submit", limit=3)
    assert refused.value.field == "rate"
    # The two early requests leave the window 60 minutes after their minute: that is the time given.
    back_at = timezone.localtime(
        timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=58) + timedelta(hours=1)
    )
    assert back_at.strftime("%H:%M") in refused.value.message


def test_requests_older_than_an_hour_no_longer_count():
    _earlier(61, 50)
    for _ in range(3):
        rate_limit_hit("c1", scope="submit", limit=3)


def test_a_refused_request_is_not_counted():
    for _ in range(2):
        rate_limit_hit("c1", scope="submit", limit=2)
    for _ in range(3):
        with pytest.raises(IntakeError):
            rate_limit_hit("c1", scope="submit", limit=2)
    total = sum(RateCounter.objects.values_list("count", flat=True))
    assert total == 2


def test_each_client_and_scope_has_its_own_window():
    _earlier(10, 5)
    rate_limit_hit("c2", scope="submit", limit=5)
    rate_limit_hit("c1", scope="receipt", limit=5)
