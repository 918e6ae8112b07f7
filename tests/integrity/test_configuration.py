"""Index weights and thresholds: editing makes a new version; a score names the version that computed it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianqing.integrity.configuration import (
    ConfigInvalidError,
    active_config,
    config_form_data,
    config_version_create,
)
from lianqing.integrity.models import IndexConfigVersion, IndexScore, SubjectKind
from lianqing.integrity.refresh import integrity_refresh
from tests.integrity.conftest import AS_OF


def _values(**changes: object) -> dict[str, object]:
    _version, config = active_config()
    from lianqing.integrity.configuration import config_as_values

    values = config_as_values(config)
    values.pop("version")
    values.update(changes)
    return values


def test_the_shipped_yaml_is_the_default_version(db):
    version, config = active_config()
    assert version is None
    assert config.version == "2026.1"


def test_a_new_version_computes_the_next_scores(refreshed, org_tree, make_user):
    leader = refreshed.leader
    values = _values()
    values["indicators"]["report_received"]["points"] = 0.5  # type: ignore[index]
    created = config_version_create(values=values, note="信访举报权重减半", by=leader)
    assert active_config()[1].version == created.version
    integrity_refresh(as_of=AS_OF)
    cadre = IndexScore.objects.get(subject_kind=SubjectKind.CADRE, subject_id=str(refreshed.cadres[0].pk))
    assert cadre.version == created.version
    received = next(d for d in cadre.deductions if d["indicator"] == "report_received")
    assert received["points"] == pytest.approx(0.5 * len(received["items"]))


def test_thresholds_out_of_order_are_refused_in_the_library(db, make_user, org_tree):
    from lianqing.core.roles import Role

    leader = make_user(Role.LEADER, org=org_tree.commission, username="leader")
    with pytest.raises(ConfigInvalidError, match="绿 ≥ 黄 ≥ 橙"):
        config_version_create(
            values=_values(colours={"green": 60, "yellow": 75, "orange": 90}), note="x", by=leader
        )
    assert not IndexConfigVersion.objects.exists()


def test_the_settings_form_names_the_bad_field(db, make_user, org_tree, client_for):
    from lianqing.core.roles import Role

    leader = make_user(Role.LEADER, org=org_tree.commission, username="leader")
    data = config_form_data() | {
        "note": "调整",
        "green": "70",
        "yellow": "75",
        "report_received__points": "-1",
    }
    page = client_for(leader).post(reverse("integrity:config"), data)
    text = page.content.decode()
    assert page.status_code == 200
    assert "颜色阈值应为 绿 ≥ 黄 ≥ 橙" in text
    assert "is-invalid" in text
    assert not IndexConfigVersion.objects.exists()
