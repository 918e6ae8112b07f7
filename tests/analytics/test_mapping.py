"""The mapping wizard's library: header row and encoding found, a contract column proposed for
each source column (alias, header, values), the rejected rows previewed, and the mapping file
it writes read by `lianqing import --mapping`."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest
from tests.analytics.mapping_exports import civil_affairs_export, person_id

from lianqing.analytics.commands.package import import_main
from lianqing.analytics.contract import DATASETS
from lianqing.analytics.errors import AnalyticsError
from lianqing.analytics.mapping import mapping_choices, mapping_document, preview, propose, read_sample

BENEFITS = DATASETS["benefits"]


def test_a_gbk_export_with_junk_rows_is_read_from_its_header(tmp_path):
    sample = read_sample(civil_affairs_export(tmp_path / "nov.csv", 11), BENEFITS)
    assert sample.encoding == "gb18030"
    assert sample.header_row == 4
    assert sample.headers[:3] == ["流水号", "领款人", "识别码"]
    assert len(sample.rows) == 5


def test_each_source_column_gets_a_contract_column_and_its_reason(tmp_path):
    sample = read_sample(civil_affairs_export(tmp_path / "nov.csv", 11), BENEFITS)
    proposed = {p.header: (p.column, p.reason) for p in propose(sample, BENEFITS)}
    assert proposed == {
        "流水号": ("record_id", "alias"),
        "领款人": ("name", "header"),
        "识别码": ("person_id", "values"),  # 18 characters with valid check digits
        "救助项目": ("program", "header"),
        "资金所属期": ("period", "header"),
        "实发数": ("amount", "header"),
        "打卡时间": ("pay_date", "header"),
    }


def test_values_decide_between_a_person_id_and_a_company_code(tmp_path):
    rows = [
        "编号,甲,乙",
        *(f"R{n},{person_id(f'37012419800101{n:03d}')},91370124MA3C7F0X2{n % 10}" for n in range(5)),
    ]
    path = tmp_path / "mixed.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    sample = read_sample(path, DATASETS["shareholders"])
    proposed = {p.header: p.column for p in propose(sample, DATASETS["shareholders"])}
    assert proposed["甲"] == "holder_id"


def test_an_unknown_format_is_refused_with_the_files_name(tmp_path):
    path = tmp_path / "export.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    with pytest.raises(AnalyticsError, match=r"文件 export.xls：无法识别的文件格式"):
        read_sample(path, BENEFITS)
    empty = tmp_path / "notes.csv"
    empty.write_text("只有一行说明\n", encoding="utf-8")
    with pytest.raises(AnalyticsError, match="找不到表头行"):
        read_sample(empty, BENEFITS)


def test_the_preview_names_the_rejected_rows_and_a_missing_column(tmp_path):
    export = civil_affairs_export(tmp_path / "nov.csv", 11, bad_amount_row=2)
    choices = {p.header: p.column for p in propose(read_sample(export, BENEFITS), BENEFITS)}
    result = preview(export, BENEFITS, mapping_document(BENEFITS, choices))
    assert (result.rows_read, result.rows_kept, result.rows_rejected) == (5, 4, 1)
    (reject,) = result.rejects
    assert (reject["row"], reject["column"], reject["value"]) == ("6", "实发数", "五百元")
    assert "金额" in reject["reason"]
    unmapped = preview(export, BENEFITS, mapping_document(BENEFITS, {**choices, "资金所属期": ""}))
    assert unmapped.rows_kept == 0
    assert any("所属月份" in problem for problem in unmapped.problems)


def test_the_saved_mapping_is_the_file_the_cli_imports_next_month_with(tmp_path):
    november = civil_affairs_export(tmp_path / "nov.csv", 11)
    choices = {p.header: p.column for p in propose(read_sample(november, BENEFITS), BENEFITS)}
    mapping = tmp_path / "民政局.yaml"
    mapping.write_text(mapping_document(BENEFITS, choices, department="民政局"), encoding="utf-8")
    assert mapping_choices(mapping.read_text(encoding="utf-8"), BENEFITS) == choices
    december = civil_affairs_export(tmp_path / "dec.csv", 12, persons=7)
    out = tmp_path / "pkg"
    assert import_main([f"benefits={december}", "--out", str(out), "--mapping", str(mapping)]) == 0
    table = pq.read_table(out / "benefits.parquet")
    assert table.num_rows == 7
    assert table.column("period").to_pylist() == ["2025-12"] * 7
    assert table.column("person_id")[0].as_py() == person_id("37012419800101011")
    # without the mapping the same export cannot be imported
    assert import_main([f"benefits={december}", "--out", str(tmp_path / "bare")]) != 0


def test_a_mapping_to_a_column_the_dataset_lacks_is_refused():
    with pytest.raises(AnalyticsError, match="没有这些列"):
        mapping_document(BENEFITS, {"甲": "no_such_column"})
