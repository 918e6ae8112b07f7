"""Questions from the public, and what the public site never shows: unmasked names, ID numbers,
a reporter's data."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from lianqing.publicity import services, workflow
from lianqing.publicity.errors import PublicityError
from lianqing.publicity.models import Question, QuestionStatus
from tests.publicity.helpers import published_disclosure, solved_challenge
from tests.publicity.packages import EAST, LI, STRANGER, WANG, WEST, ZHANG

ID_NUMBER = re.compile(r"\d{17}[\dXx]")


def _ask(client, **fields):
    token, answer = solved_challenge()
    data = {
        "kind": "suggestion",
        "title": "建议",
        "body": "建议村务公开栏每月更新一次。",
        "captcha": answer,
        "token": token,
    }
    data.update(fields)
    return client.post(reverse("publicity:question_ask"), data)


def test_a_question_is_answered_and_published_anonymised(org_tree, leader):
    response = _ask(Client(), body=f"我叫张三明，身份证 {ZHANG}，电话 13812345678，建议公开村财务。")
    assert response.status_code == 200
    question = Question.objects.get()
    assert question.status == QuestionStatus.OPEN
    assert question.due_at > question.created_at
    services.question_answer(question=question, by=leader, answer="已转村委会办理。", publish=True)
    page = Client().get(reverse("publicity:question_list")).content.decode()
    assert "已转村委会办理" in page
    assert ZHANG not in page
    assert "13812345678" not in page


def test_unanswered_or_unchosen_questions_stay_private(org_tree, leader):
    _ask(Client(), title="私下的咨询")
    question = Question.objects.get()
    assert "私下的咨询" not in Client().get(reverse("publicity:question_list")).content.decode()
    services.question_answer(question=question, by=leader, answer="答复", publish=False)
    assert "私下的咨询" not in Client().get(reverse("publicity:question_list")).content.decode()


def test_questions_need_the_challenge_and_are_rate_limited(org_tree):
    token, _answer = solved_challenge()
    refused = Client().post(
        reverse("publicity:question_ask"),
        {
            "kind": "suggestion",
            "title": "t",
            "body": "建议村务公开栏每月更新一次。",
            "captcha": "AAAAA",
            "token": token,
        },
    )
    assert refused.status_code == 400
    client = Client()
    statuses = [_ask(client).status_code for _ in range(5)]
    assert statuses == [200] * 4 + [429]  # five an hour from one address, the refused one included
    assert Question.objects.count() == 4


def test_spam_with_links_is_refused(org_tree):
    response = _ask(Client(), body="便宜 https://a.example https://b.example https://c.example 快来")
    assert response.status_code == 400
    assert not Question.objects.exists()


def test_only_question_staff_answer(org_tree, analyst):
    question = services.question_ask(kind="consultation", title="问", body="请问如何查询低保公示？").question
    with pytest.raises(PublicityError):
        services.question_answer(question=question, by=analyst, answer="答", publish=True)
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN


def test_no_published_page_or_feed_shows_a_name_an_id_number_or_a_reporter(
    analyst, leader, editor, package, org_tree
):

    published_disclosure(analyst=analyst, leader=leader, package=package, programs=("低保", "特困供养"))
    article = services.article_save(
        by=editor,
        section="exposure",
        title="典型问题通报",
        summary="",
        tags="",
        body="某村干部虚报冒领低保金被查处。",
    ).article
    services.publication_transition(item=article, by=editor, facts=workflow.Submit())
    services.publication_transition(item=article, by=leader, facts=workflow.Approve())
    asked = services.question_ask(
        kind="consultation", title="查询", body=f"我是王小五 {WANG}，电话 13900001111"
    )
    services.question_answer(
        question=asked.question,
        by=leader,
        answer="请到村委会查询。",
        publish=True,
        public_body=asked.question.body,
    )
    client = Client()
    paths = [
        "/", "/news/", "/news/exposure/", f"/news/item/{article.pk}/", f"/news/item/{article.pk}/?print=1", "/news/feed/",
        "/funds/", f"/funds/{EAST}/", f"/funds/{WEST}/", "/questions/", "/statistics/", "/guide/",
    ]  # fmt: skip
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.content.decode()
        for full_name in ("张三明", "王小五", "李四", "赵六"):
            assert full_name not in text, (path, full_name)
        for number in (ZHANG, LI, WANG, STRANGER):
            assert number not in text, (path, number)
        assert not ID_NUMBER.search(text), (path, ID_NUMBER.search(text))
        assert "13900001111" not in text, path
        assert "6217000000000001" not in text, path


def _read_answer(client, code):
    token, answer = solved_challenge()
    return client.post(
        reverse("publicity:question_answer"), {"code": code, "captcha": answer, "token": token}
    )


def test_the_asker_reads_the_answer_with_the_code(org_tree, leader):
    asked = services.question_ask(kind="consultation", title="低保怎么申请", body="请问低保怎么申请？")
    waiting = _read_answer(Client(), asked.code)
    services.question_answer(question=asked.question, by=leader, answer="向村委会提出申请。", publish=False)
    answered = _read_answer(Client(), f"{asked.code[:6]} {asked.code[6:]}")  # spaces are forgiven
    assert answered.status_code == 200
    assert "no-store" in answered["Cache-Control"]
    assert "向村委会提出申请" in answered.content.decode()
    assert 'id="answer-none"' in waiting.content.decode()
    assert "低保怎么申请" not in waiting.content.decode()


def test_no_answer_reads_the_same_for_a_wrong_code_and_a_waiting_question(org_tree):
    asked = services.question_ask(kind="suggestion", title="建议", body="建议村务公开栏每月更新一次。")
    waiting = _read_answer(Client(), asked.code)
    wrong = _read_answer(Client(), "000000000000" if asked.code != "000000000000" else "1")
    assert waiting.status_code == wrong.status_code == 200

    def result(response):
        html = response.content.decode()
        start = html.index('id="answer-result-section"')
        return html[start : html.index("</section>", start)]

    assert result(waiting) == result(wrong)
    assert 'id="answer-none"' in result(wrong)


def test_reading_answers_needs_the_challenge_and_is_rate_limited(org_tree, leader):
    asked = services.question_ask(kind="consultation", title="咨询", body="请问补贴多久发一次？")
    services.question_answer(question=asked.question, by=leader, answer="每月发放。", publish=False)
    token, _answer = solved_challenge()
    refused = Client().post(
        reverse("publicity:question_answer"), {"code": asked.code, "captcha": "AAAAA", "token": token}
    )
    assert refused.status_code == 400
    assert "每月发放" not in refused.content.decode()
    client = Client()
    statuses = [_read_answer(client, "123456789012").status_code for _ in range(10)]
    assert statuses == [200] * 9 + [429]  # ten an hour from one address, the refused one included
    assert "每月发放" not in _read_answer(client, asked.code).content.decode()  # still limited
