"""`lianqing import` and `lianqing gen`: make standard data packages from exports or from nothing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lianqing.analytics.errors import AnalyticsError


def _import_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lianqing import",
        description="把各部门导出的 Excel/CSV/Parquet 文件导入为标准数据包",
    )
    parser.add_argument(
        "inputs",
        nargs="+",
        metavar="DATASET=FILE",
        help="数据集=文件, 或以数据集命名的文件, 或这样的文件夹",
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="输出数据包文件夹; 仅 ocds= 时可省略",
    )
    parser.add_argument("--mapping", type=Path, help="补充的表头映射文件, YAML 或 TOML")
    return parser


def import_main(argv: list[str]) -> int:
    args = _import_parser().parse_args(argv)
    ocds = [item for item in args.inputs if item.lower().startswith("ocds=")]
    if ocds:
        return _import_ocds(ocds, [item for item in args.inputs if item not in ocds], args.out)
    if args.out is None:
        print("错误: 请用 --out 指定输出数据包文件夹", file=sys.stderr)
        return 2
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
            f"拒收 {report.rows_rejected}"
        )
    for note in result.notes:
        print(f"提示: {note}", file=sys.stderr)
    for problem in result.problems:
        print(f"错误: {problem}", file=sys.stderr)
    rejected = sum(report.rows_rejected for report in result.sources)
    if rejected:
        print(f"拒收的行见 {result.out / '_rejects.csv'}", file=sys.stderr)
    return 0 if result.ok else 1


def _import_ocds(items: list[str], others: list[str], out: Path | None) -> int:
    """`lianqing import ocds=FILE.jsonl [--out PACKAGE]` (the package defaults to FILE's name)."""
    from lianqing.analytics.ocds import import_ocds

    if len(items) > 1 or others:
        print(
            "错误: ocds= 每次只导入一个文件，且不与其他数据集同时导入",
            file=sys.stderr,
        )
        return 2
    source = Path(items[0].split("=", 1)[1])
    target = out if out is not None else source.parent / source.name.split(".")[0]
    try:
        result = import_ocds(source, target)
    except AnalyticsError as error:
        print(f"错误: {error}", file=sys.stderr)
        return 2
    print(
        f"{source.name} → {target}: 读取 {result.lines} 行, 导入 {result.releases} 个采购过程, "
        f"拒收 {len(result.rejected)} 行, {result.releases_per_second:,.0f} 个/秒"
    )
    for line, reason in result.rejected[:20]:
        print(f"第 {line} 行: {reason}", file=sys.stderr)
    if len(result.rejected) > 20:
        print(f"……共 {len(result.rejected)} 行被拒收，见 {target / '_rejects.csv'}", file=sys.stderr)
    return 1 if result.rejected else 0


def _gen_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lianqing gen",
        description="生成带已知疑点的模拟数据包",
    )
    parser.add_argument("--persons", type=int, default=10_000, help="户籍人口数")
    parser.add_argument("--seed", type=int, default=1, help="随机种子, 相同种子生成相同数据包")
    parser.add_argument("--out", required=True, type=Path, help="输出数据包文件夹")
    parser.add_argument(
        "--chunk-persons", type=int, default=500_000, help="每块人数; 中断后重新运行从最后完成的块继续"
    )
    parser.add_argument("--quiet", action="store_true", help="不显示进度条")
    parser.add_argument(
        "--until",
        metavar="YYYY-MM",
        help="按月的记录只保留到该月（含），逐月生成时后一个月的数据包只在末尾追加记录",
    )
    return parser


def gen_main(argv: list[str]) -> int:
    args = _gen_parser().parse_args(argv)
    from lianqing.analytics.generate import generate

    try:
        summary = generate(
            args.out,
            persons=args.persons,
            seed=args.seed,
            chunk_persons=args.chunk_persons,
            progress=not args.quiet,
            until=args.until,
        )
    except AnalyticsError as error:
        print(f"错误: {error}", file=sys.stderr)
        return 2
    rows = ", ".join(f"{name} {count}" for name, count in summary.rows.items())
    print(f"已生成 {args.out}: {rows}; 预置疑点 {summary.truth_rows} 条")
    return 0
