"""Header mapping: real export headers (Chinese or English) onto contract column names.

The shipped table is `data/header_aliases.yaml`; a user's YAML or TOML file of the same shape
extends it and wins over it.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from lianqing.analytics.contract import ColumnType, Dataset, IdKind
from lianqing.analytics.errors import AnalyticsError

_UNIT_SUFFIX = re.compile(r"[(\[【].*?[)\]】]$")


def header_key(header: str) -> str:
    """Compare headers after NFKC, trimming, dropping spaces and a trailing bracketed unit."""
    text = unicodedata.normalize("NFKC", header).strip().lstrip("\ufeff")
    text = re.sub(r"\s+", "", text)
    text = _UNIT_SUFFIX.sub("", text) or text
    return text.lower()


@dataclass
class AliasTable:
    roles: dict[str, list[str]] = field(default_factory=dict)
    columns: dict[str, list[str]] = field(default_factory=dict)
    datasets: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def merged(self, other: AliasTable) -> AliasTable:
        """A table where `other`'s aliases are checked before this one's."""

        def merge(first: Mapping[str, list[str]], second: Mapping[str, list[str]]) -> dict[str, list[str]]:
            result = {key: list(values) for key, values in second.items()}
            for key, values in first.items():
                result.setdefault(key, []).extend(values)
            return result

        datasets = {
            name: merge(other.datasets.get(name, {}), self.datasets.get(name, {}))
            for name in set(self.datasets) | set(other.datasets)
        }
        return AliasTable(merge(other.roles, self.roles), merge(other.columns, self.columns), datasets)

    def mapping_for(self, dataset: Dataset) -> dict[str, str]:
        """header key -> column name for one dataset (most specific alias first)."""
        names = set(dataset.column_names)
        result: dict[str, str] = {}

        def add(column: str, aliases: Iterable[str]) -> None:
            if column in names:
                for alias in aliases:
                    result.setdefault(header_key(alias), column)

        for column in dataset.column_names:  # the English names themselves
            add(column, [column])
        for column, aliases in self.datasets.get(dataset.name, {}).items():
            add(column, aliases)
        for column, aliases in self.columns.items():
            add(column, aliases)
        main_id = next(
            (c.name for c in dataset.columns if c.id_kind in (IdKind.PERSON, IdKind.PERSON_OR_USCC)), None
        )
        main_name = next((c for c in dataset.column_names if c.endswith("name")), None)
        main_date = next((c.name for c in dataset.columns if c.type is ColumnType.DATE), None)
        for role_column, role in ((main_id, "id"), (main_name, "name"), (main_date, "date")):
            if role_column:
                add(role_column, self.roles.get(role, []))
        return result


def _table_from(data: Any, source: str) -> AliasTable:
    if not isinstance(data, dict):
        raise AnalyticsError("映射文件 %(file)s 格式不对：应为一张表", file=source)

    def aliases(value: Any, where: str) -> dict[str, list[str]]:
        if value is None:
            return {}
        if not isinstance(value, dict) or not all(isinstance(v, list) for v in value.values()):
            raise AnalyticsError(
                "映射文件 %(file)s 的 %(key)s 应写成 列名: [别名, …]", file=source, key=where
            )
        return {str(k): [str(a) for a in v] for k, v in value.items()}

    datasets = data.get("datasets") or {}
    return AliasTable(
        roles=aliases(data.get("roles"), "roles"),
        columns=aliases(data.get("columns"), "columns"),
        datasets={str(name): aliases(value, f"datasets.{name}") for name, value in datasets.items()},
    )


def shipped_aliases() -> AliasTable:
    text = resources.files("lianqing.analytics").joinpath("data/header_aliases.yaml").read_text("utf-8")
    return _table_from(yaml.safe_load(text), "header_aliases.yaml")


def load_aliases(user_file: Path | None = None) -> AliasTable:
    """The shipped aliases, extended by a user's YAML or TOML mapping file when given."""
    table = shipped_aliases()
    if user_file is None:
        return table
    if not user_file.is_file():
        raise AnalyticsError("找不到映射文件 %(file)s", file=str(user_file))
    try:
        text = user_file.read_text("utf-8")
        data = tomllib.loads(text) if user_file.suffix.lower() == ".toml" else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, tomllib.TOMLDecodeError) as error:
        raise AnalyticsError(
            "无法读取映射文件 %(file)s：%(error)s", file=str(user_file), error=str(error)
        ) from error
    return table.merged(_table_from(data, user_file.name))
