"""Names a person reads for the codes the data carries: regions (GB/T 2260) and orgs.

Codes stay available on hover (the `title` of the name) and in exports; pages show names.
"""

from __future__ import annotations

from functools import lru_cache

from lianqing.intake.regions import region_table


@lru_cache(maxsize=4096)
def region_label(code: str) -> str:
    """`济南市 历下区` for 370102; a 9/12-digit 乡镇/村 code reads as its county; "" if unknown."""
    code = (code or "").strip()
    if not code:
        return ""
    names = region_table().names
    county = code[:6]
    if county not in names:
        return ""
    parts = [county[:4] + "00", county] if not county.endswith("0000") else [county]
    seen: list[str] = []
    for part in parts:
        name = names.get(part)
        if name and name not in seen:
            seen.append(name)
    return " ".join(seen)
