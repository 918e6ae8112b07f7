"""Roles are Django groups with these names; code refers to them only through this module."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "系统管理员"  # accounts, org tree, settings; never case or report content
    SECURITY_ADMIN = "安全保密管理员"  # roles, clearances, keys, security settings
    AUDITOR = "安全审计员"  # reads and exports the audit log, changes nothing
    PETITION = "信访"
    CASE_MANAGEMENT = "案管"
    SUPERVISION = "监督检查"
    INVESTIGATION = "审查调查"
    TRIAL = "审理"
    DATA_ANALYSIS = "数据分析"
    LEADER = "领导"
    LIAISON = "履责联络员"  # a person of a unit, not commission staff: reaches only duties


ALL_ROLES: tuple[Role, ...] = tuple(Role)

# Roles that, held by a user of the commission itself (or one of its internal departments),
# see the commission's whole jurisdiction rather than their own department's subtree: leaders,
# case management, and the petition office, which receives everything and hands it on.
COMMISSION_WIDE_ROLES: frozenset[Role] = frozenset({Role.LEADER, Role.CASE_MANAGEMENT, Role.PETITION})

# 三员分立: the three administrators of a classified system. No one account may hold two of them
# (core.grants refuses the request, core.separation refuses the membership itself).
THREE_ADMINS: frozenset[Role] = frozenset({Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})
# Roles that sign in to the admin site (/admin/); each sees there only what its group's model
# permissions allow (core.separation.ROLE_PERMISSIONS).
ADMIN_SITE_ROLES: frozenset[Role] = frozenset({Role.ADMIN, Role.SECURITY_ADMIN})
