"""The one-table-per-concept rule: every diagnostic code the source reports is registered with its
severity, and the README's code and field tables are the ones the tables generate."""

from __future__ import annotations

import ast
from pathlib import Path

from saksgen.diagnostics.codes import CODES, readme_table
from saksgen.validate.fields import TABLES, readme_tables

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "saksgen"


def _reported_codes() -> list[tuple[str, str, str]]:
    """(file:line, method, code) for every ``x.error(loc, "code", …)`` / ``x.warning(…)`` call and
    every ``code = "…"`` class attribute of an error class."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("error", "warning")
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str)
            ):
                found.append((where, node.func.attr, node.args[1].value))
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id == "code"
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            ):
                found.append((where, "error", node.value.value))
    return found


def test_the_scan_finds_the_codes() -> None:
    codes = {code for _, _, code in _reported_codes()}
    # A scan that finds nothing would pass everything below.
    assert {"mangler-avsnitt", "yaml-syntaks", "kontrolltegn", "pakke-feilet", "bruk"} <= codes


def test_every_reported_code_is_registered_with_its_severity() -> None:
    wrong = []
    for where, method, code in _reported_codes():
        entry = CODES.get(code)
        expected = "feil" if method == "error" else "advarsel"
        if entry is None:
            wrong.append(f"{where}: «{code}» mangler i saksgen/diagnostics/codes.py")
        elif entry.severity != expected:
            wrong.append(f"{where}: «{code}» meldes som {expected}, men står som {entry.severity}")
    assert not wrong, "\n".join(wrong)


def test_codes_in_literal_messages_are_registered() -> None:
    """Messages printed directly (``… [strict]``) name registered codes too."""
    import re

    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for code in re.findall(r"\[([a-zæøå]+(?:-[a-zæøå]+)*)\]\"", path.read_text(encoding="utf-8")):
            found.append(code)
            assert code in CODES, f"{path.relative_to(ROOT)}: [{code}]"
    # The loop above must have looked at something: build.py prints "… [strict]" itself.
    assert "strict" in found, found


def _between(text: str, start: str, end: str) -> str:
    head = text.index(start)
    return text[text.index("\n", head) + 1 : text.index(end)]


def test_readme_code_table_is_generated_from_the_registry() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert _between(readme, "<!-- koder:start", "<!-- koder:slutt") == readme_table()


def test_readme_field_tables_are_generated_from_the_field_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert _between(readme, "<!-- felt:start", "<!-- felt:slutt") == readme_tables()
    for table in TABLES.values():
        for field in table:
            assert f"| `{field.key}` |" in readme


def test_readme_template_variables_are_generated_from_the_template_table() -> None:
    from saksgen.templates.variables import readme_table as variables_table

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert _between(readme, "<!-- malvariabler:start", "<!-- malvariabler:slutt") == variables_table()
