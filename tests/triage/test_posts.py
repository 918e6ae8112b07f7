"""舆情: an export imported, bad rows named, events formed, converted to a lead or dismissed."""

from __future__ import annotations

import pytest

from lianqing.cases.models import Kind
from lianqing.core.roles import Role
from lianqing.triage.errors import TriageError
from lianqing.triage.models import EventStatus, PostEvent, PublicPost
from lianqing.triage.services import post_event_convert, post_event_dismiss, posts_import

EXPORT = """time,platform,author,text,url
2026-11-01 10:00,微博,网友A,县卫生健康局王建国局长春节前收了药企红包两万元，太黑了,https://a/1
2026-11-01 12:00,抖音,网友B,转发：县卫生健康局王建国局长春节前收了药企红包两万元！！,https://a/2
2026-11-02 08:00,微博,网友D,今天天气真好，桂花开了,https://a/4
bad,微博,网友E,县民政局刘芳用公车接孩子,https://a/5
2026-11-06 08:00,微博,网友G,县民政局刘芳副局长天天开公车接送孩子上学,https://a/7
"""


def test_import_reports_bad_rows_and_clusters_relevant_posts(registry, org_tree, make_user):
    analyst = make_user(Role.DATA_ANALYSIS, org=org_tree.commission)
    run = posts_import(user=analyst, data=EXPORT.encode(), filename="export.csv")
    assert run.post_count == 4
    assert run.errors == [{"row": 5, "reason": "时间“bad”无法识别"}]
    events = list(PostEvent.objects.order_by("first_at"))
    assert [sorted(e.posts.values_list("author", flat=True)) for e in events] == [
        ["网友A", "网友B"],
        ["网友G"],
    ]
    assert events[0].largest_amount == 20000
    assert "王建国" in events[0].targets
    assert PublicPost.objects.filter(event__isnull=True).count() == 1  # the weather


def test_an_unreadable_file_is_one_clear_message_and_nothing_kept(org_tree, make_user):
    analyst = make_user(Role.DATA_ANALYSIS, org=org_tree.commission)
    with pytest.raises(TriageError, match="缺少列"):
        posts_import(user=analyst, data=b"a,b\n1,2\n", filename="x.csv")
    assert not PublicPost.objects.exists()


def test_an_event_becomes_a_lead_with_its_posts_as_evidence(registry, org_tree, make_user):
    analyst = make_user(Role.DATA_ANALYSIS, org=org_tree.commission)
    posts_import(user=analyst, data=EXPORT.encode(), filename="export.csv")
    event = PostEvent.objects.order_by("first_at").first()
    assert event is not None
    case = post_event_convert(event=event, user=analyst)
    assert case.kind == Kind.LEAD
    assert [p["author"] for p in case.details["posts"]] == ["网友A", "网友B"]
    assert case.attachments.get().name == f"舆情帖子_{event.pk}.csv"
    assert "王建国" in [p.name for p in case.reported_persons.all()]
    event.refresh_from_db()
    assert (event.status, event.case_id) == (EventStatus.CONVERTED, case.pk)
    with pytest.raises(TriageError, match="已处理"):
        post_event_dismiss(event=event, user=analyst, reason="重复")


def test_dismissing_needs_a_reason(registry, org_tree, make_user):
    analyst = make_user(Role.DATA_ANALYSIS, org=org_tree.commission)
    posts_import(user=analyst, data=EXPORT.encode(), filename="export.csv")
    event = PostEvent.objects.order_by("first_at").last()
    assert event is not None
    with pytest.raises(TriageError, match="排除理由"):
        post_event_dismiss(event=event, user=analyst, reason=" ")
    post_event_dismiss(event=event, user=analyst, reason="已由县民政局核实，系公务用车")
    event.refresh_from_db()
    assert event.status == EventStatus.DISMISSED
    assert event.reason == "已由县民政局核实，系公务用车"
