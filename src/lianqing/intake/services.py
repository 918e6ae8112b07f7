"""Writes of the intake app: submit a report, post to the reporter mailbox, unlock the key.

Slow and fallible work (checking, cleaning and sealing files, hashing the receipt) happens
before the transaction; the transaction only inserts rows. Sealed files are written aside and
moved into place when it commits, or deleted when it fails: a report and its files exist
together or not at all. Once it has committed a file is never deleted: a move that fails leaves
it pending for `intake_sweep`, and the reporter and staff are told so (`selectors.files_pending`).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqing.cases.models import Case, Kind, Source
from lianqing.cases.services import case_register
from lianqing.core.audit import audit_record
from lianqing.core.generations import KeyedCache
from lianqing.core.models import AuditAction, Org, OrgKind, User
from lianqing.core.rows import row_insert, rows_insert
from lianqing.intake import conf, crypto, events, keys, storage
from lianqing.intake.abuse import challenge_verify, rate_counters_prune, rate_limit_hit, submission_key
from lianqing.intake.attachments import PreparedFile, attachments_prepare
from lianqing.intake.caches import RECIPIENTS
from lianqing.intake.errors import IntakeError
from lianqing.intake.models import (
    Attachment,
    Channel,
    Message,
    MessageDirection,
    Report,
    ReportedPerson,
    StaffKey,
)
from lianqing.intake.notices import report_is_closed, reporter_message_notify
from lianqing.intake.receipts import (
    receipt_hash,
    receipt_lookup_candidates,
    receipt_lookup_digest,
    receipt_new,
    receipt_normalise,
    receipt_verify,
)
from lianqing.intake.recipients import grants_create, recipient_keys_for, recipients_prune


@dataclass(frozen=True)
class ReporterIdentity:
    name: str
    id_number: str
    phone: str


@dataclass(frozen=True)
class ReportDraft:
    """A checked report as the form or the API hands it over."""

    category: str
    region_code: str
    description: str
    occurred_on: date | None = None
    # keys: name, org_name, position, level (PersonLevel or ""), region_code (GB/T 2260 or "")
    persons: list[dict[str, str]] = field(default_factory=list)
    addressed_level: str = ""  # AddressedLevel or "": the commission level the reporter chose
    identity: ReporterIdentity | None = None  # None: anonymous


@dataclass(frozen=True)
class SubmitResult:
    report: Report
    receipt_code: str
    repeated: bool  # a double submit: the report of the first one, with its receipt
    attachments: Sequence[Attachment] | None = None  # the rows just written (None: a repeat)

    def attachment_rows(self) -> Sequence[Attachment]:
        """The report's attachments: the rows this submission wrote, else read back."""
        return self.attachments if self.attachments is not None else list(self.report.attachments.all())


def identity_plain(identity: ReporterIdentity) -> bytes:
    """The identity as padded JSON: every name, short or long, seals to the same length."""
    value = {"name": identity.name, "id_number": identity.id_number, "phone": identity.phone}
    return crypto.pad(json.dumps(value, ensure_ascii=False).encode())


def _receiving_org_load(code: str) -> Org | None:
    orgs = (
        Org.objects.filter(org_code=code)
        if code
        else Org.objects.filter(parent__isnull=True, kind=OrgKind.COMMISSION).order_by("path")
    )
    return orgs.first()


_receiving_orgs: KeyedCache[Org | None] = KeyedCache(RECIPIENTS, _receiving_org_load)


def receiving_org() -> Org:
    """The commission that receives public reports: the configured one, else the root commission
    (cached per process until an org changes: `caches.RECIPIENTS`)."""
    org = _receiving_orgs.get(conf.receiving_org_code())
    if org is None:
        raise IntakeError(_("尚未设置受理举报的纪委监委，暂时无法受理"))
    return org


def _sealer(report: Report | None, public_key: bytes | None = None) -> Callable[[bytes], bytes]:
    """How this report's objects are sealed: to its own public key, or (a report not yet migrated
    off the old commission key) to the commission's public key."""
    if report is not None and report.key_scheme == crypto.LEGACY_COMMISSION:
        return keys.seal
    stored = report.public_key if report is not None else public_key
    if stored is None:
        raise ValueError("a new report's objects need its public key")
    scheme = report.key_scheme if report is not None else crypto.report_scheme()
    return partial(crypto.seal_content, scheme, bytes(stored))


