from __future__ import annotations

from dataclasses import dataclass

import pytest

from lianqing.dossiers.models import Cadre, Unit
from lianqing.dossiers.services import dossier_roles_grant
from tests.dossiers.factories import UnitFactory, cadre_in_post


@dataclass
class Registry:
    health: Unit
    civil: Unit
    town_unit: Unit
    wang: Cadre  # 王建国, 县卫生健康局 局长
    liu: Cadre  # 刘芳, 县民政局 副局长
    town_cadre: Cadre  # in township A's registry


@pytest.fixture
def registry(org_tree) -> Registry:  # type: ignore[no-untyped-def]
    dossier_roles_grant()
    commission, town = org_tree.commission, org_tree.township_a
    health = UnitFactory(code="HEA01", name="县卫生健康局", org=commission)
    civil = UnitFactory(code="CIV01", name="县民政局", org=commission)
    town_unit = UnitFactory(code="TWN01", name="甲镇人民政府", org=town)
    return Registry(
        health=health,
        civil=civil,
        town_unit=town_unit,
        wang=cadre_in_post(org=commission, name="王建国", unit=health, position="局长", serial=11),
        liu=cadre_in_post(org=commission, name="刘芳", unit=civil, position="副局长", serial=12),
        town_cadre=cadre_in_post(org=town, name="陈立", unit=town_unit, position="镇长", serial=13),
    )
