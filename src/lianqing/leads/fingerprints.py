"""The identity of a 疑点 across scans.

A fingerprint is sha256 of (rule_id, subject_id) and deliberately leaves out record_ids: next
month's package brings new benefit payments or transactions for the same person under the same
rule, and that is the same 疑点 recurring, not a new one. The scope (which org's scans are
compared) is not in it either: comparisons always filter by org first.
"""

from __future__ import annotations

import hashlib


def hit_fingerprint(rule_id: str, subject_id: str) -> str:
    return hashlib.sha256(f"{rule_id.strip().upper()}\x1f{subject_id.strip()}".encode()).hexdigest()
