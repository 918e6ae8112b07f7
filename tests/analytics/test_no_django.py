"""lianqing.analytics is a library: importing all of it must not import Django."""

from __future__ import annotations

import subprocess
import sys

MODULES = (
    "lianqing.analytics",
    "lianqing.analytics.contract",
    "lianqing.analytics.importer",
    "lianqing.analytics.normalize",
    "lianqing.analytics.headers",
    "lianqing.analytics.sources",
    "lianqing.analytics.idcodes",
    "lianqing.analytics.errors",
    "lianqing.analytics.generate",
    "lianqing.analytics.commands.package",
)


def test_importing_the_analytics_library_does_not_import_django() -> None:
    code = (
        "import sys, pkgutil, importlib\n"
        f"for name in {MODULES!r}: importlib.import_module(name)\n"
        "import lianqing.analytics as a\n"
        "for info in pkgutil.walk_packages(a.__path__, 'lianqing.analytics.'):\n"
        "    if '.commands.scan' not in info.name: importlib.import_module(info.name)\n"
        "print('django' in sys.modules, sorted(m for m in sys.modules if m.startswith('lianqing.analytics'))[:3])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
    assert result.stdout.startswith("False "), result.stdout + result.stderr
