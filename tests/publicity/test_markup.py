from __future__ import annotations

import pytest

from lianqing.publicity.markup import markdown_render


def test_markdown_becomes_html():
    rendered = markdown_render(
        "## 标题\n\n**加粗** 与 [链接](https://example.org/a)\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |"
    )
    assert "<h2>标题</h2>" in rendered.html
    assert "<strong>加粗</strong>" in rendered.html
    assert 'rel="noopener noreferrer"' in rendered.html
    assert "<table>" in rendered.html
    assert rendered.notices == []


@pytest.mark.parametrize(
    ("source", "gone", "notice"),
    [
        ("<script>alert(1)</script>正文", "alert", "脚本"),
        ('<p onclick="steal()">正文</p>', "onclick", "onclick"),
        ('<img src="https://evil.example/x.png" alt="外">', "evil.example", "外部图片"),
        ('<img src="//evil.example/x.png" alt="外">', "evil.example", "外部图片"),
        ('<iframe src="https://evil.example/"></iframe>', "iframe", "嵌入框架"),
        ('<a href="javascript:steal()">点</a>', "javascript:", "脚本链接"),
    ],
    ids=["script", "handler", "external-image", "protocol-relative-image", "iframe", "script-url"],
)
def test_dangerous_content_is_removed_and_the_author_told(source, gone, notice):
    rendered = markdown_render(source)
    assert gone not in rendered.html
    assert any(notice in text for text in rendered.notices)


def test_local_image_is_kept():
    rendered = markdown_render('<img src="/static/lianqing/favicon.svg" alt="徽标">')
    assert 'src="/static/lianqing/favicon.svg"' in rendered.html
    assert rendered.notices == []
