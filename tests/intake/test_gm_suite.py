"""The 国密 suite (LIANQING_CRYPTO=sm): each stored object names its algorithm, so a report sealed
under one suite stays readable after the operator switches to the other, in both directions."""

from __future__ import annotations

import pytest

from lianqing.core.roles import Role
from lianqing.intake import crypto
from lianqing.intake.abuse import challenge_issue, proof_solve
from lianqing.intake.errors import IntakeError
from lianqing.intake.models import IdentityRequestStatus, Report, StaffKey
from lianqing.intake.receipts import PBKDF2_SM3_PREFIX, receipt_hash, receipt_verify
from lianqing.intake.recipients import staff_key_rotate, staff_key_unlock
from lianqing.intake.selectors import attachment_read, report_identity_read
from lianqing.intake.services import ReportDraft, ReporterIdentity, report_find_by_receipt, report_submit
from tests.core.factories import UserFactory
from tests.intake.conftest import PASSPHRASE, REPORTER_NAME, give_key, image_upload, keeper

DRAFT = ReportDraft(
    category="sifeng_gifts",
    region_code="370124",
    description="某局局长春节前收受下属单位送的购物卡，合计数万元。",
    persons=[{"name": "刘某", "org_name": "县某局", "position": "局长"}],
    identity=ReporterIdentity(name=REPORTER_NAME, id_number="370102198001011234", phone="13800000000"),
)


def _submit():
    challenge = challenge_issue()
    return report_submit(
        draft=DRAFT,
        uploads=[image_upload()],
        token=challenge.token,
        proof=proof_solve(challenge.token, challenge.bits),
        client="gm-suite-test",
    )


def _read_all(report: Report, user) -> tuple[str, bytes]:
    """The reporter's name (through an approved request) and the first attachment's bytes."""
    private = staff_key_unlock(user=user, passphrase=PASSPHRASE)
    report.identity_requests.get_or_create(
        requested_by=user,
        defaults={
            "reason": "核实",
            "status": IdentityRequestStatus.APPROVED,
            "created_at": report.received_at,
        },
    )
    identity = report_identity_read(report=report, private_key=private, user=user)
    data = attachment_read(attachment=report.attachments.first(), private_key=private, user=user).data
    assert identity is not None
    return identity.name, data


@pytest.mark.parametrize(("first", "then"), [("sodium", "sm"), ("sm", "sodium")])
def test_a_report_sealed_in_one_suite_is_read_after_switching(
    intake_env, settings, django_capture_on_commit_callbacks, first, then
):
    settings.CRYPTO_SUITE = first
    with django_capture_on_commit_callbacks(execute=True):
        old = _submit()
    old_report = Report.objects.get(pk=old.report.pk)
    sm_first = first == "sm"
    assert old_report.key_scheme == (crypto.REPORT_KEYPAIR_SM2 if sm_first else crypto.REPORT_KEYPAIR)
    assert old_report.attachments.get().algorithm == (crypto.SM2_ENVELOPE if sm_first else crypto.SEALED_BOX)

    settings.CRYPTO_SUITE = then
    with django_capture_on_commit_callbacks(execute=True):
        new = _submit()
    new_report = Report.objects.get(pk=new.report.pk)
    assert new_report.key_scheme != old_report.key_scheme
    name, data = _read_all(old_report, keeper())
    assert name == REPORTER_NAME
    assert data.startswith(b"\xff\xd8")  # a JPEG, opened
    name, data = _read_all(new_report, keeper())
    assert name == REPORTER_NAME
    assert data.startswith(b"\xff\xd8")
    # the receipt of the report filed before the switch still finds it
    assert report_find_by_receipt(code_text=old.receipt_code, client="gm") == old_report
    assert report_find_by_receipt(code_text=new.receipt_code, client="gm") == new_report


def test_a_recipient_key_moves_to_sm2_on_rotation_and_keeps_every_report(
    intake_env, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sodium_report = _submit().report  # under whatever suite the run uses
    settings.CRYPTO_SUITE = "sm"
    settings.PASSPHRASE_KDF = "pbkdf2-sm3"
    staff_key_rotate(user=keeper(), passphrase=PASSPHRASE)
    key = StaffKey.objects.get(user=keeper(), retired_at__isnull=True)
    assert key.algorithm == crypto.PBKDF2_SM3_SM4GCM
    assert set(key.grants.values_list("algorithm", flat=True)) == {crypto.SM2_ENCRYPT}
    with django_capture_on_commit_callbacks(execute=True):
        sm_report = _submit().report
    for report in (sodium_report, sm_report):
        assert _read_all(Report.objects.get(pk=report.pk), keeper())[0] == REPORTER_NAME
    with pytest.raises(IntakeError, match="口令不正确"):
        staff_key_unlock(user=keeper(), passphrase="not the passphrase at all")


def test_recipients_with_x25519_and_sm2_keys_both_receive_a_report_sealed_under_sm(
    intake_env, settings, org_tree, django_capture_on_commit_callbacks
):
    settings.CRYPTO_SUITE = "sodium"
    veteran = UserFactory(org=org_tree.commission, roles=[Role.LEADER])
    give_key(veteran)  # made before the switch: an X25519 key
    settings.CRYPTO_SUITE = "sm"
    newcomer = UserFactory(org=org_tree.commission, roles=[Role.LEADER])
    give_key(newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        report = Report.objects.get(pk=_submit().report.pk)
    tags = dict(report.recipients.values_list("staff_key__user__username", "algorithm"))
    assert tags[veteran.username] == crypto.SEALED_BOX  # sealed to the key the person has
    assert tags[newcomer.username] == crypto.SM2_ENCRYPT
    assert report.key_scheme == crypto.REPORT_KEYPAIR_SM2
    for person in (veteran, newcomer):
        assert _read_all(report, person)[0] == REPORTER_NAME


def test_receipts_hashed_with_pbkdf2_sm3_verify_and_refuse_a_wrong_code(settings):
    settings.PASSPHRASE_KDF = "pbkdf2-sm3"
    stored = receipt_hash("1234567890123456")
    assert stored.startswith(PBKDF2_SM3_PREFIX)
    assert receipt_verify(stored, "1234567890123456")
    assert not receipt_verify(stored, "1234567890123457")
    assert not receipt_verify(None, "1234567890123456")
    settings.PASSPHRASE_KDF = "argon2id"  # switched back: the stored hash still verifies by its prefix
    assert receipt_verify(stored, "1234567890123456")
    assert receipt_hash("1234567890123456").startswith("$argon2id$")
