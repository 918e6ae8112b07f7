"""Intake settings with their defaults, in one place.

Each value is read from Django settings (`INTAKE_*`) when the installation sets it, else from
the environment variable named beside it (the benchmark and deployments tune these without a
settings change), else the default.
"""

from __future__ import annotations

import os

from django.conf import settings

MiB = 1024 * 1024


def _value(name: str, env: str, default: int) -> int:
    if hasattr(settings, name):
        return int(getattr(settings, name))
    raw = os.environ.get(env, "").strip()
    return int(raw) if raw else default


def _bytes(name: str, env: str, default_mib: int) -> int:
    """A size: the setting in bytes, or the environment variable in MiB."""
    if hasattr(settings, name):
        return int(getattr(settings, name))
    return _value(name, env, default_mib) * MiB


def max_file_bytes() -> int:
    return _bytes("INTAKE_MAX_FILE_BYTES", "LIANQING_INTAKE_MAX_FILE_MB", 20)


def max_video_bytes() -> int:
    """A video may be larger than other files (a minute of phone video is 50–150 MB)."""
    return _bytes("INTAKE_MAX_VIDEO_BYTES", "LIANQING_INTAKE_MAX_VIDEO_MB", 100)


def max_upload_bytes() -> int:
    """The largest single file of any kind."""
    return max(max_file_bytes(), max_video_bytes())


def max_request_bytes() -> int:
    """The largest request body the portal reads: every file at its limit plus the form's text."""
    return max_total_bytes() + 2 * MiB


def max_image_pixels() -> int:
    """Pictures with more pixels are refused from their header (decompression bombs); 100 MP
    keeps every phone camera's photos."""
    return _value("INTAKE_MAX_IMAGE_PIXELS", "LIANQING_INTAKE_MAX_IMAGE_PIXELS", 100_000_000)


def zip_max_members() -> int:
    """Office documents are zips: at most this many parts."""
    return _value("INTAKE_ZIP_MAX_MEMBERS", "LIANQING_INTAKE_ZIP_MAX_MEMBERS", 5000)


def zip_max_unpacked_bytes() -> int:
    """An Office document's declared unpacked size, all parts together."""
    return _bytes("INTAKE_ZIP_MAX_UNPACKED_BYTES", "LIANQING_INTAKE_ZIP_MAX_UNPACKED_MB", 300)


def zip_max_ratio() -> int:
    """Unpacked to packed size of one part above which it is a zip bomb (real XML: 5–30)."""
    return _value("INTAKE_ZIP_MAX_RATIO", "LIANQING_INTAKE_ZIP_MAX_RATIO", 200)


def max_files() -> int:
    return _value("INTAKE_MAX_FILES", "LIANQING_INTAKE_MAX_FILES", 10)


def max_total_bytes() -> int:
    return _bytes("INTAKE_MAX_TOTAL_BYTES", "LIANQING_INTAKE_MAX_TOTAL_MB", 120)


def submissions_per_hour() -> int:
    """Reports (and mailbox posts) one client may send per hour."""
    return _value("INTAKE_SUBMISSIONS_PER_HOUR", "LIANQING_INTAKE_SUBMISSIONS_PER_HOUR", 20)


def receipt_attempts_per_hour() -> int:
    """Receipt-code lookups one client may try per hour (guessing codes is the attack)."""
    return _value("INTAKE_RECEIPT_ATTEMPTS_PER_HOUR", "LIANQING_INTAKE_RECEIPT_ATTEMPTS_PER_HOUR", 30)


def challenge_bits() -> int:
    """Leading zero bits the proof of work must reach (each bit doubles the client's work)."""
    return _value("INTAKE_CHALLENGE_BITS", "LIANQING_INTAKE_CHALLENGE_BITS", 14)


def challenge_max_age_seconds() -> int:
    return _value("INTAKE_CHALLENGE_MAX_AGE", "LIANQING_INTAKE_CHALLENGE_MAX_AGE", 6 * 3600)


def unlock_seconds() -> int:
    """How long a staff member's unlocked private key stays usable."""
    return _value("INTAKE_UNLOCK_SECONDS", "LIANQING_INTAKE_UNLOCK_SECONDS", 30 * 60)


def strip_image_metadata() -> bool:
    """Strip metadata from every accepted kind (pictures, PDF, Office, video); on by default."""
    return bool(_value("INTAKE_STRIP_IMAGE_METADATA", "LIANQING_INTAKE_STRIP_IMAGE_METADATA", 1))


def description_min_chars() -> int:
    return _value("INTAKE_DESCRIPTION_MIN_CHARS", "LIANQING_INTAKE_DESCRIPTION_MIN_CHARS", 20)


def receiving_org_code() -> str:
    """The commission that receives public reports; empty means the root commission."""
    if hasattr(settings, "INTAKE_RECEIVING_ORG_CODE"):
        return str(getattr(settings, "INTAKE_RECEIVING_ORG_CODE"))  # noqa: B009 (optional setting)
    return os.environ.get("LIANQING_INTAKE_ORG_CODE", "").strip()
