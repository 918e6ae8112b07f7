"""Hand-made cadres of 云梦县 whose names and units the resolver's tests write the ways reports do."""

from __future__ import annotations

from stdnum.cn import ric


def person_id(serial: int, *, is_male: bool = True, birth: str = "") -> str:
    birth = birth or f"19{60 + serial % 40}0{1 + serial % 9}15"
    body = f"420923{birth}{(serial * 2 + (1 if is_male else 0)) % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


HAND_ORGS = [
    {"org_code": "YM000", "name": "云梦县人民政府", "parent_code": ""},
    {"org_code": "YMHEA", "name": "云梦县卫生健康委员会", "parent_code": "YM000"},
    {"org_code": "YMCIV", "name": "云梦县民政局", "parent_code": "YM000"},
    {"org_code": "YMNAT", "name": "云梦县自然资源局", "parent_code": "YM000"},
    {"org_code": "YMHRS", "name": "云梦县人力资源和社会保障局", "parent_code": "YM000"},
    {"org_code": "YMWHG", "name": "云梦县望湖镇人民政府", "parent_code": "YM000"},
    {"org_code": "YMWHP", "name": "中共云梦县望湖镇委员会", "parent_code": "YM000"},
    {"org_code": "YMWHA", "name": "望湖镇农业综合服务中心", "parent_code": "YMWHG"},
]
# (serial, name, org_code, position, ended)
HAND_POSTS = [
    (1, "王建军", "YMHEA", "副局长", False),
    (2, "李新涛", "YMWHA", "站长", False),
    (3, "刘建国", "YMCIV", "科员", False),
    (4, "张伟", "YMCIV", "股长", False),
    (5, "张伟", "YMNAT", "科员", False),
    (6, "滕韬", "YMNAT", "局长", True),
    (6, "滕韬", "YMHRS", "局长", False),
    (7, "周明", "YMWHP", "书记", False),
    (8, "周敏", "YMWHP", "副书记", False),
    (9, "邝振邦", "YMCIV", "科员", False),
    # a common name: six 王伟 in six units
    *(
        (10 + i, "王伟", org, "科员", False)
        for i, org in enumerate(["YMHEA", "YMCIV", "YMNAT", "YMHRS", "YMWHG", "YMWHA"])
    ),
]


def hand_officials() -> list[dict[str, str]]:
    return [
        {
            "person_id": person_id(serial),
            "name": name,
            "org_code": org,
            "position": position,
            "start_date": "2018-01-01",
            "end_date": "2022-12-31" if ended else "",
        }
        for serial, name, org, position, ended in HAND_POSTS
    ]
