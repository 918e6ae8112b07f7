"""Every rule header states its condition in plain words and where it comes from (the catalogue
page reads them), and a header that names an unknown origin or parameter is refused."""

from __future__ import annotations

import pytest

from lianqing.analytics.engine.library import ORIGINS, load_library, parse_rule

RULE = """/*
id: X01
name: 测试
severity: 中
category: other
condition: "{condition}"
origins: [{origins}]
datasets: [benefits]
subject: person_id
params:
  limit: {{type: integer, default: 3, description: 上限}}
explanation: "{{who}}"
*/
SELECT * FROM benefits WHERE amount > $limit
"""


def test_every_rule_has_a_condition_and_origins_naming_only_its_params():
    for rule in load_library():
        assert len(rule.condition) >= 10, rule.id
        assert rule.origins, rule.id
        assert set(rule.origins) <= set(ORIGINS)
        filled = rule.condition.format(**{name: param.default for name, param in rule.params.items()})
        assert "{" not in filled, rule.id


def test_a_header_with_a_known_origin_and_param_parses():
    rule = parse_rule(RULE.format(condition="超过{limit}笔", origins="minsheng"), source="X01.sql")
    assert rule.condition == "超过{limit}笔"
    assert rule.origins == ("minsheng",)


@pytest.mark.parametrize(
    ("condition", "origins", "problem"),
    [
        ("超过{limit}笔", "nowhere", "origin nowhere"),
        ("超过{limits}笔", "minsheng", "condition names {limits}"),
    ],
)
def test_an_unknown_origin_or_parameter_is_refused(condition, origins, problem):
    with pytest.raises(ValueError, match=problem):
        parse_rule(RULE.format(condition=condition, origins=origins), source="X01.sql")