def _seal_files(
    prepared: Sequence[PreparedFile], seal: Callable[[bytes], bytes]
) -> list[tuple[PreparedFile, str, bytes]]:
    """Seal each file and its padded meta, and write the file aside: (file, storage name, sealed meta)."""
    written: list[tuple[PreparedFile, str, bytes]] = []
    try:
        for item in prepared:
            name = storage.pending_write(seal(item.data))
            meta = seal(
                crypto.pad(json.dumps({"name": item.original_name, "mime": item.file_type.mime}).encode())
            )
            written.append((item, name, meta))
    except BaseException:
        storage.pending_discard(name for _, name, _ in written)
        raise
    return written


class _FileMoves:
    """The files written aside for one submission and whether their transaction committed.

    Before commit a failure discards them; after it (seen by the on-commit callback even when a
    later callback raises) they are evidence: a move that fails leaves them pending."""

    def __init__(self, written: list[tuple[PreparedFile, str, bytes]]) -> None:
        self.names = [name for _, name, _ in written]
        self.committed = False

    def move_on_commit(self) -> None:
        transaction.on_commit(self._moved)

    def _moved(self) -> None:
        self.committed = True
        for name in self.names:
            storage.pending_commit(name)  # False (the file stays pending) is for the sweep to finish

    def discard_unless_committed(self) -> None:
        if not self.committed:
            storage.pending_discard(self.names)


def _attach_rows(
    report: Report, message: Message | None, written: list[tuple[PreparedFile, str, bytes]]
) -> list[Attachment]:
    now = timezone.now()
    algorithm = crypto.content_algorithm(report.key_scheme)
    return rows_insert(
        [
            Attachment(
                report=report,
                message=message,
                storage_name=name,
                kind=item.file_type.kind,
                size=len(item.data),
                meta_box=meta,
                algorithm=algorithm,
                uploaded_at=now,
            )
            for item, name, meta in written
        ]
    )


def _with_files(written: list[tuple[PreparedFile, str, bytes]], work: Callable[[], Report]) -> Report:
    """Run `work` in a transaction; delete the files written aside only if it does not commit."""
    moves = _FileMoves(written)
    try:
        with transaction.atomic():
            moves.move_on_commit()
            result = work()
        moves.committed = True
        return result
    finally:
        moves.discard_unless_committed()


_REPEAT_SQL = f"SELECT id FROM {Report._meta.db_table} WHERE submission_key = %s LIMIT 1"


def _repeat_of(key: str, nonce: str) -> SubmitResult | None:
    """The first submission of this token, with its receipt, if there was one."""
    # Asked on every submission and almost never found: one plain statement for the id (the
    # ORM's query building cost about 0.35 ms of CPU more), the row only when found.
    with connection.cursor() as cursor:
        cursor.execute(_REPEAT_SQL, [key])
        first = cursor.fetchone()
    if first is None:
        return None
    report = Report.objects.get(pk=first[0])
    try:
        code = crypto.receipt_box_open(nonce, bytes(report.receipt_box))
    except (IntakeError, ValueError):
        raise IntakeError(
            _("这份举报已经提交成功，回执码已在当时显示"),
            field="token",
        ) from None
    return SubmitResult(report=report, receipt_code=code, repeated=True)


def receipt_boxes_clear() -> int:
    """Forget the repeat-submit copies of receipts once their tokens have expired (sweep calls this)."""
    cutoff = timezone.now() - timedelta(seconds=conf.challenge_max_age_seconds())
    return Report.objects.filter(received_at__lt=cutoff).exclude(receipt_box=b"").update(receipt_box=b"")


