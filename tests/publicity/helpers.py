"""Shared steps of the public-site tests."""

from __future__ import annotations

from lianqing.intake.abuse import challenge_issue, challenge_open
from lianqing.intake.captcha import captcha_answer
from lianqing.publicity import services, workflow
from lianqing.publicity.models import Disclosure


def published_disclosure(*, analyst, leader, package, programs=("低保",), villages=None) -> Disclosure:
    disclosure = services.disclosure_create(
        by=analyst,
        package_id=package.pk,
        title="2025年民生资金公开",
        programs=list(programs),
        village_codes=villages,
    )
    services.publication_transition(item=disclosure, by=analyst, facts=workflow.Submit())
    services.publication_transition(item=disclosure, by=leader, facts=workflow.Approve())
    return disclosure


def solved_challenge() -> tuple[str, str]:
    """A fresh token and the characters its image shows (what a person would type)."""
    token = challenge_issue().token
    nonce, _bits = challenge_open(token)
    return token, captcha_answer(nonce)
