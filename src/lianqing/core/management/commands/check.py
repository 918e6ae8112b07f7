"""`lianqing check`: Django's system checks, then the installed code against its RECORD hashes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.core.management.commands.check import Command as DjangoCheckCommand
from django.utils.translation import gettext as _

from lianqing.core.code_integrity import installed_files_check


class Command(DjangoCheckCommand):
    help = "系统检查，并按安装包自带的文件清单及其哈希校验已安装的程序文件，报告被改动或缺失的文件"

    def handle(self, *app_labels: Any, **options: Any) -> None:
        super().handle(*app_labels, **options)
        report = installed_files_check()
        if report.editable:
            self.stdout.write(
                _(
                    "%(name)s %(version)s 以开发模式安装，程序文件不在安装记录中，无法校验；生产环境请用 make install WHEELHOUSE=… 安装"
                )
                % {"name": report.distribution, "version": report.version}
            )
        problems = [_("已改动：%(file)s") % {"file": name} for name in report.changed]
        problems += [_("缺失：%(file)s") % {"file": name} for name in report.missing]
        if problems:
            raise CommandError(
                _("程序文件校验失败（%(n)d 个文件）：\n%(list)s")
                % {"n": len(problems), "list": "\n".join(problems)}
            )
        self.stdout.write(
            _("程序文件完好：%(name)s %(version)s，已校验 %(n)d 个文件")
            % {"name": report.distribution, "version": report.version, "n": report.checked}
        )
