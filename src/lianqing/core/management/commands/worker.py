from __future__ import annotations

import logging
import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from lianqing.core.schedule import daily_jobs_schedule
from lianqing.core.security_settings import security_settings_audit

logger = logging.getLogger(__name__)
SCHEDULE_EVERY_SECONDS = 300


def _keep_daily_jobs_queued(stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            daily_jobs_schedule()
        except Exception:  # a scheduling hiccup must not stop the worker; the next round retries
            logger.exception("daily job scheduling failed")
        finally:
            close_old_connections()
        stop.wait(SCHEDULE_EVERY_SECONDS)


class Command(BaseCommand):
    help = "运行后台任务，并安排每日任务"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="处理完现有任务后退出")
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args: Any, batch: bool, interval: float, **options: Any) -> None:
        security_settings_audit()  # a changed security configuration is an audited event
        stop = threading.Event()
        if not batch:
            threading.Thread(
                target=_keep_daily_jobs_queued, args=(stop,), daemon=True, name="daily-jobs"
            ).start()
        try:
            call_command("db_worker", batch=batch, interval=interval, reload=False, startup_delay=False)
        finally:
            stop.set()
