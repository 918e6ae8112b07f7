"""廉情指数: an explained score for every unit and cadre, from the items on file about them.

Every subject starts at 100; each indicator of the configuration deducts points per item inside its
look-back window, capped per indicator; a unit also carries a share of its cadres' deductions. Every
deducted point names its items (`item_ref`, e.g. ``case:12``), so a score is never a black box, and
every score names the configuration version that computed it. Computed in DuckDB, so a province's
million cadres take seconds. The shipped default is `data/integrity_index.yaml` (its comments say
why each weight is what it is).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from typing import Any

import duckdb
import pyarrow as pa
import yaml

from lianqing.analytics.errors import AnalyticsError

UNIT, CADRE = "unit", "cadre"
CADRES_ROLLUP = "cadres"  # the indicator name of a unit's share of its cadres' deductions
COLOURS = ("绿", "黄", "橙", "红")


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    points: float
    cap: float
    window_months: int | None  # None: the item counts while it is current (the caller passes those)


@dataclass(frozen=True)
class IndexConfig:
    version: str
    indicators: dict[str, Indicator]
    green: float
    yellow: float
    orange: float
    unit_share: float
    unit_share_cap: float

    def colour(self, score: float) -> str:
        if score >= self.green:
            return COLOURS[0]
        if score >= self.yellow:
            return COLOURS[1]
        return COLOURS[2] if score >= self.orange else COLOURS[3]


def load_config(text: str | None = None) -> IndexConfig:
    """The shipped default, or a commission's own YAML of the same shape."""
    if text is None:
        text = resources.files("lianqing.analytics").joinpath("data/integrity_index.yaml").read_text("utf-8")
    try:
        raw: dict[str, Any] = yaml.safe_load(text)
        indicators = {
            code: Indicator(
                code=code,
                name=str(spec["name"]),
                points=float(spec["points"]),
                cap=float(spec["cap"]),
                window_months=None if spec.get("window_months") is None else int(spec["window_months"]),
            )
            for code, spec in raw["indicators"].items()
        }
        colours = raw["colours"]
        config = IndexConfig(
            version=str(raw["version"]),
            indicators=indicators,
            green=float(colours["green"]),
            yellow=float(colours["yellow"]),
            orange=float(colours["orange"]),
            unit_share=float(raw.get("unit_share", 0.5)),
            unit_share_cap=float(raw.get("unit_share_cap", 30)),
        )
    except (yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError) as error:
        raise AnalyticsError(f"廉情指数配置无效：{error}") from error
    if not config.green >= config.yellow >= config.orange:
        raise AnalyticsError("廉情指数配置无效：颜色阈值应为 绿 ≥ 黄 ≥ 橙")
    if any(i.points < 0 or i.cap < 0 for i in indicators.values()):
        raise AnalyticsError("廉情指数配置无效：分值和上限不能为负")
    return config


@dataclass(frozen=True)
class IndexResult:
    scores: pa.Table  # subject_kind, subject_id, score, colour, version
    deductions: pa.Table  # subject_kind, subject_id, indicator, name, points, items (list of item_ref)
    unknown_indicators: list[str]  # indicators in the items that the configuration does not know


ITEM_SCHEMA = pa.schema(
    [
        ("subject_kind", pa.string()),
        ("subject_id", pa.string()),
        ("indicator", pa.string()),
        ("item_ref", pa.string()),
        ("date", pa.date32()),
        ("weight", pa.float64()),
    ]
)

