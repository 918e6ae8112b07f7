from __future__ import annotations

import logging
import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from lianqing.core.schedule import daily_jobs_schedule
from lianqing.core.security_settings import security_settings_audit

logger = logging.getLogger(__name__)
SCHEDULE_EVERY_SECONDS = 300
IDLE_MAX_SECONDS = 10.0


class IdleBackoffWorker(Worker):
    """django-tasks-db's worker, polling less while the queue stays empty: after each empty poll
    the wait doubles, up to IDLE_MAX_SECONDS, and a task run sets it back. Polling every second
    cost about 3 ms of CPU a second with nothing to do; a task put into an idle queue now waits
    at most IDLE_MAX_SECONDS (the first reading of a case is not awaited by anyone)."""

    def __init__(self, **kwargs: Any) -> None:
        self.base_interval = self._wait = float(kwargs["interval"])
        super().__init__(**kwargs)

    @property  # type: ignore[override]
    def interval(self) -> float:
        # The loop reads it only to sleep after an empty poll: each read is one more idle round.
        wait = self._wait
        self._wait = min(wait * 2, max(IDLE_MAX_SECONDS, self.base_interval))
        return wait

    @interval.setter
    def interval(self, value: float) -> None:
        self.base_interval = self._wait = value

    def run_task(self, db_task_result: DBTaskResult) -> None:
        self._wait = self.base_interval
        super().run_task(db_task_result)


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
            if batch:
                call_command("db_worker", batch=True, interval=interval, reload=False, startup_delay=False)
                return
            worker = IdleBackoffWorker(
                queue_names=[DEFAULT_TASK_QUEUE_NAME],
                interval=interval,
                batch=False,
                backend_name=DEFAULT_TASK_BACKEND_ALIAS,
                startup_delay=False,
                max_tasks=None,
                worker_id=get_random_string(32),
                excluded_queue_names=[],
            )
            worker.configure_signals()
            worker.run()
        finally:
            stop.set()
