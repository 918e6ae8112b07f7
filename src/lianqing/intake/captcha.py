"""The no-script path: an image challenge drawn here with Pillow, for browsers that run no
JavaScript (Tor Browser's safest mode, old phones) and so cannot do the proof of work.

The characters are derived from the submission token's nonce with a server key, so nothing is
stored: the image URL carries the signed token, the form posts the answer beside it, and the
token stays one-use (it is the submission's idempotency key). The same rate limits apply.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import random

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

ALPHABET = "2345678ACEFHJKMNPRTWXY"  # no 0/O, 1/I/L, 9/g, B/8, S/5, U/V, Z/2 look-alikes
LENGTH = 5
WIDTH, HEIGHT = 200, 70


def captcha_answer(nonce: str) -> str:
    key = hashlib.sha256(("intake.captcha:" + settings.SECRET_KEY).encode()).digest()
    digest = hmac.new(key, nonce.encode(), hashlib.sha256).digest()
    return "".join(ALPHABET[b % len(ALPHABET)] for b in digest[:LENGTH])


def captcha_matches(nonce: str, answer: str) -> bool:
    typed = answer.strip().upper().replace(" ", "")
    return hmac.compare_digest(typed.encode(), captcha_answer(nonce).encode())


def captcha_png(nonce: str) -> bytes:
    """The answer drawn with jitter, rotation and noise lines (seeded by the nonce: the same image
    each time, so reloading it gives nothing new to a guesser)."""
    rng = random.Random(hashlib.sha256(("draw:" + nonce).encode()).digest())  # noqa: S311 (not a secret)
    image = Image.new("RGB", (WIDTH, HEIGHT), (245, 245, 240))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        draw.line(
            [
                (rng.randint(0, WIDTH), rng.randint(0, HEIGHT)),
                (rng.randint(0, WIDTH), rng.randint(0, HEIGHT)),
            ],
            fill=(rng.randint(120, 200),) * 3,
            width=2,
        )
    font = ImageFont.load_default(size=40)
    for index, char in enumerate(captcha_answer(nonce)):
        glyph = Image.new("RGBA", (48, 60), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text(
            (6, 4), char, font=font, fill=(rng.randint(10, 80), 30, rng.randint(60, 120))
        )
        glyph = glyph.rotate(rng.uniform(-25, 25), resample=Image.Resampling.BICUBIC)
        image.paste(glyph, (8 + index * 37 + rng.randint(-3, 3), rng.randint(0, 10)), glyph)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
