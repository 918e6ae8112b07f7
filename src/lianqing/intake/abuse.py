"""Abuse limits that need no outside service: a proof of work bound to a one-use submission
token, and a per-client rate limit kept in the database (shared by every web worker). The
limit's window slides: the last 60 minutes, counted in one-minute buckets.

The submission token is signed by the server and carries a random nonce. The client must find
a `proof` such that SHA-256(token ":" proof) starts with `bits` zero bits; the nonce is also the
idempotency key of the submission, so a double submit makes one report.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import connection
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqing.core.network import client_address
from lianqing.intake import conf
from lianqing.intake.captcha import captcha_matches
from lianqing.intake.errors import IntakeError
from lianqing.intake.models import RateCounter

_SALT = "lianqing.intake.challenge"
TAMPERED = "表单已失效或被改动，请重新提交；已填写的内容已保留"


@dataclass(frozen=True)
class Challenge:
    token: str
    bits: int


def challenge_issue() -> Challenge:
    bits = conf.challenge_bits()
    token = signing.dumps(
        {"n": secrets.token_hex(16), "b": bits, "t": int(time.time())}, salt=_SALT, compress=False
    )
    return Challenge(token=token, bits=bits)


def _leading_zero_bits(digest: bytes) -> int:
    value = int.from_bytes(digest, "big")
    return len(digest) * 8 - value.bit_length()


def proof_is_valid(token: str, proof: str, bits: int) -> bool:
    digest = hashlib.sha256(f"{token}:{proof}".encode()).digest()
    return _leading_zero_bits(digest) >= bits


def proof_solve(token: str, bits: int) -> str:
    """What the browser's script does; used by the API's clients, tests and the benchmark."""
    counter = 0
    while not proof_is_valid(token, str(counter), bits):
        counter += 1
    return str(counter)


def challenge_open(token: str) -> tuple[str, int]:
    """(nonce, bits) of a genuine, fresh token; IntakeError otherwise."""
    try:
        payload = signing.loads(token, salt=_SALT, max_age=conf.challenge_max_age_seconds())
        return str(payload["n"]), int(payload["b"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise IntakeError(_(TAMPERED), field="token") from None


def challenge_verify(token: str, proof: str, captcha: str = "") -> str:
    """The token's nonce if the token is genuine, fresh and solved (by the proof of work, or
    without JavaScript by the image challenge); IntakeError otherwise."""
    nonce, bits = challenge_open(token)
    if captcha and not proof:
        if not captcha_matches(nonce, captcha):
            raise IntakeError(_("图片中的字符输入不正确，请按新图片重新输入"), field="captcha")
        return nonce
    # A proof is the counter the page's script found: an empty one is no proof, even when its
    # hash happens to start with enough zero bits.
    if not proof.isdigit() or len(proof) > 20 or not proof_is_valid(token, proof, bits):
        raise IntakeError(
            _("安全校验未完成，请确认浏览器已启用脚本后重新提交"),
            field="token",
        )
    return nonce


def submission_key(nonce: str) -> str:
    return hashlib.sha256(f"intake.submission:{nonce}".encode()).hexdigest()


def client_key(request: HttpRequest) -> str:
    """An HMAC of the client's address: enough to count requests, useless to find the reporter."""
    address = client_address(request)  # through trusted proxies only (core.network)
    key = hashlib.sha256(("intake.client:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()


WINDOW = timedelta(hours=1)
BUCKET = timedelta(minutes=1)


def _bucket_start(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0)


def rate_bucket_key(key: str, *, scope: str) -> str:
    return hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()


def rate_limit_hit(key: str, *, scope: str, limit: int) -> None:
    """Count one request of `key`; IntakeError, saying when to come back, once the last hour
    already holds `limit` of them. A refused request is not counted."""
    bucket_key = rate_bucket_key(key, scope=scope)
    now = timezone.now()
    bucket = _bucket_start(now)
    oldest = bucket - WINDOW + BUCKET  # buckets in the window: the last 60 minutes, this one included
    mine, total = _count_one(bucket_key, bucket, oldest)
    if mine == 1:  # a new bucket: counters are kept no longer than needed (derived from addresses)
        RateCounter.objects.filter(window_start__lt=oldest).delete()
    if total <= limit:
        return
    # Over the limit: say when enough of the hour has passed, and take this request back out.
    counts = list(
        RateCounter.objects.filter(key=bucket_key, window_start__gte=oldest)
        .order_by("window_start")
        .values_list("window_start", "count")
    )
    RateCounter.objects.filter(key=bucket_key, window_start=bucket).update(count=F("count") - 1)
    retry_at = _retry_at(counts, limit)
    raise IntakeError(
        _("提交过于频繁：每小时最多 %(limit)s 次。请于 %(time)s 之后再试。")
        % {"limit": limit, "time": timezone.localtime(retry_at).strftime("%Y-%m-%d %H:%M")},
        field="rate",
    )


_UPSERT = (
    "INSERT INTO intake_ratecounter ({key}, window_start, {count}) VALUES (%s, %s, 1) "
    "ON CONFLICT ({key}, window_start) DO UPDATE SET {count} = intake_ratecounter.{count} + 1 RETURNING {count}"
)
_EARLIER = "FROM intake_ratecounter WHERE {key} = %s AND window_start >= %s AND window_start < %s"


def _count_one(bucket_key: str, bucket: datetime, oldest: datetime) -> tuple[int, int]:
    """Add one to this minute's bucket, in one atomic upsert (no transaction: each statement is
    atomic, and one would add its round trips to every submission without making the count
    more exact): (this bucket's count now, the whole window's). Runs on every submission, so
    plain SQL: on PostgreSQL one statement, elsewhere two."""
    names = {"key": connection.ops.quote_name("key"), "count": connection.ops.quote_name("count")}
    upsert, earlier = _UPSERT.format(**names), _EARLIER.format(**names)
    at, since = (connection.ops.adapt_datetimefield_value(moment) for moment in (bucket, oldest))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH bumped AS ({upsert}) SELECT 1, {names['count']} FROM bumped "
                f"UNION ALL SELECT 0, {names['count']} {earlier}",
                [bucket_key, at, bucket_key, since, at],
            )
            rows = cursor.fetchall()
            mine = next(count for is_mine, count in rows if is_mine)
            return int(mine), int(sum(count for _, count in rows))
        cursor.execute(upsert, [bucket_key, at])
        (mine,) = cursor.fetchone()
        cursor.execute(f"SELECT COALESCE(SUM({names['count']}), 0) {earlier}", [bucket_key, since, at])
        (before,) = cursor.fetchone()
        return int(mine), int(mine) + int(before)


def _retry_at(counts: list[tuple[datetime, int]], limit: int) -> datetime:
    """The moment the oldest buckets have left the window so that one more request fits."""
    excess = sum(count for _, count in counts) - limit  # includes the refused request itself
    for start, count in counts:
        excess -= count
        if excess <= 0:
            return start + WINDOW
    return counts[-1][0] + WINDOW


def rate_counters_prune(*, keep_hours: int = 2) -> int:
    cutoff = _bucket_start(timezone.now()) - timedelta(hours=keep_hours)
    deleted, _ = RateCounter.objects.filter(window_start__lt=cutoff).delete()
    return deleted
