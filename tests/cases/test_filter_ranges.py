"""Numbers nobody can mean in filters and URLs: an empty answer, never a server error."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from lianqing.core.roles import Role
from tests.cases.factories import register_case

pytestmark = pytest.mark.django_db

BIG = "999999999999999999999"


@pytest.fixture
def leader_client(org_tree, make_user, client_for):
    register_case(org_tree.commission, summary="某局干部公款吃喝线索")
    return client_for(make_user(Role.LEADER, org=org_tree.commission))


@pytest.mark.parametrize(
    "query",
    [
        pytest.param(f"handler={BIG}", id="handler-too-big"),
        pytest.param(f"org={BIG}", id="org-too-big"),
        pytest.param(f"form_level={BIG}", id="form-level-too-big"),
        pytest.param("handler=-5", id="negative"),
        pytest.param("handler=abc", id="not-a-number"),
    ],
)
def test_out_of_range_filter_gives_an_empty_list(leader_client, query):
    response = leader_client.get(f"/staff/cases/?{query}")
    assert response.status_code == 200
    assert "某局干部公款吃喝线索" not in response.content.decode()
    export = leader_client.get(f"/staff/cases/export.xlsx?{query}")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet.max_row <= 1  # the header only


def test_a_valid_filter_next_to_a_broken_one_still_applies(leader_client):
    assert "某局干部公款吃喝线索" in leader_client.get("/staff/cases/?status=").content.decode()


@pytest.mark.parametrize(
    "path",
    [
        f"/staff/cases/{BIG}/",
        f"/staff/leads/packages/{BIG}/",
        f"/staff/leads/runs/{BIG}/",
        f"/staff/reports/{BIG}/",
        f"/staff/orgs/{BIG}/",
    ],
)
def test_out_of_range_ids_in_urls_are_not_found(leader_client, path):
    assert leader_client.get(path).status_code == 404
