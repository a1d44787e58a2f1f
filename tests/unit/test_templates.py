"""The Word templates' contract and the template checks of ``saksgen check`` (no pandoc, no
LibreOffice: the checks read the .docx with zipfile and jinja2)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from saksgen.diagnostics import Collector
from saksgen.load.profiles import BUILTIN_DIR, load_profiles
from saksgen.templates.check import check_template, paragraphs
from saksgen.templates.variables import TEMPLATES, variables

# The styles pandoc's DOCX writer uses for the Markdown body (docs/ARCHITECTURE.md).
PANDOC_STYLES = (
    "Normal",
    "Body Text",
    "First Paragraph",
    "Compact",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "Heading 4",
    "Block Text",
    "Footnote Text",
    "Footnote Reference",
    "Hyperlink",
    "Caption",
    "Image Caption",
    "Table Caption",
    "Captioned Figure",
    "Figure",
    "Table",
)
PAPERS = sorted(BUILTIN_DIR.glob("*/mal.docx"))
SHARED = [p for p in (BUILTIN_DIR / n for n in ("sakliste.docx", "protokoll.docx")) if p.exists()]


def _style_names(path: Path) -> set[str]:
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/styles.xml"))
    return {n.get(f"{w}val") for n in root.iter(f"{w}name")}


@pytest.mark.parametrize("path", PAPERS, ids=lambda p: p.parent.name)
def test_paper_template_keeps_its_contract(path: Path) -> None:
    profiles = load_profiles(Path("/nonexistent"), Collector())
    diag = Collector()
    check_template(path, "mal.docx", profiles[path.parent.name], Path.cwd(), diag)
    assert diag.items == []  # syntax, {{ innhold }} and every variable provided
    texts = [t for part, _, t in paragraphs(path) if part == "word/document.xml"]
    assert texts.count("{{ innhold }}") == 1
    missing = {s.lower() for s in PANDOC_STYLES} - {s.lower() for s in _style_names(path)}
    assert not missing, f"{path}: mangler stilene {sorted(missing)}"
    # Every word in the front matter, header and footer comes from the texts table or a value.
    for part, _, text in paragraphs(path):
        literal = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", text)
        assert not re.search(r"[A-Za-zÆØÅæøå]", literal), f"{path.parent.name} {part}: «{text}»"


@pytest.mark.parametrize("path", SHARED, ids=lambda p: p.name)
def test_shared_templates_use_only_provided_variables(path: Path) -> None:
    diag = Collector()
    check_template(path, path.name, None, Path.cwd(), diag)
    assert [d.code for d in diag.items] == []


def _with_text(src: Path, dst: Path, old: str, new: str) -> Path:
    """A copy of ``src`` with one text replaced in its body, as a Word user would type it."""
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    body = parts["word/document.xml"].decode()
    assert old in body
    parts["word/document.xml"] = body.replace(old, new, 1).encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    dst.write_bytes(buf.getvalue())
    return dst


@pytest.mark.parametrize(
    ("src", "old", "new"),
    [
        (BUILTIN_DIR / "ikt-fagdirektormote" / "mal.docx", "{{ tittel }}", "{{ tittel }"),
        (BUILTIN_DIR / "ikt-fagdirektormote" / "mal.docx", "{%p endif %}", "{%p endfi %}"),
        (BUILTIN_DIR / "sakliste.docx", "{%tr endfor %}", "{%tr end %}"),
    ],
)
def test_broken_jinja_is_located_in_the_template(tmp_path: Path, src: Path, old: str, new: str) -> None:
    broken = _with_text(src, tmp_path / src.name, old, new)
    diag = Collector()
    check_template(broken, src.name, None, tmp_path, diag)
    [d] = diag.items
    assert (d.code, d.severity, str(d.location)) == ("mal-syntaks", "feil", src.name)
    assert "Jinja-feil i Word-malen" in d.message and "avsnitt" in d.message
    assert not any(w in d.message for w in ("unexpected", "expected", "Encountered", "tag"))


def test_unknown_variable_warns_with_the_nearest_name(tmp_path: Path) -> None:
    src = BUILTIN_DIR / "ikt-fagdirektormote" / "mal.docx"
    broken = _with_text(src, tmp_path / "mal.docx", "{{ tittel }}", "{{ titel }}")
    diag = Collector()
    check_template(broken, "mal.docx", None, tmp_path, diag)
    [d] = diag.items
    assert (d.code, d.severity) == ("ukjent-malfelt", "advarsel")
    assert "«titel»" in d.message and d.hint == "mente du «tittel»?"


def test_paper_template_without_innhold_paragraph(tmp_path: Path) -> None:
    src = BUILTIN_DIR / "ad-mote" / "mal.docx"
    broken = _with_text(src, tmp_path / "mal.docx", "{{ innhold }}", "Innhold: {{ innhold }}")
    diag = Collector()
    check_template(broken, "mal.docx", None, tmp_path, diag)
    assert [d.code for d in diag.items] == ["mal-innhold"]


def test_a_file_that_is_not_a_word_package(tmp_path: Path) -> None:
    bad = tmp_path / "mal.docx"
    bad.write_bytes(b"not a zip")
    diag = Collector()
    check_template(bad, "mal.docx", None, tmp_path, diag)
    assert [d.code for d in diag.items] == ["mal-feil"]


def test_profile_fields_reach_the_paper_template() -> None:
    profiles = load_profiles(Path("/nonexistent"), Collector())
    assert "arkivreferanse" not in variables("mal.docx", profiles["ikt-fagdirektormote"])
    assert set(TEMPLATES) >= {"mal.docx", "sakliste.docx", "protokoll.docx"}