_DEDUCTIONS_SQL = """
CREATE TEMP TABLE own AS
SELECT i.subject_kind, i.subject_id, i.indicator, any_value(c.name) AS name,
       least(sum(coalesce(i.weight, 1) * c.points), any_value(c.cap)) AS points,
       list(i.item_ref ORDER BY i.item_ref) AS items
FROM items i JOIN indicators c USING (indicator)
WHERE i.date IS NULL OR (
  i.date <= $as_of AND (c.window_months IS NULL OR i.date > $as_of - to_months(c.window_months)))
GROUP BY ALL;

CREATE TEMP TABLE rollup AS
SELECT 'unit' AS subject_kind, m.unit_id AS subject_id, 'cadres' AS indicator, '所属干部' AS name,
       least(sum(t.points) * $share, $share_cap) AS points,
       list(DISTINCT 'cadre:' || m.cadre_id ORDER BY 'cadre:' || m.cadre_id) AS items
FROM (SELECT subject_id, sum(points) AS points FROM own WHERE subject_kind = 'cadre' GROUP BY ALL) t
JOIN memberships m ON m.cadre_id = t.subject_id
GROUP BY ALL;

CREATE TEMP TABLE deductions AS
SELECT * FROM own UNION ALL SELECT * FROM rollup WHERE points > 0;
"""


def compute_index(
    items: pa.Table,
    *,
    as_of: dt.date,
    config: IndexConfig | None = None,
    subjects: pa.Table | None = None,
    memberships: pa.Table | None = None,
) -> IndexResult:
    """Scores for every subject in `subjects` (subject_kind, subject_id) and every subject with items.

    items: ITEM_SCHEMA (weight may be null = 1; a null date means current, always counted);
    memberships: cadre_id, unit_id — whose deductions a unit shares.
    """
    config = config or load_config()
    connection = duckdb.connect()
    try:
        connection.register("items", items)
        connection.register("indicators", _indicator_table(config))
        connection.register(
            "memberships",
            memberships
            if memberships is not None
            else pa.table({"cadre_id": pa.array([], pa.string()), "unit_id": pa.array([], pa.string())}),
        )
        connection.register(
            "subjects",
            subjects
            if subjects is not None
            else pa.table(
                {"subject_kind": pa.array([], pa.string()), "subject_id": pa.array([], pa.string())}
            ),
        )
        unknown = [
            row[0]
            for row in connection.execute(
                "SELECT DISTINCT indicator FROM items WHERE indicator NOT IN (SELECT indicator FROM indicators) ORDER BY 1"
            ).fetchall()
        ]
        parameters = {"as_of": as_of, "share": config.unit_share, "share_cap": config.unit_share_cap}
        for statement in filter(str.strip, _DEDUCTIONS_SQL.split(";")):
            connection.execute(statement, {k: v for k, v in parameters.items() if f"${k}" in statement})
        deductions = connection.sql(
            "SELECT * FROM deductions ORDER BY subject_kind, subject_id, points DESC, indicator"
        ).to_arrow_table()
        scores = connection.sql(
            """
            SELECT subject_kind, subject_id, greatest(100 - coalesce(sum(d.points), 0), 0) AS score
            FROM (SELECT subject_kind, subject_id FROM subjects
                  UNION SELECT subject_kind, subject_id FROM items) s
            LEFT JOIN deductions d USING (subject_kind, subject_id)
            GROUP BY ALL ORDER BY subject_kind, subject_id
            """
        ).to_arrow_table()
    finally:
        connection.close()
    colours = [config.colour(score) for score in scores.column("score").to_pylist()]
    scores = scores.append_column("colour", pa.array(colours, pa.string())).append_column(
        "version", pa.array([config.version] * scores.num_rows, pa.string())
    )
    return IndexResult(scores=scores, deductions=deductions, unknown_indicators=unknown)


def items_table(rows: list[dict[str, object]]) -> pa.Table:
    """ITEM_SCHEMA rows from the web app's dicts (weight and date optional)."""
    return pa.Table.from_pylist(
        [{name: row.get(name) for name in ITEM_SCHEMA.names} for row in rows], schema=ITEM_SCHEMA
    )


def _indicator_table(config: IndexConfig) -> pa.Table:
    indicators = list(config.indicators.values())
    return pa.table(
        {
            "indicator": pa.array([i.code for i in indicators], pa.string()),
            "name": pa.array([i.name for i in indicators], pa.string()),
            "points": pa.array([i.points for i in indicators], pa.float64()),
            "cap": pa.array([i.cap for i in indicators], pa.float64()),
            "window_months": pa.array([i.window_months for i in indicators], pa.int64()),
        }
    )
