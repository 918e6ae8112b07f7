"""The first reading of a case, computed by the worker on registration and on a reporter's message."""

from __future__ import annotations

from django_tasks_db.models import DBTaskResult

from lianqing.cases.models import Category
from lianqing.triage.models import Reading
from lianqing.triage.services import reading_compute
from tests.cases.factories import register_case

LETTER = "我实名举报县卫健局汪局长，春节前收受药企老板红包两万元，至今还在收。"


def test_registration_queues_the_reading_for_the_worker(org_tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = register_case(org_tree.commission, summary=LETTER, persons=[])
    assert DBTaskResult.objects.filter(
        task_path="lianqing.triage.tasks.reading_task", args_kwargs__args=[case.pk]
    ).exists()
    assert not Reading.objects.filter(case=case).exists()  # the page never runs the model itself


def test_reading_suggests_category_person_amount_jurisdiction_and_priority(registry, org_tree):
    case = register_case(org_tree.commission, summary=LETTER, persons=[], is_reporter_named=True)
    reading = reading_compute(case_id=case.pk)
    assert reading is not None
    assert reading.category == Category.BRIBERY  # 药企老板的红包: the default model reads it as bribery
    assert 0 < reading.confidence < 1
    [person] = reading.persons
    assert (person["name"], person["org_text"], person["position_text"]) == ("汪局长", "县卫健局", "局长")
    assert person["cadre"]["cadre_id"] == registry.wang.pk  # resolved through the dossiers' resolver
    assert reading.largest_amount == 20000
    assert reading.dates == ["春节前"]
    assert reading.jurisdiction["level"] == "own"
    assert {p["code"] for p in reading.priority} == {"real_name", "leader", "large_amount", "ongoing"}
    assert reading.priority_total == 2 + 2 + 1 + 1


def test_a_cadre_of_a_township_points_to_its_commission(registry, org_tree):
    case = register_case(org_tree.commission, summary="甲镇人民政府陈立镇长用公车接送孩子上学", persons=[])
    reading = reading_compute(case_id=case.pk)
    assert reading is not None
    assert reading.jurisdiction["level"] == "lower"
    assert reading.jurisdiction["org_id"] == org_tree.township_a.pk


def test_copies_and_reports_about_the_same_person_are_found(registry, org_tree):
    first = register_case(org_tree.commission, summary=LETTER, persons=[])
    reading_compute(case_id=first.pk)
    copy = register_case(org_tree.commission, summary="再次反映：" + LETTER.replace("，", ","), persons=[])
    other = register_case(org_tree.commission, summary="县卫健局汪局长用公车接送孩子", persons=[])
    copy_reading = reading_compute(case_id=copy.pk)
    other_reading = reading_compute(case_id=other.pk)
    assert copy_reading is not None
    assert other_reading is not None
    assert [(d["case_id"], d["kind"]) for d in copy_reading.duplicates] == [(first.pk, "copy")]
    assert (first.pk, "same_person") in [(d["case_id"], d["kind"]) for d in other_reading.duplicates]


def test_unreadable_text_gets_a_reading_not_a_crash(org_tree):
    case = register_case(org_tree.commission, summary="<p>😡😡😡</p>", persons=[])
    reading = reading_compute(case_id=case.pk)
    assert reading is not None
    assert reading.confidence == 0
    assert reading.note


def test_a_reporters_message_is_read_again_with_the_report(
    intake_env, org_tree, django_capture_on_commit_callbacks
):
    from lianqing.intake.abuse import challenge_issue, proof_solve
    from lianqing.intake.services import ReportDraft, report_submit, reporter_message_post

    challenge = challenge_issue()
    draft = ReportDraft(category="other", region_code="370124", description="某局局长收受下属单位的购物卡。")
    report = report_submit(
        draft=draft,
        uploads=[],
        token=challenge.token,
        proof=proof_solve(challenge.token, challenge.bits),
        client="n",
    ).report
    reading_compute(case_id=report.case_id)
    with django_capture_on_commit_callbacks(execute=True):
        reporter_message_post(report=report, body="补充：一共收了三万元。", uploads=[], client="c")
    queued = DBTaskResult.objects.filter(task_path="lianqing.triage.tasks.reading_task")
    assert [r.args_kwargs["args"] for r in queued] == [[report.case_id]]
    reading = reading_compute(case_id=report.case_id)
    assert reading is not None
    assert reading.largest_amount == 30000  # what the reporter added is read too


def test_the_reader_knows_the_commissions_units_and_cadres_as_words(registry, org_tree):
    from lianqing.analytics.text.persons import _tokenizer
    from lianqing.cases.access import commission_of
    from lianqing.dossiers.models import Cadre, Unit
    from lianqing.triage.services import vocabulary_load

    path = commission_of(org_tree.commission).path
    vocabulary_load(org_path=path)
    _, tags = _tokenizer()
    unit = Unit.objects.filter(org__path__startswith=path).first()
    cadre = Cadre.objects.filter(org__path__startswith=path).first()
    assert unit is not None
    assert cadre is not None
    assert tags[unit.name] == "nt"
    assert tags[cadre.name] == "nr"
    assert tags[org_tree.commission.name] == "nt"
    assert tags["违规吃喝"] == "n"
