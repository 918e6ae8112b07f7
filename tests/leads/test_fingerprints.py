"""A 疑点 keeps its identity across scans: same rule and subject, whatever the records."""

from __future__ import annotations

from lianqing.leads.fingerprints import hit_fingerprint


def test_same_rule_and_subject_give_the_same_fingerprint():
    assert hit_fingerprint("B02", "370124198001010011") == hit_fingerprint("b02 ", "370124198001010011")


def test_rule_and_subject_both_matter():
    fingerprints = {
        hit_fingerprint("B02", "A"),
        hit_fingerprint("B01", "A"),
        hit_fingerprint("B02", "B"),
        hit_fingerprint("B0", "2A"),  # no ambiguity where rule and subject meet
    }
    assert len(fingerprints) == 4
