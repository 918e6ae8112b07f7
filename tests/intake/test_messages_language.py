"""Chinese messages carry no English in brackets: the English lives in the .po file, and a user
reading Chinese sees Chinese only. Every string in the intake app's code and templates, and in
core's security modules, is checked, with the .po entries of those strings."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation

import lianqing

PACKAGE = Path(lianqing.__file__).parent
CJK = re.compile(r"[\u4e00-\u9fff]")
# English in brackets: "（word" or "(word", but not a format placeholder "%(name)s".
ENGLISH_IN_BRACKETS = re.compile(r"（[A-Za-z]|(?<!%)\([A-Za-z]")
CORE_SECURITY = [
    "core/access.py", "core/audit.py", "core/audit_heads.py", "core/audit_key.py", "core/grants.py",
    "core/health.py", "core/models.py", "core/otp.py", "core/views.py", "core/admin.py", "core/checks.py",
    "core/management/commands/audit.py", "core/management/commands/audit_key.py",
    "core/management/commands/roles.py", "core/management/commands/enrolment_code.py",
    "core/management/commands/createadmin.py",
]  # fmt: skip


def _python_files() -> list[Path]:
    intake = [p for p in (PACKAGE / "intake").rglob("*.py") if "migrations" not in p.parts]
    return sorted(intake) + [PACKAGE / name for name in CORE_SECURITY]


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _strings(path: Path) -> list[tuple[int, str]]:
    """Every string the code holds (implicit concatenations joined, f-strings' literal parts)."""
    tree = ast.parse(path.read_text())
    docstrings = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            found.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
            found.append((node.lineno, text))
    return found


def _bracketed(text: str) -> bool:
    return bool(CJK.search(text) and ENGLISH_IN_BRACKETS.search(text))


def test_no_chinese_string_of_intake_or_core_security_carries_english_in_brackets():
    offenders = [
        f"{path.relative_to(PACKAGE)}:{line}: {text[:80]}"
        for path in _python_files()
        for line, text in _strings(path)
        if _bracketed(text)
    ]
    assert offenders == [], "\n".join(offenders)


def test_no_intake_template_line_carries_english_in_brackets():
    offenders = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in sorted((PACKAGE / "intake" / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if _bracketed(re.sub(r"\{[{%].*?[%}]\}", "", line))
    ]
    assert offenders == [], offenders


def _po_entries() -> dict[str, str]:
    text = (PACKAGE / "locale/en/LC_MESSAGES/django.po").read_text()
    entries = {}
    for block in text.split("\n\n"):
        msgid = "".join(re.findall(r'^(?:msgid )?"(.*)"$', block.split("msgstr")[0], re.M))
        msgstr = (
            "".join(re.findall(r'"(.*)"$', block.split("msgstr", 1)[-1], re.M)) if "msgstr" in block else ""
        )
        entries[msgid] = msgstr
    return entries


@pytest.mark.parametrize(
    ("message", "english"),
    [
        ("表单已失效或被改动，请重新提交；已填写的内容已保留", "The form has expired"),
        ("身份证号应为 18 位，输入的是 %(n)d 位", "ID card number has 18"),
        ("回执码不正确或不存在，请核对后重试", "receipt code is wrong"),
        ("与上一条记录的链接断开", "link to the previous row"),
    ],
)
def test_the_english_is_in_the_po_file_and_served(message, english):
    assert english in _po_entries()[message]
    with translation.override("en"):
        assert english in translation.gettext(message)


def test_every_chinese_message_of_intake_in_the_po_file_is_chinese_only():
    used = {text for path in _python_files() for _line, text in _strings(path) if CJK.search(text)}
    offenders = [msgid for msgid in _po_entries() if msgid in used and _bracketed(msgid)]
    assert offenders == [], offenders
