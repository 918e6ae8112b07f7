"""The `lianqing` command.

Analytics subcommands (import, gen, scan, rules, resolve) run the pure library directly, without
Django, so they start fast and work on a machine with no database. Everything else is a
Django management command run under the project's settings.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable
from importlib import import_module

# subcommand -> "module:function" taking argv (without the subcommand) and returning an exit code
ANALYTICS_COMMANDS: dict[str, str] = {
    "import": "lianqing.analytics.commands.package:import_main",
    "gen": "lianqing.analytics.commands.package:gen_main",
    "scan": "lianqing.analytics.commands.scan:scan_main",
    "rules": "lianqing.analytics.commands.scan:rules_main",
    "trends": "lianqing.analytics.commands.trends:trends_main",
    "triage": "lianqing.analytics.commands.triage:triage_main",
    "resolve": "lianqing.analytics.commands.resolve:resolve_main",
}


def _analytics_entry(name: str) -> Callable[[list[str]], int]:
    module_name, function_name = ANALYTICS_COMMANDS[name].split(":")
    return getattr(import_module(module_name), function_name)  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    from lianqing.analytics.workdays import UnknownYearWarning

    # The calendar's gap is logged once as a plain line; Python's warning would repeat it with a source path.
    warnings.filterwarnings("ignore", category=UnknownYearWarning)
    if len(argv) > 1 and argv[1] in ANALYTICS_COMMANDS:
        return _analytics_entry(argv[1])(argv[2:])
    if len(argv) > 1 and argv[1] == "demo":
        os.environ.setdefault("LIANQING_MODE", "demo")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianqing.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    argv[0] = "lianqing"
    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as error:
        return _fail(f"配置错误：{error}")
    except DatabaseError as error:
        return _fail(f"数据库错误：{error}；如尚未初始化，请先运行 lianqing migrate")
    return 0


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
