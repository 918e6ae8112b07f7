"""The COPY form of an audit row: the bytes Python builds are the bytes PostgreSQL's COPY prints,
and the streamed verify finds every break the Python walk finds, across block and range bounds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import connection, transaction

from lianqing.core import audit_stream
from lianqing.core.audit import (
    GENESIS_HASH,
    _row_hash,
    audit_record,
    audit_verify,
    canonical_content,
    content_hash,
    row_algorithm,
)
from lianqing.core.audit_copy import BLAKE2B_COPY, COPY_COLUMNS, copy_line
from lianqing.core.audit_key import audit_key_get
from lianqing.core.models import AuditAction, AuditChainHead, AuditEvent
from tests.core.test_audit import _tamper

pytestmark = pytest.mark.django_db

SHANGHAI = timezone(timedelta(hours=8))
# Values whose printing differs somewhere: control characters, backslashes, Chinese, nesting, numbers
# in exponent notation, keys whose byte length and code point order disagree, NULLs, IPv6.
AWKWARD = [
    {
        "created_at": datetime(2026, 3, 1, 16, 0, 0, 500000, tzinfo=SHANGHAI),
        "actor_username": "张三\\admin",
        "object_id": "a\tb\nc\rd\\e\bf\fg\vh\x01i",
        "details": {
            "名": "测试\t\n",
            "b": [1, 2.5, None, True, False],
            "aa": {"z": 1e-07, "y": -0.0},
            "": 1e20,
        },
        "ip_address": "2001:db8::1",
        "time_source": "",
    },
    {
        "created_at": datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC),
        "actor_username": "",
        "object_id": "",
        "details": {},
        "ip_address": None,
        "time_source": "chrony: ntp1.example.gov",
    },
    {
        "created_at": datetime(1999, 1, 2, 3, 4, 5, 120000, tzinfo=UTC),
        "actor_username": "李四",
        "object_id": '"quoted" 引号',
        "details": {"quote": 'a "b" \\ c', "ctl": "\x1f\x7f", "list": [], "deep": {"more": {"and": ["x"]}}},
        "ip_address": "::ffff:1.2.3.4",
        "time_source": "北京时间\\授时",
    },
]


@pytest.fixture(autouse=True)
def audit_files(settings, tmp_path):
    settings.AUDIT_KEY_FILE = tmp_path / "keys" / "audit_chain.key"
    settings.AUDIT_HEAD_DIR = tmp_path / "heads"
    return settings


def _write_awkward() -> list[AuditEvent]:
    """Rows with AWKWARD's values, chained and hashed as audit_record does."""
    key = audit_key_get()
    prev, events = GENESIS_HASH, []
    for seq, values in enumerate(AWKWARD, start=1):
        event = AuditEvent(
            seq=seq, action=AuditAction.VIEW, object_type="intake.report", prev_hash=prev, actor=None,
            hash_algorithm=BLAKE2B_COPY, **values,
        )  # fmt: skip
        event.ip_address = AuditEvent._meta.get_field("ip_address").get_prep_value(event.ip_address)
        event.hash = _row_hash(event, key)
        event.save()
        prev = event.hash
        events.append(event)
    AuditChainHead.objects.update_or_create(pk=1, defaults={"last_seq": len(AWKWARD), "last_hash": prev})
    return events


def _line(values: dict[str, object]) -> bytes:
    return copy_line(**{name: values[name] for name in COPY_COLUMNS})  # type: ignore[arg-type]


def test_the_form_is_copy_text_field_by_field():
    """Written out by hand from PostgreSQL's documentation of COPY's text format and jsonb output."""
    line = copy_line(
        seq=7,
        created_at=datetime(2026, 3, 1, 16, 0, 0, 500000, tzinfo=SHANGHAI),
        actor_id=None,
        actor_username="张\\三",
        action="view",
        object_type="",
        object_id="a\tb\nc",
        details={"名": "x\ty", "b": [1.5, 1e-07, None], "aa": True},
        ip_address=None,
        time_source="",
        prev_hash="0" * 64,
    )
    expected = (
        "7\t2026-03-01 08:00:00.5+00\t\\N\t张\\\\三\tview\t\ta\\tb\\nc\t"
        '{"b": [1.5, 0.0000001, null], "aa": true, "名": "x\\\\ty"}\t\\N\t\t' + "0" * 64
    )
    assert line == expected.encode()


def test_rows_read_back_give_the_bytes_they_were_hashed_with():
    """On either database: the values the ORM returns rebuild the bytes written, and verify passes."""
    events = _write_awkward()
    fields = [*COPY_COLUMNS, "hash"]
    stored = list(AuditEvent.objects.order_by("seq").values(*fields))
    for event, row in zip(events, stored, strict=True):
        assert _line(row) == _line({name: getattr(event, name) for name in COPY_COLUMNS})
    assert audit_verify(full=True).ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_python_builds_exactly_what_postgresql_copy_prints():
    events = _write_awkward()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL TimeZone TO 'UTC'")
        cursor.execute("SET LOCAL DateStyle TO 'ISO, YMD'")
        query = f"COPY (SELECT {', '.join(COPY_COLUMNS)} FROM core_auditevent ORDER BY seq) TO STDOUT"
        with cursor.copy(query) as copy:
            printed = [bytes(line) for line in copy]
    built = [_line({name: getattr(event, name) for name in COPY_COLUMNS}) + b"\n" for event in events]
    assert printed == built
    # And the stream vouches for every row itself, in a session on another time zone: no span is
    # left for the Python walk.
    with connection.cursor() as cursor:
        cursor.execute("SET TimeZone TO 'Asia/Shanghai'")
    rechecked: list[tuple[int, str, int]] = []
    found = audit_stream.stream_verify(
        1,
        GENESIS_HASH,
        len(AWKWARD),
        algorithm=BLAKE2B_COPY,
        secret=audit_key_get().secret,
        recheck=lambda *span: rechecked.append(span),
    )
    assert (found, rechecked) == (None, [])


