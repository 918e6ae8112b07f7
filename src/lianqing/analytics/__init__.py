"""Big-data supervision (廉情大数据): data packages and the collision rule library.

A library first: it imports no Django. The public surface is small — `import_package`,
`generate`, `scan`, `list_rules` — and is loaded lazily so that `import lianqing.analytics`
stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_PUBLIC = {
    "import_package": "lianqing.analytics.importer",
    "generate": "lianqing.analytics.generate",
    "scan": "lianqing.analytics.engine",
    "list_rules": "lianqing.analytics.engine",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(import_module(_PUBLIC[name]), name)
    raise AttributeError(name)
