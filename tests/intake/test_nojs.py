"""The no-script path: an image challenge instead of the proof of work, with the same limits."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image

from lianqing.intake.abuse import challenge_issue, challenge_open
from lianqing.intake.captcha import captcha_answer
from lianqing.intake.models import Report
from tests.intake.conftest import FORM_DATA


def _post(client, answer_for=None, answer=None):
    challenge = challenge_issue()
    nonce, _ = challenge_open(challenge.token)
    typed = answer if answer is not None else captcha_answer(nonce).lower()
    return client.post(
        reverse("intake:report_form"), {**FORM_DATA, "token": challenge.token, "captcha": typed}
    )


def test_the_form_offers_the_image_inside_noscript(client, intake_env):
    html = client.get(reverse("intake:report_form")).content.decode()
    noscript = html.split("<noscript>")[1].split("</noscript>")[0]
    assert 'name="captcha"' in noscript
    assert "/report/captcha.png?t=" in noscript


def test_the_image_is_a_png_of_the_token_and_refused_for_a_forged_one(client, intake_env):
    challenge = challenge_issue()
    response = client.get(reverse("intake:captcha"), {"t": challenge.token})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(response.content)).size == (200, 70)
    assert client.get(reverse("intake:captcha"), {"t": challenge.token + "x"}).status_code == 404


def test_a_right_answer_submits_a_wrong_one_keeps_the_text(client, intake_env):
    wrong = _post(client, answer="AAAAA")
    assert wrong.status_code == 400
    assert "图片中的字符输入不正确" in wrong.content.decode()
    assert FORM_DATA["description"] in wrong.content.decode()
    assert not Report.objects.exists()
    right = _post(client)
    assert right.status_code == 200
    assert 'id="receipt-code"' in right.content.decode()
    assert Report.objects.count() == 1


def test_guessing_the_image_is_rate_limited(client, intake_env, settings):
    settings.INTAKE_SUBMISSIONS_PER_HOUR = 1
    for _ in range(3):
        assert "图片中的字符输入不正确" in _post(client, answer="AAAAA").content.decode()
    assert "提交过于频繁" in _post(client).content.decode()
    assert not Report.objects.exists()


@pytest.mark.parametrize("answer", ["", "   "])
def test_neither_proof_nor_answer_is_refused(client, intake_env, answer):
    response = _post(client, answer=answer)
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_an_empty_proof_is_no_proof_whatever_its_hash(intake_env):
    from lianqing.intake.abuse import challenge_verify, proof_is_valid
    from lianqing.intake.errors import IntakeError

    # Find a token whose empty "proof" hashes with enough zero bits (as 1 in 16 do at 4 bits).
    challenge = next(c for c in iter(challenge_issue, None) if proof_is_valid(c.token, "", c.bits))
    with pytest.raises(IntakeError):
        challenge_verify(challenge.token, "")
