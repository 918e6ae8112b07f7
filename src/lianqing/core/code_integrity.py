"""Integrity of the installed code (等保 2.0 level 3, 恶意代码防范/完整性): every file the installed
package's RECORD names (importlib.metadata) is hashed again and compared with the hash pip wrote
at installation. `lianqing check` reports changed and missing files."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from importlib import metadata


@dataclass
class CodeIntegrityReport:
    distribution: str
    version: str
    checked: int = 0
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    editable: bool = False

    @property
    def ok(self) -> bool:
        return not self.changed and not self.missing


def _is_editable(dist: metadata.Distribution) -> bool:
    try:
        direct = json.loads(dist.read_text("direct_url.json") or "{}")
    except ValueError:
        return False
    return bool(direct.get("dir_info", {}).get("editable"))


def installed_files_check(dist: metadata.Distribution | None = None) -> CodeIntegrityReport:
    """Compare every hashed file of the distribution's RECORD with the file on disk."""
    dist = dist or metadata.distribution("lianqing")
    report = CodeIntegrityReport(
        distribution=dist.metadata["Name"], version=dist.version, editable=_is_editable(dist)
    )
    for entry in dist.files or []:
        if entry.hash is None:  # RECORD itself and the byte-code caches carry no hash
            continue
        path = entry.locate()
        try:
            digest = hashlib.new(entry.hash.mode, path.read_bytes()).digest()  # type: ignore[attr-defined]
        except FileNotFoundError:
            report.missing.append(str(entry))
            continue
        report.checked += 1
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != entry.hash.value:
            report.changed.append(str(entry))
    return report
