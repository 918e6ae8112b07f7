"""Signed heads of the audit chain, exported daily to a write-once folder.

A head names the last row (seq, hash) and is signed with the audit key. Each export is a new
file created exclusively and made read-only; nothing here ever overwrites or deletes one.
`LIANQING_AUDIT_HEAD_DIR` should be another volume than the database (a WORM share, an
append-only mount, a folder synced off the machine): whoever rewrites the database then still
faces the heads. `audit_verify` checks that every head's signature holds and that its row is
still there with the same hash, so a deleted row with a re-hashed tail is found even by someone
who has the key.

Under LIANQING_CRYPTO=sm a head is signed with SM2 (SM2-with-SM3) by a key derived from the audit
key, and the file carries `algorithm: "sm2-sm3"` and the public key, so an assessor can check it
with any SM2 tool; heads exported before keep their HMAC-SHA256 and are checked as such.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqing.core import gm
from lianqing.core.audit_key import AuditKey, audit_key_get
from lianqing.core.models import AuditChainHead, AuditEvent

PREFIX = "audit-head-"
HMAC_SHA256 = "hmac-sha256"
SM2_SM3 = "sm2-sm3"


@dataclass(frozen=True)
class ExportedHead:
    path: Path
    seq: int
    hash: str
    from_seq: int
    exported_at: str
    signature: str
    algorithm: str = HMAC_SHA256
    public_key: str = ""

    def payload(self) -> dict[str, object]:
        payload: dict[str, object] = {
            "seq": self.seq,
            "hash": self.hash,
            "from_seq": self.from_seq,
            "exported_at": self.exported_at,
        }
        if self.algorithm != HMAC_SHA256:  # heads from before the SM suite keep their payload
            payload.update(algorithm=self.algorithm, public_key=self.public_key)
        return payload


def head_dir() -> Path:
    return Path(settings.AUDIT_HEAD_DIR)


def _canonical(payload: dict[str, object]) -> bytes:
    return b"audit-head:" + json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def _sign(key: AuditKey, payload: dict[str, object]) -> str:
    return hmac.new(key.secret, _canonical(payload), hashlib.sha256).hexdigest()


def head_signing_key(key: AuditKey) -> gm.Sm2PrivateKey:
    """The SM2 key that signs heads under the SM suite, derived from the audit key."""
    return gm.sm2_key_from_secret(key.secret, b"audit-head-sm2")


def _signature_holds(key: AuditKey, head: ExportedHead) -> bool:
    if head.algorithm == SM2_SM3:
        public = bytes(head_signing_key(key).public_key)
        try:
            signature = bytes.fromhex(head.signature)
        except ValueError:
            return False
        return head.public_key == public.hex() and gm.sm2_verify(
            public, _canonical(head.payload()), signature
        )
    if head.algorithm != HMAC_SHA256:
        return False
    return hmac.compare_digest(_sign(key, head.payload()), head.signature)


def exported_heads_exist() -> bool:
    folder = head_dir()
    return folder.is_dir() and any(folder.glob(f"{PREFIX}*.json"))


def exported_heads() -> list[ExportedHead | Path]:
    """Every head file in seq order; a file that does not parse is returned as its bare path."""
    folder = head_dir()
    if not folder.is_dir():
        return []
    heads: list[ExportedHead | Path] = []
    for path in sorted(folder.glob(f"{PREFIX}*.json")):
        try:
            data = json.loads(path.read_text())
            heads.append(
                ExportedHead(
                    path=path,
                    seq=int(data["seq"]),
                    hash=str(data["hash"]),
                    from_seq=int(data["from_seq"]),
                    exported_at=str(data["exported_at"]),
                    signature=str(data["signature"]),
                    algorithm=str(data.get("algorithm", HMAC_SHA256)),
                    public_key=str(data.get("public_key", "")),
                )
            )
        except (ValueError, KeyError, TypeError):
            heads.append(path)
    return heads


def audit_head_export() -> Path | None:
    """Write the current head as a new read-only file; None when the chain is empty or unchanged.

    The caller verifies the chain first (the daily task does): exporting a broken chain's head
    would pin the damage.
    """
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None or head.last_seq == 0:
        return None
    latest = [h for h in exported_heads() if isinstance(h, ExportedHead)]
    if latest and max(h.seq for h in latest) == head.last_seq:
        return None
    key = audit_key_get()
    exported_at = timezone.now().isoformat(timespec="seconds")
    payload: dict[str, object] = {
        "seq": head.last_seq,
        "hash": head.last_hash,
        "from_seq": key.from_seq,
        "exported_at": exported_at,
    }
    if getattr(settings, "CRYPTO_SUITE", "sodium") == "sm":
        signer = head_signing_key(key)
        payload.update(algorithm=SM2_SM3, public_key=bytes(signer.public_key).hex())
        signature = gm.sm2_sign(signer, _canonical(payload)).hex()
    else:
        signature = _sign(key, payload)
    content = json.dumps({**payload, "signature": signature}, indent=1)
    folder = head_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
    path = folder / f"{PREFIX}{head.last_seq:012d}-{stamp}.json"
    # Exclusive create, read-only from birth: an export never replaces an earlier one.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o400)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return path


def heads_check(*, key: AuditKey, last_seq: int, pruned_seq: int = 0) -> tuple[int, str] | None:
    """The first exported head the database no longer matches, as (seq, reason), or None."""
    for head in exported_heads():
        if isinstance(head, Path):
            return 0, _("导出的链头文件无法读取：%(name)s") % {"name": head.name}
        if not _signature_holds(key, head):
            return head.seq, (
                _("导出的链头 %(name)s 签名不符：密钥被更换或链头被伪造") % {"name": head.path.name}
            )
        if head.seq > last_seq:
            return last_seq + 1, (
                _("%(at)s 导出的链头记到第 %(seq)d 条，数据库只剩 %(last)d 条")
                % {"at": head.exported_at, "seq": head.seq, "last": last_seq}
            )
        if head.seq <= pruned_seq:  # that row was removed after its retention period
            continue
        row_hash = AuditEvent.objects.filter(seq=head.seq).values_list("hash", flat=True).first()
        if row_hash != head.hash:
            return head.seq, (
                _("第 %(seq)d 条与 %(at)s 导出的链头不符：此前的记录被删改后重新计算")
                % {"seq": head.seq, "at": head.exported_at}
            )
    return None
