"""The picture of an R024/R058 hit: a process's bids on one price axis, with the fence marked.

A process is an OCDS one (subject `ocid:…`) or a tender of the contract's own bids (`tender:…`);
the rules draw one fence per source, and the picture shows the fence of the hit's source.

`bid_axis_data` returns ECharts-ready data in the shape of the other charts (a dict with `type`
and `title`): every bid of the process with its tenderer, amount and status, the winner marked,
and the fence of the indicator turned into a price (the winning bid × (1 + fence): a second-lowest
bid at or below that line is flagged by R024, at or above it by R058). The fence is computed by
the rule's own SQL (its `fence` step) over the package, so the picture shows the line the scan used.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import sqlglot
from sqlglot import exp

from lianqing.analytics.engine.backend import DuckDBBackend
from lianqing.analytics.engine.package import inspect_package, quote_literal
from lianqing.analytics.engine.params import resolve_params, split_overrides, today
from lianqing.analytics.engine.scan import _prepare, get_rule
from lianqing.analytics.evidence.records import HitLike, PackageReader, split_record_ids

FENCE_RULES = ("R024", "R058")
# A subject's prefix and the source of price_pairs it belongs to.
SOURCES = {"ocid": "ocds", "tender": "bids"}


def subject_source(subject_id: str) -> str:
    """The price_pairs source of a process subject (`ocid:…` → ocds, `tender:…` → bids)."""
    return SOURCES.get(subject_id.split(":", 1)[0], "ocds")


def hit_process(hit: HitLike) -> tuple[str, str]:
    """(source, process id) of the process a hit shows: its subject's, or for a tenderer the first
    process among its records (`ocds_processes:<ocid>` or `bids:<tender_id>|<uscc>`)."""
    kind, _, identifier = hit.subject_id.partition(":")
    if kind in SOURCES:
        return SOURCES[kind], identifier
    for record_id in split_record_ids(hit.record_ids):
        dataset, _, key = record_id.partition(":")
        if dataset == "ocds_processes":
            return "ocds", key
        if dataset == "bids":
            return "bids", key.split("|", 1)[0]
    return "ocds", identifier


def indicator_fence(
    package_path: str | Path,
    rule_id: str,
    params: Mapping[str, Any] | None = None,
    *,
    source: str = "ocds",
) -> float | None:
    """The fence `rule_id` (R024 or R058) draws over the package's processes of `source` (ocds or
    bids) with these settings (None when there are no differences to draw it from)."""
    rule = get_rule(rule_id)
    if rule.id not in FENCE_RULES:
        raise ValueError(f"{rule.id} draws no fence")
    column = "fence"
    tree = sqlglot.parse_one(rule.sql, read="duckdb")
    query = exp.select(column).from_("fence").where(exp.column("source").eq(exp.Literal.string(source)))
    key = "with_" if "with_" in tree.args else "with"  # sqlglot renamed the arg
    query.set(key, tree.args[key])
    values = resolve_params(
        rule, split_overrides(params or {}, {rule.id: rule}).get(rule.id, {}), as_of=today()
    )
    backend = DuckDBBackend()
    try:
        _prepare(backend, inspect_package(Path(package_path)), [rule])
        rows = backend.execute(query.sql(dialect="duckdb"), values).to_pylist()
    finally:
        backend.close()
    return float(rows[0][column]) if rows and rows[0][column] is not None else None


def bid_axis_data(
    package_path: str | Path, hit: HitLike, params: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The bids of the hit's process on one axis, the winner and the fence marked."""
    source, process = hit_process(hit)
    with PackageReader(package_path) as reader:
        if source == "bids":
            bids_file = quote_literal(reader.file("bids"))
            companies = reader.file("companies")
            names = (
                f"(SELECT uscc, min(name) AS name FROM read_parquet({quote_literal(companies)}) GROUP BY uscc)"
                if Path(companies).is_file()
                else "(SELECT CAST(NULL AS VARCHAR) AS uscc, CAST(NULL AS VARCHAR) AS name)"
            )
            rows = reader.query(
                "SELECT b.bidder_uscc AS tenderer_id, c.name AS tenderer_name, CAST(b.price AS DOUBLE) AS amount, "
                "'' AS currency, '' AS status, coalesce(b.won, false) AS is_winner "
                f"FROM read_parquet({bids_file}) AS b LEFT JOIN {names} AS c ON c.uscc = b.bidder_uscc "
                "WHERE b.tender_id = ? ORDER BY b.price NULLS LAST, b.bidder_uscc",
                [process],
            )
        else:
            suppliers, awards, bids_file, tenderers = (
                quote_literal(reader.file(name))
                for name in ("ocds_award_suppliers", "ocds_awards", "ocds_bids", "ocds_bid_tenderers")
            )
            rows = reader.query(
                "SELECT b.bid_index, b.status, b.amount, b.currency, t.tenderer_id, t.tenderer_name, "
                f"EXISTS (SELECT 1 FROM read_parquet({suppliers}) AS s JOIN read_parquet({awards}) AS a "
                "  ON a.ocid = s.ocid AND a.award_index = s.award_index "
                "  WHERE s.ocid = b.ocid AND a.status = 'active' AND s.supplier_id = t.tenderer_id) AS is_winner "
                f"FROM read_parquet({bids_file}) AS b LEFT JOIN read_parquet({tenderers}) AS t "
                "  ON t.ocid = b.ocid AND t.bid_index = b.bid_index "
                "WHERE b.ocid = ? ORDER BY b.amount NULLS LAST, b.bid_index",
                [process],
            )
    bids = [
        {
            "tenderer": row["tenderer_id"] or "",
            "name": row["tenderer_name"] or row["tenderer_id"] or "",
            "amount": row["amount"],
            "currency": row["currency"] or "",
            "status": row["status"] or "",
            "is_winner": bool(row["is_winner"]),
        }
        for row in rows
    ]
    marks = []
    if hit.rule_id in FENCE_RULES:
        fence = indicator_fence(package_path, hit.rule_id, params, source=source)
        winners = [bid["amount"] for bid in bids if bid["is_winner"] and bid["amount"] is not None]
        if fence is not None and winners:
            marks.append(
                {
                    "side": "lower" if hit.rule_id == "R024" else "upper",
                    "fence": fence,
                    "amount": min(winners) * (1 + fence),
                }
            )
    return {
        "type": "bids",
        "rule": hit.rule_id,
        "source": source,
        "process": process,
        "bids": bids,
        "marks": marks,
    }
