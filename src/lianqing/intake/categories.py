"""What a report is about: 四风 and 违纪违法 categories, grouped for the form."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    DINING = "dining", _("违规吃喝")
    GIFTS = "gifts", _("违规收送礼品礼金（含微信红包、电子礼品卡、充值卡）")
    VEHICLE = "vehicle", _("公车私用")
    ALLOWANCES = "allowances", _("违规发放津补贴")
    CEREMONIES = "ceremonies", _("违规操办婚丧喜庆")
    JUNKETS = "junkets", _("公款旅游")
    FORMALISM = "formalism", _("形式主义官僚主义")
    BRIBERY = "bribery", _("贪污贿赂")
    ABUSE_OF_POWER = "abuse_of_power", _("滥用职权")
    DERELICTION = "dereliction", _("失职渎职")
    PUBLIC_INTEREST = "public_interest", _("侵害群众利益（惠民资金）")
    BUSINESS = "business", _("违规经商办企业")
    OTHER = "other", _("其他")


CONDUCT_CATEGORIES = (
    Category.DINING,
    Category.GIFTS,
    Category.VEHICLE,
    Category.ALLOWANCES,
    Category.CEREMONIES,
    Category.JUNKETS,
    Category.FORMALISM,
)


def category_choices_grouped() -> list[tuple[str, list[tuple[str, str]]]]:
    """Choices for a <select> with <optgroup>s: 四风问题 and 违纪违法."""
    conduct = [(c.value, str(c.label)) for c in CONDUCT_CATEGORIES]
    others = [(c.value, str(c.label)) for c in Category if c not in CONDUCT_CATEGORIES]
    return [(str(_("四风问题")), conduct), (str(_("违纪违法问题")), others)]
