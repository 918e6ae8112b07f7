"""The collision engine: runs the rule library (rules/*.sql) over a data package.

Public surface: `scan`, `list_rules`, `get_rule`, `ScanResult`, `Hit`.
"""

from lianqing.analytics.engine.library import Param, Rule
from lianqing.analytics.engine.results import Hit
from lianqing.analytics.engine.scan import ScanCancelledError, ScanResult, get_rule, list_rules, scan

__all__ = ["Hit", "Param", "Rule", "ScanCancelledError", "ScanResult", "get_rule", "list_rules", "scan"]
