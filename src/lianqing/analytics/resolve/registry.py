"""The registry the resolver matches against: cadres with all their posts, units, and counts.

Built once from a package folder (`officials` with every post, ended ones too; `orgs`;
`persons` when present) or from rows the web app passes, then reused for any number of
mentions. It keeps what scoring needs per cadre, the term frequencies (how many cadres share
a name, a pinyin, a surname; how many work in a unit or hold a title) and the blocking keys.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from lianqing.analytics.errors import AnalyticsError
from lianqing.analytics.resolve.model import DuplicatePerson
from lianqing.analytics.resolve.tables import (
    Rows,
    TextTable,
    from_rows,
    normalise_person_ids,
    read_file,
    require_columns,
    require_values,
)
from lianqing.analytics.resolve.text import PersonName, clean, registry_name, title_fits
from lianqing.analytics.resolve.units import canonical_unit, places
from lianqing.analytics.sources import int64_array, string_array

OFFICIALS_COLUMNS = ("person_id", "name", "org_code")
OFFICIALS_OPTIONAL = ("position", "end_date", "phone", "gender")
ORGS_COLUMNS = ("org_code", "name")
PERSONS_COLUMNS = ("person_id",)


@dataclass(frozen=True)
class Post:
    org_code: str
    position: str  # cleaned
    is_current: bool


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    canonical: str
    parent_code: str


def _gender(value: str | None, person_id: str) -> str:
    if not value:
        return "男" if int(person_id[16]) % 2 else "女"
    text = clean(value)
    if text in ("男", "m", "male", "1"):
        return "男"
    if text in ("女", "f", "female", "2"):
        return "女"
    return "男" if int(person_id[16]) % 2 else "女"  # GB 11643: odd sequence digit = male


def phone_digits(value: str | None) -> str:
    if not value:
        return ""
    digits = "".join(c for c in clean(value) if c.isdigit())
    return digits[-11:] if len(digits) >= 7 else ""


@dataclass
class Registry:
    person_ids: list[str]
    names: list[PersonName]
    genders: list[str]
    births: list[str]
    phones: list[str]
    posts: list[list[Post]]
    units: dict[str, Unit]
    duplicates: list[DuplicatePerson] = field(default_factory=list)
    fit_cache: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)
    _title_shares: dict[str, float] = field(default_factory=dict, repr=False)

    # ---- construction -------------------------------------------------------------------

    @classmethod
    def from_package(cls, package: str | Path) -> Registry:
        """The registry of a data package folder: officials (required), orgs, persons."""
        folder = Path(package)
        if not folder.is_dir():
            raise AnalyticsError(f"数据包 {folder} 不存在或不是文件夹")

        def find(name: str) -> Path | None:
            for suffix in (".parquet", ".csv"):
                if (folder / f"{name}{suffix}").is_file():
                    return folder / f"{name}{suffix}"
            return None

        officials_path = find("officials")
        if officials_path is None:
            raise AnalyticsError(f"数据包 {folder} 没有 officials 数据集（公职人员），无法比对")
        officials = read_file(officials_path, OFFICIALS_COLUMNS + OFFICIALS_OPTIONAL)
        orgs_path, persons_path = find("orgs"), find("persons")
        orgs = read_file(orgs_path, ("org_code", "name", "parent_code")) if orgs_path else None
        persons = (
            read_file(
                persons_path, ("person_id", "name", "gender", "birth_date", "phone"), people_of=officials_path
            )
            if persons_path
            else None
        )
        return cls.build(officials, orgs, persons)

    @classmethod
    def from_tables(
        cls, *, officials: Rows, orgs: Rows | None = None, persons: Rows | None = None
    ) -> Registry:
        """The registry from rows in memory (lists of dicts or Arrow tables), as the app holds them."""
        return cls.build(
            from_rows("officials", officials),
            from_rows("orgs", orgs) if orgs is not None else None,
            from_rows("persons", persons) if persons is not None else None,
        )

    @classmethod
    def build(cls, officials: TextTable, orgs: TextTable | None, persons: TextTable | None) -> Registry:
        require_columns(officials, OFFICIALS_COLUMNS)
        for column in ("name", "org_code"):
            require_values(officials, column)
        ids = normalise_person_ids(officials, "person_id")
        units: dict[str, Unit] = {}
        if orgs is not None:
            require_columns(orgs, ORGS_COLUMNS)
            require_values(orgs, "org_code")
            for code, name, parent in zip(
                orgs.column("org_code"), orgs.column("name"), orgs.column("parent_code"), strict=True
            ):
                units[str(code)] = Unit(str(code), name or "", canonical_unit(name), parent or "")
        extra: dict[str, tuple[str | None, str | None, str | None]] = {}
        if persons is not None:
            require_columns(persons, PERSONS_COLUMNS)
            person_ids = normalise_person_ids(persons, "person_id")
            for pid, gender, birth, phone in zip(
                person_ids,
                persons.column("gender"),
                persons.column("birth_date"),
                persons.column("phone"),
                strict=True,
            ):
                extra[pid] = (gender, birth, phone)
        return cls._assemble(officials, ids, units, extra)

    @classmethod
    def _assemble(
        cls,
        officials: TextTable,
        ids: list[str],
        units: dict[str, Unit],
        extra: dict[str, tuple[str | None, str | None, str | None]],
    ) -> Registry:
        index: dict[str, int] = {}
        registry = cls([], [], [], [], [], [], units)
        first_row: dict[str, int] = {}
        name_cache: dict[str, PersonName] = {}
        position_cache: dict[str | None, str] = {}
        for row, (pid, name, org, position, end, phone, gender) in enumerate(
            zip(
                ids,
                officials.column("name"),
                officials.column("org_code"),
                officials.column("position"),
                officials.column("end_date"),
                officials.column("phone"),
                officials.column("gender"),
                strict=True,
            )
        ):
            slot = index.get(pid)
            if slot is None:
                slot = index[pid] = len(registry.person_ids)
                first_row[pid] = row
                parsed = name_cache.get(name or "")
                if parsed is None:
                    parsed = name_cache[name or ""] = registry_name(name or "")
                more = extra.get(pid, (None, None, None))
                registry.person_ids.append(pid)
                registry.names.append(parsed)
                registry.genders.append(_gender(gender or more[0], pid))
                registry.births.append(more[1] or f"{pid[6:10]}-{pid[10:12]}-{pid[12:14]}")
                registry.phones.append(phone_digits(phone or more[2]))
                registry.posts.append([])
            cleaned = position_cache.get(position)
            if cleaned is None:
                cleaned = position_cache[position] = clean(position)
            registry.posts[slot].append(Post(org or "", cleaned, end is None))
            if org not in units:
                units[org or ""] = Unit(org or "", "", "", "")
        registry.duplicates = _duplicates(registry, officials, first_row)
        return registry

    # ---- term frequencies ------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.person_ids)

    @cached_property
    def name_counts(self) -> Counter[str]:
        return Counter(n.text for n in self.names)

    @cached_property
    def pinyin_counts(self) -> Counter[str]:
        return Counter(n.pinyin for n in self.names)

    @cached_property
    def surname_counts(self) -> Counter[str]:
        return Counter(n.surname for n in self.names)

    @cached_property
    def surname_pinyin_counts(self) -> Counter[str]:
        return Counter(n.surname_pinyin for n in self.names)

    @cached_property
    def unit_headcounts(self) -> Counter[str]:
        return Counter(
            post.org_code for posts in self.posts for post in {p.org_code: p for p in posts}.values()
        )

    @cached_property
    def position_counts(self) -> Counter[str]:
        return Counter(post.position for posts in self.posts for post in posts if post.position)

    # ---- unit look-up ------------------------------------------------------------------

    @cached_property
    def _unit_suffixes(self) -> dict[str, list[str]]:
        """Every suffix (2+ characters) of every canonical unit name -> unit codes."""
        index: dict[str, list[str]] = defaultdict(list)
        for unit in self.units.values():
            name = unit.canonical
            for start in range(len(name) - 1):
                index[name[start:]].append(unit.code)
        return index

    @cached_property
    def _unit_places(self) -> dict[str, list[str]]:
        """Place names inside unit names (东岭镇) -> the units in that place."""
        index: dict[str, set[str]] = defaultdict(set)
        for unit in self.units.values():
            for place in places(unit.canonical):
                index[place].add(unit.code)
        return {place: sorted(codes) for place, codes in index.items()}

    def units_for(self, canonical_text: str, limit: int = 300) -> list[str]:
        """Units whose name ends with the text (县民政局), else units in the place it names (东岭镇)."""
        if len(canonical_text) < 2:
            return []
        found = self._unit_suffixes.get(canonical_text) or self._unit_places.get(canonical_text) or []
        return found[:limit]

    def unit_share(self, codes: list[str]) -> float:
        """Share of cadres with a post in any of these units (the u of a unit agreement)."""
        people = sum(self.unit_headcounts.get(code, 0) for code in codes)
        return max(people, 1) / max(len(self), 1)

    def title_share(self, title: str) -> float:
        """Share of posts whose position the title fits (the u of a title agreement)."""
        share = self._title_shares.get(title)
        if share is None:
            posts = sum(
                count for position, count in self.position_counts.items() if title_fits(title, position)
            )
            share = self._title_shares[title] = min(max(posts, 1) / max(len(self), 1), 1.0)
        return share

    # ---- blocking keys ---------------------------------------------------------------

    def blocking_keys(self) -> pa.Table:
        """(key, person) rows: full pinyin, reversed pinyin, surname + first or last given
        character, surname + unit, phone. Built by DuckDB from per-person columns."""
        cached = getattr(self, "_keys", None)
        if cached is not None:
            return cached
        per_name: dict[str, tuple[str, str, str, str]] = {}
        columns: dict[str, list[str]] = {"whole": [], "backward": [], "first": [], "last": [], "surname": []}
        for name in self.names:
            keys = per_name.get(name.text)
            if keys is None:
                given = name.given_pinyin
                keys = per_name[name.text] = (
                    name.pinyin,
                    "".join(given) + name.surname_pinyin,
                    given[0] if given else "",
                    given[-1] if given else "",
                )
            for column, value in zip(("whole", "backward", "first", "last"), keys, strict=True):
                columns[column].append(value)
            columns["surname"].append(name.surname_pinyin)
        # Arrow arrays built from numpy: pa.array on a list would import pandas (seconds)
        people = pa.table(
            {
                **{name: string_array(values) for name, values in columns.items()},
                "phone": string_array(self.phones),
                "person": int64_array(np.arange(len(self))),
            }
        )
        posts = pa.table(
            {
                "person": int64_array(
                    np.array([slot for slot, posts in enumerate(self.posts) for _ in posts])
                ),
                "org_code": string_array([post.org_code for posts in self.posts for post in posts]),
            }
        )
        with duckdb.connect() as connection:
            connection.execute("SET enable_progress_bar = false")
            connection.register("people", people)
            connection.register("posts", posts)
            table = connection.sql(
                """
                SELECT 'p:' || whole AS key, person FROM people WHERE whole <> ''
                UNION ALL SELECT 'r:' || backward, person FROM people WHERE backward <> ''
                UNION ALL SELECT 'g:' || surname || '|' || first, person FROM people WHERE first <> ''
                UNION ALL SELECT 'g:' || surname || '|' || last, person FROM people
                    WHERE last <> '' AND last <> first
                UNION ALL SELECT 't:' || phone, person FROM people WHERE phone <> ''
                UNION ALL SELECT DISTINCT 'u:' || surname || '|' || org_code, person
                    FROM posts JOIN people USING (person)
                """
            ).to_arrow_table()
        object.__setattr__(self, "_keys", table)
        return table


def person_keys(name: PersonName) -> list[str]:
    """The keys a written name shares with the registry's (p:, r:, g:)."""
    if not name.text:
        return []
    given = name.given_pinyin
    keys = [f"p:{name.pinyin}", f"r:{''.join(given)}{name.surname_pinyin}"]
    if given:
        keys += [f"g:{name.surname_pinyin}|{given[0]}", f"g:{name.surname_pinyin}|{given[-1]}"]
    return keys


def _duplicates(registry: Registry, officials: TextTable, first_row: dict[str, int]) -> list[DuplicatePerson]:
    keys = [(name.text, birth) for name, birth in zip(registry.names, registry.births, strict=True)]
    repeated = {key for key, count in Counter(keys).items() if count > 1}
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key, pid in zip(keys, registry.person_ids, strict=True):
        if key in repeated:
            groups[key].append(pid)
    return [
        DuplicatePerson(
            name=name,
            birth_date=birth,
            person_ids=tuple(pids),
            rows=tuple(f"{officials.label}:{first_row[pid] + officials.first_row}" for pid in pids),
        )
        for (name, birth), pids in sorted(groups.items())
    ]
