"""The rule library on disk: rule files with their metadata, and the shared definitions.

A rule is `rules/<id>.sql`: a YAML block comment (id, name, severity, datasets, params, subject,
explanation template) followed by one DuckDB SELECT returning the evidence columns below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from lianqing.analytics.contract import DATASETS, ColumnType

# Every rule's SELECT returns these columns, one row per offending record (and proving record):
# the engine groups them to one hit per (rule_id, subject_id).
EVIDENCE_COLUMNS: tuple[str, ...] = (
    "subject_id",  # RULES.md's subject of the hit
    "subject_name",  # best known name of the subject
    "record_id",  # dataset:key of the offending record
    "amount",  # money of that record counted in the hit (NULL when none)
    "day",  # when it happened (for the explanation)
    "evidence_id",  # dataset:key of a record proving the condition (NULL when none)
    "severity",  # 高/中/低 when the rule decides it per record, else NULL (the rule's default)
    "detail",  # a short Chinese fact fragment for the explanation
)
# A rule may add `value` (DOUBLE): the indicator's measured value of the subject (the R rules).
VALUE_COLUMN = "value"

SEVERITIES: tuple[str, ...] = ("高", "中", "低")
PRIVATE_SUBJECTS: tuple[str, ...] = ("person_id", "account_no", "holder_id")
# What kind of problem a rule's leads are, as the platform's case categories name them
# (cases.models.Category); the leads app files a lead under its rule's category.
CATEGORIES: tuple[str, ...] = (
    "sifeng_dining",
    "sifeng_gifts",
    "sifeng_vehicle",
    "sifeng_allowance",
    "sifeng_ceremony",
    "sifeng_travel",
    "sifeng_formalism",
    "bribery",
    "abuse_of_power",
    "dereliction",
    "public_interest",
    "business",
    "other",
)
# Where a rule comes from: the peers and campaigns whose published cases or models it follows.
ORIGINS: dict[str, str] = {
    "minsheng": "民生领域侵害群众利益问题专项整治",
    "hunan": "湖南县级大数据监督模型（去世人员×低保、非残疾人领残补、公职人员×补贴）",
    "uk_nfi": "英国国家反欺诈计划的数据比对",
    "fuel_cards": "浙江、安徽公务加油卡案例",
    "brazil_cards": "巴西政府支付卡审计（周末节假日消费、拆分支付预警）",
    "sifeng": "落实中央八项规定精神监督检查",
    "procurement": "招标投标领域专项整治",
    "business": "领导干部违规经商办企业专项治理",
    "funds": "专项资金审计",
    "declarations": "领导干部个人有关事项报告抽查核实",
    "land": "耕地地力保护补贴核查",
    "prisoners": "服刑人员违规领取待遇清理",
    "cardinal": "开放合同伙伴关系的 Cardinal 采购红旗指标",
}
# A "text" parameter holds a Cardinal-style list (`open|selective`) or map (`key:value|key:value`).
PARAM_TYPES: tuple[str, ...] = ("integer", "decimal", "date", "text")
WHEN_STYLES: tuple[str, ...] = ("month", "day", "none")

_FRONT_MATTER = re.compile(r"\A\s*/\*(?P<meta>.*?)\*/\s*(?P<sql>.*)\Z", re.DOTALL)
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_MACRO = re.compile(r"^CREATE MACRO (?P<name>\w+)\((?P<args>[^)]*)\) AS (?P<body>.+);$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # one of PARAM_TYPES
    default: Any  # "today" for a date parameter means the scan's as_of; None: unset (NULL)
    description: str = ""
    minimum: Any = None
    maximum: Any = None


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: str
    category: str  # one of CATEGORIES
    datasets: tuple[str, ...]  # all required; the rule is skipped when one is absent
    optional_datasets: tuple[str, ...]
    subject: str
    when: str  # how the explanation states the time: by month, by day, or not at all
    explanation: str  # str.format template (see results.py for the fields)
    sql: str
    params: dict[str, Param] = field(default_factory=dict)
    # The condition in plain Chinese, `{param}` standing for a parameter's value (the catalogue
    # page fills in the defaults), and the keys of ORIGINS the rule follows.
    condition: str = ""
    origins: tuple[str, ...] = ()
    # Another complete set of datasets the rule also runs on (the R rules on the contract's own
    # contracts/bids): the rule runs when all of `datasets` or all of these are present.
    alternative_datasets: tuple[str, ...] = ()
    # Incremental scans (engine/incremental.py): the datasets on which the rule is row-local, i.e.
    # rows appended to one of them cannot change the evidence rows of its old rows, so the rule
    # may run on the new rows alone; `row_local_why` says why, in one line.
    row_local: tuple[str, ...] = ()
    row_local_why: str = ""
    # The datasets on which the rule is group-local, with the group's key (SQL expressions over
    # the dataset's columns): rows appended can only change the evidence of their own groups, and
    # every evidence row's record_id is a record of its group, so only the groups the new rows
    # fall in are computed again.
    grouped_by: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # A group-local dataset whose groups are judged only on the distinct values of these columns
    # (e.g. the people paid into an account): a group whose distinct values the new rows leave as
    # they were keeps the evidence of its old rows, so only the new rows run, beside one old row
    # per distinct value (a "witness", kept in the result's `_incremental/`).
    decided_by: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # A dataset the rule reads only through the first row (smallest record key) of each value of
    # this key: rows appended that add no key and no smaller record key change nothing for it, so
    # the dataset counts as unchanged, and its witnesses (those first rows) stand in for it.
    first_of: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # A condition (SQL over the dataset's columns) outside which a dataset's rows never change the
    # rule's evidence: an incremental run reads only the rows that meet it.
    only: dict[str, str] = field(default_factory=dict)

    def missing_datasets(self, present: set[str] | frozenset[str]) -> list[str]:
        """The datasets lacking for the rule to run ([] when it can run on `present`)."""
        missing = [name for name in self.datasets if name not in present]
        if missing and self.alternative_datasets and set(self.alternative_datasets) <= present:
            return []
        return missing

    def hit_datasets(self, record_ids: str) -> tuple[str, ...]:
        """The datasets a hit came from: the rule's own, or its alternative ones (an R rule on the
        contract's bids) when none of the hit's records (`dataset:key;…`) is from its own."""
        found = {record.split(":", 1)[0] for record in record_ids.split(";") if record}
        if self.alternative_datasets and not found & set(self.datasets):
            return self.alternative_datasets
        return self.datasets

    @property
    def all_datasets(self) -> tuple[str, ...]:
        """Every dataset the rule may read, required ones first."""
        return tuple(dict.fromkeys(self.datasets + self.alternative_datasets + self.optional_datasets))

    @property
    def subject_is_private(self) -> bool:
        """Person ids and account numbers (alone or first in a compound subject) are masked in
        explanations."""
        return self.subject.split("/")[0] in PRIVATE_SUBJECTS


@dataclass(frozen=True)
class Macro:
    name: str
    args: tuple[str, ...]
    body: str  # a DuckDB expression over args


def _rules_dir() -> Any:
    return resources.files("lianqing.analytics.rules")


def parse_rule(text: str, *, source: str) -> Rule:
    """Parse one rule file; a malformed library file is a bug, so this raises ValueError."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        raise ValueError(f"{source}: no metadata block comment")
    meta = yaml.safe_load(match["meta"])
    params = {
        name: Param(
            name=name,
            type=spec["type"],
            default=spec["default"],
            description=spec.get("description", ""),
            minimum=spec.get("min"),
            maximum=spec.get("max"),
        )
        for name, spec in (meta.get("params") or {}).items()
    }
    incremental = meta.get("incremental") or {}
    rule = Rule(
        id=meta["id"],
        name=meta["name"],
        severity=meta["severity"],
        category=meta["category"],
        datasets=tuple(meta["datasets"]),
        optional_datasets=tuple(meta.get("optional_datasets") or ()),
        subject=meta["subject"],
        when=meta.get("when", "none"),
        explanation=meta["explanation"],
        sql=match["sql"].strip().rstrip(";"),
        params=params,
        condition=meta.get("condition") or "",
        origins=tuple(meta.get("origins") or ()),
        alternative_datasets=tuple(meta.get("alternative_datasets") or ()),
        row_local=tuple(incremental.get("row_local") or ()),
        row_local_why=incremental.get("why") or "",
        grouped_by={name: tuple(key) for name, key in (incremental.get("grouped_by") or {}).items()},
        decided_by={name: tuple(key) for name, key in (incremental.get("decided_by") or {}).items()},
        first_of={name: tuple(key) for name, key in (incremental.get("first_of") or {}).items()},
        only=dict(incremental.get("only") or {}),
    )
    _check_rule(rule, source)
    return rule


