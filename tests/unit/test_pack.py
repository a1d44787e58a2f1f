"""assemble/pack.py on fixture PDFs: pages, bookmarks, stamps, links, determinism, damaged input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pikepdf
import pytest

from saksgen.assemble.pack import PackError, PackMeta, PackPart, build_pack

PDFS = Path(__file__).resolve().parent.parent / "fixtures" / "pdf"
DATE = dt.date(2024, 6, 12)


def _meta(title: str, author: str) -> PackMeta:
    return PackMeta(
        title=title,
        author=author,
        date=DATE,
        lang="nb-NO",
        page_text=lambda side, sider: f"Saksdokumenter side {side} av {sider}",
        pdfa=False,  # the fixture parts are not PDF/A
    )


def parts() -> list[PackPart]:
    paper = PackPart("Sak 32/24 Loggplattform", PDFS / "two-pages.pdf", "Sak 32/24", link_name="32-sak.pdf")
    paper.children.append(PackPart("Vedlegg 1: Mandat", PDFS / "untagged.pdf", "Sak 32/24"))
    return [PackPart("Sakliste", PDFS / "link-to-paper.pdf", "Sakliste"), paper]


def test_pack_pages_bookmarks_links_and_metadata(tmp_path: Path) -> None:
    target = tmp_path / "saksdokumenter.pdf"
    build_pack(parts(), target, _meta("Saksdokumenter", "Sekretariatet"))
    with pikepdf.open(target) as pdf:
        assert len(pdf.pages) == 4
        with pdf.open_outline() as outline:
            top = [(item.title, [c.title for c in item.children]) for item in outline.root]
        assert top == [("Sakliste", []), ("Sak 32/24 Loggplattform", ["Vedlegg 1: Mandat"])]
        link = pdf.pages[0].Annots[0]
        assert "/A" not in link and link.Dest[0].objgen == pdf.pages[1].obj.objgen
        for page in pdf.pages:
            assert "/SaksgenStempel" in page.Resources.XObject
        assert str(pdf.docinfo["/Title"]) == "Saksdokumenter"
        assert str(pdf.docinfo["/CreationDate"]) == "D:20240612000000+00'00'"
        assert str(pdf.Root.Lang) == "nb-NO"


def test_pack_is_reproducible(tmp_path: Path) -> None:
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for target in (a, b):
        build_pack(parts(), target, _meta("T", "A"))
    assert a.read_bytes() == b.read_bytes()


def test_damaged_part_is_a_pack_error_and_nothing_is_written(tmp_path: Path) -> None:
    target = tmp_path / "saksdokumenter.pdf"
    bad = [PackPart("Sak", PDFS / "damaged.pdf", "Sak 1/24")]
    with pytest.raises(PackError):
        build_pack(bad, target, _meta("T", "A"))
    assert list(tmp_path.iterdir()) == []
