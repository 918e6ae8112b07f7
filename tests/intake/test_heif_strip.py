"""Phone HEIC photos are kept as the phone encoded them, minus everything that is not the picture:
Exif (GPS, camera, owner), XMP, the colour profile's words, names, user data and any stray bytes,
zeroed in place. The stored bytes carry no marker and decode to the very same pixels; staff get
a JPEG when they open one; a HEIF the walk cannot account for is refused, naming the file."""

from __future__ import annotations

import io
import re
import struct
import tracemalloc

import numpy as np
import pillow_heif
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageCms

from lianqing.intake.abuse import challenge_issue, proof_solve
from lianqing.intake.attachments import attachment_prepare, shown_in_browser
from lianqing.intake.errors import IntakeError
from lianqing.intake.models import Report
from tests.intake.conftest import FORM_DATA, PASSPHRASE
from tests.intake.marked_files import (
    MARKER,
    _box,
    _children,
    _icc_described,
    _picture,
    heic_marked,
    heic_text_everywhere,
    marker_found,
)

ENCODER_UUID = bytes(range(1, 17))  # what heic_text_everywhere's SEI unit starts with


def _pixels(data: bytes) -> np.ndarray:
    return np.asarray(pillow_heif.open_heif(data).to_pillow())


@pytest.mark.parametrize("make", [heic_marked, heic_text_everywhere], ids=["phone", "text-everywhere"])
def test_heic_keeps_its_pixels_and_loses_every_text(make):
    original = make()
    assert original.count(MARKER.encode()) >= 6 if make is heic_text_everywhere else marker_found(original)
    assert pillow_heif.open_heif(original).info["exif"]  # the marker really is where readers look

    prepared = attachment_prepare(SimpleUploadedFile("IMG_0003.HEIC", original))

    assert prepared.original_name == "IMG_0003.HEIC"
    assert prepared.file_type.mime == "image/heic"
    assert len(prepared.data) == len(original)  # zeroed in place: no offset moved
    assert not marker_found(prepared.data)
    heif = pillow_heif.open_heif(prepared.data)
    assert heif.info["exif"] is None
    assert "xmp" not in heif.info
    assert heif.info["metadata"] == []  # the Exif and XMP items are gone, not just emptied
    assert np.array_equal(_pixels(prepared.data), _pixels(original))
    if make is heic_text_everywhere:  # the encoder's user-data SEI unit, inside the picture, is gone
        assert ENCODER_UUID in original
        assert ENCODER_UUID not in prepared.data
    # the colour profile still converts colours, and says nothing about who made it
    profile = ImageCms.ImageCmsProfile(io.BytesIO(heif.info["icc_profile"]))
    assert MARKER not in ImageCms.getProfileDescription(profile)
    srgb = ImageCms.createProfile("sRGB")
    assert ImageCms.profileToProfile(heif.to_pillow(), profile, srgb).size == (64, 48)
    with Image.open(io.BytesIO(prepared.data)) as image:  # and Pillow finds no metadata either
        assert not image.getexif()


def test_staff_see_a_heic_as_a_jpeg_of_its_pixels():
    stored = attachment_prepare(SimpleUploadedFile("IMG_0005.heic", heic_marked())).data

    name, mime, data = shown_in_browser("IMG_0005.heic", "image/heic", stored)

    assert (name, mime) == ("IMG_0005.jpg", "image/jpeg")
    assert data.startswith(b"\xff\xd8\xff")
    assert not marker_found(data)
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (64, 48)
        assert not image.getexif()
        assert "icc_profile" not in image.info
        difference = np.abs(np.asarray(image.convert("RGB"), dtype=int) - _pixels(stored).astype(int))
    assert difference.mean() < 4  # the same picture, through JPEG at quality 90
    assert shown_in_browser("a.pdf", "application/pdf", b"%PDF-") == ("a.pdf", "application/pdf", b"%PDF-")


def _primary_is_exif(data: bytes) -> bytes:
    at = data.index(b"pitm") + 8  # after version and flags: the primary item's id
    return data[:at] + struct.pack(">H", 2) + data[at + 2 :]


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="cut-in-half"),
        pytest.param(lambda data: data + b"\x00\x00\x01\x00junk", id="a-box-past-the-end"),
        pytest.param(lambda data: data[:32] + b"\xff" * (len(data) - 32), id="meta-garbled"),
        pytest.param(_primary_is_exif, id="the-picture-is-the-exif"),
    ],
)
def test_a_heif_that_cannot_be_accounted_for_is_refused_naming_the_file(damage):
    damaged = damage(heic_marked())
    assert damaged[4:12] == b"ftypheic"  # still recognised as HEIC, so the walk must refuse it

    with pytest.raises(IntakeError) as refused:
        attachment_prepare(SimpleUploadedFile("IMG_0004.HEIC", damaged))

    assert "IMG_0004.HEIC" in refused.value.message
    assert refused.value.field == "attachments"


