"""The backup file: a tar stream, gzip level 1, sealed with a key derived from a passphrase.

    LQBACKUP\\x01 | header length (4 bytes) | header JSON | secretstream header | chunks…

The header (format, key-derivation parameters, salt, creation time) is bound to every chunk as
associated data; chunks are XChaCha20-Poly1305 (libsodium's secretstream), the last one tagged
FINAL. A changed byte anywhere, a cut-off end, reordered or dropped chunks, or a wrong
passphrase all fail authentication: nothing of a damaged archive is ever trusted. No separate
signature: only the passphrase's holders can make a chunk that authenticates, and a signing key
carried inside the archive would prove nothing.
"""

from __future__ import annotations

import base64
import io
import json
import struct
from typing import BinaryIO

import nacl.bindings as sodium
import nacl.pwhash.argon2id as argon2id
import nacl.utils

from lianqing.core.backup.errors import BackupError

MAGIC = b"LQBACKUP\x01"
FORMAT = 1
CHUNK = 1024 * 1024
_TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
_TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
_ABYTES = sodium.crypto_secretstream_xchacha20poly1305_ABYTES
_HEADERBYTES = sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES
_MAX_HEADER = 64 * 1024


def _derive(passphrase: str, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    return argon2id.kdf(
        sodium.crypto_secretstream_xchacha20poly1305_KEYBYTES,
        passphrase.encode("utf-8"),
        salt,
        opslimit=opslimit,
        memlimit=memlimit,
    )


class SealingWriter(io.RawIOBase):
    """A write-only file object: what is written is sealed chunk by chunk into `sink`."""

    def __init__(self, sink: BinaryIO, passphrase: str, *, created_at: str, strong: bool = True) -> None:
        super().__init__()
        opslimit = argon2id.OPSLIMIT_MODERATE if strong else argon2id.OPSLIMIT_MIN
        memlimit = argon2id.MEMLIMIT_MODERATE if strong else argon2id.MEMLIMIT_MIN
        salt = nacl.utils.random(argon2id.SALTBYTES)
        self._header = json.dumps(
            {
                "format": FORMAT,
                "kdf": "argon2id",
                "opslimit": opslimit,
                "memlimit": memlimit,
                "salt": base64.b64encode(salt).decode(),
                "cipher": "xchacha20poly1305-secretstream",
                "created_at": created_at,
            },
            sort_keys=True,
        ).encode()
        self._state = sodium.crypto_secretstream_xchacha20poly1305_state()
        key = _derive(passphrase, salt, opslimit, memlimit)
        stream_header = sodium.crypto_secretstream_xchacha20poly1305_init_push(self._state, key)
        self._sink = sink
        sink.write(MAGIC + struct.pack(">I", len(self._header)) + self._header + stream_header)
        self._buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._push(bytes(self._buffer[:CHUNK]), _TAG_MESSAGE)
            del self._buffer[:CHUNK]
        return len(data)

    def _push(self, plain: bytes, tag: int) -> None:
        sealed = sodium.crypto_secretstream_xchacha20poly1305_push(self._state, plain, self._header, tag)
        self._sink.write(struct.pack(">I", len(sealed)) + sealed)

    def finish(self) -> None:
        """Seal what is left with the FINAL tag: without it, a reader calls the archive cut off."""
        self._push(bytes(self._buffer), _TAG_FINAL)
        self._buffer.clear()
        self._sink.flush()


class OpeningReader(io.RawIOBase):
    """A read-only file object over a sealed archive; raises BackupError on any damage."""

    def __init__(self, source: BinaryIO, passphrase: str) -> None:
        super().__init__()
        self._source = source
        if source.read(len(MAGIC)) != MAGIC:
            raise BackupError("这不是廉情的备份文件，或文件已损坏")
        (length,) = struct.unpack(">I", _exactly(source, 4))
        if length > _MAX_HEADER:
            raise BackupError("备份文件头已损坏")
        self._header = _exactly(source, length)
        try:
            header = json.loads(self._header)
            salt = base64.b64decode(header["salt"])
            opslimit, memlimit = int(header["opslimit"]), int(header["memlimit"])
        except (ValueError, KeyError, TypeError) as error:
            raise BackupError("备份文件头已损坏") from error
        if header.get("format") != FORMAT:
            raise BackupError(f"备份文件格式版本 {header.get('format')} 比本程序新，请用更新版本的廉情恢复")
        self.header: dict[str, object] = header
        self._state = sodium.crypto_secretstream_xchacha20poly1305_state()
        key = _derive(passphrase, salt, opslimit, memlimit)
        sodium.crypto_secretstream_xchacha20poly1305_init_pull(
            self._state, _exactly(source, _HEADERBYTES), key
        )
        self._plain = b""
        self._final = False
        self._first = True

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._plain and not self._final:
            self._pull()
        n = min(len(buffer), len(self._plain))
        buffer[:n] = self._plain[:n]
        self._plain = self._plain[n:]
        return n

    def _pull(self) -> None:
        raw = self._source.read(4)
        if len(raw) < 4:
            raise BackupError("备份文件不完整（末尾被截断）")
        (length,) = struct.unpack(">I", raw)
        if length < _ABYTES or length > CHUNK + _ABYTES:
            raise BackupError("备份文件已损坏或被篡改")
        sealed = _exactly(self._source, length)
        try:
            plain, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(self._state, sealed, self._header)
        except Exception as error:  # libsodium says only "wrong"
            if self._first:
                raise BackupError("口令不正确，或备份文件已被篡改") from error
            raise BackupError("备份文件已损坏或被篡改") from error
        self._first = False
        self._plain = plain
        if tag == _TAG_FINAL:
            self._final = True
            if self._source.read(1):
                raise BackupError("备份文件末尾有多余内容，可能被篡改")

    @property
    def finished(self) -> bool:
        return self._final and not self._plain


def _exactly(source: BinaryIO, n: int) -> bytes:
    data = source.read(n)
    if len(data) != n:
        raise BackupError("备份文件不完整（末尾被截断）")
    return data


def passphrase_check(passphrase: str) -> None:
    if len(passphrase) < 12:
        raise BackupError("备份口令至少 12 个字符")


__all__ = ["OpeningReader", "SealingWriter", "passphrase_check"]
