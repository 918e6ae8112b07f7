"""Staff write Markdown (pasted HTML allowed); what is published is sanitised by nh3, and the
author is told what was removed: scripts, event handlers, external images, frames."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s", "del", "blockquote",
    "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "code", "pre", "sup", "sub",
    "caption", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"scope"}, "td": set()}
DROPPED_CONTENT = {"script", "style"}
_markdown = MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table").enable("strikethrough")


def _is_local(url: str) -> bool:
    """Same-site: a path on this site (not protocol-relative), or an inline data image."""
    url = url.strip()
    return (url.startswith("/") and not url.startswith("//")) or url.startswith("data:image/")


@dataclass
class _Inspector(HTMLParser):
    """What the sanitiser will take out, found before it does, to tell the author."""

    scripts: int = 0
    handlers: set[str] = field(default_factory=set)
    external_images: int = 0
    frames: int = 0
    script_urls: int = 0

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROPPED_CONTENT:
            self.scripts += 1
        if tag in {"iframe", "object", "embed", "frame", "frameset"}:
            self.frames += 1
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.handlers.add(name.lower())
            if value and value.strip().lower().startswith(("javascript:", "vbscript:")):
                self.script_urls += 1
        if tag == "img":
            src = dict(attrs).get("src") or ""
            if src and not _is_local(src):
                self.external_images += 1


def _notices(raw: str) -> list[str]:
    inspector = _Inspector()
    inspector.feed(raw)
    inspector.close()
    notices = []
    if inspector.scripts:
        notices.append(_("已删除 %(count)d 处脚本或样式代码") % {"count": inspector.scripts})
    if inspector.handlers:
        notices.append(_("已删除事件处理属性：%(names)s") % {"names": "、".join(sorted(inspector.handlers))})
    if inspector.external_images:
        notices.append(
            _("已删除 %(count)d 张外部图片（本网站不从外部加载任何内容，请作为附件上传）")
            % {"count": inspector.external_images}
        )
    if inspector.frames:
        notices.append(_("已删除 %(count)d 处嵌入框架或插件") % {"count": inspector.frames})
    if inspector.script_urls:
        notices.append(_("已删除 %(count)d 个脚本链接") % {"count": inspector.script_urls})
    return notices


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not _is_local(value):
        return None
    return value


@dataclass(frozen=True)
class Rendered:
    html: str
    notices: list[str]


def markdown_render(source: str) -> Rendered:
    """Markdown (with any pasted HTML) → safe HTML, and what was removed, in the author's words."""
    raw = _markdown.render(source)
    clean = nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        clean_content_tags=DROPPED_CONTENT,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        attribute_filter=_attribute_filter,
    )
    # An image whose source was removed is no image: drop the empty tag as well.
    clean = nh3.clean(clean, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel="noopener noreferrer")
    return Rendered(html=_drop_sourceless_images(clean), notices=_notices(raw))


def _drop_sourceless_images(html: str) -> str:
    import re

    return re.sub(r"<img(?![^>]*\bsrc=)[^>]*>", "", html)
