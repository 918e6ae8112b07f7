"""TOTP second factor: enrolment and verification on top of django-otp."""

from __future__ import annotations

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianqing.core.models import User


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
    """Check the token; on success confirm the device and mark the session verified."""
    if not device.verify_token(token):
        return False
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return True
