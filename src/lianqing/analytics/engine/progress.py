"""The console's progress line of a scan: which rule, how many rows read, and an ETA.

Rules differ a hundredfold in cost, so the estimate counts rows, not rules: the seconds spent
on the rules so far per row they read, times the rows the remaining rules will read.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

from lianqing.analytics.engine.package import inspect_package
from lianqing.analytics.engine.scan import rule_rows, select_rules


def duration_text(seconds: float) -> str:
    """约 1 小时 5 分 / 约 3 分 20 秒 / 约 40 秒."""
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"约 {hours} 小时 {minutes} 分"
    if minutes:
        return f"约 {minutes} 分 {seconds} 秒"
    return f"约 {seconds} 秒"


def rows_text(rows: int) -> str:
    if rows >= 100_000_000:
        return f"{rows / 100_000_000:.2f} 亿行"
    if rows >= 10_000:
        return f"{rows / 10_000:.1f} 万行"
    return f"{rows} 行"


class ScanEta:
    """Called as each rule starts; knows the rows each chosen rule will read."""

    def __init__(self, package: str | Path, rules: Iterable[str] | None) -> None:
        files = inspect_package(Path(package))
        self.rows = {rule.id: rule_rows(rule, files) for rule in select_rules(rules)}
        self.total = sum(self.rows.values())
        self.done = 0
        self.current: str | None = None
        self.started: float | None = None

    def line(self, rule_id: str, index: int, total: int, now: float | None = None) -> str:
        now = time.monotonic() if now is None else now
        if self.current is not None:
            self.done += self.rows.get(self.current, 0)
        else:
            self.started = now  # the package is registered: the rules' time starts here
        self.current = rule_id
        text = f"规则 {rule_id}（{index}/{total}），已扫描 {rows_text(self.done)} / {rows_text(self.total)}"
        if self.done and self.started is not None:
            remaining = (now - self.started) / self.done * (self.total - self.done)
            text += f"，预计还需 {duration_text(remaining)}"
        return text
