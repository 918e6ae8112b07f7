"""`lianqing resolve PACKAGE --mentions MENTIONS.csv --out DIR`: link mentions to cadres."""

from __future__ import annotations

import argparse
import sys
import time

from lianqing.analytics.errors import AnalyticsError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lianqing resolve",
        description="把举报等材料中提到的人与公职人员名录比对",
    )
    parser.add_argument("package", help="数据包文件夹：officials、orgs，可有 persons")
    parser.add_argument(
        "--mentions",
        required=True,
        help="MENTIONS.csv：mention_id, name, org_text, position_text, gender, phone (UTF-8)",
    )
    parser.add_argument("--out", required=True, help="结果文件夹，写入 links.csv")
    return parser


def resolve_main(argv: list[str]) -> int:
    options = _parser().parse_args(argv)
    started = time.perf_counter()
    try:
        from lianqing.analytics.resolve import resolve_package

        result = resolve_package(options.package, options.mentions, options.out)
    except AnalyticsError as error:
        print(f"错误: {error}", file=sys.stderr)
        return 2
    for duplicate in result.duplicates:
        print(
            f"注意：{duplicate.name}（出生日期 {duplicate.birth_date}）在名录中有 {len(duplicate.person_ids)} 个"
            f"不同身份号码 {'、'.join(duplicate.person_ids)}，未合并，请核实",
            file=sys.stderr,
        )
    abstained = sum(1 for link in result.links if link.is_abstention)
    print(
        f"{len(result.links)} 条提及：{result.linked} 条已关联，{abstained} 条待人工确认，"
        f"用时 {time.perf_counter() - started:.1f} 秒；结果已写入 {result.links_path}"
    )
    return 0
