"""TOTP second factor: enrolment and verification on top of django-otp.

Binding an authenticator needs a one-time enrolment code that an administrator issued to the
person (shown once, stored as a hash, valid for ENROLMENT_CODE_HOURS): a password alone, guessed
or stolen before the owner's first login, never reveals the TOTP secret.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianqing.core.audit import audit_record
from lianqing.core.models import AuditAction, GrantKind, TotpEnrolmentCode, User

ENROLMENT_CODE_HOURS = 72
ENROLMENT_CODE_ATTEMPTS = 5
# No 0/O, 1/I/L: the code is read off paper or a screen and typed in.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ENROLMENT_SESSION_KEY = "lianqing_enrolment_code_ok"


def enrolment_code_normalise(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def _code_new() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))


def _code_shown(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, 12, 4))


@transaction.atomic
def enrolment_code_issue(*, user: User, by: User | None) -> str:
    """A new code for `user`, valid at once (any earlier one stops working); returned once, only
    its hash kept. For a colleague who already signs in, use `enrolment_code_request`."""
    code = _code_new()
    enrolment_code_store(user=user, code_hash=make_password(code), by=by)
    return _code_shown(code)


def enrolment_code_store(*, user: User, code_hash: str, by: User | None) -> None:
    """Make a hashed code the user's valid one from now on (core.grants calls this on confirmation)."""
    now = timezone.now()
    TotpEnrolmentCode.objects.update_or_create(
        user=user,
        defaults={
            "code_hash": code_hash,
            "issued_by": by,
            "issued_at": now,
            "expires_at": now + timedelta(hours=ENROLMENT_CODE_HOURS),
            "failed_attempts": 0,
        },
    )
    # A new code starts enrolment afresh: a half-bound device from before is discarded.
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    audit_record(action=AuditAction.CREATE, actor=by, obj=user, details={"step": "enrolment_code_issued"})


def enrolment_is_first(user: User) -> bool:
    """A first code for an account nobody has used yet (never signed in, no authenticator)."""
    return user.last_login is None and not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@dataclass(frozen=True)
class IssuedCode:
    code: str
    pending: bool  # True: valid only once a 领导 confirms (core.grants)


@transaction.atomic
def enrolment_code_request(*, user: User, by: User | None) -> IssuedCode:
    """A code for `user`, shown once. A first code for an unused account is valid at once;
    re-issuing one to a colleague who signs in (a way to take their account over) is a request
    a 领导 must confirm, as role grants are: until then the code opens nothing."""
    from lianqing.core import grants  # grants imports this module for the confirmation

    if enrolment_is_first(user) or (by is None and not grants.confirmers_exist(user)):
        return IssuedCode(enrolment_code_issue(user=user, by=by), pending=False)
    code = _code_new()
    grants.credential_reset_request(
        user=user, kind=GrantKind.ENROLMENT, secret_hash=make_password(code), by=by
    )
    return IssuedCode(_code_shown(code), pending=True)


@transaction.atomic
def enrolment_code_check(*, user: User, code: str) -> bool:
    """True for the user's valid code. Wrong attempts are counted: the fifth voids the code."""
    issued = TotpEnrolmentCode.objects.select_for_update().filter(user=user).first()
    if issued is None or issued.expires_at <= timezone.now():
        return False
    if check_password(enrolment_code_normalise(code), issued.code_hash):
        return True
    issued.failed_attempts += 1
    if issued.failed_attempts >= ENROLMENT_CODE_ATTEMPTS:
        issued.delete()  # guessed at too often: the administrator issues a new one
        audit_record(action=AuditAction.LOGIN_FAILED, obj=user, details={"step": "enrolment_code_voided"})
    else:
        issued.save(update_fields=["failed_attempts"])
    return False


def totp_device_get(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed device a user is enrolling; created on first visit, kept until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="默认", confirmed=False)
    return device


def totp_secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


def totp_qr_data_uri(device: TOTPDevice) -> str:
    """The provisioning URI as an SVG QR code in a data: URI (no script, no outside service)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def totp_verify(request: HttpRequest, device: TOTPDevice, token: str) -> bool:
    """Check the token; on success confirm the device (using up the enrolment code) and mark the
    session verified."""
    if not device.verify_token(token):
        return False
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TotpEnrolmentCode.objects.filter(user=device.user).delete()
        request.session.pop(ENROLMENT_SESSION_KEY, None)
    otp_login(request, device)
    return True
