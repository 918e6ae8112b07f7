"""Checks every rendered page must pass: nothing loaded from another host, no inline script or style."""

from __future__ import annotations

import re
from html.parser import HTMLParser

LOCAL_HOSTS = {"127.0.0.1", "localhost", "testserver", ""}
_URL_ATTRS = {"src", "href", "action", "formaction", "poster", "data", "srcset"}
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")


def _host_of(url: str) -> str | None:
    url = url.strip()
    match = re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//([^/:?#]+)", url, re.IGNORECASE)
    if match:
        return match.group(1).lower()
    return None


class _PageAudit(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            if name in _URL_ATTRS:
                for candidate in value.split(","):
                    host = _host_of(candidate.split()[0] if candidate.split() else "")
                    if host is not None and host not in LOCAL_HOSTS:
                        self.problems.append(f"<{tag} {name}={value!r}> refers to external host {host}")
            if name == "style":
                self.problems.append(f"<{tag} style=...> inline style (CSP forbids it)")
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> inline event handler (CSP forbids it)")
        if tag == "script" and not values.get("src") and values.get("type") != "application/json":
            self._in_inline_script = True
            self.problems.append("inline <script> (CSP forbids it)")
        if tag == "style":
            self.problems.append("inline <style> (CSP forbids it)")

    def handle_data(self, data: str) -> None:
        for url in _CSS_URL.findall(data):
            host = _host_of(url)
            if host is not None and host not in LOCAL_HOSTS:
                self.problems.append(f"url({url}) refers to external host {host}")


def page_problems(html: str) -> list[str]:
    """What is wrong with a page under the project's offline and CSP rules (empty when fine)."""
    audit = _PageAudit()
    audit.feed(html)
    return audit.problems
