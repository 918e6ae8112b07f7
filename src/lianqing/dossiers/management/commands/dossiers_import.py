"""`lianqing dossiers_import PACKAGE_ID`: update the registry from a registered data package now
(the 更新廉政档案 button queues the same work for the worker)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lianqing.cases.access import commission_of
from lianqing.dossiers.models import RegistryImport
from lianqing.dossiers.registry_import import registry_import_run
from lianqing.leads.models import DataPackage


class Command(BaseCommand):
    help = "用数据包更新廉政档案"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("package_id", type=int, help="数据包编号")

    def handle(self, *args: Any, package_id: int, **options: Any) -> None:
        package = DataPackage.objects.select_related("org").filter(pk=package_id).first()
        if package is None:
            raise CommandError(f"没有编号为 {package_id} 的数据包")
        if "officials" not in package.datasets:
            raise CommandError("数据包没有公职人员数据集")
        run = RegistryImport.objects.create(
            package_id=package.pk, package_name=package.name, org=commission_of(package.org)
        )
        run = registry_import_run(run=run, folder=Path(package.path), as_of=package.as_of)
        for key, value in sorted(run.counts.items()):
            self.stdout.write(f"{key}: {value}")
        for problem in run.problems:
            self.stdout.write(
                f"{problem['file']} 第 {problem['row']} 行 {problem['column']}={problem['value']}：{problem['reason']}"
            )
