"""Per-recipient keys: each report's key goes to the recipients of the receiving commission, each
recipient's private key opens only with their own passphrase, rotation and migration lose nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from lianqing.core.roles import Role
from lianqing.intake import crypto, keys, storage
from lianqing.intake.abuse import challenge_issue, proof_solve
from lianqing.intake.errors import IntakeError
from lianqing.intake.models import Report, ReportRecipient, StaffKey
from lianqing.intake.recipients import (
    recipient_grant,
    recipients_missing,
    recipients_prune,
    staff_key_create,
    staff_key_unlock,
)
from lianqing.intake.selectors import attachment_names, attachment_read
from lianqing.intake.services import ReportDraft, ReporterIdentity, identity_plain, report_submit
from tests.core.factories import UserFactory
from tests.intake.conftest import (
    LEGACY_PASSPHRASE,
    PASSPHRASE,
    REPORTER_ID,
    REPORTER_NAME,
    REPORTER_PHONE,
    give_key,
    image_upload,
    keeper,
    pdf_upload,
    unlock,
)

DRAFT = ReportDraft(
    category="sifeng_gifts",
    region_code="370124",
    description="某局局长春节前收受下属单位送的购物卡和微信红包，合计数万元。",
    persons=[{"name": "刘某", "org_name": "县某局", "position": "局长"}],
    identity=ReporterIdentity(name=REPORTER_NAME, id_number=REPORTER_ID, phone=REPORTER_PHONE),
)


def _submit(uploads=None) -> Report:
    challenge = challenge_issue()
    result = report_submit(
        draft=DRAFT,
        uploads=[image_upload()] if uploads is None else uploads,
        token=challenge.token,
        proof=proof_solve(challenge.token, challenge.bits),
        client="keys-test",
    )
    return result.report


def _reads(user, report, passphrase=PASSPHRASE) -> bool:
    """Whether `user`, with `passphrase`, opens the report's first attachment."""
    try:
        private = staff_key_unlock(user=user, passphrase=passphrase)
        attachment_read(attachment=report.attachments.first(), private_key=private, user=user)
    except IntakeError:
        return False
    return True


def test_each_report_is_sealed_to_every_recipient_of_the_commission_and_nobody_else(
    intake_env, org_tree, django_capture_on_commit_callbacks
):
    leader = UserFactory(org=org_tree.commission, roles=[Role.LEADER])
    township = UserFactory(org=org_tree.township_a, roles=[Role.PETITION])
    case_manager = UserFactory(org=org_tree.case_office, roles=[Role.CASE_MANAGEMENT])
    admin = UserFactory(org=org_tree.commission, is_superuser=True)
    for person in (leader, township):
        give_key(person)
    with django_capture_on_commit_callbacks(execute=True):
        report = _submit()
    holders = set(report.recipients.values_list("staff_key__user__username", flat=True))
    assert holders == {"keeper", leader.username}  # 信访 and 领导 of the receiving commission
    grant = crypto.SM2_ENCRYPT if crypto.suite_is_sm() else crypto.SEALED_BOX  # LIANQING_CRYPTO
    assert all(r.algorithm == grant for r in report.recipients.all())
    assert report.key_scheme == crypto.report_scheme()
    assert _reads(keeper(), report)
    assert _reads(leader, report)
    # a 信访 of a township, a 案管 and an administrator hold nothing: no single password opens it
    assert not _reads(township, report)
    with pytest.raises(IntakeError):
        staff_key_create(user=case_manager, passphrase=PASSPHRASE)
    with pytest.raises(IntakeError):
        staff_key_create(user=admin, passphrase=PASSPHRASE)
    # and neither does the old shared commission passphrase
    with pytest.raises(IntakeError):
        keys.unseal(keys.private_key_unlock(LEGACY_PASSPHRASE), bytes(report.identity_box))


def test_a_passphrase_opens_only_its_own_key_and_is_never_the_login_password(intake_env, org_tree):
    leader = UserFactory(org=org_tree.commission, roles=[Role.LEADER], password="login password 123")
    with pytest.raises(IntakeError, match="不能与登录密码相同"):
        staff_key_create(user=leader, passphrase="login password 123")
    with pytest.raises(IntakeError, match="至少 12 个字符"):
        staff_key_create(user=leader, passphrase="short")
    give_key(leader, "the leader's own phrase")
    with pytest.raises(IntakeError, match="口令不正确"):
        unlock(leader, PASSPHRASE)  # the keeper's passphrase is not the leader's
    assert unlock(leader, "the leader's own phrase").public_key != unlock(keeper()).public_key


def test_rotation_keeps_old_reports_readable_and_the_old_key_useless(
    intake_env, django_capture_on_commit_callbacks, monkeypatch, capsys
):
    with django_capture_on_commit_callbacks(execute=True):
        reports = [_submit(), _submit()]
    old_private = unlock(keeper())
    monkeypatch.setenv("LQ_OLD", PASSPHRASE)
    monkeypatch.setenv("LQ_NEW", "a brand new passphrase")
    call_command("intake_keys", "rotate", user="keeper", passphrase_env="LQ_OLD", new_passphrase_env="LQ_NEW")
    assert "重新加密 2 份举报的密钥" in capsys.readouterr().out
    for report in reports:
        assert _reads(keeper(), report, "a brand new passphrase")
        assert not _reads(keeper(), report, PASSPHRASE)
        with pytest.raises(IntakeError):  # the old private key, even if someone kept it, opens nothing
            attachment_read(attachment=report.attachments.first(), private_key=old_private, user=keeper())
    retired = StaffKey.objects.get(user=keeper(), retired_at__isnull=False)
    assert bytes(retired.wrapped_private_key) == b""
    with django_capture_on_commit_callbacks(execute=True):
        assert _reads(keeper(), _submit(), "a brand new passphrase")  # new reports go to the new key
    monkeypatch.setenv("LQ_OLD", "not the passphrase")
    with pytest.raises(CommandError, match="口令不正确"):
        call_command("intake_keys", "rotate", user="keeper", passphrase_env="LQ_OLD")


