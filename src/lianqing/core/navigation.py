"""The staff shell's navigation. Apps add their entries here, each with the roles that see it."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lianqing.core.models import User
from lianqing.core.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: tuple[Role, ...] = ()  # empty: every staff user

    def visible_to(self, user: User) -> bool:
        return not self.roles or user.has_role(*self.roles)


# Entries of apps that are not built yet are skipped (NoReverseMatch) until their URLs exist.
NAV_ITEMS: list[NavItem] = [
    NavItem(_("工作台"), "core:home"),
    NavItem(_("案件"), "cases:inbox"),
    NavItem(_("统计"), "cases:statistics", (Role.LEADER, Role.CASE_MANAGEMENT, Role.PETITION)),
    NavItem(_("举报受理"), "intake:staff_report_list", (Role.PETITION, Role.CASE_MANAGEMENT, Role.LEADER)),
    NavItem(_("数据碰撞"), "leads:package_list", (Role.DATA_ANALYSIS, Role.LEADER, Role.CASE_MANAGEMENT)),
    NavItem(
        _("廉政档案"),
        "dossiers:search",
        (Role.LEADER, Role.SUPERVISION, Role.CASE_MANAGEMENT, Role.INVESTIGATION),
    ),
    NavItem(_("廉情分析"), "integrity:cockpit", (Role.LEADER, Role.SUPERVISION, Role.CASE_MANAGEMENT)),
    NavItem(_("网络舆情"), "triage:posts", (Role.DATA_ANALYSIS, Role.LEADER, Role.CASE_MANAGEMENT)),
    NavItem(_("研判模型"), "triage:model", (Role.ADMIN, Role.LEADER, Role.CASE_MANAGEMENT, Role.PETITION)),
    NavItem(
        _("阳光纪检"),
        "publicity:staff_home",
        (Role.LEADER, Role.CASE_MANAGEMENT, Role.PETITION, Role.DATA_ANALYSIS),
    ),
    NavItem(
        _("主体责任"), "duties:home", (Role.LEADER, Role.SUPERVISION, Role.CASE_MANAGEMENT, Role.LIAISON)
    ),
    NavItem(_("机构"), "core:org_list"),
    NavItem(_("审计日志"), "core:audit_list", (Role.AUDITOR, Role.SECURITY_ADMIN)),
    NavItem(_("授权确认"), "core:grants", (Role.LEADER,)),
]


def staff_navigation(user: User) -> list[dict[str, str]]:
    items = []
    for item in NAV_ITEMS:
        if not item.visible_to(user):
            continue
        if user.has_role(Role.LIAISON) and Role.LIAISON not in item.roles:  # a unit's liaison: duties only
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:  # an app not installed in this deployment
            continue
        items.append({"label": str(item.label), "url": url, "url_name": item.url_name})
    return items
