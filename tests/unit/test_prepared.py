"""A prepared template renders the parts docxtpl's own render + save writes.

``saksgen.render.prepared`` reuses docxtpl's per-part steps but prepares the package once per
template; these tests hold it to docxtpl itself, part by part, on every bundled template and on a
template built here with what the bundled ones lack (a table row loop, text split over runs, a
second section, characters that need escaping or become line breaks)."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docxtpl import DocxTemplate

from saksgen.load.profiles import BUILTIN_DIR
from saksgen.render.ooxml import _jinja, render_template
from saksgen.render.prepared import PreparedTemplate, prepared

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(BUILTIN_DIR.rglob("*.docx")) + sorted((REPO / "maler").rglob("mal.docx"))
# docxtpl renders the core properties into docProps/core.xml; saksgen replaces that part.
NOT_COMPARED = {"docProps/core.xml"}


def _context(n: int) -> dict[str, Any]:
    row = {"nummer": f"{n}/26", "tittel": f"Sak <{n}> & «mer»", "type": "B", "merking": "", "tid": "10:00"}
    return {
        "tittel": f'Tittel {n} med & og <tegn> og "sitat"',
        "fra": "Fagdirektør\nHelse Nord RHF",
        "til": "AD-møtet",
        "dato": f"{n}. mars 2026",
        "saksbehandler": "Kari\tNordmann",
        "sakslinje": f"Sak {n}/26",
        "saksnummer": f"{n}/26",
        "motenavn": "AD-møte",
        "unntatt": "Nei",
        "unntatt_merking": "",
        "innhold": f"SAKSGEN-INNHOLD-{n:016x}",
        "tekst": {},
        "saker": [row, {**row, "nummer": "x"}],
        "offentlig": bool(n % 2),
        "forklaring": "A = orientering",
        "undertittel": "AD-møte, 3. mars 2026",
        "tilstede": ["A", "B"],
        "forfall": [],
        "andre": [],
        "rader": [{"a": "én", "b": "to"}, {"a": "tre", "b": "<fire>"}],
    }


def _docxtpl(path: Path, context: dict[str, Any]) -> dict[str, bytes]:
    tpl = DocxTemplate(str(path))
    tpl.render(context, jinja_env=_jinja(), autoescape=True)
    buf = io.BytesIO()
    tpl.save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        return {name: z.read(name) for name in z.namelist()}


def _same(ours: dict[str, bytes], theirs: dict[str, bytes]) -> None:
    assert sorted(ours) == sorted(theirs)
    for name in theirs:
        if name not in NOT_COMPARED:
            assert ours[name] == theirs[name], name


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A template with a table row loop, a variable split over runs and two sections."""
    doc = Document()
    p = doc.add_paragraph()
    p.add_run("Til: {{ ti")
    p.add_run("l }} og {{ fra }}")
    doc.add_paragraph("{{ innhold }}")
    table = doc.add_table(rows=3, cols=2)
    table.cell(0, 0).text = "{%tr for r in rader %}"
    table.cell(1, 0).text = "{{ r.a }}"
    table.cell(1, 1).text = "{{ r.b }}"
    table.cell(2, 0).text = "{%tr endfor %}"
    doc.add_section()
    doc.add_paragraph("{% if offentlig %}Offentlig{% else %}Intern{% endif %} – {{ saksbehandler }}")
    doc.sections[0].header.paragraphs[0].text = "{{ sakslinje }}"
    path = tmp_path_factory.mktemp("mal") / "mal.docx"
    doc.save(str(path))
    return path


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_bundled_templates_render_as_docxtpl(path: Path) -> None:
    template = PreparedTemplate(path)
    for n in (1, 2):  # the second render must not see the first one's state
        _same(template.render(_context(n), _jinja()), _docxtpl(path, _context(n)))


def test_loops_split_runs_and_sections_render_as_docxtpl(made: Path) -> None:
    template = PreparedTemplate(made)
    for n in (3, 4):
        ours = template.render(_context(n), _jinja())
        _same(ours, _docxtpl(made, _context(n)))
    assert b"&lt;fire&gt;" in ours["word/document.xml"]  # escaped, in a row of its own
    assert b"Intern" in ours["word/document.xml"]


def test_prepared_once_until_the_file_changes(made: Path, tmp_path: Path) -> None:
    path = tmp_path / "mal.docx"
    path.write_bytes(made.read_bytes())
    first = prepared(path)
    assert prepared(path) is first
    doc = Document(str(path))
    doc.add_paragraph("{{ dato }} endret")
    doc.save(str(path))
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    second = prepared(path)
    assert second is not first
    parts, _ = render_template(path, _context(5))
    assert b"5. mars 2026 endret" in parts["word/document.xml"]