def test_a_heic_report_opened_by_a_recipient_downloads_as_jpeg(
    client, client_for, intake_env, django_capture_on_commit_callbacks
):
    from tests.intake.conftest import keeper

    challenge = challenge_issue()
    payload = {**FORM_DATA, "token": challenge.token, "proof": proof_solve(challenge.token, challenge.bits)}
    payload["attachments"] = [SimpleUploadedFile("IMG_0006.HEIC", heic_marked())]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("intake:report_form"), payload).status_code == 200
    report = Report.objects.get()
    attachment = report.attachments.get()
    assert attachment.kind == "image"

    viewer = client_for(keeper())
    viewer.post(reverse("intake:staff_report_unlock", args=[report.pk]), {"passphrase": PASSPHRASE})
    download = viewer.get(reverse("intake:staff_attachment_download", args=[report.pk, attachment.pk]))

    assert download.status_code == 200
    assert download["Content-Type"] == "image/jpeg"
    assert re.search(r"IMG_0006\.jpg$", download["Content-Disposition"])
    assert not marker_found(download.content)
    with Image.open(io.BytesIO(download.content)) as image:
        assert (image.format, image.size) == ("JPEG", (64, 48))


def _iloc_of_empty_extents(data: bytes, items: int) -> bytes:
    """The photo with its item locations replaced by `items` entries of 65,535 extents each, whose
    offsets and lengths take no bytes (sizes 0): six bytes of the box per 65,535 extents."""
    top = _children(data, 0, len(data))
    meta = top[1][1]
    entries = b"".join(struct.pack(">HHH", index, 0, 0xFFFF) for index in range(1, items + 1))
    iloc = _box(b"iloc", struct.pack(">HH", 0x0000, items) + entries, full=True)
    children = [
        iloc if kind == b"iloc" else _box(kind, payload) for kind, payload in _children(meta, 4, len(meta))
    ]
    rebuilt = _box(b"meta", b"".join(children), full=True)
    return b"".join(_box(kind, payload) if kind != b"meta" else rebuilt for kind, payload in top)


def test_a_few_bytes_cannot_make_the_walk_list_billions_of_extents():
    crafted = _iloc_of_empty_extents(heic_marked(), items=20)  # 1.3 million extents in 128 bytes
    tracemalloc.start()
    try:
        with pytest.raises(IntakeError) as refused:
            attachment_prepare(SimpleUploadedFile("IMG_0006.HEIC", crafted))
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "IMG_0006.HEIC" in refused.value.message
    assert peak < 8 * 2**20  # refused at once, not after building them (about 90 MiB for these)


def _heic_with_odd_mluc_records() -> bytes:
    """A photo whose profile description's record table claims records of 4 GiB each (the
    format's are 12 bytes): a table "longer" than the tag, with the text still after it."""
    profile = bytearray(_icc_described())
    tags = struct.unpack(">I", profile[128:132])[0]
    for index in range(tags):
        signature, offset, _size = struct.unpack(">4sII", profile[132 + 12 * index : 144 + 12 * index])
        if signature == b"desc" and profile[offset : offset + 4] == b"mluc":
            profile[offset + 12 : offset + 16] = struct.pack(">I", 0xFFFFFFF0)
    out = io.BytesIO()
    _picture(size=(64, 48)).save(out, format="HEIF", icc_profile=bytes(profile), quality=80)
    return out.getvalue()


def test_a_profile_description_with_an_odd_record_table_loses_its_text_all_the_same():
    original = _heic_with_odd_mluc_records()
    assert marker_found(original)

    prepared = attachment_prepare(SimpleUploadedFile("IMG_0007.HEIC", original))

    assert not marker_found(prepared.data)
    assert np.array_equal(_pixels(prepared.data), _pixels(original))


def test_text_in_a_filler_unit_of_the_picture_is_gone_too():
    """Filler data (HEVC unit type 38) should hold 0xFF bytes, but decoders skip whatever it holds."""
    sei = b"\x50\x01\x05"  # heic_text_everywhere's suffix SEI unit: its header, then payload type 5
    original = heic_text_everywhere()
    assert original.count(sei) == 1
    original = original.replace(sei, b"\x4c\x01\x05")  # the same bytes as a filler unit
    assert np.array_equal(_pixels(original), _pixels(heic_marked()))  # decoders skip it

    prepared = attachment_prepare(SimpleUploadedFile("IMG_0008.HEIC", original))

    assert ENCODER_UUID not in prepared.data
    assert not marker_found(prepared.data)
    assert np.array_equal(_pixels(prepared.data), _pixels(original))
