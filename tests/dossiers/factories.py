"""Registry rows for tests. Cadres carry valid 公民身份号码 (check digit computed by stdnum)."""

from __future__ import annotations

import datetime as dt

import factory
from stdnum.cn import ric

from lianqing.dossiers.models import Cadre, Post, Unit


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
