"""The records behind a hit as a person reads them: Chinese headings, names not codes, ids masked.

Each cell has the text shown, a hover title (the code behind a name) and, for a masked value, a
reveal token (`dataset:row:column`, the row's place among the hit's records of that dataset, so
the page's source holds no id either) that the page may exchange for the value in an audited click.
Codes stay in exports, which read the records themselves.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from lianqing.analytics.contract import DATASETS, ORG_CODE_COLUMNS, Dataset, IdKind, column_title
from lianqing.analytics.engine.results import mask_id
from lianqing.analytics.evidence.records import DatasetRecords, PackageReader

PERSON_ID_SHAPE = re.compile(r"\d{17}[\dX]|\d{15}")
PRIVATE_COLUMNS = frozenset({"account_no", "phone"})  # personal data that is not an id number
YES, NO = "是", "否"


@dataclass(frozen=True)
class Cell:
    text: str
    title: str = ""  # shown on hover: the code behind a name, or the full text of a long value
    reveal: str = ""  # set when `text` is masked: `dataset:row:column` for the reveal endpoint


@dataclass(frozen=True)
class EvidenceTable:
    name: str  # dataset, shown on hover only
    title: str
    headings: list[Cell]  # Chinese column title, the column name on hover
    rows: list[list[Cell]] = field(default_factory=list)


def is_private(dataset: Dataset, column: str, value: str) -> bool:
    """True for values that are masked on screen: person ids, bank accounts, phone numbers."""
    if column in PRIVATE_COLUMNS:
        return True
    kind = dataset.column(column).id_kind
    if kind is IdKind.PERSON:
        return True
    return kind is IdKind.PERSON_OR_USCC and bool(PERSON_ID_SHAPE.fullmatch(value))


def parse_reveal_token(token: str) -> tuple[str, int, str] | None:
    """(dataset, row, column) of a token, or None when it names no column of the contract."""
    name, _, rest = token.partition(":")
    row, _, column = rest.partition(":")
    dataset = DATASETS.get(name)
    if dataset is None or not row.isdigit() or column not in dataset.column_names:
        return None
    return name, int(row), column


def _cell(
    dataset: Dataset,
    index: int,
    row: dict[str, Any],
    column: str,
    org_names: dict[str, str],
    region_name: Callable[[str], str],
) -> Cell:
    value = row.get(column)
    if value is None or value == "":
        return Cell("")
    if isinstance(value, bool):
        return Cell(YES if value else NO)
    text = str(value)
    if is_private(dataset, column, text):
        return Cell(mask_id(text), reveal=f"{dataset.name}:{index}:{column}")
    if column in ORG_CODE_COLUMNS and org_names.get(text):
        return Cell(org_names[text], title=text)
    if dataset.column(column).id_kind is IdKind.REGION:
        return Cell(region_name(text) or text, title=text)
    return Cell(text)


def evidence_tables(
    reader: PackageReader, groups: Iterable[DatasetRecords], *, region_name: Callable[[str], str]
) -> list[EvidenceTable]:
    """Display tables of `groups`; org codes are named from the package's own `orgs`."""
    groups = list(groups)
    codes = {
        str(row[column])
        for group in groups
        for row in group.rows
        for column in group.columns
        if column in ORG_CODE_COLUMNS and row.get(column)
    }
    org_names = {
        row["org_code"]: row["name"] or "" for row in reader.rows_where_in("orgs", "org_code", codes)
    }
    tables = []
    for group in groups:
        dataset = DATASETS[group.name]
        tables.append(
            EvidenceTable(
                name=group.name,
                title=group.title,
                headings=[Cell(column_title(group.name, column), title=column) for column in group.columns],
                rows=[
                    [_cell(dataset, index, row, column, org_names, region_name) for column in group.columns]
                    for index, row in enumerate(group.rows)
                ],
            )
        )
    return tables


def revealed_value(reader: PackageReader, token: str, record_ids: Iterable[str]) -> str | None:
    """The unmasked value a token names among the hit's records (`record_ids`); else None."""
    parsed = parse_reveal_token(token)
    if parsed is None:
        return None
    name, index, column = parsed
    group = next((group for group in reader.records(record_ids) if group.name == name), None)
    if group is None or index >= len(group.rows) or group.rows[index].get(column) in (None, ""):
        return None
    value = str(group.rows[index][column])
    return value if is_private(DATASETS[name], column, value) else None
