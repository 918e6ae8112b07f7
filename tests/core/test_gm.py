"""The national algorithms (core.gm): the standards' own test vectors, SM2 encryption that another
implementation (gmssl's) opens, damage refused, and the audit chain and heads under the SM suite."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.contrib.auth.hashers import check_password, make_password
from gmssl import sm2 as gm_sm2

from lianqing.core import gm
from lianqing.core.audit import audit_record, audit_verify
from lianqing.core.audit_heads import audit_head_export, exported_heads
from lianqing.core.models import AuditAction, AuditEvent


def test_sm3_and_sm4_match_the_standards_examples():
    # GB/T 32905-2016 example 1 and GB/T 32907-2016 example 1
    assert gm.sm3(b"abc").hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()  # noqa: S305 (the standard's one-block example)
    assert (encryptor.update(key) + encryptor.finalize()).hex() == "681edf34d206965e86b3e94f536e4246"


def test_sm4_gcm_round_trip_and_a_flipped_bit_is_refused():
    key = gm.sm4_key_new()
    box = gm.sm4gcm_encrypt(key, b"reporter identity", b"tag")
    assert gm.sm4gcm_decrypt(key, box, b"tag") == b"reporter identity"
    with pytest.raises(gm.GmError):
        gm.sm4gcm_decrypt(key, box[:-1] + bytes([box[-1] ^ 1]), b"tag")
    with pytest.raises(gm.GmError):
        gm.sm4gcm_decrypt(key, box, b"another tag")


def test_sm2_encryption_interoperates_with_another_implementation():
    private = gm.Sm2PrivateKey.generate()
    public = bytes(private.public_key)
    other = gm_sm2.CryptSM2(private_key=private.raw.hex(), public_key="11" * 64, mode=1)  # C1C3C2
    other.public_key = public.hex()  # after construction: its lstrip("04") would eat some keys' digits
    assert other.decrypt(gm.sm2_encrypt(public, b"the report key")) == b"the report key"
    assert gm.sm2_decrypt(private, other.encrypt(b"from gmssl")) == b"from gmssl"
    box = gm.sm2_encrypt(public, b"the report key")
    with pytest.raises(gm.GmError):  # C3 is checked (gmssl's own decrypt would not)
        gm.sm2_decrypt(private, box[:-1] + bytes([box[-1] ^ 1]))
    with pytest.raises(gm.GmError):  # C1 off the curve
        gm.sm2_decrypt(private, bytes(64) + box[64:])
    with pytest.raises(gm.GmError):
        gm.sm2_decrypt(gm.Sm2PrivateKey.generate(), box)


def test_sm2_signatures_verify_here_and_in_gmssl_and_fail_on_other_data():
    private = gm.Sm2PrivateKey.generate()
    public = bytes(private.public_key)
    signature = gm.sm2_sign(private, b"audit head")
    assert gm.sm2_verify(public, b"audit head", signature)
    assert not gm.sm2_verify(public, b"audit heat", signature)
    assert not gm.sm2_verify(bytes(gm.Sm2PrivateKey.generate().public_key), b"audit head", signature)
    assert gm_sm2.CryptSM2(private_key="", public_key=public.hex()).verify_with_sm3(
        signature.hex(), b"audit head"
    )


def test_a_public_key_beginning_with_04_signs_and_verifies():
    """gmssl's constructor strips "04" with lstrip, eating such a key's own digits (1 key in 256)."""
    private = gm.Sm2PrivateKey((11).to_bytes(32, "big"))
    assert private.public_key.raw.hex().startswith("04")
    signature = gm.sm2_sign(private, b"audit head")
    assert gm.sm2_verify(bytes(private.public_key), b"audit head", signature)
    assert gm.sm2_decrypt(private, gm.sm2_encrypt(bytes(private.public_key), b"key")) == b"key"


def test_pbkdf2_sm3_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["lianqing.core.hashers.PBKDF2SM3PasswordHasher"]
    encoded = make_password("a long login password")
    assert encoded.startswith("pbkdf2_sm3$")
    assert check_password("a long login password", encoded)
    assert not check_password("a long login passwore", encoded)


@pytest.fixture
def audit_files(settings, tmp_path):
    settings.AUDIT_KEY_FILE = tmp_path / "keys" / "audit_chain.key"
    settings.AUDIT_HEAD_DIR = tmp_path / "heads"
    return settings


def _rows(n: int) -> None:
    for i in range(n):
        audit_record(action=AuditAction.VIEW, object_type="intake.report", object_id=str(i))


@pytest.mark.django_db
def test_a_chain_written_under_both_suites_verifies_and_each_row_names_its_hash(audit_files):
    audit_files.CRYPTO_SUITE = "sodium"
    _rows(2)
    audit_head_export()
    audit_files.CRYPTO_SUITE = "sm"
    _rows(2)
    sm_head = audit_head_export()
    assert list(AuditEvent.objects.order_by("seq").values_list("hash_algorithm", flat=True)) == [
        "blake2b-copy",
        "blake2b-copy",
        "sm3-copy",
        "sm3-copy",
    ]
    assert sm_head is not None
    assert json.loads(sm_head.read_text())["algorithm"] == "sm2-sm3"
    assert [getattr(h, "algorithm", None) for h in exported_heads()] == ["hmac-sha256", "sm2-sm3"]
    audit_files.CRYPTO_SUITE = "sodium"  # switched back: everything still verifies
    assert audit_verify().ok


@pytest.mark.django_db
def test_a_forged_sm2_head_is_found(audit_files):
    audit_files.CRYPTO_SUITE = "sm"
    _rows(3)
    path = audit_head_export()
    assert path is not None
    assert audit_verify().ok
    data = json.loads(path.read_text())
    forger = gm.Sm2PrivateKey.generate()  # someone without the audit key signs a head of their own
    data.update(public_key=bytes(forger.public_key).hex(), hash="f" * 64)
    path.chmod(0o600)
    path.write_text(json.dumps(data))
    result = audit_verify()
    assert not result.ok
    assert "签名不符" in result.reason
