"""Intake test fixtures: a standing recipient with their own key, the old commission key pair
(made once per session, for the migration), instance folders per test, a cheap proof of work and
cheap argon2id, and ready-made uploads."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lianqing.core.models import User
from lianqing.core.roles import Role
from lianqing.intake import keys
from lianqing.intake.models import StaffKey
from lianqing.intake.recipients import staff_key_create
from tests.core.factories import UserFactory

PASSPHRASE = "correct horse battery staple"  # every test recipient's own passphrase
LEGACY_PASSPHRASE = "the old commission passphrase"


@pytest.fixture(scope="session")
def intake_key_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("intake-keys")
    keys.keypair_create(passphrase=LEGACY_PASSPHRASE, directory=directory, limits=keys.INTERACTIVE_LIMITS)
    return directory


def give_key(user: User, passphrase: str = PASSPHRASE) -> StaffKey:
    return staff_key_create(user=user, passphrase=passphrase)


@pytest.fixture
def intake_env(settings, intake_key_dir: Path, tmp_path: Path, org_tree) -> Iterator[Path]:
    """A recipient with a key (信访室 "keeper"), an empty uploads folder, a 4-bit proof of work;
    yields the uploads folder."""
    settings.KEYS_DIR = intake_key_dir
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INTAKE_CHALLENGE_BITS = 4
    settings.INTAKE_KDF_COST = "interactive"
    give_key(UserFactory(org=org_tree.petition_office, roles=[Role.PETITION], username="keeper"))
    return settings.MEDIA_ROOT


def jpeg_with_gps(size: tuple[int, int] = (80, 60)) -> bytes:
    """A JPEG whose EXIF carries a camera model and a GPS position (what a phone writes)."""
    image = Image.new("RGB", size, (10, 120, 200))
    exif = Image.Exif()
    exif[0x0110] = "ReporterPhone X1"  # camera model
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (36.0, 21.0, 7.5)  # latitude
    gps[3], gps[4] = "E", (116.0, 26.0, 3.25)  # longitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def image_upload(name: str = "照片.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_with_gps(), content_type="image/jpeg")


def pdf_upload(name: str = "材料.pdf", *, padding: int = 0) -> SimpleUploadedFile:
    """A real one-page PDF (the portal opens every PDF to strip it); `padding` makes it larger."""
    from tests.intake.marked_files import plain_pdf

    return SimpleUploadedFile(name, plain_pdf(padding), content_type="application/pdf")


REPORTER_NAME = "欧阳举报"
REPORTER_ID = "11010519491231002X"
REPORTER_PHONE = "13912345678"

FORM_DATA = {
    "category": "sifeng_dining",
    "province": "370000",
    "city": "370100",
    "county": "370124",
    "occurred_on": "2026-10-01",
    "description": "镇政府某干部国庆期间多次用公款在饭店宴请亲友，每次都开具会议费发票报销。",
    "person1_name": "张某某",
    "person1_org": "东阿镇人民政府",
    "person1_position": "副镇长",
    "is_anonymous": "1",
    "consent": "on",
}


def named_form_data() -> dict[str, str]:
    return {
        **FORM_DATA,
        "is_anonymous": "0",
        "reporter_name": REPORTER_NAME,
        "reporter_id_number": REPORTER_ID,
        "reporter_phone": REPORTER_PHONE,
    }


def keeper() -> User:
    return User.objects.get(username="keeper")


def unlock(user: User, passphrase: str = PASSPHRASE):
    from lianqing.intake.recipients import staff_key_unlock

    return staff_key_unlock(user=user, passphrase=passphrase)


def approve_identity(report, requester: User, custodian: User | None = None):
    """`requester` asks to read the reporter's identity; a 领导 (made here unless given) approves."""
    from lianqing.intake.custodian import identity_request_create, identity_request_decide

    custodian = custodian or UserFactory(org=report.org, roles=[Role.LEADER])
    row = identity_request_create(report=report, user=requester, reason="核实举报人身份以便约谈")
    return identity_request_decide(row=row, by=custodian, approve=True, note="同意")
