"""国密 (SM2/SM3/SM4) vs libsodium: the cryptographic cost of one report sealed and opened.

    .venv/bin/python bench/crypto.py                       # 3 recipients, 2 attachments of 100 KB
    .venv/bin/python bench/crypto.py --reports 50 --attachment-kb 2000 --recipients 5

What the portal does per report, through the same functions it calls (lianqing.intake.crypto),
in one process, without the database:
  sealed: a report key pair, the padded identity, each attachment and its padded name sealed to
          the report's public key, the report key sealed to each recipient, the receipt lookup
          HMAC and one audit row hash (HMAC-SHA256 / HMAC-SM3);
  opened: one recipient opens the report key from their grant, then the identity, each
          attachment's name and each attachment.
Passphrase hashing (argon2id, or PBKDF2-SM3 when chosen) is the same for both suites by default
and is left out. Times are CPU time of this process (the machine may be shared), not wall time. Prints a table (ms per report, reports/s, MB/s of attachment bytes, peak memory)
and the load; asserts nothing except that every opened byte equals what was sealed.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import os
import resource
import secrets
import time
from pathlib import Path

import django
from django.conf import settings

settings.configure(CRYPTO_SUITE="sodium", USE_I18N=False)
django.setup()

from lianqing.core import gm  # noqa: E402
from lianqing.intake import crypto  # noqa: E402


def _staff_keys(suite: str, count: int) -> list[tuple[crypto.AnyPrivateKey, str]]:
    settings.CRYPTO_SUITE = suite
    algorithm = crypto.ARGON2ID_SM4GCM if suite == "sm" else crypto.ARGON2ID_SECRETBOX
    return [(crypto.staff_keypair_new(), algorithm) for _ in range(count)]


def _seal(suite: str, staff, identity: bytes, files: list[bytes]):
    settings.CRYPTO_SUITE = suite
    report_key = crypto.report_keypair_new()
    scheme = crypto.report_scheme_of(report_key)
    public = bytes(report_key.public_key)
    identity_box = crypto.seal_content(scheme, public, crypto.pad(identity))
    sealed_files = [
        (
            crypto.seal_content(scheme, public, data),
            crypto.seal_content(scheme, public, crypto.pad(b'{"name":"x.jpg"}')),
        )
        for data in files
    ]
    grants = [
        crypto.seal_report_key(algorithm, bytes(private.public_key), bytes(report_key))
        for private, algorithm in staff
    ]
    canonical = secrets.token_bytes(300)  # an audit row's canonical JSON
    if suite == "sm":
        gm.hmac_sm3(b"k" * 32, b"1234567")
        gm.hmac_sm3(b"k" * 32, canonical)
    else:
        hmac.new(b"k" * 32, b"1234567", hashlib.sha256).digest()
        hmac.new(b"k" * 32, canonical, hashlib.sha256).digest()
    return scheme, identity_box, sealed_files, grants


def _open(sealed, staff, identity: bytes, files: list[bytes]) -> None:
    scheme, identity_box, sealed_files, grants = sealed
    recipient, _algorithm = staff[0]
    grant_box, grant_algorithm = grants[0]
    report_private = crypto.report_private(scheme, crypto.unseal(recipient, grant_box, grant_algorithm))
    algorithm = crypto.content_algorithm(scheme)
    if crypto.unpad(crypto.unseal(report_private, identity_box, algorithm)) != identity:
        raise SystemExit("the identity did not open to what was sealed")
    for (file_box, meta_box), data in zip(sealed_files, files, strict=True):
        crypto.unpad(crypto.unseal(report_private, meta_box, algorithm))
        if crypto.unseal(report_private, file_box, algorithm) != data:
            raise SystemExit("an attachment did not open to what was sealed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20)
    parser.add_argument("--recipients", type=int, default=3)
    parser.add_argument("--attachments", type=int, default=2)
    parser.add_argument("--attachment-kb", type=int, default=100)
    args = parser.parse_args()
    identity = '{"name":"欧阳举报","id_number":"11010519491231002X","phone":"13912345678"}'.encode()
    files = [os.urandom(args.attachment_kb * 1024) for _ in range(args.attachments)]
    megabytes = args.reports * sum(len(f) for f in files) / 1e6
    rows = []
    for suite, label in (
        ("sodium", "libsodium (X25519, XSalsa20-Poly1305, SHA-256)"),
        ("sm", "国密 (SM2, SM4-GCM, SM3)"),
    ):
        staff = _staff_keys(suite, args.recipients)
        started = time.process_time()
        sealed = [_seal(suite, staff, identity, files) for _ in range(args.reports)]
        seal_s = time.process_time() - started
        started = time.process_time()
        for item in sealed:
            _open(item, staff, identity, files)
        open_s = time.process_time() - started
        rows.append((label, seal_s, open_s))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{args.reports} reports, {args.recipients} recipients, {args.attachments} × {args.attachment_kb} KB "
        f"attachments each; one process, one core"
    )
    header = f"{'suite':<50} {'seal CPU ms':>12} {'open CPU ms':>12} {'sealed/s':>9} {'opened/s':>9} {'seal MB/s':>10} {'open MB/s':>10}"
    print(header)
    print("-" * len(header))
    for label, seal_s, open_s in rows:
        print(
            f"{label:<50} {seal_s / args.reports * 1000:>12.1f} {open_s / args.reports * 1000:>12.1f} "
            f"{args.reports / seal_s:>9.1f} {args.reports / open_s:>9.1f} {megabytes / seal_s:>10.1f} {megabytes / open_s:>10.1f}"
        )
    base, sm = rows
    print(
        f"国密 / libsodium: sealing {sm[1] / base[1]:.1f}×, opening {sm[2] / base[2]:.1f}×; peak memory {peak_mb:.0f} MB"
    )
    print("load:", Path("/proc/loadavg").read_text().split()[:3])


if __name__ == "__main__":
    main()
