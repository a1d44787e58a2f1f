"""Every PDF kind saksgen writes (papers, agenda, protokoll, pack; members' and public) passes the
machine-checkable PDF/UA-1 checks of tests/pdfua_checks.py, and those checks catch each fault
they claim to catch when it is put into a real paper."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import docx
import pikepdf
import pytest

from tests.pdfua_checks import problems
from tests.pdfua_tree import Tree

MEETINGS = ("ikt-fagdirektormote-2024-06", "ad-mote-2024-06")
KINDS: dict[str, Callable[[Path], list[Path]]] = {
    "paper": lambda out: [
        *out.glob("*.pdf"),
        *(p for m in MEETINGS for f in (out / m, out / m / "offentlig") for p in f.glob("[0-9]*.pdf")),
    ],
    "agenda": lambda out: [p for m in MEETINGS for p in out.glob(f"{m}/**/sakliste.pdf")],
    "protokoll": lambda out: list(out.glob("*/**/protokoll.pdf")),
    "pack": lambda out: [p for m in MEETINGS for p in out.glob(f"{m}/**/saksdokumenter.pdf")],
}
PAPER = "ikt-fagdirektormote-2024-06/32-felles-loggplattform.pdf"  # links, note, figure, table


@pytest.mark.parametrize("kind", KINDS)
def test_every_pdf_passes_the_pdfua_checks(built_examples: Path, kind: str) -> None:
    out = built_examples / "output"
    paths = KINDS[kind](out)
    assert any("offentlig" in p.parts for p in paths) and any("offentlig" not in p.parts for p in paths)
    found = {str(p.relative_to(out)): problems(p) for p in paths}
    assert {name: found[name] for name in found if found[name]} == {}


def test_each_title_and_heading_is_a_heading(built_examples: Path) -> None:
    """The title paragraph (Sakstittel, or Word's Title in the protokoll and in templates made
    from Word's defaults) and every Heading N paragraph of the DOCX is a heading in the PDF."""
    out = built_examples / "output"
    docs = [*KINDS["paper"](out), *KINDS["agenda"](out), *KINDS["protokoll"](out)]
    for pdf_path in docs:
        styles = [p.style.name for p in docx.Document(str(pdf_path.with_suffix(".docx"))).paragraphs]
        wanted = [s for s in styles if s in ("Sakstittel", "Title") or re.match(r"Heading \d", s)]
        with pikepdf.open(pdf_path) as pdf:
            got = [e.role for e in Tree(pdf).elements if re.fullmatch(r"H\d", e.role)]
        assert len(got) == len(wanted) and got[0] == "H1", (pdf_path, wanted, got)


def test_captions_inside_figure_and_table(built_examples: Path) -> None:
    with pikepdf.open(built_examples / "output" / PAPER) as pdf:
        tree = Tree(pdf)
        roles = {e.obj.objgen: e.role for e in tree.elements}
        parents = {roles[e.parent.objgen] for e in tree.elements if e.role == "Caption"}
    assert parents == {"Figure", "Table"}


def _remove(key: str) -> Callable[[pikepdf.Pdf], None]:
    def change(pdf: pikepdf.Pdf) -> None:
        del pdf.Root[key]

    return change


def _elements(pdf: pikepdf.Pdf, role: str) -> list[pikepdf.Dictionary]:
    return [e.obj for e in Tree(pdf).elements if e.role == role]


def _first_link(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    return next(a for p in pdf.pages for a in p.get("/Annots", []) if a.Subtype == "/Link")


def _untagged_text(pdf: pikepdf.Pdf) -> None:
    page = pdf.pages[0]
    page.contents_add(pdf.make_stream(b"BT /F1 12 Tf 72 72 Td (x) Tj ET"))


def _orphan_mcid(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].contents_add(pdf.make_stream(b"/P <</MCID 999>> BDC EMC"))


def _h3_first(pdf: pikepdf.Pdf) -> None:
    _elements(pdf, "H1")[0].S = pikepdf.Name.H3


def _loose_caption(pdf: pikepdf.Pdf) -> None:
    caption = _elements(pdf, "Caption")[0]
    table = caption.P
    table.K = pikepdf.Array([k for k in table.K if not (k.is_indirect and k.objgen == caption.objgen)])
    table.P.K.append(caption)
    caption.P = table.P


def _link_out_of_tree(pdf: pikepdf.Pdf) -> None:
    link = _first_link(pdf)
    for elem in _elements(pdf, "Link"):
        kids = elem.K if isinstance(elem.K, pikepdf.Array) else pikepdf.Array([elem.K])
        elem.K = pikepdf.Array(
            [k for k in kids if not (isinstance(k, pikepdf.Dictionary) and k.get("/Obj") == link)]
        )


FAULTS: dict[str, tuple[Callable[[pikepdf.Pdf], None], str]] = {
    "no /Lang": (_remove("/Lang"), "7.2-34"),
    "no DisplayDocTitle": (_remove("/ViewerPreferences"), "7.1-10"),
    "not marked": (_remove("/MarkInfo"), "6.2-1"),
    "untagged text": (_untagged_text, "7.1-3"),
    "MCID not in the tree": (_orphan_mcid, "MCID 999 is not in the structure tree"),
    "figure without /Alt": (lambda pdf: _elements(pdf, "Figure")[0].__delitem__("/Alt"), "7.3-1"),
    "first heading H3": (_h3_first, "7.4.2-1 [14-002]"),
    "caption outside its table": (_loose_caption, "/Caption sits in /Document"),
    "link not in the tree": (_link_out_of_tree, "7.18.5-1"),
    "link without /Contents": (lambda pdf: _first_link(pdf).__delitem__("/Contents"), "7.18.5-2"),
    "link element with no text": (
        lambda pdf: [e.__delitem__("/Alt") for e in _elements(pdf, "Link") if "/Alt" in e],
        "element has no text and no /Alt",
    ),
    "no /Tabs": (lambda pdf: pdf.pages[0].obj.__delitem__("/Tabs"), "7.18.3-1"),
    "note without /ID": (lambda pdf: _elements(pdf, "Note")[0].__delitem__("/ID"), "7.9-1"),
    "table without TH": (
        lambda pdf: [th.__setitem__("/S", pikepdf.Name.TD) for th in _elements(pdf, "TH")],
        "7.5-1",
    ),
    "standard type remapped": (
        lambda pdf: pdf.Root.StructTreeRoot.RoleMap.__setitem__("/H1", pikepdf.Name.P),
        "7.1-7",
    ),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_the_checks_catch_each_fault(built_examples: Path, tmp_path: Path, fault: str) -> None:
    change, expected = FAULTS[fault]
    with pikepdf.open(built_examples / "output" / PAPER) as pdf:
        assert problems(pdf) == []
        change(pdf)
        pdf.save(tmp_path / "changed.pdf")
    found = problems(tmp_path / "changed.pdf")
    assert any(expected in p for p in found), found


def test_the_checks_catch_a_title_that_is_no_heading(built_examples: Path) -> None:
    """LibreOffice tags Word's Title style /Title, role-mapped to /P; saksgen maps it to /H1."""
    with pikepdf.open(built_examples / "output" / MEETINGS[0] / "protokoll.pdf") as pdf:
        role_map = pdf.Root.StructTreeRoot.RoleMap
        assert role_map.Title == "/H1"
        role_map.Title = pikepdf.Name.P
        found = problems(pdf)
    assert "a /Title role-mapped to /P: the title paragraph is not a heading" in found
    assert "7.4.2-1 [14-002]: the first heading is H2, not H1" in found
