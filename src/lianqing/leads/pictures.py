"""The words of a hit's pictures, in the reader's language: the library's chart data has none.

charts.js reads them from the picture section's `data-labels` (JSON); `%s` is filled in there.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext as _


def chart_sections(kinds: list[str]) -> list[tuple[str, str]]:
    """(kind, what the picture is) for each of a hit's pictures, for the page and screen readers."""
    titles = {
        "graph": _("关系图"),
        "sankey": _("资金流向图"),
        "calendar": _("日历图"),
        "fuel": _("加油记录与油箱容积"),
        "payments": _("当日公务卡支付"),
        "years": _("公务接待费两年对比"),
        "declared": _("申报与查实对比"),
        "bids": _("投标报价与围栏"),
    }
    return [(kind, titles[kind]) for kind in kinds]


def chart_labels() -> str:
    labels = {
        "liters": _("升"),
        "yuan": _("元"),
        "fill": _("单次加油"),
        "window": _("%s小时内累计加油"),
        "tank": _("油箱容积 %s 升"),
        "limit": _("允许上限 %s 升"),
        "station": _("加油站"),
        "amount": _("金额"),
        "fuel_caption": _(
            "柱为每次加油的升数（红色为本疑点的加油），折线为此前%s小时内的累计加油量；虚线为油箱容积及允许上限。"
        ),
        "payment": _("第%s笔"),
        "threshold": _("单笔限额 %s 元"),
        "payments_caption": _(
            "每条为同一商户当日的支付，分段为每一笔（红色为本疑点的支付）；竖线为单笔限额。"
        ),
        "month": _("月份"),
        "year_total": _("%s年"),
        "total": _("合计"),
        "count": _("笔数"),
        "years_caption": _("两年逐月的公务接待费。"),
        "increase": _("同比增长"),
        "declared": _("申报"),
        "found": _("查实"),
        "house": _("房产"),
        "vehicle": _("车辆"),
        "business": _("亲属经商办企业"),
        "declared_caption": _("%s年度个人有关事项报告（%s）申报的，与登记数据截至当日查实的对比。"),
        "none": _("无"),
        "price": _("报价"),
        "winner": _("中标人"),
        "bidder": _("投标人"),
        "lower_fence": _("下限围栏 %s"),
        "upper_fence": _("上限围栏 %s"),
        "bids_caption_lower": _(
            "每个点为本采购过程的一份报价（红色为中标人）；虚线为本次扫描的下限围栏换算的价格（中标价 ×(1 + 下限)），次低报价不高于它即被标记。"
        ),
        "bids_caption_upper": _(
            "每个点为本采购过程的一份报价（红色为中标人）；虚线为本次扫描的上限围栏换算的价格（中标价 ×(1 + 上限)），次低报价不低于它即被标记。"
        ),
        "bids_no_fence": _("每个点为本采购过程的一份报价（红色为中标人）；本次扫描的数据不足以算出围栏。"),
        "status_valid": _("有效"),
        "status_disqualified": _("不合格"),
        "status_pending": _("待定"),
    }
    return json.dumps(labels, ensure_ascii=False)