def report_submit(
    *,
    draft: ReportDraft,
    uploads: Sequence[UploadedFile],
    token: str,
    proof: str,
    client: str,
    channel: Channel = Channel.WEB,
    captcha: str = "",
) -> SubmitResult:
    """Accept a public report. IntakeError (a message for the reporter) when refused; nothing is kept then.
    `captcha`: the answer to the image challenge, for browsers without JavaScript."""
    if captcha and not proof:  # guesses at the image count too, beside the submissions below
        rate_limit_hit(client, scope="captcha", limit=3 * conf.submissions_per_hour())
    nonce = challenge_verify(token, proof, captcha)
    key = submission_key(nonce)
    if repeat := _repeat_of(key, nonce):
        return repeat
    rate_limit_hit(client, scope="submit", limit=conf.submissions_per_hour())
    org = receiving_org()
    recipients = recipient_keys_for(org)
    if not recipients:
        raise IntakeError(_("举报系统尚未设置接收人密钥，暂时无法受理，请稍后再试或联系管理员"))
    prepared = attachments_prepare(uploads)
    report_key = crypto.report_keypair_new()
    seal = _sealer(None, bytes(report_key.public_key))
    identity_box = seal(identity_plain(draft.identity)) if draft.identity else None
    written = _seal_files(prepared, seal)
    moves = _FileMoves(written)
    try:
        for attempt in range(_RECEIPT_ATTEMPTS):
            receipt = receipt_new()
            hashed = receipt_hash(receipt.code)  # slow on purpose: outside the transaction
            try:
                with transaction.atomic():
                    moves.move_on_commit()
                    report, rows = _report_create(
                        draft=draft, org=org, key=key, nonce=nonce, receipt=receipt.code, hashed=hashed,
                        identity_box=identity_box, written=written, channel=channel,
                        report_key=report_key, recipients=recipients,
                    )  # fmt: skip
            except IntegrityError:
                # Same submission key: a double submit that raced this one committed first.
                if repeat := _repeat_of(key, nonce):
                    return repeat
                if attempt == _RECEIPT_ATTEMPTS - 1:
                    raise
                continue  # the new receipt's lookup part was taken: draw again
            moves.committed = True
            return SubmitResult(report=report, receipt_code=receipt.code, repeated=False, attachments=rows)
    finally:
        moves.discard_unless_committed()  # refused, failed or a repeat: the files written aside go
    raise AssertionError("unreachable")


_RECEIPT_ATTEMPTS = 3


def _report_create(
    *,
    draft: ReportDraft,
    org: Org,
    key: str,
    nonce: str,
    receipt: str,
    hashed: str,
    identity_box: bytes | None,
    written: list[tuple[PreparedFile, str, bytes]],
    channel: Channel,
    report_key: crypto.AnyPrivateKey,
    recipients: list[StaffKey],
) -> tuple[Report, list[Attachment]]:
    now = timezone.now()
    case = case_register(
        kind=Kind.PETITION,
        source=Source.ONLINE,
        category=draft.category,
        summary=draft.description,
        region_code=draft.region_code,
        org=org,
        received_at=now,
        reported_persons=draft.persons,
        details={
            "channel": str(channel),
            "occurred_on": draft.occurred_on.isoformat() if draft.occurred_on else "",
        },
        is_reporter_named=draft.identity is not None,
        savepoint=False,  # any failure rolls the whole submission back: nothing catches it here
    )
    report = row_insert(
        Report(
            case=case,
            org=org,
            category=draft.category,
            region_code=draft.region_code,
            occurred_on=draft.occurred_on,
            description=draft.description,
            addressed_level=draft.addressed_level,
            is_anonymous=draft.identity is None,
            identity_box=identity_box,
            key_scheme=crypto.report_scheme_of(report_key),
            public_key=bytes(report_key.public_key),
            receipt_lookup=receipt_lookup_digest(receipt),
            receipt_hash=hashed,
            submission_key=key,
            receipt_box=crypto.receipt_box_seal(nonce, receipt),
            channel=channel,
            received_at=now,
        )
    )
    rows_insert(
        [ReportedPerson(report=report, order=index, **person) for index, person in enumerate(draft.persons)]
    )
    rows = _attach_rows(report, None, written)
    grants_create(report=report, report_key=bytes(report_key), keys=recipients, by=None, new_report=True)
    audit_record(
        action=AuditAction.CREATE,
        obj=report,
        details={
            "channel": str(channel),
            "category": draft.category,
            "attachments": len(written),
            "recipients": len(recipients),
        },
    )
    return report, rows