def test_a_new_recipient_reads_old_reports_once_a_colleague_rewraps_them(
    intake_env, org_tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        old = _submit()
    newcomer = UserFactory(org=org_tree.petition_office, roles=[Role.PETITION])
    give_key(newcomer)
    assert not _reads(newcomer, old)
    assert recipients_missing(granter=keeper()) == [(newcomer, 1)]
    count = recipient_grant(granter=keeper(), private_key=unlock(keeper()), grantee=newcomer)
    assert count == 1
    assert _reads(newcomer, old)
    assert recipients_missing(granter=keeper()) == []


def test_a_person_who_leaves_reads_no_new_report_and_loses_the_old_ones(
    intake_env, org_tree, django_capture_on_commit_callbacks
):
    leaver = UserFactory(org=org_tree.petition_office, roles=[Role.PETITION])
    give_key(leaver)
    with django_capture_on_commit_callbacks(execute=True):
        before = _submit()
    assert _reads(leaver, before)
    leaver.groups.remove(Group.objects.get(name=str(Role.PETITION)))
    leaver = type(leaver).objects.get(pk=leaver.pk)  # fresh: roles are cached per instance
    with django_capture_on_commit_callbacks(execute=True):
        after = _submit()
    assert not after.recipients.filter(staff_key__user=leaver).exists()
    assert not _reads(leaver, after)
    assert not _reads(leaver, before)  # refused at once (no role), and the grant goes daily:
    assert recipients_prune() == 1
    assert not ReportRecipient.objects.filter(staff_key__user=leaver).exists()
    assert _reads(keeper(), before)
    assert _reads(keeper(), after)


def test_a_database_dump_holds_no_key_that_opens_a_report(intake_env, django_capture_on_commit_callbacks):
    from tests.intake.test_at_rest import _dump_database

    with django_capture_on_commit_callbacks(execute=True):
        report = _submit()
    private = unlock(keeper())
    dump = _dump_database()
    assert bytes(private) not in dump  # the recipient's private key is stored only wrapped
    grant = report.recipients.get()
    report_private = crypto.unseal(private, bytes(grant.sealed_key), grant.algorithm)
    assert report_private not in dump  # the report's key is stored only sealed
    assert REPORTER_NAME.encode() not in dump


def test_identity_length_does_not_leak(intake_env):
    short = identity_plain(ReporterIdentity(name="王一", id_number=REPORTER_ID, phone="13800000000"))
    long = identity_plain(
        ReporterIdentity(
            name="阿卜杜热合曼·买买提艾力·库尔班江", id_number=REPORTER_ID, phone="0531-87654321"
        )
    )
    public = bytes(crypto.report_keypair_new().public_key)
    scheme = crypto.report_scheme()
    assert len(crypto.seal_content(scheme, public, short)) == len(crypto.seal_content(scheme, public, long))
    assert crypto.unpad(short).decode().count("王一") == 1


def test_legacy_reports_move_to_the_current_recipients(
    intake_env, org_tree, django_capture_on_commit_callbacks, monkeypatch, capsys
):
    # Given a report sealed the old way, to the shared commission key
    with django_capture_on_commit_callbacks(execute=True):
        report = _submit([image_upload("旧照片.jpg"), pdf_upload()])
    _make_legacy(report)
    old_files = set(report.attachments.values_list("storage_name", flat=True))
    assert not _reads(keeper(), report)
    # When the operator migrates with the old passphrase
    monkeypatch.setenv("LQ_LEGACY", LEGACY_PASSPHRASE)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("intake_keys", "migrate", passphrase_env="LQ_LEGACY")
    assert "已迁移 1 份举报" in capsys.readouterr().out
    # Then the current recipients read it, the old sealed files are shredded
    report.refresh_from_db()
    assert report.key_scheme == crypto.report_scheme()
    assert _reads(keeper(), report)
    user = keeper()
    names = attachment_names(
        report=report, attachments=list(report.attachments.all()), private_key=unlock(user), user=user
    )
    assert sorted(names.values()) == ["旧照片.jpg", "材料.pdf"]
    _, committed = storage.stored_names()
    assert not old_files & committed
    assert set(report.attachments.values_list("algorithm", flat=True)) == {
        crypto.content_algorithm(report.key_scheme)
    }


def _make_legacy(report: Report) -> None:
    """Re-seal a report as the old code did: everything to the commission's public key."""
    report.identity_box = keys.seal_json(
        {"name": REPORTER_NAME, "id_number": REPORTER_ID, "phone": REPORTER_PHONE}
    )
    report.key_scheme = crypto.LEGACY_COMMISSION
    report.public_key = None
    report.save()
    report.recipients.all().delete()
    for index, attachment in enumerate(report.attachments.all()):
        name = ["旧照片.jpg", "材料.pdf"][index]
        path = storage.storage_root() / "files" / attachment.storage_name
        path.write_bytes(keys.seal(b"%PDF-1.4 legacy" if name.endswith(".pdf") else image_upload().read()))
        attachment.meta_box = keys.seal_json(
            {"name": name, "mime": "application/pdf" if name.endswith(".pdf") else "image/jpeg"}
        )
        attachment.algorithm = crypto.LEGACY_COMMISSION
        attachment.save()
