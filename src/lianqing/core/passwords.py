"""Password rules of 等保 2.0 level 3: complexity (character classes) and expiry."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

CLASSES = (
    ("upper", lambda c: c.isascii() and c.isupper()),
    ("lower", lambda c: c.isascii() and c.islower()),
    ("digit", lambda c: c.isdigit()),
    ("symbol", lambda c: not c.isalnum()),
)


class CharacterClassesValidator:
    """At least `classes` of: upper-case letters, lower-case letters, digits, symbols."""

    def __init__(self, classes: int = 3) -> None:
        self.classes = max(1, min(classes, len(CLASSES)))

    def validate(self, password: str, user: Any = None) -> None:
        found = sum(1 for _name, test in CLASSES if any(test(c) for c in password))
        if found < self.classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _("密码须包含大写字母、小写字母、数字和符号中的至少 %(n)d 类") % {"n": self.classes}


def password_expired(user: Any) -> bool:
    """True when the password is older than LIANQING_PASSWORD_MAX_AGE_DAYS (0: never expires)."""
    days = settings.PASSWORD_MAX_AGE_DAYS
    if days <= 0 or not user.is_authenticated or not user.has_usable_password():
        return False
    changed = user.password_changed_at or user.date_joined
    return bool(changed and timezone.now() - changed > timedelta(days=days))
