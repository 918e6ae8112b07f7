"""The collision engine: runs the rule library (rules/*.sql) over a data package.

Public surface: `scan`, `list_rules`, `get_rule`, `ScanResult`, `Hit`, and the one parameter
parser `parse_param_assignments` + `check_scan_params`.
"""

from lianqing.analytics.engine.library import Param, Rule
from lianqing.analytics.engine.params import parse_param_assignments
from lianqing.analytics.engine.results import Hit
from lianqing.analytics.engine.scan import (
    ScanCancelledError,
    ScanResult,
    check_scan_params,
    get_rule,
    list_rules,
    scan,
)

__all__ = [
    "Hit",
    "Param",
    "Rule",
    "ScanCancelledError",
    "ScanResult",
    "check_scan_params",
    "get_rule",
    "list_rules",
    "parse_param_assignments",
    "scan",
]
