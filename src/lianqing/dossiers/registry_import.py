"""The registry import: a data package's `orgs`, `officials`, `persons`, `relatives`,
`declarations` (and `companies`/`shareholders` for relatives' businesses) into the registry.

It updates in place and keeps history: a post missing from a newer package is closed (end date
= the package's as-of date), never deleted; a changed field leaves a CadreChange row. The same
person is one Cadre (unique 公民身份号码); rows that look like one person under two different
numbers are reported in the import's problems, not merged.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from django.db import transaction
from django.utils import timezone

from lianqing.analytics.idcodes import is_valid_person_id
from lianqing.core.models import Org

from .models import Cadre, CadreChange, Declaration, Post, RegistryImport, Relative, Unit

Row = dict[str, Any]
# History rows are stored text, in the registry's language.
POST_FIELD_LABELS = {"rank": "职级", "category": "人员类别", "is_leader": "领导职务", "end_date": "离任日期"}


def dataset_rows(folder: Path, dataset: str) -> list[Row]:
    """The rows of one dataset of an imported package, or [] when the package lacks it."""
    for suffix in (".parquet",):
        path = folder / f"{dataset}{suffix}"
        if path.is_file():
            return pq.read_table(path).to_pylist()
    return []


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


class _Importer:
    def __init__(self, run: RegistryImport, folder: Path, as_of: dt.date) -> None:
        self.run, self.folder, self.as_of = run, folder, as_of
        self.org: Org = run.org
        self.source = run.package_name
        self.counts: dict[str, int] = defaultdict(int)
        self.problems: list[dict[str, str]] = []
        self.units: dict[str, Unit] = {}

    def problem(self, dataset: str, row: int, column: str, value: str, reason: str) -> None:
        self.problems.append(
            {"file": f"{dataset}", "row": str(row), "column": column, "value": value, "reason": reason}
        )

    def change(self, cadre: Cadre, field: str, old: object, new: object) -> None:
        CadreChange.objects.create(
            cadre=cadre,
            field=field,
            old_value=_text(old)[:200],
            new_value=_text(new)[:200],
            source=self.source,
        )
        self.counts["changes"] += 1

    def units_upsert(self) -> None:
        tree = {org.org_code: org for org in Org.objects.filter(path__startswith=self.org.path)}
        for row in dataset_rows(self.folder, "orgs"):
            code = _text(row.get("org_code"))
            if not code:
                continue
            unit, created = Unit.objects.update_or_create(
                code=code,
                defaults={
                    "name": _text(row.get("name")) or code,
                    "parent_code": _text(row.get("parent_code")),
                    "kind": _text(row.get("kind")),
                    "region_code": _text(row.get("region_code")),
                    "org": self.org,
                    "tree_org": tree.get(code),
                },
            )
            self.units[code] = unit
            self.counts["units_created" if created else "units_updated"] += 1

    def unit(self, code: str) -> Unit:
        if code not in self.units:
            self.units[code], _ = Unit.objects.get_or_create(
                code=code, defaults={"name": code, "org": self.org}
            )
        return self.units[code]

    def duplicates_report(self, officials: list[Row]) -> None:
        """Same name, unit, position and start date under two numbers: one person twice? Report it."""
        seen: dict[tuple[str, ...], tuple[str, int]] = {}
        for index, row in enumerate(officials, start=2):
            key = tuple(_text(row.get(c)) for c in ("name", "org_code", "position", "start_date"))
            person_id = _text(row.get("person_id"))
            first = seen.setdefault(key, (person_id, index))
            if first[0] != person_id:
                self.problem(
                    "officials",
                    index,
                    "person_id",
                    person_id,
                    f"与第 {first[1]} 行（{first[0]}）姓名、单位、职务、任职日期相同但身份号码不同，疑为同一人，未合并",
                )

    def cadres_upsert(self) -> dict[str, Cadre]:
        officials = dataset_rows(self.folder, "officials")
        persons = {_text(r.get("person_id")): r for r in dataset_rows(self.folder, "persons")}
        self.duplicates_report(officials)
        by_person: dict[str, list[Row]] = defaultdict(list)
        for index, row in enumerate(officials, start=2):
            person_id = _text(row.get("person_id")).upper()
            if not is_valid_person_id(person_id):
                self.problem(
                    "officials", index, "person_id", person_id, "公民身份号码格式或校验位不正确，未导入"
                )
                continue
            by_person[person_id].append(row)
        existing = {c.person_id: c for c in Cadre.objects.filter(person_id__in=list(by_person))}
        cadres: dict[str, Cadre] = {}
        for person_id, rows in by_person.items():
            person = persons.get(person_id, {})
            name = _text(rows[-1].get("name"))
            cadre = existing.get(person_id)
            if cadre is None:
                cadre = Cadre.objects.create(
                    person_id=person_id,
                    name=name,
                    org=self.org,
                    gender=_text(person.get("gender"))[:4],
                    birth_date=_date(person.get("birth_date")),
                )
                self.counts["cadres_created"] += 1
            elif cadre.name != name:
                self.change(cadre, "姓名", cadre.name, name)
                cadre.name = name
                cadre.save(update_fields=["name", "updated_at"])
                self.counts["cadres_updated"] += 1
            self.posts_upsert(cadre, rows)
            cadres[person_id] = cadre
        return cadres

    def posts_upsert(self, cadre: Cadre, rows: list[Row]) -> None:
        posts = {(p.unit.code, p.position, p.start_date): p for p in cadre.posts.select_related("unit")}
        present = set()
        for row in rows:
            unit = self.unit(_text(row.get("org_code")))
            key = (unit.code, _text(row.get("position")), _date(row.get("start_date")))
            present.add(key)
            values = {
                "rank": _text(row.get("rank")),
                "category": _text(row.get("category")),
                "is_leader": _text(row.get("is_leader")).lower() in {"1", "true"},
                "end_date": _date(row.get("end_date")),
            }
            post = posts.get(key)
            if post is None:
                Post.objects.create(
                    cadre=cadre, unit=unit, position=key[1], start_date=key[2], source=self.source, **values
                )
                self.counts["posts_created"] += 1
                continue
            changed = [name for name, value in values.items() if getattr(post, name) != value]
            for name in changed:
                self.change(
                    cadre,
                    f"{unit.name} {post.position} {POST_FIELD_LABELS[name]}",
                    getattr(post, name),
                    values[name],
                )
                setattr(post, name, values[name])
            if changed:
                post.save(update_fields=changed)
        for key, post in posts.items():
            if key not in present and post.end_date is None:
                post.end_date = self.as_of
                post.save(update_fields=["end_date"])
                self.change(
                    cadre, f"{post.unit.name} {post.position} {POST_FIELD_LABELS['end_date']}", "", self.as_of
                )
                self.counts["posts_closed"] += 1
        current = (
            cadre.posts.filter(end_date__isnull=True)
            .select_related("unit")
            .order_by("-start_date", "-id")
            .first()
        )
        current_unit, position = (current.unit, current.position) if current else (cadre.unit, cadre.position)
        if (cadre.unit_id, cadre.position) != (current_unit.pk if current_unit else None, position):
            cadre.unit, cadre.position = current_unit, position
            cadre.save(update_fields=["unit", "position", "updated_at"])

    def relatives_upsert(self, cadres: dict[str, Cadre]) -> None:
        businesses: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in dataset_rows(self.folder, "companies"):
            businesses[_text(row.get("legal_rep_id"))].append(
                {
                    "uscc": _text(row.get("uscc")),
                    "name": _text(row.get("name")),
                    "role": "法定代表人",
                    "status": _text(row.get("status")),
                }
            )
        for row in dataset_rows(self.folder, "shareholders"):
            businesses[_text(row.get("holder_id"))].append(
                {
                    "uscc": _text(row.get("uscc")),
                    "name": "",
                    "role": f"股东 {_text(row.get('ratio'))}",
                    "status": "",
                }
            )
        for row in dataset_rows(self.folder, "relatives"):
            cadre = cadres.get(_text(row.get("official_id")))
            if cadre is None:
                continue
            relative_id = _text(row.get("relative_id"))
            _, created = Relative.objects.update_or_create(
                cadre=cadre,
                relative_id=relative_id,
                name=_text(row.get("relative_name")),
                defaults={
                    "relation": _text(row.get("relation")),
                    "source": self.source,
                    "businesses": businesses.get(relative_id, []) if relative_id else [],
                },
            )
            self.counts["relatives"] += int(created)

    def declarations_upsert(self, cadres: dict[str, Cadre]) -> None:
        for index, row in enumerate(dataset_rows(self.folder, "declarations"), start=2):
            cadre = (
                cadres.get(_text(row.get("person_id")))
                or Cadre.objects.filter(person_id=_text(row.get("person_id"))).first()
            )
            if cadre is None:
                self.problem(
                    "declarations", index, "person_id", _text(row.get("person_id")), "报告人不在干部名册中"
                )
                continue
            year = _text(row.get("year"))
            _, created = Declaration.objects.update_or_create(
                declaration_id=_text(row.get("declaration_id")),
                defaults={
                    "cadre": cadre,
                    "year": int(year) if year.isdigit() else None,
                    "declared_on": _date(row.get("declared_on")),
                    "item_type": _text(row.get("item_type")),
                    "item_desc": _text(row.get("item_desc")),
                    "source": self.source,
                },
            )
            self.counts["declarations"] += int(created)


@transaction.atomic
def registry_import_run(*, run: RegistryImport, folder: Path, as_of: dt.date | None) -> RegistryImport:
    importer = _Importer(run, folder, as_of or timezone.localdate())
    importer.units_upsert()
    cadres = importer.cadres_upsert()
    importer.relatives_upsert(cadres)
    importer.declarations_upsert(cadres)
    run.counts = dict(importer.counts)
    run.problems = importer.problems[:500]
    run.status = "done"
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "problems", "status", "finished_at"])
    return run
