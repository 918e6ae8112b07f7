from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from lianqing.core.navigation import staff_navigation
from lianqing.core.selectors import notification_unread_count


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the staff shell shows on every page: the navigation and the unread count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not request.path.startswith("/staff/"):
        return {}
    return {
        "staff_navigation": staff_navigation(user),  # type: ignore[arg-type]
        "unread_notifications": notification_unread_count(user=user),  # type: ignore[arg-type]
    }
