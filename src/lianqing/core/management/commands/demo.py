from __future__ import annotations

import socket
import subprocess
import sys
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.module_loading import import_string, module_has_submodule

from lianqing.core.demo import logins_table


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


class Command(BaseCommand):
    help = "建立演示辖区并启动后台任务和网站"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="只建立数据，不启动服务")

    def handle(self, *args: Any, host: str, port: int, no_serve: bool, **options: Any) -> None:
        if settings.MODE != "demo":
            raise CommandError("演示只能在演示模式下运行，请设置 LIANQING_MODE=demo")
        if not no_serve and not port_is_free(host, port):
            raise CommandError(f"端口 {port} 已被占用，请用 PORT=其他端口")
        self.stdout.write(f"实例目录: {settings.HOME}")
        call_command("migrate", interactive=False, verbosity=0)
        for app_config in apps.get_app_configs():
            if app_config.name.startswith("lianqing.") and module_has_submodule(app_config.module, "demo"):
                import_string(f"{app_config.name}.demo.load")(self.stdout)
        self.stdout.write(logins_table())
        if no_serve:
            return
        self.stdout.write(f"\n网站: http://{host}:{port}/staff/  — Ctrl-C 停止\n")
        self._serve(host, port)

    def _serve(self, host: str, port: int) -> None:
        lianqing = [sys.executable, "-m", "lianqing.cli"]
        worker = subprocess.Popen([*lianqing, "worker"])  # noqa: S603
        server = subprocess.Popen([*lianqing, "serve", "--host", host, "--port", str(port), "--workers", "2"])  # noqa: S603
        try:
            server.wait()
        except KeyboardInterrupt:
            pass
        finally:
            for process in (server, worker):
                process.terminate()
            for process in (server, worker):
                process.wait(timeout=15)
