"""A double submit racing itself on PostgreSQL: one report, both answers carry its receipt."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from lianqing.cases.models import Case
from lianqing.intake import storage
from lianqing.intake.abuse import challenge_issue, proof_solve
from lianqing.intake.models import Report
from lianqing.intake.services import ReportDraft, SubmitResult, report_submit
from tests.intake.conftest import image_upload

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

DRAFT = ReportDraft(
    category="sifeng_vehicle",
    region_code="370124",
    description="某单位公务用车周末多次停在风景区停车场，司机说是领导家属在用。",
    persons=[{"name": "钱某", "org_name": "县某中心", "position": "主任"}],
)


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")


def test_simultaneous_double_submit_makes_one_report(intake_env):
    challenge = challenge_issue()
    proof = proof_solve(challenge.token, challenge.bits)
    start = threading.Barrier(3)
    results: list[SubmitResult] = []
    failures: list[BaseException] = []

    def submit() -> None:
        try:
            start.wait(10)
            results.append(
                report_submit(
                    draft=DRAFT,
                    uploads=[image_upload()],
                    token=challenge.token,
                    proof=proof,
                    client="tap-tap",
                )
            )
        except BaseException as error:  # reported below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert failures == []
    assert Report.objects.count() == 1
    assert Case.objects.count() == 1
    assert len({r.receipt_code for r in results}) == 1
    assert sorted(r.repeated for r in results).count(False) == 1
    # only the winner's photo is kept
    pending, committed = storage.stored_names()
    assert pending == set()
    assert committed == {Report.objects.get().attachments.get().storage_name}