def _check_rule(rule: Rule, source: str) -> None:
    problems = []
    if rule.severity not in SEVERITIES:
        problems.append(f"severity {rule.severity}")
    if rule.category not in CATEGORIES:
        problems.append(f"category {rule.category}")
    if rule.when not in WHEN_STYLES:
        problems.append(f"when {rule.when}")
    problems += [f"dataset {name}" for name in rule.all_datasets if name not in DATASETS]
    problems += [f"origin {origin}" for origin in rule.origins if origin not in ORIGINS]
    problems += [f"row_local {name}" for name in rule.row_local if name not in rule.all_datasets]
    problems += [f"grouped_by {name}" for name in rule.grouped_by if name not in rule.all_datasets]
    problems += [f"decided_by {name}" for name in rule.decided_by if name not in rule.grouped_by]
    problems += [f"first_of {name}" for name in rule.first_of if name not in rule.all_datasets]
    if len(rule.decided_by) + len(rule.first_of) > 1:
        problems.append("witnesses of more than one dataset")
    local = set(rule.row_local) | set(rule.grouped_by) | set(rule.first_of)
    problems += [f"only {name}" for name in rule.only if name not in local]
    if (rule.row_local or rule.grouped_by or rule.first_of) and not rule.row_local_why:
        problems.append("row_local without a why")
    problems += [
        f"condition names {{{name}}}, not a param"
        for name in _PLACEHOLDER.findall(rule.condition)
        if name not in rule.params
    ]
    for param in rule.params.values():
        if param.type not in PARAM_TYPES:
            problems.append(f"param {param.name} type {param.type}")
        if f"${param.name}" not in rule.sql:
            problems.append(f"param {param.name} unused")
    if problems:
        raise ValueError(f"{source}: " + ", ".join(problems))


