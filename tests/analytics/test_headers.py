"""Header aliases: the names DATA-CONTRACT.md promises are understood, in the right dataset."""

from __future__ import annotations

from pathlib import Path

import pytest

from lianqing.analytics.contract import DATASETS
from lianqing.analytics.errors import AnalyticsError
from lianqing.analytics.headers import header_key, load_aliases


@pytest.mark.parametrize(
    ("dataset", "header", "column"),
    [
        ("benefits", "身份证号码", "person_id"),
        ("benefits", "公民身份号码", "person_id"),
        ("benefits", "持卡人身份证号码", "account_holder_id"),
        ("benefits", "发放金额（元）", "amount"),
        ("benefits", "发放月份", "period"),
        ("benefits", "救助类别", "program"),
        ("benefits", "银行账号", "account_no"),
        ("benefits", "户 编 号", "household_id"),
        ("benefits", "审批单位代码", "approver_org_code"),
        ("relatives", "身份证号码", "official_id"),
        ("relatives", "亲属身份证号码", "relative_id"),
        ("relatives", "姓名", "relative_name"),
        ("relatives", "与公职人员关系", "relation"),
        ("companies", "法定代表人身份证号码", "legal_rep_id"),
        ("companies", "法定代表人", "legal_rep_name"),
        ("companies", "统一社会信用代码", "uscc"),
        ("contracts", "统一社会信用代码", "supplier_uscc"),
        ("contracts", "采购单位代码", "buyer_org_code"),
        ("contracts", "合同金额", "amount"),
        ("contracts", "签订日期", "sign_date"),
        ("bids", "投标报价", "price"),
        ("bids", "投标人统一社会信用代码", "bidder_uscc"),
        ("shareholders", "股东名称", "holder_name"),
        ("standards", "标准上限", "max_amount"),
        ("deaths", "死亡日期", "death_date"),
        ("deaths", "日期", "death_date"),
        ("officials", "入职日期", "start_date"),
        ("officials", "离职日期", "end_date"),
        ("orgs", "区划代码", "region_code"),
        ("fund_flows", "拨出单位代码", "from_org_code"),
        ("fund_flows", "拨入单位代码", "to_org_code"),
        ("transactions", "交易渠道", "channel"),
        ("payroll", "ＰＥＲＳＯＮ_ＩＤ", "person_id"),
    ],
)
def test_documented_headers_map_to_their_columns(dataset: str, header: str, column: str) -> None:
    assert load_aliases().mapping_for(DATASETS[dataset])[header_key(header)] == column


def test_a_user_file_adds_aliases_and_wins(tmp_path: Path) -> None:
    mapping = tmp_path / "extra.yaml"
    mapping.write_text(
        "datasets:\n  deaths:\n    source: [火化单位]\n    name: [逝者姓名]\n", encoding="utf-8"
    )
    aliases = load_aliases(mapping).mapping_for(DATASETS["deaths"])
    assert aliases[header_key("火化单位")] == "source"
    assert aliases[header_key("逝者姓名")] == "name"
    assert aliases[header_key("姓名")] == "name"


def test_a_broken_mapping_file_is_a_clear_error(tmp_path: Path) -> None:
    mapping = tmp_path / "bad.yaml"
    mapping.write_text("columns: [not, a, table]\n", encoding="utf-8")
    with pytest.raises(AnalyticsError, match=r"bad\.yaml"):
        load_aliases(mapping)
    with pytest.raises(AnalyticsError, match=r"nothing\.toml"):
        load_aliases(tmp_path / "nothing.toml")
