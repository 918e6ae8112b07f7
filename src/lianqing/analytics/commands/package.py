"""`lianqing import` and `lianqing gen`: make standard data packages from exports or from nothing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lianqing.analytics.errors import AnalyticsError


def _import_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lianqing import",
        description="把各部门导出的 Excel/CSV/Parquet 文件导入为标准数据包 (import exports into a standard data package)",
    )
    parser.add_argument(
        "inputs",
        nargs="+",
        metavar="DATASET=FILE",
        help="数据集=文件, 或以数据集命名的文件 (benefits.csv), 或这样的文件夹 (DATASET=FILE, <dataset>.csv|xlsx|parquet, or a folder)",
    )
    parser.add_argument("--out", required=True, type=Path, help="输出数据包文件夹 (output package folder)")
    parser.add_argument(
        "--mapping", type=Path, help="补充的表头映射文件, YAML 或 TOML (extra header aliases, YAML or TOML)"
    )
    return parser


def import_main(argv: list[str]) -> int:
    args = _import_parser().parse_args(argv)
    from lianqing.analytics.importer import import_package

    try:
        result = import_package(args.inputs, args.out, mapping_file=args.mapping)
    except AnalyticsError as error:
        print(f"错误: {error}", file=sys.stderr)
        return 2
    for report in result.sources:
        where = report.file + (f"[{report.sheet}]" if report.sheet else "")
        print(
            f"{where} → {report.dataset}: 读取 {report.rows_read} 行, 导入 {report.rows_kept}, "
            f"拒收 {report.rows_rejected} (read {report.rows_read}, kept {report.rows_kept}, rejected {report.rows_rejected})"
        )
    for note in result.notes:
        print(f"提示: {note}", file=sys.stderr)
    for problem in result.problems:
        print(f"错误: {problem}", file=sys.stderr)
    rejected = sum(report.rows_rejected for report in result.sources)
    if rejected:
        print(f"拒收的行见 {result.out / '_rejects.csv'} (rejected rows are listed there)", file=sys.stderr)
    return 0 if result.ok else 1


def _gen_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lianqing gen",
        description="生成带已知疑点的模拟数据包 (generate a synthetic package with planted violations)",
    )
    parser.add_argument("--persons", type=int, default=10_000, help="户籍人口数 (number of persons)")
    parser.add_argument("--seed", type=int, default=1, help="随机种子, 相同种子生成相同数据包 (random seed)")
    parser.add_argument("--out", required=True, type=Path, help="输出数据包文件夹 (output package folder)")
    parser.add_argument("--quiet", action="store_true", help="不显示进度条 (no progress bar)")
    return parser


def gen_main(argv: list[str]) -> int:
    args = _gen_parser().parse_args(argv)
    from lianqing.analytics.generate import generate

    try:
        summary = generate(args.out, persons=args.persons, seed=args.seed, progress=not args.quiet)
    except AnalyticsError as error:
        print(f"错误: {error}", file=sys.stderr)
        return 2
    rows = ", ".join(f"{name} {count}" for name, count in summary.rows.items())
    print(f"已生成 {args.out} (generated): {rows}; 预置疑点 {summary.truth_rows} 条 (planted hits)")
    return 0