@transaction.atomic
def registered_identity_seal(*, case: Case, identity: ReporterIdentity, by: User | None) -> Report:
    """Seal the identity of a named reporter whose letter, visit or call the 信访室 registered
    (登记 实名), exactly as a portal reporter's: to a key of its own, sealed to each recipient of the
    receiving commission; read only through the custodian path (a reason and a 领导's approval).
    The report row carries no receipt the reporter knows: it exists to hold the sealed identity."""
    recipients = recipient_keys_for(case.org)
    if not recipients:
        raise IntakeError(
            _("本机关尚未设置接收人密钥，无法保存实名举报人的身份信息，请先设置个人解密口令"),
            field="reporter_name",
        )
    report_key = crypto.report_keypair_new()
    seal = _sealer(None, bytes(report_key.public_key))
    unknown_receipt = receipt_new().code  # never shown: the reporter follows up through the 信访室
    report = Report.objects.create(
        case=case,
        org=case.org,
        category=case.category,
        region_code=case.region_code,
        description=case.summary,
        is_anonymous=False,
        identity_box=seal(identity_plain(identity)),
        key_scheme=crypto.report_scheme_of(report_key),
        public_key=bytes(report_key.public_key),
        receipt_lookup=receipt_lookup_digest(unknown_receipt),
        receipt_hash=receipt_hash(unknown_receipt),
        submission_key=hashlib.blake2b(os.urandom(32), digest_size=32).hexdigest(),
        receipt_box=b"",
        channel=Channel.REGISTERED,
        received_at=case.received_at,
    )
    grants_create(report=report, report_key=bytes(report_key), keys=recipients, by=by, new_report=True)
    events.registered_identity_sealed(report=report, by=by, recipients=len(recipients))
    return report


def report_find_by_receipt(*, code_text: str, client: str) -> Report | None:
    """The report of a receipt code, or None. Same work and answer for unknown and mistyped codes."""
    rate_limit_hit(client, scope="receipt", limit=conf.receipt_attempts_per_hour())
    code = receipt_normalise(code_text)
    found = Report.objects.select_related("org", "case")  # the reporter's message reads both
    report = found.filter(receipt_lookup__in=receipt_lookup_candidates(code)).first() if code else None
    ok = receipt_verify(report.receipt_hash if report else None, code)
    return report if ok else None


def reporter_message_post(
    *, report: Report, body: str, uploads: Sequence[UploadedFile], client: str
) -> Message:
    """The reporter answers a question or adds evidence (text and/or files)."""
    body = body.strip()
    if not body and not uploads:
        raise IntakeError(_("请填写回复内容或选择附件"), field="body")
    rate_limit_hit(client, scope="submit", limit=conf.submissions_per_hour())
    prepared = attachments_prepare(uploads, already=report.attachments.count())
    written = _seal_files(prepared, _sealer(report))
    message_holder: list[Message] = []

    def create() -> Report:
        message = Message.objects.create(
            report=report,
            direction=MessageDirection.FROM_REPORTER,
            body=body or "（补充证据材料）",
            created_at=timezone.now(),
            after_closure=report_is_closed(report),
        )
        _attach_rows(report, message, written)
        audit_record(
            action=AuditAction.CREATE, obj=message, details={"report": report.pk, "attachments": len(written)}
        )
        reporter_message_notify(report, message)
        if report.case_id:  # the first reading of the case is done again with what the reporter added
            from lianqing.triage.services import reading_queue

            reading_queue(report.case_id)
        message_holder.append(message)
        return report

    _with_files(written, create)
    return message_holder[0]


@transaction.atomic
def staff_message_post(*, report: Report, body: str, by: User, request: HttpRequest | None = None) -> Message:
    """A handler asks the reporter a question; it shows on the track page."""
    body = body.strip()
    if not body:
        raise IntakeError(_("请填写要询问举报人的内容"), field="body")
    message = Message.objects.create(
        report=report, direction=MessageDirection.TO_REPORTER, body=body, author=by, created_at=timezone.now()
    )
    audit_record(
        action=AuditAction.CREATE, actor=by, obj=message, details={"report": report.pk}, request=request
    )
    return message


def intake_housekeeping() -> dict[str, int]:
    """Finish interrupted file moves, delete orphaned pending files, prune rate counters and
    forget expired receipt copies. Safe to run at any time; the worker runs it daily."""
    known = set(Attachment.objects.values_list("storage_name", flat=True))
    moved, removed, still_pending = storage.storage_sweep(known)
    return {
        "grants_removed": recipients_prune(),
        "moved": moved,
        "still_pending": still_pending,
        "removed": removed,
        "pruned": rate_counters_prune(),
        "cleared": receipt_boxes_clear(),
    }
