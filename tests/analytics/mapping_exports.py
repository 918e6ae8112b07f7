"""Messy department exports for the mapping wizard's tests: GBK, junk rows above the header,
headers no alias table knows, one bad amount."""

from __future__ import annotations

from pathlib import Path

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def person_id(body: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(body, WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def civil_affairs_export(
    path: Path, month: int, *, bad_amount_row: int | None = None, persons: int = 5
) -> Path:
    """民政局's monthly 低保 export as it comes: a title, a note, an empty row, then the header."""
    lines = [
        f"示范县民政局2025年{month}月城乡低保资金发放明细表,,,,,,",
        f"制表单位：示范县民政局   制表日期：2025-{month:02d}-28,,,,,,",
        ",,,,,,",
        "流水号,领款人,识别码,救助项目,资金所属期,实发数,打卡时间",
    ]
    for number in range(1, persons + 1):
        amount = "五百元" if number == bad_amount_row else f"{500 + number}.00"
        lines.append(
            f"M{month}-{number:03d},张{number},{person_id(f'37012419800101{10 + number:03d}')},低保,"
            f"2025-{month:02d},{amount},2025-{month:02d}-15"
        )
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    return path
