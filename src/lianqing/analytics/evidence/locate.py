"""Where a hit happened (the org and region the data names) and who it is about.

Read in bulk once per scan, from the package: a subject that is an org (or starts with one, as
"org/fund") is that org; a plate is the org of its trips; a person is the org of their post
when they are an official, else the org that paid them (payroll) or approved their benefits.
The region is where the beneficiary lives when benefits prove the hit, else the region_code of
the org in `orgs`. Unknown stays empty: the hit still belongs to the package's org.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from lianqing.analytics.engine import Hit as EngineHit
from lianqing.analytics.engine import get_rule
from lianqing.analytics.evidence.records import PackageReader, parse_record_ids


@dataclass(frozen=True)
class Place:
    org_code: str = ""
    region_code: str = ""
    org_name: str = ""


def _org_subject(rule_subject: str) -> bool:
    return rule_subject.split("/")[0] in ("org_code", "from_org_code", "buyer_org_code")


def hit_places(package_path: str, hits: Iterable[EngineHit]) -> dict[tuple[str, str], Place]:
    hits = list(hits)
    org_of: dict[tuple[str, str], str] = {}
    persons: dict[tuple[str, str], str] = {}
    trips: dict[tuple[str, str], list[str]] = {}
    benefits: dict[tuple[str, str], list[str]] = {}
    org_fallback: dict[tuple[str, str], str] = {}  # the org that paid or approved, when no better
    for hit in hits:
        key = (hit.rule_id, hit.subject_id)
        subject = get_rule(hit.rule_id).subject
        records = parse_record_ids(hit.record_ids.split(";"))
        if _org_subject(subject):
            org_of[key] = hit.subject_id.split("/")[0]
        elif subject == "plate":
            trips[key] = records.get("vehicle_trips", [])
        if subject == "person_id":
            persons[key] = hit.subject_id
        if "benefits" in records:
            benefits[key] = records["benefits"]
        for payroll_key in records.get("payroll", []):  # person|org|period
            org_code = payroll_key.split("|")[1] if payroll_key.count("|") == 2 else ""
            if org_code:
                org_fallback.setdefault(key, org_code)
    with PackageReader(package_path) as reader:
        official_org = {
            row["person_id"]: row["org_code"]
            for row in sorted(
                reader.rows_where_in("officials", "person_id", persons.values(), limit=100_000),
                key=lambda row: row["start_date"],
            )
        }
        trip_org = {
            row["trip_id"]: row["org_code"]
            for row in reader.rows_where_in(
                "vehicle_trips", "trip_id", (t for ids in trips.values() for t in ids), limit=100_000
            )
        }
        benefit_rows = reader.rows_where_in(
            "benefits", "record_id", (b for ids in benefits.values() for b in ids), limit=100_000
        )
        benefit_region = {row["record_id"]: row["region_code"] or "" for row in benefit_rows}
        benefit_approver = {row["record_id"]: row["approver_org_code"] or "" for row in benefit_rows}
        for key, record_ids in benefits.items():
            approver = next((benefit_approver[r] for r in record_ids if benefit_approver.get(r)), "")
            if approver:
                org_fallback.setdefault(key, approver)
        for key, person_id in persons.items():
            if person_id in official_org:
                org_of.setdefault(key, official_org[person_id])
        for key, trip_ids in trips.items():
            for trip_id in trip_ids:
                if trip_id in trip_org:
                    org_of.setdefault(key, trip_org[trip_id])
                    break
        for key, org_code in org_fallback.items():
            org_of.setdefault(key, org_code)
        org_rows = reader.rows_where_in("orgs", "org_code", org_of.values(), limit=100_000)
        org_region = {row["org_code"]: row["region_code"] or "" for row in org_rows}
        org_name = {row["org_code"]: row["name"] or "" for row in org_rows}
    places = {}
    for hit in hits:
        key = (hit.rule_id, hit.subject_id)
        org_code = org_of.get(key, "")
        # where the beneficiary lives, else where the org is
        region = next((benefit_region[b] for b in benefits.get(key, []) if benefit_region.get(b)), "")
        region = region or org_region.get(org_code, "")
        places[key] = Place(org_code[:64], region[:12], org_name.get(org_code, "")[:200])
    return places


def hit_people(
    package_path: str, *, subject_id: str, subject_name: str, rule_subject: str, record_ids: list[str]
) -> list[dict[str, str]]:
    """The persons a lead is about: the subject when a person, and the officials the evidence names.

    Each is {name, org_name, position} as the case workflow's reported persons expect.
    """
    keys = parse_record_ids(record_ids)
    person_ids: list[str] = []
    if rule_subject == "person_id":
        person_ids.append(subject_id)
    person_ids += [key.split("|")[0] for key in keys.get("relatives", [])]
    person_ids += [key.split("|")[0] for key in keys.get("officials", [])]
    people: list[dict[str, str]] = []
    with PackageReader(package_path) as reader:
        officials = reader.rows_where_in("officials", "person_id", person_ids)
        org_names = {
            row["org_code"]: row["name"]
            for row in reader.rows_where_in("orgs", "org_code", (o["org_code"] for o in officials))
        }
        latest: dict[str, dict[str, Any]] = {}
        for row in sorted(officials, key=lambda row: row["start_date"]):
            latest[row["person_id"]] = row
        for person_id in dict.fromkeys(person_ids):
            post = latest.get(person_id)
            if post is not None:
                people.append(
                    {
                        "name": post["name"] or "",
                        "org_name": org_names.get(post["org_code"], post["org_code"] or ""),
                        "position": post["position"] or "",
                    }
                )
            elif person_id == subject_id and subject_name:
                people.append({"name": subject_name, "org_name": "", "position": ""})
    return people
