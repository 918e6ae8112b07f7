"""The audit log as CSV rows (the auditor's export) and as log records for the operator's sink."""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from lianqing.core.models import AuditEvent

# The operator's syslog or file sink (settings.LOGGING: LIANQING_AUDIT_SYSLOG, LIANQING_AUDIT_LOG_FILE).
sink = logging.getLogger("lianqing.audit")


def audit_csv_rows(events: QuerySet[AuditEvent]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    header = [
        _("序号"),
        _("时间"),
        _("操作人"),
        _("操作"),
        _("对象类型"),
        _("对象"),
        _("来源地址"),
        _("详情"),
        _("哈希"),
    ]
    writer.writerow(header)
    yield "\ufeff" + buffer.getvalue()
    for event in events.iterator(chunk_size=2000):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(
            [
                event.seq,
                event.created_at.isoformat(timespec="microseconds"),
                event.actor_username,
                event.get_action_display(),
                event.object_type,
                event.object_id,
                event.ip_address or "",
                json.dumps(event.details, ensure_ascii=False, sort_keys=True),
                event.hash,
            ]
        )
        yield buffer.getvalue()


def audit_sink_emit(event: AuditEvent) -> None:
    """One JSON line per row to the operator's sink (after the row is committed)."""
    if not sink.handlers:  # no sink configured: nothing leaves the database
        return
    sink.info(
        json.dumps(
            {
                "seq": event.seq,
                "time": event.created_at.isoformat(timespec="microseconds"),
                "actor": event.actor_username,
                "action": event.action,
                "object": f"{event.object_type}:{event.object_id}",
                "ip": event.ip_address,
                "details": event.details,
                "hash": event.hash,
            },
            ensure_ascii=False,
            sort_keys=True,
            default=str,
        )
    )
