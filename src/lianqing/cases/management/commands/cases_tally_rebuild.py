"""`lianqing cases_tally_rebuild`: recount the statistics tallies from the cases themselves.

The tallies follow every change made through the case services; after cases were changed by
other means (bulk SQL, a restore), recount them. Run it in a quiet moment: writes made while it
counts may be missed until the next rebuild.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lianqing.cases.tally import tally_rebuild_all


class Command(BaseCommand):
    help = _("按案件重新统计月度、每日和存量汇总")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = tally_rebuild_all()
        self.stdout.write(_("已重新统计，共 %(rows)d 行汇总") % {"rows": rows})
