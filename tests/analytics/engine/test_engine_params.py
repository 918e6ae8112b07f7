"""One parameter parser: `RULE.name=value` text, names, types and ranges, for every front end."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lianqing.analytics.engine import check_scan_params, parse_param_assignments
from lianqing.analytics.engine.library import parse_rule
from lianqing.analytics.engine.params import check_params
from lianqing.analytics.errors import AnalyticsError


def test_lines_become_rule_dot_name_with_the_rule_id_upper_cased():
    lines = ["f02.per_head_max = 200", "", "  B08.min_persons=3  "]
    assert parse_param_assignments(lines) == {"F02.per_head_max": "200", "B08.min_persons": "3"}


@pytest.mark.parametrize("line", ["F02per_head_max=200", "F02.per_head_max", "F02.per_head_max=", ".x=1"])
def test_a_malformed_line_names_its_position_and_text(line):
    with pytest.raises(AnalyticsError, match=r"第 2 个参数“.*”应写作 规则编号.参数名=值"):
        parse_param_assignments(["B08.min_persons=3", line])


def test_values_are_typed_and_checked_against_the_library():
    checked = check_scan_params({"F02.per_head_max": "200.5", "B08.min_persons": "3"})
    assert checked == {"F02.per_head_max": Decimal("200.5"), "B08.min_persons": 3}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"X99.a": "1"}, "没有规则 X99"),
        ({"F02.nope": "1"}, "没有参数 nope"),
        ({"F02.per_head_max": "abc"}, "不是数值"),
        ({"F02.per_head_max": "-1"}, "小于下限 0"),
        ({"B08.min_persons": "2.5"}, "不是整数"),
    ],
)
def test_bad_names_types_and_ranges_are_refused_by_name(params, message):
    with pytest.raises(AnalyticsError, match=message):
        check_scan_params(params)


def test_a_declared_maximum_is_enforced():
    header = (
        "/*\nid: T01\nname: 测试\nseverity: 中\ncategory: public_interest\ndatasets: [benefits]\nsubject: person_id\n"
        "params:\n  share: {type: decimal, default: 0.5, min: 0, max: 1, description: 份额}\n"
        'explanation: "x"\n*/\nSELECT $share AS x'
    )
    rule = parse_rule(header, source="T01.sql")
    assert check_params({"T01.share": "1"}, {"T01": rule}) == {"T01.share": Decimal(1)}
    with pytest.raises(AnalyticsError, match="大于上限 1"):
        check_params({"T01.share": "1.5"}, {"T01": rule})
