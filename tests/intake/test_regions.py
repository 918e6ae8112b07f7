from lianqing.intake.regions import region_children, region_is_known, region_name, region_provinces


def test_county_full_name_from_gbt2260_data():
    assert region_name("370124") == "山东省 济南市 平阴县"
    assert region_name("999999") == ""


def test_cascade_lists_cities_of_a_province_and_counties_of_a_city():
    assert ("370000", "山东省") in [(r.code, r.name) for r in region_provinces()]
    cities = {r.code: r.name for r in region_children("370000")}
    assert cities["370100"] == "济南市"
    counties = {r.code: r.name for r in region_children("370100")}
    assert counties["370124"] == "平阴县"
    assert "370102" in counties  # 历下区


def test_abolished_codes_and_placeholders_are_not_offered():
    counties = {r.code: r.name for r in region_children("370100")}
    assert "370181" not in counties  # 章丘市 [1992-2016], now 章丘区 370114
    assert "370114" in counties
    assert "370101" not in counties  # 市辖区 placeholder
    assert not region_is_known("370181")
