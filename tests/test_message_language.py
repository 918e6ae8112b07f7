"""One language per line: a Chinese message carries no English or internal name in brackets
("请选择承办机构 (to_org is required)", "（official_id）"); the English lives in the catalogue.

The catalogue is scanned whole; the code of every app (and the command-line and settings
messages) is scanned string by string. The analytics library's
messages are Chinese only and each has an English entry, so a web page reads them in its language.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation

import lianqing
from lianqing.analytics.engine.package import TYPE_WORDS
from lianqing.analytics.errors import AnalyticsError, Message, Term
from lianqing.analytics.importer import import_package
from lianqing.analytics.normalize import REASONS
from lianqing.core.wording import localized

PACKAGE = Path(lianqing.__file__).parent
PO = PACKAGE / "locale/en/LC_MESSAGES/django.po"
CJK = re.compile(r"[\u4e00-\u9fff]")
BRACKETED = re.compile(r"(?<![%A-Za-z0-9_])[（(]([^（()）]*)[）)]")
WORD = re.compile(r"(?<![A-Za-z0-9_.])[A-Za-z][A-Za-z0-9_.]*")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
RULE_SETTING = re.compile(r"[A-Z]\d{2}\.\w+")  # F02.per_head_max: what a person types to set a rule's setting
# Proper nouns and units a Chinese reader reads as they are.
PROPER_NOUNS = {
    "CSV", "JSON", "GeoJSON", "SQL", "ID", "OCDS", "PDF", "MB", "GB", "Excel", "WPS", "Office", "Word",
    "PowerPoint", "OpenDocument", "Atom", "UTF", "GBK", "JPG", "PNG", "GIF", "WebP", "HEIC", "MP4", "MOV",
    "WebM", "AVI", "Q1", "Q3", "IQR", "Spark", "Java", "YYYY", "MM", "DD", "zip", "xlsx", "xls", "csv",
}  # fmt: skip
# Keys a person must write in a file of a given format, named as the format names them.
FORMAT_KEYS = {
    "features", "Polygon", "MultiPolygon", "FeatureCollection", "properties.name",  # GeoJSON
    "time", "platform", "author", "text", "url",  # the 舆情 export's columns
    "procurementMethod", "procurementMethodDetails",  # OCDS fields the R rules' settings filter on
}  # fmt: skip
SCANNED = [
    "analytics",
    "leads",
    "cases",
    "dossiers",
    "triage",
    "core",
    "duties",
    "integrity",
    "intake",
    "publicity",
    "cli.py",
    "settings.py",
]


def english_in_brackets(text: str) -> list[str]:
    """The English or internal words a Chinese text carries in brackets (none for other text)."""
    if not CJK.search(text):
        return []
    words = []
    for group in BRACKETED.finditer(text):
        inner = PLACEHOLDER.sub("", group.group(1))
        words += [
            w
            for w in WORD.findall(RULE_SETTING.sub("", inner))
            if w.strip(".") not in PROPER_NOUNS | FORMAT_KEYS
        ]
    return words


def _po_entries() -> dict[str, str]:
    entries = {}
    for block in PO.read_text().split("\n\n"):
        if "msgid" not in block:
            continue
        head, _, tail = block.partition("msgstr")
        msgid = "".join(re.findall(r'^(?:msgid )?"(.*)"$', head, re.M)).replace('\\"', '"')
        entries[msgid] = "".join(re.findall(r'"(.*)"$', tail, re.M)).replace('\\"', '"')
    return entries


def _python_files() -> list[Path]:
    files: list[Path] = []
    for name in SCANNED:
        path = PACKAGE / name
        files += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return [path for path in files if "migrations" not in path.parts]


def _strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            found.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr):
            found.append(
                (node.lineno, "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values))
            )
    return found


def _is_code(text: str) -> bool:
    """SQL and regular expressions hold brackets and Chinese characters too."""
    return bool(re.search(r"\b(SELECT|regexp_replace|read_parquet|CASE WHEN|CREATE)\b|\(\?[P:<=!]", text))


def test_the_detector_finds_english_in_brackets_and_lets_proper_nouns_be():
    assert english_in_brackets("请选择承办机构 (to_org is required)") == ["to_org", "is", "required"]
    assert english_in_brackets("缺少身份证号（official_id）") == ["official_id"]
    assert english_in_brackets("请选择舆情导出文件（CSV 或 JSON）") == []
    assert english_in_brackets("已分办 %(done)d 件") == []
    assert english_in_brackets("not Chinese (at all)") == []


def test_no_catalogue_entry_mixes_chinese_with_english_in_brackets():
    offenders = {msgid: words for msgid in _po_entries() if (words := english_in_brackets(msgid))}
    assert offenders == {}


@pytest.mark.parametrize("path", _python_files(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_chinese_string_in_the_code_carries_english_in_brackets(path):
    offenders = [
        f"{line}: {text[:80]}"
        for line, text in _strings(path)
        if not _is_code(text) and english_in_brackets(text)
    ]
    assert offenders == []


def _analytics_templates() -> dict[str, str]:
    """Every literal message of the analytics library (and the leads messages built like them)."""
    found = {}
    for path in [*sorted((PACKAGE / "analytics").rglob("*.py")), PACKAGE / "leads/storage.py"]:
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            first = node.args[0]
            if name in {"AnalyticsError", "Message", "Term"} and isinstance(first, ast.Constant):
                found[first.value] = f"{path.relative_to(PACKAGE)}:{node.lineno}"
    return {text: where for text, where in found.items() if CJK.search(text)}


def test_every_analytics_message_reads_in_english_from_the_catalogue():
    entries = _po_entries()
    words = [*REASONS, *TYPE_WORDS.values()]
    missing = [
        f"{where}: {text}"
        for text, where in {**_analytics_templates(), **dict.fromkeys(words, "reason or type")}.items()
        if not entries.get(text) or CJK.search(entries[text])
    ]
    assert missing == []


def test_an_import_problem_names_the_columns_by_their_titles_in_either_language(tmp_path):
    broken = tmp_path / "b.csv"
    broken.write_text("身份证号码,姓名\n110101199003074514,张三\n", encoding="utf-8")
    (problem,) = import_package([f"benefits={broken}"], tmp_path / "pkg").problems
    assert isinstance(problem, Message)
    assert "b.csv" in problem
    assert "金额（元）" in problem
    assert "amount" not in problem
    with translation.override("en"):
        english = localized(problem)
    assert "b.csv" in english
    assert "required columns" in english
    assert "Amount (yuan)" in english
    assert not CJK.search(english), english
    with translation.override("zh-hans"):
        assert localized(problem) == str(problem)


def test_a_message_kept_as_json_reads_in_the_page_language_later():
    error = AnalyticsError("缺少数据集 %(datasets)s", datasets=[Term("公职人员"), Term("户籍人口")])
    stored = error.message.as_json()
    assert stored["text"] == "缺少数据集 公职人员、户籍人口"
    with translation.override("en"):
        english = localized(stored)
    assert english.startswith("Missing datasets: ")
    assert not CJK.search(english), english
    with translation.override("en"):
        assert localized("无法识别的日期") == "unrecognised date"
        assert localized("张三") == "张三"  # a value as written is never translated
