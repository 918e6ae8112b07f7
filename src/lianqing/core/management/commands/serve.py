from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lianqing.core.management.commands.demo import port_is_free
from lianqing.core.security_settings import security_settings_audit

# gunicorn's default access log starts with the client address; reporters' addresses must never
# be written anywhere, so the log keeps time, request line, status, size and duration only.
ACCESS_LOG_FORMAT = '%(t)s "%(r)s" %(s)s %(b)s %(M)sms'


class Command(BaseCommand):
    help = "用 gunicorn 启动网站"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=4)

    def handle(self, *args: Any, host: str, port: int, workers: int, **options: Any) -> None:
        if not port_is_free(host, port):
            raise CommandError(f"端口 {port} 已被占用")
        if workers < 1:
            raise CommandError("--workers 至少为 1")
        security_settings_audit()  # a changed security configuration is an audited event
        argv = [
            sys.executable, "-m", "gunicorn", "lianqing.wsgi:application",
            "--bind", f"{host}:{port}", "--workers", str(workers), "--threads", "4",
            "--access-logfile", "-", "--access-logformat", ACCESS_LOG_FORMAT, "--timeout", "120",
        ]  # fmt: skip
        os.execv(sys.executable, argv)  # noqa: S606