@cache
def load_library() -> tuple[Rule, ...]:
    """All rules of the library, sorted by id."""
    rules = [
        parse_rule(entry.read_text(encoding="utf-8"), source=entry.name)
        for entry in _rules_dir().iterdir()
        if entry.name.endswith(".sql")
    ]
    return tuple(sorted(rules, key=lambda rule: rule.id))


def record_key_macros() -> tuple[Macro, ...]:
    """`<dataset>_key(key columns…)`: the record key `dataset:key` of RULES.md for every dataset of
    the contract, its compound key's columns joined by '|' in the contract's order. Rules build
    record_id and evidence_id with these, so only contract.py knows a dataset's key columns."""
    macros = []
    for dataset in DATASETS.values():
        parts = [
            column
            if dataset.column(column).type in (ColumnType.STRING, ColumnType.PERIOD)
            else f"CAST({column} AS VARCHAR)"
            for column in dataset.key
        ]
        body = f"'{dataset.name}:' || " + " || '|' || ".join(parts)
        macros.append(Macro(f"{dataset.name}_key", dataset.key, body))
    return tuple(macros)


@cache
def load_macros() -> tuple[Macro, ...]:
    """The shared macros of shared/macros.sql, then the record-key macros of the contract."""
    text = _rules_dir().joinpath("shared", "macros.sql").read_text(encoding="utf-8")
    macros = []
    for line in text.splitlines():
        if line.startswith("--") or not line.strip():
            continue
        match = _MACRO.match(line.strip())
        if match is None:
            raise ValueError(f"macros.sql: cannot read {line!r}")
        args = tuple(arg.strip() for arg in match["args"].split(",") if arg.strip())
        macros.append(Macro(match["name"], args, match["body"]))
    return tuple(macros) + record_key_macros()


