"""Registry rows for tests. Cadres carry valid 公民身份号码 (check digit computed by stdnum)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import factory
from stdnum.cn import ric

from lianqing.dossiers.models import Cadre, Post, Unit
from lianqing.dossiers.services import dossier_roles_grant


def person_id(serial: int, birth: str = "19750301") -> str:
    body = f"370124{birth}{serial % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum reads the first 17 of 18


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"县测试局{n}")
    kind = "党政机关"


class CadreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cadre

    person_id = factory.Sequence(lambda n: person_id(n + 1))
    name = factory.Sequence(lambda n: f"干部{n}")
    gender = "男"


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    cadre = factory.SubFactory(CadreFactory)
    unit = factory.SubFactory(UnitFactory)
    position = "科员"
    start_date = dt.date(2020, 1, 1)


def cadre_in_post(*, org, name: str, unit: Unit, position: str, serial: int) -> Cadre:  # type: ignore[no-untyped-def]
    cadre = CadreFactory(org=org, name=name, person_id=person_id(serial), unit=unit, position=position)
    PostFactory(cadre=cadre, unit=unit, position=position)
    return cadre


SURNAMES = "张李陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华志海斌"
FILLER_UNITS = ["县财政局", "县教育局", "县人力资源和社会保障局", "县自然资源局", "县交通运输局", "县水利局"]
FILLER_POSITIONS = ["局长", "副局长", "科长", "办公室主任", "副科长", "科员"]


def _filler(org, units: list[Unit], skip_head: Unit) -> None:  # type: ignore[no-untyped-def]
    """A registry of a realistic size and shape (30 people a unit, one 局长 each): the resolver
    weighs names, units and titles by how common they are."""
    cadres = []
    for u, unit in enumerate(units):
        for j in range(30):
            i = u * 30 + j
            position = FILLER_POSITIONS[min(j, len(FILLER_POSITIONS) - 1)]
            if unit == skip_head and position == "局长":
                position = "科员"
            cadres.append(
                Cadre(
                    org=org,
                    person_id=person_id(100 + i, f"19{60 + i % 30:02d}0{1 + i % 9}{10 + i % 18:02d}"),
                    name=SURNAMES[i % len(SURNAMES)]
                    + GIVEN[(i * 7) % len(GIVEN)]
                    + GIVEN[(i * 3) % len(GIVEN)] * (i % 2),
                    unit=unit,
                    position=position,
                )
            )
    Cadre.objects.bulk_create(cadres)
    Post.objects.bulk_create(
        Post(cadre=c, unit=c.unit, position=c.position, start_date=dt.date(2018, 1, 1)) for c in cadres
    )


@dataclass
class Registry:
    health: Unit
    civil: Unit
    town_unit: Unit
    wang: Cadre  # 王建国, 县卫生健康局 局长
    liu: Cadre  # 刘芳, 县民政局 副局长
    town_cadre: Cadre  # in township A's registry


def registry_build(org_tree) -> Registry:  # type: ignore[no-untyped-def]
    """Units and cadres of the test commission: 王建国 局长 of 县卫生健康局 among 240 others."""
    dossier_roles_grant()
    commission, town = org_tree.commission, org_tree.township_a
    health = UnitFactory(code="HEA01", name="县卫生健康局", org=commission)
    civil = UnitFactory(code="CIV01", name="县民政局", org=commission)
    town_unit = UnitFactory(code="TWN01", name="甲镇人民政府", org=town)
    others = [UnitFactory(code=f"OTH{i}", name=name, org=commission) for i, name in enumerate(FILLER_UNITS)]
    _filler(commission, [*others, health, civil], skip_head=health)
    return Registry(
        health=health,
        civil=civil,
        town_unit=town_unit,
        wang=cadre_in_post(org=commission, name="王建国", unit=health, position="局长", serial=11),
        liu=cadre_in_post(org=commission, name="刘芳", unit=civil, position="副局长", serial=12),
        town_cadre=cadre_in_post(org=town, name="陈立", unit=town_unit, position="镇长", serial=13),
    )
