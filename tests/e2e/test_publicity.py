"""阳光纪检 in the browser: a news item through review; a villager on a phone finds his village and
asks about one line; a suggestion answered and published; axe-core on every public page in both
languages (no violation allowed) and nothing sideways-scrolling on a 390 px phone."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from lianqing.core.roles import Role
from lianqing.publicity import services, workflow
from lianqing.publicity.models import Article, DisclosureLine, Question, QuestionStatus
from lianqing.publicity.statistics import published_table
from tests.e2e.conftest import staff_login
from tests.e2e.console import console_errors
from tests.e2e.layout import layout_problems
from tests.publicity.helpers import published_disclosure
from tests.publicity.packages import EAST, benefits_package

pytestmark = pytest.mark.django_db(transaction=True)
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    return settings.DATA_DIR


def _staff(make_user, role, org, username):
    user = make_user(role, org=org, username=username)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def test_news_item_published_through_review(live_server, browser, org_tree, make_user, artifacts_dir):
    editor = _staff(make_user, Role.CASE_MANAGEMENT, org_tree.case_office, "bianji")
    leader = _staff(make_user, Role.LEADER, org_tree.commission, "lingdao")
    writer = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    errors = console_errors(writer)
    staff_login(writer, live_server.url, editor)

    # Given an editor writing a news item, with a pasted script
    writer.goto(f"{live_server.url}/staff/publicity/")
    writer.click("#article-new")
    writer.select_option("#id_section", "news")
    writer.fill("#id_title", "县纪委监委通报三起侵害群众利益典型问题")
    writer.fill("#id_body", "## 典型问题\n\n一、某村干部虚报冒领低保金。<script>alert(1)</script>")
    writer.fill("#id_tags", "典型问题, 民生")
    writer.click("#article-save")
    writer.wait_for_selector("#sanitise-notices")
    assert "脚本" in writer.inner_text("#sanitise-notices")
    # When she submits it and a leader approves it
    writer.click("#action-submit")
    writer.wait_for_selector("text=待审核")
    article = Article.objects.get()
    approver = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    errors += console_errors(approver)
    staff_login(approver, live_server.url, leader)
    approver.goto(f"{live_server.url}/staff/publicity/articles/{article.pk}/")
    approver.click("#action-approve")
    approver.wait_for_selector("#public-link")
    approver.screenshot(path=str(artifacts_dir / "publicity_article_approved.png"), full_page=True)

    # Then the public finds it on the home page, in its section, by search and in the feed
    public = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    errors += console_errors(public)
    public.goto(f"{live_server.url}/")
    public.click("text=县纪委监委通报三起侵害群众利益典型问题")
    public.wait_for_selector("#article-title")
    assert "虚报冒领低保金" in public.inner_text("main")
    public.goto(f"{live_server.url}/news/?q=典型问题")
    assert "县纪委监委通报三起" in public.inner_text("#article-list")
    public.goto(f"{live_server.url}/news/feed/")
    assert "县纪委监委通报三起" in public.content()
    assert errors == []


def test_villager_on_a_phone_asks_about_one_line(
    live_server, phone_page, org_tree, make_user, data_dir, artifacts_dir
):
    from lianqing.leads.services import package_register_folder

    analyst = make_user(Role.DATA_ANALYSIS, org=org_tree.commission)
    leader = make_user(Role.LEADER, org=org_tree.commission)
    benefits_package(data_dir / "funds", extra_lines=250)
    package = package_register_folder(user=analyst, folder="funds")
    published_disclosure(analyst=analyst, leader=leader, package=package)
    page = phone_page
    errors = console_errors(page)

    # Given a villager on the home page of his phone
    page.goto(f"{live_server.url}/")
    page.click("#funds-link")
    # When he looks for his village and opens it
    page.fill("#village-q", "东山")
    page.click("#village-search")
    page.click("text=甲镇东山村村民委员会")
    page.wait_for_selector("#village-title")
    assert "张*明" in page.inner_text("#village-lines")
    assert layout_problems(page) == []
    page.screenshot(path=str(artifacts_dir / "publicity_village_phone.png"), full_page=True)
    # And taps 我有疑问 on the first line
    reference = DisclosureLine.objects.filter(village__code=EAST).order_by("-period").first().reference
    page.click(f"#{reference} .lq-doubt")
    page.wait_for_selector("#id_description")
    # Then the reporting form carries that line's reference, and nothing else of it
    description = page.input_value("#id_description")
    assert reference in description
    assert "张" not in description
    assert page.input_value("#id_category") == "public_interest"
    page.screenshot(path=str(artifacts_dir / "publicity_report_prefilled_phone.png"), full_page=True)
    # A village of 250+ lines pages through 100 at a time on the phone
    page.goto(f"{live_server.url}/funds/370124001202/")
    assert "1 / 3" in page.inner_text("main")
    assert layout_problems(page) == []
    assert errors == []


def test_suggestion_answered_and_published(
    live_server, browser, phone_page, org_tree, make_user, artifacts_dir
):
    from lianqing.intake.abuse import challenge_open
    from lianqing.intake.captcha import captcha_answer

    officer = _staff(make_user, Role.PETITION, org_tree.petition_office, "xinfang")
    page = phone_page
    errors = console_errors(page)
    # Given a citizen writing a suggestion on a phone, with his phone number in it
    page.goto(f"{live_server.url}/questions/ask/")
    page.check("#id_kind_0")
    page.fill("#id_title", "建议公开村级财务")
    page.fill("#id_body", "建议每月在村务公开栏公布村级财务收支，有事请打我电话13812345678。")
    nonce, _bits = challenge_open(page.input_value("input[name=token]"))
    page.fill("#id_captcha", captcha_answer(nonce))
    page.click("#question-submit")
    page.wait_for_selector("#question-code")
    question = Question.objects.get()
    # When the petition office answers and chooses it for publication
    staff = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    errors += console_errors(staff)
    staff_login(staff, live_server.url, officer)
    staff.goto(f"{live_server.url}/staff/publicity/questions/{question.pk}/")
    staff.fill("#id_answer", "感谢您的建议，我们已督促各村按月公开村级财务。")
    staff.check("#id_publish")
    staff.click("#answer-submit")
    staff.wait_for_url("**/staff/publicity/questions/")
    question.refresh_from_db()
    assert question.status == QuestionStatus.PUBLISHED
    # Then the public reads it, answered, without the phone number
    page.goto(f"{live_server.url}/questions/")
    text = page.inner_text("main")
    assert "建议公开村级财务" in text
    assert "已督促各村按月公开" in text
    assert "13812345678" not in page.content()
    assert layout_problems(page) == []
    page.screenshot(path=str(artifacts_dir / "publicity_questions_phone.png"), full_page=True)
    assert errors == []


def _public_pages(live_server_url, org_tree, make_user, data_dir) -> list[str]:
    """Every kind of public page, with content."""
    from lianqing.leads.services import package_register_folder

    editor = make_user(Role.CASE_MANAGEMENT, org=org_tree.case_office)
    leader = make_user(Role.LEADER, org=org_tree.commission)
    analyst = make_user(Role.DATA_ANALYSIS, org=org_tree.commission)
    article = services.article_save(
        by=editor, section="policy", title="中国共产党纪律处分条例", summary="条例全文", tags="条例",
        body="## 第一章\n\n| 条 | 内容 |\n|---|---|\n| 一 | 为了维护党的章程 |\n\n> 引用\n\n- 列表",
    ).article  # fmt: skip
    services.publication_transition(item=article, by=editor, facts=workflow.Submit())
    services.publication_transition(item=article, by=leader, facts=workflow.Approve())
    benefits_package(data_dir / "funds")
    package = package_register_folder(user=analyst, folder="funds")
    published_disclosure(analyst=analyst, leader=leader, package=package)
    months = [dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)]
    counts = {
        ("online", months[0]): 12,
        ("online", months[1]): 3,
        ("letter", months[0]): 7,
        ("letter", months[2]): 9,
    }
    table = published_table(
        key="source",
        row_keys=["online", "letter"],
        row_labels=["网络", "来信"],
        months=months,
        counts=counts,
        threshold=5,
    )
    release = services.release_create(
        by=editor, period_kind="quarter", start=months[0], end=dt.date(2025, 3, 31), title="2025年第1季度统计数据", tables=[table], threshold=5
    )  # fmt: skip
    services.publication_transition(item=release, by=editor, facts=workflow.Submit())
    services.publication_transition(item=release, by=leader, facts=workflow.Approve())
    asked = services.question_ask(
        kind="consultation", title="如何查询低保", body="请问如何查询本村低保公示？"
    )
    services.question_answer(
        question=asked.question, by=leader, answer="可在民生资金公开栏目查询。", publish=True
    )
    return [
        "/", "/news/", "/news/policy/", f"/news/item/{article.pk}/", f"/news/item/{article.pk}/?print=1",
        "/funds/", f"/funds/{EAST}/", "/funds/lookup/", "/questions/", "/questions/ask/", "/questions/answer/", "/statistics/",
        f"/statistics/{release.pk}/", "/guide/",
    ]  # fmt: skip


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_axe_finds_no_violation_on_any_public_page(
    live_server, browser, org_tree, make_user, data_dir, language, artifacts_dir
):
    paths = _public_pages(live_server.url, org_tree, make_user, data_dir)
    axe = AXE.read_text(encoding="utf-8")
    found: dict[str, object] = {}
    for width, height in ((1366, 900), (390, 844)):
        # bypass_csp: the test injects axe itself; the pages' own policy forbids inline scripts.
        context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
        context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        page = context.new_page()
        errors = console_errors(page)
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("load")
            assert page.evaluate("() => document.documentElement.lang") == language
            page.add_script_tag(content=axe)
            violations = page.evaluate(
                "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
                ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))",
                AXE_TAGS,
            )
            if violations:
                found[f"{width} {path}"] = violations
            if width == 390:
                problems = layout_problems(page)
                if problems:
                    found[f"layout {width} {path}"] = problems
        page.screenshot(
            path=str(artifacts_dir / f"publicity_statistics_{language}_{width}.png"), full_page=True
        )
        if errors:
            found[f"console {width}"] = errors
        context.close()
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)