@cache
def _shared_statements() -> tuple[tuple[str, str, bool], ...]:
    text = _rules_dir().joinpath("shared", "views.sql").read_text(encoding="utf-8")
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    statements = []
    for statement in code.split(";"):
        body = statement.strip()
        if not body:
            continue
        match = re.match(r"CREATE (VIEW|TABLE) (\w+) AS\s+(.*)\Z", body, re.DOTALL)
        if match is None:
            raise ValueError(f"views.sql: cannot read {body[:60]!r}")
        statements.append((match[2], match[3], match[1] == "TABLE"))
    return tuple(statements)


def load_shared_views() -> tuple[tuple[str, str], ...]:
    """(view name, DuckDB SELECT) in dependency order, from shared/views.sql."""
    return tuple((name, select) for name, select, _ in _shared_statements())


def materialised_views() -> frozenset[str]:
    """The shared definitions written `CREATE TABLE` in views.sql: several rules read them, so the
    engine computes each once per scan (when a chosen rule reads it) instead of once per rule."""
    return frozenset(name for name, _, table in _shared_statements() if table)


# Shared tables that only narrow a dataset to the rows some rules' own joins keep (views.sql
# says which joins): a rule reading one gets the same evidence as from the dataset itself, so it
# depends on that dataset and on what the rule joins, not on the registers the narrowing names.
NARROWING_VIEWS: dict[str, str] = {"linked_benefits": "benefits"}


@dataclass(frozen=True)
class KeptTable:
    """A shared table (views.sql `CREATE TABLE`) grouping one dataset by `key` with mergeable
    aggregates (`merged`: column -> sum, min or max). Over old and new rows it is its rows over the
    old rows and over the new rows, merged by key: an incremental scan keeps it in its state and,
    when the dataset only grew, computes it over the new rows alone and merges (exact: DECIMAL)."""

    dataset: str
    key: tuple[str, ...]
    merged: tuple[tuple[str, str], ...]


KEPT_TABLES: dict[str, KeptTable] = {
    "fund_benefit_days": KeptTable(
        "benefits", ("approver_org_code", "fund_code", "pay_date"), (("amount", "sum"),)
    ),
}


def views_read_by(sql: str, *, through_narrowing: bool = True) -> set[str]:
    """The shared views a statement reads, directly or through other shared views; without
    `through_narrowing`, a narrowing view (NARROWING_VIEWS) and what it reads are left out."""
    return set(_views_read_by(sql, through_narrowing))


@cache
def _views_read_by(sql: str, through_narrowing: bool) -> frozenset[str]:
    # Cached: an incremental scan asks for every rule several times (hundreds of regex searches each).
    statements = {name: select for name, select, _ in _shared_statements()}
    if not through_narrowing:
        statements = {name: select for name, select in statements.items() if name not in NARROWING_VIEWS}
    found: set[str] = set()
    pending = [sql]
    while pending:
        text = pending.pop()
        for name, select in statements.items():
            if name not in found and re.search(rf"\b{name}\b", text):
                found.add(name)
                pending.append(select)
    return frozenset(found)


def narrowed_datasets(sql: str) -> set[str]:
    """The datasets a statement reads through narrowing views (NARROWING_VIEWS)."""
    return set(_narrowed_datasets(sql))


@cache
def _narrowed_datasets(sql: str) -> frozenset[str]:
    texts = [sql] + [select for name, select, _ in _shared_statements() if name in views_read_by(sql)]
    return frozenset(
        dataset
        for name, dataset in NARROWING_VIEWS.items()
        if any(re.search(rf"\b{name}\b", text) for text in texts)
    )


@cache
def used_column_names() -> frozenset[str]:
    """Every column name some rule or shared view refers to (by any table)."""
    import sqlglot
    from sqlglot import exp

    names: set[str] = set()
    for sql in [rule.sql for rule in load_library()] + [select for _, select in load_shared_views()]:
        names |= {column.name for column in sqlglot.parse_one(sql, read="duckdb").find_all(exp.Column)}
    return frozenset(names)
