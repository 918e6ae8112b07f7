from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianqing.core.models import AuditEvent
from lianqing.core.roles import Role
from lianqing.publicity import services, workflow
from lianqing.publicity.errors import PublicityError
from lianqing.publicity.models import Article, PublicationStatus, PublicationStep
from lianqing.publicity.selectors import article_public_list

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _draft(editor, **fields) -> Article:
    values = {
        "section": "news",
        "title": "县纪委监委召开警示教育大会",
        "summary": "",
        "tags": "警示教育, 会议",
    }
    values.update(fields)
    body = values.pop("body", "全县党员干部参加警示教育大会，通报典型案例。")
    return services.article_save(by=editor, body=body, **values).article


def _publish(article, editor, leader, publish_at=None) -> Article:
    services.publication_transition(item=article, by=editor, facts=workflow.Submit())
    services.publication_transition(item=article, by=leader, facts=workflow.Approve(publish_at=publish_at))
    return article


def test_draft_review_approve_publishes_and_records(editor, leader):
    article = _draft(editor)
    client = Client()
    assert client.get(reverse("publicity:article_detail", args=[article.pk])).status_code == 404
    assert "警示教育大会" not in client.get(reverse("public_home")).content.decode()
    _publish(article, editor, leader)
    article.refresh_from_db()
    assert article.status == PublicationStatus.APPROVED
    assert article.is_published
    # The home page was cached before: publishing moved the generation on.
    assert "警示教育大会" in client.get(reverse("public_home")).content.decode()
    page = client.get(reverse("publicity:article_detail", args=[article.pk]))
    assert page.status_code == 200
    assert "通报典型案例" in page.content.decode()
    steps = list(PublicationStep.objects.filter(object_id=article.pk).values_list("action", flat=True))
    assert steps == ["submit", "approve"]
    assert AuditEvent.objects.filter(object_type="publicity.article", action="transition").count() == 2


def test_a_leader_does_not_approve_what_they_wrote(leader):
    article = _draft(leader)
    services.publication_transition(item=article, by=leader, facts=workflow.Submit())
    with pytest.raises(PublicityError, match="不能批准自己"):
        services.publication_transition(item=article, by=leader, facts=workflow.Approve())
    article.refresh_from_db()
    assert article.status == PublicationStatus.REVIEW


def test_an_editor_cannot_approve(editor, org_tree, make_user):
    other = make_user(Role.CASE_MANAGEMENT, org=org_tree.case_office)
    article = _draft(editor)
    services.publication_transition(item=article, by=editor, facts=workflow.Submit())
    with pytest.raises(PublicityError, match="角色"):
        services.publication_transition(item=article, by=other, facts=workflow.Approve())
    article.refresh_from_db()
    assert article.status == PublicationStatus.REVIEW
    assert article.approved_by is None


def test_scheduled_publication_appears_at_its_time(editor, leader):
    article = _publish(_draft(editor), editor, leader, publish_at=timezone.now() + dt.timedelta(hours=2))
    assert article.status == PublicationStatus.APPROVED
    assert not article_public_list().filter(pk=article.pk).exists()
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - dt.timedelta(minutes=1))
    assert article_public_list().filter(pk=article.pk).exists()


def test_withdrawal_needs_a_reason_and_keeps_the_record(editor, leader):
    article = _publish(_draft(editor), editor, leader)
    with pytest.raises(PublicityError, match="理由"):
        services.publication_transition(item=article, by=leader, facts=workflow.Withdraw(reason=" "))
    services.publication_transition(item=article, by=leader, facts=workflow.Withdraw(reason="内容有误"))
    article.refresh_from_db()
    assert article.status == PublicationStatus.WITHDRAWN
    assert article.withdraw_reason == "内容有误"
    assert Client().get(reverse("publicity:article_detail", args=[article.pk])).status_code == 404
    assert PublicationStep.objects.filter(object_id=article.pk, action="withdraw", reason="内容有误").exists()


def test_only_drafts_are_edited(editor, leader):
    article = _publish(_draft(editor), editor, leader)
    with pytest.raises(PublicityError, match="草稿"):
        services.article_save(
            by=editor, article=article, section="news", title="改", summary="", body="改", tags=""
        )


def test_chinese_search_and_tags(editor, leader):
    first = _publish(
        _draft(
            editor,
            title="扶贫领域专项整治",
            body="惠民惠农资金发放问题专项整治工作推进会召开。",
            tags="专项整治",
        ),
        editor,
        leader,
    )
    _publish(_draft(editor, title="党风廉政建设", body="学习党章党规。", tags="学习"), editor, leader)
    assert list(article_public_list(query="专项整治")) == [first]
    assert list(article_public_list(query="整治 推进会")) == [first]
    assert list(article_public_list(query="党章")) != [first]
    assert list(article_public_list(tag="专项整治")) == [first]
    page = Client().get(reverse("publicity:article_list") + "?q=专项整治").content.decode()
    assert "扶贫领域专项整治" in page
    assert "党风廉政建设" not in page


def test_attachments_pass_intakes_checks(editor):
    saved = services.article_save(
        by=editor, section="notice", title="通知", summary="", body="见附件", tags="",
        uploads=[SimpleUploadedFile("图.png", PNG, content_type="image/png")],
    )  # fmt: skip
    assert saved.article.attachments.get().mime == "image/png"
    with pytest.raises(PublicityError, match="不受支持"):
        services.article_save(
            by=editor, section="notice", title="通知", summary="", body="见附件", tags="",
            uploads=[SimpleUploadedFile("a.exe", b"MZ\x90\x00rest", content_type="application/octet-stream")],
        )  # fmt: skip


def test_feed_and_print(editor, leader):
    article = _publish(_draft(editor), editor, leader)
    feed = Client().get(reverse("publicity:feed"))
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "县纪委监委召开警示教育大会" in feed.content.decode()
    printable = (
        Client().get(reverse("publicity:article_detail", args=[article.pk]) + "?print=1").content.decode()
    )
    assert "lq-print" in printable
    assert "lq-public-nav" not in printable


def test_sanitise_notice_is_shown_to_the_author(editor, client_for):
    client = client_for(editor)
    response = client.post(
        reverse("publicity:staff_article_new"),
        {
            "section": "news",
            "title": "标题",
            "body": '正文<script>x()</script><img src="http://a.example/i.png">',
            "tags": "",
        },
        follow=True,
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "已删除 1 处脚本或样式代码" in text
    assert "外部图片" in text
    assert "a.example" not in Article.objects.get().body_html
