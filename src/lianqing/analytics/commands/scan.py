"""`lianqing scan` and `lianqing rules`: thin front ends of the collision engine."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from lianqing.analytics.engine import get_rule, list_rules, parse_param_assignments, scan
from lianqing.analytics.engine.incremental import MODE_WORDS
from lianqing.analytics.engine.library import Rule
from lianqing.analytics.engine.progress import ScanEta
from lianqing.analytics.engine.scan import ENGINES, ScanResult
from lianqing.analytics.errors import AnalyticsError


def _scan_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lianqing scan",
        description="对数据包运行数据碰撞规则库",
    )
    parser.add_argument("package", help="数据包文件夹")
    parser.add_argument("--out", required=True, help="结果文件夹: hits.csv, summary.json")
    parser.add_argument("--rules", help="只运行这些规则，逗号分隔，如 B01,B03")
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="RULE.NAME=VALUE",
        help="覆盖规则参数，如 F02.per_head_max=200，可重复",
    )
    parser.add_argument("--as-of", help="视为今天的日期 YYYY-MM-DD")
    parser.add_argument("--engine", choices=ENGINES, default="duckdb", help="执行引擎")
    parser.add_argument("--spark-master", default="local[2]", help="Spark master URL (default local[2])")
    parser.add_argument(
        "--since",
        metavar="RESULT_DIR",
        help="增量扫描：上次扫描的结果文件夹，未变的规则沿用其结果，只新增记录时只算新记录",
    )
    parser.add_argument(
        "--memory-limit", help="DuckDB 内存上限，如 8GB；默认为本机内存的一半，超出部分溢出到临时文件夹"
    )
    parser.add_argument("--temp-dir", help="DuckDB 溢出数据的临时文件夹；默认在结果文件夹旁，扫描结束后删除")
    parser.add_argument("--quiet", action="store_true", help="不显示进度和汇总表")
    return parser


def _summary_table(result: ScanResult) -> Table:
    table = Table(title=f"扫描结果（引擎 {result.summary['engine']}，{result.summary['seconds']} 秒）")
    incremental = "incremental" in result.summary
    headings = ("规则", "名称", "扫描行数", "疑点", "秒") + (("方式",) if incremental else ()) + ("说明",)
    for heading in headings:
        table.add_column(heading)
    for report in result.reports:
        mode = (MODE_WORDS[report.mode],) if incremental else ()
        if report.skipped:
            mode, note = (("跳过",) if incremental else ()), f"跳过: {report.reason}"
        else:
            note = report.mode_reason
        table.add_row(
            report.rule_id,
            report.name,
            f"{report.rows_scanned:,}",
            str(report.hits),
            f"{report.seconds:.2f}",
            *mode,
            note,
        )
    return table


def scan_main(argv: list[str]) -> int:
    options = _scan_parser().parse_args(argv)
    console = Console(stderr=True)
    try:
        params = parse_param_assignments(options.param)
        rules = options.rules.split(",") if options.rules else None
        arguments: dict[str, Any] = {
            "package": options.package,
            "out": options.out,
            "rules": rules,
            "params": params,
            "as_of": options.as_of,
            "engine": options.engine,
            "spark_master": options.spark_master,
            "since": options.since,
            "memory_limit": options.memory_limit,
            "temp_dir": options.temp_dir,
        }
        if options.quiet:
            result = scan(**arguments)
        else:
            eta = ScanEta(options.package, rules)
            if console.is_terminal:
                with Progress(
                    TextColumn("{task.description}"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TimeElapsedColumn(),
                    console=console,
                ) as bar:
                    task = bar.add_task("准备数据包", total=None)
                    result = scan(**arguments, progress=_progress_callback(bar, task, eta))
                    bar.update(task, description="完成", completed=bar.tasks[0].total)
            else:  # a log file: one line per rule
                result = scan(
                    **arguments,
                    progress=lambda rule, index, total: print(
                        eta.line(rule, index, total), file=sys.stderr, flush=True
                    ),
                )
            Console(width=120).print(_summary_table(result))
    except AnalyticsError as error:
        print(f"错误: {error}", file=sys.stderr)
        return 2
    print(f"{result.summary['hits']} 个疑点已写入 {options.out}/hits.csv")
    return 0


def _progress_callback(bar: Progress, task: Any, eta: ScanEta) -> Callable[[str, int, int], None]:
    def report(rule_id: str, index: int, total: int) -> None:
        bar.update(task, description=eta.line(rule_id, index, total), completed=index - 1, total=total)

    return report


def _param_text(rule: Rule) -> str:
    return ", ".join(f"{name}={param.default}" for name, param in rule.params.items())


def rules_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="lianqing rules",
        description="列出规则库，或显示一条规则",
    )
    parser.add_argument("action", nargs="?", choices=["list", "show"], default="list")
    parser.add_argument("rule_id", nargs="?", help="规则编号，如 B02")
    options = parser.parse_args(argv)
    try:
        if options.action == "show":
            if not options.rule_id:
                raise AnalyticsError("请给出规则编号，如 lianqing rules show B02")
            print(describe_rule(get_rule(options.rule_id)))
            return 0
    except AnalyticsError as error:
        print(f"错误: {error}", file=sys.stderr)
        return 2
    table = Table(title="数据碰撞规则库")
    for heading in ("规则", "名称", "等级", "数据集", "参数"):
        table.add_column(heading)
    for rule in list_rules():
        datasets = (
            ", ".join(rule.datasets)
            + (f" | {', '.join(rule.alternative_datasets)}" if rule.alternative_datasets else "")
            + (f" (+ {', '.join(rule.optional_datasets)})" if rule.optional_datasets else "")
        )
        table.add_row(rule.id, rule.name, rule.severity, datasets, _param_text(rule))
    Console(width=160).print(table)
    return 0


def describe_rule(rule: Rule) -> str:
    lines = [
        f"{rule.id} {rule.name}",
        f"等级：{rule.severity}",
        f"数据集：{', '.join(rule.datasets)}",
        f"或数据集：{', '.join(rule.alternative_datasets) or '-'}",
        f"可选数据集：{', '.join(rule.optional_datasets) or '-'}",
        f"疑点主体：{rule.subject}",
        "参数：" + ("" if rule.params else "无"),
    ]
    lines += [f"  {name}（默认 {param.default}）：{param.description}" for name, param in rule.params.items()]
    lines += [f"说明模板：{rule.explanation}", "", rule.sql]
    return "\n".join(lines)
