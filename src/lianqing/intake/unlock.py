"""Keeping a staff member's unlocked private key for a limited time, out of reach of a database copy.

The key is stored in the (server-side) session encrypted with a random wrapping key; the
wrapping key lives only in an HttpOnly cookie of that browser. The session row alone, or the
cookie alone, opens nothing; both expire after `conf.unlock_seconds()`.
"""

from __future__ import annotations

import base64
import time

import nacl.exceptions
import nacl.secret
import nacl.utils
from django.conf import settings
from django.http import HttpRequest, HttpResponse

from lianqing.core import gm
from lianqing.intake import conf, crypto

COOKIE = "lq_intake_unlock"
SESSION_KEY = "intake_unlocked_key"
COOKIE_PATH = "/staff/"
SECRETBOX = "secretbox"
SM4GCM = "sm4gcm"


def unlock_keep(request: HttpRequest, response: HttpResponse, private_key: crypto.AnyPrivateKey) -> None:
    if crypto.suite_is_sm():  # SM4-GCM under the 国密 suite; the session records which
        wrapping, wrap = gm.sm4_key_new(), SM4GCM
        box = gm.sm4gcm_encrypt(wrapping, bytes(private_key))
    else:
        wrapping, wrap = nacl.utils.random(nacl.secret.SecretBox.KEY_SIZE), SECRETBOX
        box = bytes(nacl.secret.SecretBox(wrapping).encrypt(bytes(private_key)))
    expires = int(time.time()) + conf.unlock_seconds()
    request.session[SESSION_KEY] = {
        "box": base64.b64encode(bytes(box)).decode(),
        "expires": expires,
        "kind": crypto.kind_of(private_key),
        "wrap": wrap,
    }
    response.set_cookie(
        COOKIE,
        base64.urlsafe_b64encode(wrapping).decode(),
        max_age=conf.unlock_seconds(),
        path=COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )


def unlocked_key(request: HttpRequest) -> crypto.AnyPrivateKey | None:
    stored = request.session.get(SESSION_KEY)
    cookie = request.COOKIES.get(COOKIE)
    if not stored or not cookie or int(stored.get("expires", 0)) < time.time():
        return None
    try:
        wrapping, box = base64.urlsafe_b64decode(cookie), base64.b64decode(stored["box"])
        if stored.get("wrap", SECRETBOX) == SM4GCM:
            raw = gm.sm4gcm_decrypt(wrapping, box)
        else:
            raw = nacl.secret.SecretBox(wrapping).decrypt(box)
    except (nacl.exceptions.CryptoError, ValueError, TypeError):  # GmError is a ValueError
        return None
    return crypto.private_key_of(str(stored.get("kind", "x25519")), raw)


def unlock_expires_at(request: HttpRequest) -> int | None:
    stored = request.session.get(SESSION_KEY)
    return int(stored["expires"]) if stored else None


def unlock_forget(request: HttpRequest, response: HttpResponse) -> None:
    request.session.pop(SESSION_KEY, None)
    response.delete_cookie(COOKIE, path=COOKIE_PATH)
