"""The PDF/UA repairs of convert/tagging.py and convert/artifacts.py on small PDFs made here:
loose line art becomes an artifact (text never does), Title is a heading, notes get IDs."""

from __future__ import annotations

from pathlib import Path

import pikepdf

from saksgen.assemble.pack import PackPart, build_pack
from saksgen.convert.artifacts import mark_loose_line_art
from saksgen.convert.tagging import identify_notes, title_as_heading
from tests.unit.test_pack_pdf import meta, tagged_pdf

Name = pikepdf.Name


def _page_with(content: bytes) -> pikepdf.Pdf:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].Contents = pdf.make_stream(content)
    return pdf


def _ops(pdf: pikepdf.Pdf) -> list[str]:
    return [str(i.operator) for i in pikepdf.parse_content_stream(pdf.pages[0])]


def test_loose_line_art_becomes_an_artifact_and_tagged_content_stays() -> None:
    pdf = _page_with(
        b"/P <</MCID 0>> BDC BT /F1 12 Tf (a) Tj ET EMC q 0.5 w 0 0 m 10 0 l S Q /P <</MCID 1>> BDC EMC"
    )
    assert mark_loose_line_art(pdf) == 1
    ops = _ops(pdf)
    assert ops[ops.index("q") - 1] == "BMC" and ops[ops.index("Q") + 1] == "EMC"
    assert pikepdf.parse_content_stream(pdf.pages[0])[ops.index("q") - 1].operands[0] == Name.Artifact
    assert ops.count("BDC") == 2
    assert mark_loose_line_art(pdf) == 0  # nothing loose any more


def test_loose_text_and_open_text_objects_are_left_alone() -> None:
    for content in (b"BT /F1 12 Tf (a) Tj ET 0 0 m 1 1 l S", b"BT 0 0 m 1 1 l S /P <</MCID 0>> BDC ET EMC"):
        pdf = _page_with(content)
        assert mark_loose_line_art(pdf) == 0
        assert "BMC" not in _ops(pdf)


def _tree(pdf: pikepdf.Pdf, *kids: pikepdf.Dictionary, role_map: dict[str, str] | None = None) -> None:
    doc = pdf.make_indirect(pikepdf.Dictionary(Type=Name.StructElem, S=Name.Document, K=pikepdf.Array()))
    root = pikepdf.Dictionary(Type=Name.StructTreeRoot, K=doc)
    if role_map:
        root.RoleMap = pikepdf.Dictionary({k: Name(v) for k, v in role_map.items()})
    pdf.Root.StructTreeRoot = pdf.make_indirect(root)
    doc.P = pdf.Root.StructTreeRoot
    for kid in kids:
        kid.P = doc
        doc.K.append(kid)


def test_title_style_is_mapped_to_h1_only_when_it_was_a_paragraph() -> None:
    pdf = pikepdf.new()
    _tree(pdf, role_map={"/Title": "/P", "/Topplinje": "/P"})
    assert title_as_heading(pdf)
    assert pdf.Root.StructTreeRoot.RoleMap.Title == Name.H1
    assert pdf.Root.StructTreeRoot.RoleMap.Topplinje == Name.P
    assert not title_as_heading(pdf)  # already a heading


def test_each_note_gets_an_id_listed_in_the_id_tree() -> None:
    pdf = pikepdf.new()
    notes = [
        pdf.make_indirect(pikepdf.Dictionary(Type=Name.StructElem, S=Name.Note, K=pikepdf.Array()))
        for _ in range(11)
    ]
    _tree(pdf, *notes)
    assert identify_notes(pdf) == 11
    ids = [bytes(n.ID) for n in notes]
    assert ids[0] == b"note-1" and len(set(ids)) == 11
    names = pdf.Root.StructTreeRoot.IDTree.Names
    keys = [bytes(names[i]) for i in range(0, len(names), 2)]
    assert keys == sorted(ids)  # a name tree's keys in byte order ("note-10" before "note-2")
    assert all(names[i + 1].objgen == notes[ids.index(keys[i // 2])].objgen for i in range(0, len(names), 2))


def test_pack_keeps_note_ids_unique_across_papers(tmp_path: Path) -> None:
    parts = []
    for name in ("a", "b"):
        path = tagged_pdf(tmp_path / f"{name}.pdf", 1)
        with pikepdf.open(path, allow_overwriting_input=True) as pdf:
            note = pdf.make_indirect(pikepdf.Dictionary(Type=Name.StructElem, S=Name.Note, K=pikepdf.Array()))
            note.P = pdf.Root.StructTreeRoot.K
            pdf.Root.StructTreeRoot.K.K.append(note)
            assert identify_notes(pdf) == 1
            pdf.save(path)
        parts.append(PackPart(name.upper(), path, name.upper()))
    build_pack(parts, tmp_path / "pakke.pdf", meta())
    with pikepdf.open(tmp_path / "pakke.pdf") as pdf:
        names = pdf.Root.StructTreeRoot.IDTree.Names
        keys = [bytes(names[i]) for i in range(0, len(names), 2)]
        assert keys == [b"1-note-1", b"2-note-1"]
        assert [bytes(names[i + 1].ID) for i in range(0, len(names), 2)] == keys
