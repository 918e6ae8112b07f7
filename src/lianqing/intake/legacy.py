"""Moving reports sealed to the old shared commission key onto per-report keys.

`lianqing intake_keys migrate` opens each legacy report's identity, file names and files with the
old commission private key (its passphrase is given once, at the command line), gives the report
its own key pair, re-seals everything to it and seals the report key to the current recipients.
New files are written under new names; the old ones are shredded once the database has committed.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _
from nacl.public import PrivateKey

from lianqing.intake import crypto, events, keys, storage
from lianqing.intake.errors import IntakeError
from lianqing.intake.models import Report
from lianqing.intake.recipients import grants_create, recipient_keys_for


def _reseal(old: PrivateKey, box: bytes, seal_to: bytes, scheme: str, *, padded: bool) -> bytes:
    plain = keys.unseal(old, box)
    return crypto.seal_content(scheme, seal_to, crypto.pad(plain) if padded else plain)


def legacy_report_migrate(*, report: Report, commission_key: PrivateKey) -> int:
    """Re-seal one legacy report; returns the recipients it now has. Atomic per report."""
    recipients = recipient_keys_for(report.org)
    if not recipients:
        raise IntakeError(_("网络举报 #%(pk)d 还没有接收人") % {"pk": report.pk})
    report_key = crypto.report_keypair_new()
    public = bytes(report_key.public_key)
    scheme = crypto.report_scheme_of(report_key)
    written: list[tuple[str, str]] = []
    try:
        with transaction.atomic():
            if report.identity_box is not None:
                report.identity_box = _reseal(
                    commission_key, bytes(report.identity_box), public, scheme, padded=True
                )
            report.key_scheme = scheme
            report.public_key = public
            report.save(update_fields=["identity_box", "key_scheme", "public_key"])
            for attachment in report.attachments.all():
                data = keys.unseal(commission_key, storage.stored_read(attachment.storage_name))
                new_name = storage.pending_write(crypto.seal_content(scheme, public, data))
                old_name = attachment.storage_name
                written.append((old_name, new_name))
                attachment.meta_box = _reseal(
                    commission_key, bytes(attachment.meta_box), public, scheme, padded=True
                )
                attachment.storage_name = new_name
                attachment.algorithm = crypto.content_algorithm(scheme)
                attachment.save(update_fields=["meta_box", "storage_name", "algorithm"])
                transaction.on_commit(partial(storage.pending_commit, new_name))
                transaction.on_commit(partial(storage.stored_shred, old_name))
            grants_create(report=report, report_key=bytes(report_key), keys=recipients, by=None)
            events.legacy_migrated(report=report, recipients=len(recipients))
    except BaseException:
        storage.pending_discard(new for _, new in written)
        raise
    return len(recipients)


def legacy_reports_migrate(*, passphrase: str) -> tuple[int, int]:
    """Migrate every legacy report: (migrated, left for lack of a recipient)."""
    commission_key = keys.private_key_unlock(passphrase)
    migrated = skipped = 0
    for report in Report.objects.filter(key_scheme=crypto.LEGACY_COMMISSION).select_related("org"):
        if not recipient_keys_for(report.org):
            skipped += 1
            continue
        legacy_report_migrate(report=report, commission_key=commission_key)
        migrated += 1
    return migrated, skipped
