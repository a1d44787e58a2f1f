"""Regenerate the README's generated tables (codes, fields, template variables and texts) in
place. Run after adding a diagnostic code, a field, a template variable or a text key;
tests/unit/test_tables.py fails until the README matches."""

from __future__ import annotations

from pathlib import Path

from saksgen.diagnostics.codes import readme_table as codes_table
from saksgen.templates.variables import readme_table as variables_table
from saksgen.validate.fields import readme_tables as fields_tables

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCKS = {"koder": codes_table, "felt": fields_tables, "malvariabler": variables_table}


def replace_block(text: str, name: str, body: str) -> str:
    start = text.index(f"<!-- {name}:start")
    head_end = text.index("\n", start) + 1
    end = text.index(f"<!-- {name}:slutt", head_end)
    return text[:head_end] + body + text[end:]


def main() -> None:
    text = README.read_text(encoding="utf-8")
    for name, make in BLOCKS.items():
        text = replace_block(text, name, make())
    README.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
