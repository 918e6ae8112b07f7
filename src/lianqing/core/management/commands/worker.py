from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "运行后台任务 (run background tasks from the database queue)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="处理完现有任务后退出 (run what is queued, then exit)"
        )
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args: Any, batch: bool, interval: float, **options: Any) -> None:
        call_command("db_worker", batch=batch, interval=interval, reload=False, startup_delay=False)
