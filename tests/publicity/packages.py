"""A small hand-made data package for the public-site tests: one county, one town, two villages."""

from __future__ import annotations

from pathlib import Path

from stdnum.cn import ric

from tests.leads.packages import write_csv_package


def person_id(number: int, birth: str = "19600101") -> str:
    body = f"370124{birth}{number:03d}"
    return body + ric.calc_check_digit(body + "0")


ZHANG = person_id(1)  # 张三明, two in his household, 低保 in January and February
LI = person_id(2)  # 李四, his wife, nothing paid
WANG = person_id(3)  # 王小五, 西河村, 低保 in January
STRANGER = person_id(4)  # paid in a village the orgs do not know
EAST, WEST = "370124001201", "370124001202"


def benefits_package(folder: Path, *, extra_lines: int = 0) -> Path:
    benefits = [
        {"record_id": "B1", "program": "低保", "person_id": ZHANG, "name": "张三明", "region_code": "370124001",
         "household_id": "H1", "amount": "500.00", "period": "2025-01", "pay_date": "2025-01-15",
         "account_no": "6217000000000001", "account_holder_id": ZHANG, "approver_org_code": "370124001"},
        {"record_id": "B2", "program": "低保", "person_id": ZHANG, "name": "张三明", "region_code": "370124001",
         "household_id": "H1", "amount": "520.00", "period": "2025-02", "pay_date": "2025-02-15",
         "account_no": "6217000000000001", "account_holder_id": ZHANG, "approver_org_code": "370124001"},
        {"record_id": "B3", "program": "低保", "person_id": WANG, "name": "王小五", "region_code": WEST,
         "household_id": "H2", "amount": "480.00", "period": "2025-01", "pay_date": "2025-01-15",
         "account_no": "6217000000000003", "account_holder_id": WANG, "approver_org_code": "370124001"},
        {"record_id": "B4", "program": "特困供养", "person_id": WANG, "name": "王小五", "region_code": WEST,
         "household_id": "H2", "amount": "900.00", "period": "2025-01", "pay_date": "2025-01-15",
         "account_no": "6217000000000003", "account_holder_id": WANG, "approver_org_code": "370124001"},
        {"record_id": "B5", "program": "低保", "person_id": STRANGER, "name": "赵六", "region_code": "370124009301",
         "household_id": "H9", "amount": "450.00", "period": "2025-01", "pay_date": "2025-01-15",
         "account_no": "6217000000000004", "account_holder_id": STRANGER, "approver_org_code": "370124001"},
    ]  # fmt: skip
    benefits.extend(
        {"record_id": f"X{index}", "program": "低保", "person_id": WANG, "name": "王小五", "region_code": WEST,
         "household_id": "H2", "amount": "10.00", "period": f"2024-{index % 12 + 1:02d}",
         "pay_date": "2024-01-15", "account_no": "6217000000000003", "account_holder_id": WANG,
         "approver_org_code": "370124001"}
        for index in range(extra_lines)
    )  # fmt: skip
    return write_csv_package(
        folder,
        {
            "orgs": [
                {"org_code": "370124000", "name": "示范县人民政府", "parent_code": "", "region_code": "370124", "kind": "党政机关"},
                {"org_code": "370124001", "name": "甲镇人民政府", "parent_code": "370124000", "region_code": "370124001", "kind": "党政机关"},
                {"org_code": EAST, "name": "甲镇东山村村民委员会", "parent_code": "370124001", "region_code": EAST, "kind": "村居"},
                {"org_code": WEST, "name": "甲镇西河村村民委员会", "parent_code": "370124001", "region_code": WEST, "kind": "村居"},
            ],
            "persons": [
                {"person_id": ZHANG, "name": "张三明", "gender": "男", "birth_date": "1960-01-01", "region_code": "370124", "household_id": "H1", "address": "甲镇东山村1号"},
                {"person_id": LI, "name": "李四", "gender": "女", "birth_date": "1960-01-01", "region_code": "370124", "household_id": "H1", "address": "甲镇东山村1号"},
                {"person_id": WANG, "name": "王小五", "gender": "男", "birth_date": "1960-01-01", "region_code": "370124", "household_id": "H2", "address": "甲镇西河村2号"},
            ],
            "benefits": benefits,
            "standards": [
                {"program": "低保", "region_code": "370124", "period_from": "2024-01", "period_to": "", "max_amount": "650.00"},
            ],
        },
    )  # fmt: skip
