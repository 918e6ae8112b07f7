"""The district map upload: a clear Chinese message naming the file and the area for bad input."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lianqing.core.roles import Role
from lianqing.integrity.models import DistrictMap

GOOD = '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"甲镇"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}'


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe", "不是 UTF-8 编码的 GeoJSON 文件"),
        (b'{"type":"Feature"}', "应为 GeoJSON 的 FeatureCollection"),
        (b'{"type":"FeatureCollection","features":[]}', "没有任何区域"),
        (GOOD.replace("Polygon", "Point").encode(), "第 1 个区域：应为多边形"),
        (GOOD.replace('"name":"甲镇"', '"code":"1"').encode(), "第 1 个区域：缺少名称"),
    ],
    ids=["not-utf8", "not-collection", "empty", "point", "no-name"],
)
def test_bad_geojson_is_refused_with_the_file_and_area(org_tree, make_user, client_for, content, message):
    leader = make_user(Role.LEADER, org=org_tree.commission, username="leader")
    page = client_for(leader).post(
        reverse("integrity:map_upload"), {"file": SimpleUploadedFile("district.geojson", content)}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "district.geojson" in text
    assert message in text
    assert not DistrictMap.objects.exists()


def test_a_good_map_is_served_to_the_cockpit(org_tree, make_user, client_for):
    leader = make_user(Role.LEADER, org=org_tree.commission, username="leader")
    client = client_for(leader)
    page = client.post(
        reverse("integrity:map_upload"), {"file": SimpleUploadedFile("d.geojson", GOOD.encode())}
    )
    assert page.status_code == 302
    served = client.get(reverse("integrity:map_data")).json()
    assert served["features"][0]["properties"]["name"] == "甲镇"
    assert DistrictMap.objects.get().features == 1
