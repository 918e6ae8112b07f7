"""Writes of the leads app, one module per job; this module is their one import point.

- `packages`: queue and run imports, register folders
- `scans`: queue, run, store and cancel scans
- `decisions`: 排除 and 转为问题线索

The analytics library does the work and knows nothing of Django; these modules call it and
store what it returns.
"""

from lianqing.leads.categories import rule_category
from lianqing.leads.decisions import hit_convert, hit_exclude
from lianqing.leads.packages import (
    package_import_claim,
    package_import_execute,
    package_import_folder,
    package_import_upload,
    package_imports_sweep,
    package_register_folder,
)
from lianqing.leads.scans import (
    hits_store,
    previous_run_of,
    scan_cancel,
    scan_execute,
    scan_run_sync,
    scan_start,
)

__all__ = [
    "hit_convert",
    "hit_exclude",
    "hits_store",
    "package_import_claim",
    "package_import_execute",
    "package_import_folder",
    "package_import_upload",
    "package_imports_sweep",
    "package_register_folder",
    "previous_run_of",
    "rule_category",
    "scan_cancel",
    "scan_execute",
    "scan_run_sync",
    "scan_start",
]