def _record(n: int) -> None:
    for i in range(n):
        audit_record(action=AuditAction.VIEW, object_type="intake.report", object_id=str(i), details={"i": i})


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of 3 rows and COPY statements of 7, so a dozen rows cross every boundary."""
    monkeypatch.setattr(audit_stream, "BLOCK_ROWS", 3)
    monkeypatch.setattr(audit_stream, "RANGE_ROWS", 7)


@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize("seq", [1, 3, 4, 7, 8, 12, 15])
def test_a_deleted_row_is_named_wherever_it_lies(seq):
    _record(15)
    _tamper("DELETE FROM core_auditevent WHERE seq = %s", [seq])
    result = audit_verify(full=True)
    assert result.broken_seq == seq
    assert str(seq) in result.reason


@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize("seq", [1, 6, 7, 13])
def test_a_changed_row_is_named_wherever_it_lies(seq):
    _record(13)
    _tamper("UPDATE core_auditevent SET details = %s WHERE seq = %s", ['{"i": "forged"}', seq])
    assert audit_verify(full=True).broken_seq == seq


@pytest.mark.usefixtures("small_blocks")
def test_two_rows_swapped_are_found():
    _record(10)
    _tamper("UPDATE core_auditevent SET seq = seq + 100 WHERE seq IN (5, 6)", [])
    _tamper("UPDATE core_auditevent SET seq = 5 WHERE seq = 106", [])
    _tamper("UPDATE core_auditevent SET seq = 6 WHERE seq = 105", [])
    assert audit_verify(full=True).broken_seq == 5


@pytest.mark.usefixtures("small_blocks")
def test_an_inserted_row_is_found():
    _record(9)
    _tamper("UPDATE core_auditevent SET seq = seq + 100 WHERE seq >= 5", [])  # make room at 5
    _tamper("UPDATE core_auditevent SET seq = seq - 99 WHERE seq >= 100", [])
    row = AuditEvent.objects.get(seq=4)
    _tamper(
        "INSERT INTO core_auditevent (seq, created_at, actor_username, action, object_type, object_id, details,"
        " time_source, prev_hash, hash, hash_algorithm) VALUES (5, %s, '', 'view', 'x', 'x', '{}', '', %s, %s, %s)",
        [row.created_at, row.hash, "f" * 64, BLAKE2B_COPY],
    )
    AuditChainHead.objects.filter(pk=1).update(last_seq=10, last_hash=AuditEvent.objects.get(seq=10).hash)
    assert audit_verify(full=True).broken_seq == 5


def write_sha256_rows(details: list[dict[str, object]]) -> None:
    """Rows as the release before the COPY form wrote them (JSON form, HMAC-SHA256), after the head."""
    key = audit_key_get()
    head = AuditChainHead.objects.get_or_create(pk=1)[0]
    seq, prev = head.last_seq, head.last_hash
    for item in details:
        seq += 1
        moment = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=seq)
        canonical = canonical_content(
            seq=seq, created_iso=moment.isoformat(timespec="microseconds"), actor_id=None, actor_username="",
            action="update", object_type="cases.case", object_id=str(seq), details=item, ip_address=None,
            prev_hash=prev, time_source="",
        )  # fmt: skip
        row_hash = content_hash(canonical, seq=seq, algorithm="sha256", key=key)
        AuditEvent(
            seq=seq, created_at=moment, action="update", object_type="cases.case", object_id=str(seq),
            details=item, prev_hash=prev, hash=row_hash, hash_algorithm="sha256",
        ).save()  # fmt: skip
        prev = row_hash
    AuditChainHead.objects.filter(pk=1).update(last_seq=seq, last_hash=prev)


@pytest.mark.usefixtures("small_blocks")
def test_older_rows_written_under_sha256_still_verify_beside_new_ones():
    """An upgraded chain: rows 1-4 in the JSON form with HMAC-SHA256, then the COPY form."""
    write_sha256_rows([{"n": n} for n in range(4)])
    _record(8)
    assert {e.hash_algorithm for e in AuditEvent.objects.all()} == {"sha256", row_algorithm()}
    assert audit_verify(full=True).ok
    _tamper("UPDATE core_auditevent SET object_id = %s WHERE seq = %s", ["forged", 2])
    assert audit_verify(full=True).broken_seq == 2


def test_hmac_sm3_through_cryptography_equals_hashlib_where_openssl_has_sm3():
    from lianqing.core import audit_copy, gm

    key, line = b"k" * 32, "7\t张三\t".encode()
    fallback = audit_copy._GmHmac(key).copy()
    fallback.update(memoryview(line))
    assert fallback.digest() == gm.hmac_sm3(key, line)
    assert (
        audit_copy.copy_hash(line, algorithm=audit_copy.SM3_COPY, secret=key) == gm.hmac_sm3(key, line).hex()
    )
