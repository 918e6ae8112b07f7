"""Collect what the browser console reports as an error, so a browser test can fail on any."""

from __future__ import annotations


def console_errors(page: object) -> list[str]:
    """Errors of the page from now on: console errors, uncaught exceptions, failed requests (404s)."""
    errors: list[str] = []
    page.on(  # type: ignore[attr-defined]
        "console",
        lambda message: errors.append(f"{page.url}: {message.text}") if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))  # type: ignore[attr-defined]
    page.on(  # type: ignore[attr-defined]
        "response",
        lambda response: (
            errors.append(f"{response.url}: HTTP {response.status}") if response.status >= 400 else None
        ),
    )
    return errors
