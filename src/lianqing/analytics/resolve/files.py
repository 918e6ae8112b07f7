"""`lianqing resolve` on files: MENTIONS.csv in, DIR/links.csv out (DATA-CONTRACT.md)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from lianqing.analytics.errors import AnalyticsError
from lianqing.analytics.resolve.model import DuplicatePerson, Link, Mention
from lianqing.analytics.resolve.registry import Registry
from lianqing.analytics.resolve.resolver import resolve_mentions
from lianqing.analytics.resolve.tables import TextTable, read_file, require_columns

MENTION_COLUMNS = ("mention_id", "name", "org_text", "position_text", "gender", "phone")
LINK_COLUMNS = ("mention_id", "person_id", "score", "candidates")
DUPLICATE_COLUMNS = ("name", "birth_date", "person_ids", "rows")


@dataclass(frozen=True)
class ResolveResult:
    links: list[Link]
    duplicates: list[DuplicatePerson]
    links_path: Path
    duplicates_path: Path | None

    @property
    def linked(self) -> int:
        return sum(1 for link in self.links if link.person_id)


def mentions_from_table(table: TextTable) -> list[Mention]:
    require_columns(table, MENTION_COLUMNS)
    seen: dict[str, int] = {}
    mentions = []
    columns = [table.column(name) for name in MENTION_COLUMNS]
    for index, values in enumerate(zip(*columns, strict=True)):
        mention_id = values[0]
        if mention_id is None:
            raise AnalyticsError(f"文件 {table.label} {table.where(index)} 列 mention_id: 值为空")
        if mention_id in seen:
            raise AnalyticsError(
                f"文件 {table.label} {table.where(index)} 列 mention_id: {mention_id!r} 与 "
                f"{table.where(seen[mention_id])}重复"
            )
        seen[mention_id] = index
        mentions.append(Mention(*(value or "" for value in values)))
    return mentions


def read_mentions(path: str | Path) -> list[Mention]:
    return mentions_from_table(read_file(Path(path)))


def write_links(links: list[Link], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(LINK_COLUMNS)
        for link in links:
            writer.writerow(
                [link.mention_id, link.person_id or "", f"{link.score:.4f}", link.candidates_text()]
            )


def resolve_package(package: str | Path, mentions: str | Path, out: str | Path) -> ResolveResult:
    """Resolve MENTIONS.csv against the package's registry; write links.csv (and duplicates.csv)."""
    mention_list = read_mentions(mentions)
    registry = Registry.from_package(package)
    links = resolve_mentions(registry, mention_list)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    links_path = folder / "links.csv"
    write_links(links, links_path)
    duplicates_path = None
    if registry.duplicates:
        duplicates_path = folder / "duplicates.csv"
        with duplicates_path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(DUPLICATE_COLUMNS)
            for duplicate in registry.duplicates:
                writer.writerow(
                    [
                        duplicate.name,
                        duplicate.birth_date,
                        ";".join(duplicate.person_ids),
                        ";".join(duplicate.rows),
                    ]
                )
    return ResolveResult(links, registry.duplicates, links_path, duplicates_path)
