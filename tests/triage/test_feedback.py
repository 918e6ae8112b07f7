"""Accept / correct: each decision is labelled data; retraining in the worker; a broken model file."""

from __future__ import annotations

import pytest

from lianqing.cases.models import Category
from lianqing.core.models import Notification
from lianqing.core.roles import Role
from lianqing.triage.errors import TriageError
from lianqing.triage.models import Feedback, Field, ModelStatus, ModelVersion
from lianqing.triage.models_store import model_cache_clear, model_current, models_dir
from lianqing.triage.services import (
    category_labels,
    model_retrain,
    reading_compute,
    suggestion_decide,
    text_hash,
)
from tests.cases.factories import register_case

LETTER = "县卫健局汪局长春节前收受药企老板红包两万元"


def test_a_correction_is_kept_with_text_reference_prediction_who_and_when(registry, org_tree, make_user):
    handler = make_user(Role.PETITION, org=org_tree.petition_office)
    case = register_case(org_tree.commission, summary=LETTER, persons=[])
    reading = reading_compute(case_id=case.pk)
    assert reading is not None
    feedback = suggestion_decide(
        case=case, user=handler, field=Field.CATEGORY, accepted=False, corrected=Category.SIFENG_GIFTS
    )
    assert (feedback.predicted, feedback.corrected, feedback.label) == (
        reading.category,
        "sifeng_gifts",
        "sifeng_gifts",
    )
    assert feedback.text_hash == text_hash(case.summary)
    assert feedback.decided_by == handler
    assert feedback.decided_at is not None
    assert feedback.model_version == reading.model_version
    assert category_labels() == [(case.pk, "sifeng_gifts", feedback.decided_at)]


def test_a_later_decision_supersedes_and_accepting_labels_the_prediction(registry, org_tree, make_user):
    handler = make_user(Role.PETITION, org=org_tree.petition_office)
    case = register_case(org_tree.commission, summary=LETTER, persons=[])
    reading = reading_compute(case_id=case.pk)
    assert reading is not None
    suggestion_decide(case=case, user=handler, field=Field.CATEGORY, accepted=False, corrected="business")
    suggestion_decide(case=case, user=handler, field=Field.CATEGORY, accepted=True)
    assert [label for _case, label, _at in category_labels()] == [reading.category]


@pytest.mark.parametrize(
    ("field", "corrected", "item", "message"),
    [
        pytest.param(Field.CATEGORY, "no_such", "", "问题类别", id="unknown-category"),
        pytest.param(Field.AMOUNT, "三千", "", "不是数字", id="amount-not-a-number"),
        pytest.param(Field.PERSON, "", "无名氏", "没有这项建议", id="unknown-person"),
    ],
)
def test_bad_corrections_are_refused_and_nothing_kept(
    registry, org_tree, make_user, field, corrected, item, message
):
    handler = make_user(Role.PETITION, org=org_tree.petition_office)
    case = register_case(org_tree.commission, summary=LETTER, persons=[])
    reading_compute(case_id=case.pk)
    with pytest.raises(TriageError, match=message):
        suggestion_decide(
            case=case, user=handler, field=field, accepted=False, corrected=corrected, item=item
        )
    assert not Feedback.objects.exists()


def test_retraining_holds_out_the_latest_reports_and_stores_a_plain_array_model(org_tree, make_user):
    handler = make_user(Role.PETITION, org=org_tree.petition_office)
    texts = ["村会计把低保金给自己亲戚领了，一家领三份", "村主任把扶贫款截留了两万块"] * 6
    for text in texts:
        case = register_case(org_tree.commission, summary=text, persons=[])
        reading_compute(case_id=case.pk)
        suggestion_decide(
            case=case, user=handler, field=Field.CATEGORY, accepted=False, corrected=Category.PUBLIC_INTEREST
        )
    stored = model_retrain()
    assert stored is not None
    assert (stored.trained_on, stored.held_out) == (10, 2)
    assert stored.quality["_count"] == 2
    assert "public_interest" in stored.quality
    if stored.status == ModelStatus.ACTIVE:
        path = models_dir() / stored.filename
        assert path.read_bytes()[:2] == b"PK"  # a zip of .npy arrays
        assert model_current().version == stored.version
    else:
        assert stored.note


def test_too_few_labels_train_nothing(org_tree):
    assert model_retrain() is None
    assert not ModelVersion.objects.exists()


def test_a_broken_model_file_falls_back_and_tells_the_administrators(org_tree, make_user):
    admin = make_user(Role.ADMIN, org=org_tree.commission)
    (models_dir() / "triage-broken.npz").write_bytes(b"not a model")
    ModelVersion.objects.create(version="broken", filename="triage-broken.npz", status=ModelStatus.ACTIVE)
    model_cache_clear()
    loaded = model_current()
    assert loaded.note
    assert loaded.version.startswith("default")
    assert Notification.objects.filter(recipient=admin, title__contains="默认模型").count() == 1
    model_cache_clear()
    model_current()
    assert Notification.objects.filter(recipient=admin).count() == 1  # told once per broken file


def test_the_handlers_answer_becomes_the_cases_category_and_the_statistics_follow(
    registry, org_tree, make_user
):
    from lianqing.cases.models import CaseEvent, CaseMonthTally, TallyDimension

    handler = make_user(Role.PETITION, org=org_tree.petition_office)
    case = register_case(org_tree.commission, summary=LETTER, persons=[], category=Category.OTHER)
    reading = reading_compute(case_id=case.pk)
    assert reading is not None

    def counted(category: str) -> int:
        rows = CaseMonthTally.objects.filter(dimension=TallyDimension.CATEGORY, value=category)
        return sum(row.cases for row in rows)

    assert counted(Category.OTHER) == 1
    suggestion_decide(
        case=case, user=handler, field=Field.CATEGORY, accepted=False, corrected=Category.SIFENG_GIFTS
    )
    case.refresh_from_db()
    assert case.category == Category.SIFENG_GIFTS
    assert (counted(Category.OTHER), counted(Category.SIFENG_GIFTS)) == (0, 1)
    step = CaseEvent.objects.filter(case=case, action="recategorise").get()
    assert (step.details["from_category"], step.details["to_category"]) == ("other", "sifeng_gifts")
    assert step.actor == handler
    # accepting the reading's suggestion afterwards sets the suggested category
    suggestion_decide(case=case, user=handler, field=Field.CATEGORY, accepted=True)
    case.refresh_from_db()
    assert case.category == reading.category
