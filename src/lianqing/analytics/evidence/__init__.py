"""The evidence round trip of a hit, Django-free: its records, where it happened, its pictures.

- `records`: the source records behind `dataset:key` record ids (DuckDB over the package's Parquet)
- `locate`: the org and region a hit belongs to, and the persons it is about
- `charts`: ECharts-ready data (relation graph, fund Sankey, rest-day calendar)
"""

from lianqing.analytics.evidence.charts import chart_kinds, hit_charts
from lianqing.analytics.evidence.locate import Place, hit_people, hit_places
from lianqing.analytics.evidence.records import (
    DatasetRecords,
    HitLike,
    PackageReader,
    hit_records,
    parse_record_ids,
    split_record_ids,
)

__all__ = [
    "DatasetRecords",
    "HitLike",
    "PackageReader",
    "Place",
    "chart_kinds",
    "hit_charts",
    "hit_people",
    "hit_places",
    "hit_records",
    "parse_record_ids",
    "split_record_ids",
]
