"""The pack's pure PDF logic on small PDFs made here: structure-tree merge and renumbering,
stamps as artifacts in an embedded font, font-embedding check, outline and labels."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pikepdf

from saksgen.assemble.pack import PackMeta, PackPart, build_pack
from saksgen.assemble.pdfa import fonts_embedded, pdfa_part
from tests.font_subsets import fonts, tag_problems

Name = pikepdf.Name


def tagged_pdf(path: Path, pages: int) -> Path:
    """A tagged PDF: one /P per page (MCID 0), StructParents 0..n-1, one link per page in the tree."""
    pdf = pikepdf.new()
    doc = pdf.make_indirect(pikepdf.Dictionary(Type=Name.StructElem, S=Name.Document, K=pikepdf.Array()))
    nums = pikepdf.Array()
    for i in range(pages):
        pdf.add_blank_page()
        page = pdf.pages[i]
        page.Contents = pdf.make_stream(b"/P <</MCID 0>> BDC EMC")
        page.StructParents = i
        para = pdf.make_indirect(
            pikepdf.Dictionary(Type=Name.StructElem, S=Name.P, P=doc, Pg=page.obj, K=pikepdf.Array([0]))
        )
        doc.K.append(para)
        nums.extend([i, pikepdf.Array([para])])
        annot = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=Name.Annot, Subtype=Name.Link, Rect=[0, 0, 10, 10], StructParent=pages + i
            )
        )
        page.Annots = pikepdf.Array([annot])
        link = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=Name.StructElem,
                S=Name.Link,
                P=doc,
                Pg=page.obj,
                K=pikepdf.Dictionary(Type=Name.OBJR, Obj=annot),
            )
        )
        doc.K.append(link)
        nums.extend([pages + i, link])
    pdf.Root.StructTreeRoot = pdf.make_indirect(
        pikepdf.Dictionary(Type=Name.StructTreeRoot, K=doc, ParentTree=pikepdf.Dictionary(Nums=nums))
    )
    doc.P = pdf.Root.StructTreeRoot
    pdf.save(path)
    return path


def untagged_pdf(path: Path) -> Path:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].Contents = pdf.make_stream(b"BT /F1 12 Tf 72 720 Td (x) Tj ET")
    pdf.pages[0].Resources = pikepdf.Dictionary(
        Font=pikepdf.Dictionary(
            F1=pikepdf.Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
        )
    )
    pdf.save(path)
    return path


def meta(pdfa: bool = False) -> PackMeta:
    return PackMeta(
        "Tittel", "Forfatter", dt.date(2024, 6, 12), "nn-NO", lambda s, n: f"side {s} av {n}", pdfa
    )


def test_merged_tree_renumbers_struct_parents_without_collisions(tmp_path: Path) -> None:
    a, b = tagged_pdf(tmp_path / "a.pdf", 2), tagged_pdf(tmp_path / "b.pdf", 3)
    target = tmp_path / "pakke.pdf"
    build_pack([PackPart("A", a, "A"), PackPart("B", b, "B")], target, meta())
    with pikepdf.open(target) as pdf:
        tree = pdf.Root.StructTreeRoot
        nums = tree.ParentTree.Nums
        keys = [int(nums[i]) for i in range(0, len(nums), 2)]
        assert keys == list(range(10))
        assert int(tree.ParentTreeNextKey) == 10
        parents = [int(p.StructParents) for p in pdf.pages]
        assert len(set(parents)) == 5
        for page in pdf.pages:
            entry = nums[2 * keys.index(int(page.StructParents)) + 1]
            assert entry[0].Pg.objgen == page.obj.objgen  # the entry points at this page's element
            annot = page.Annots[0]
            assert nums[2 * keys.index(int(annot.StructParent)) + 1].K.Obj.objgen == annot.objgen
        assert tree.K.S == "/Document" and [str(p.T) for p in tree.K.K] == ["A", "B"]
        assert str(pdf.Root.Lang) == "nn-NO"
        assert pdf.Root.PageLabels.Nums[0] == 0


def test_untagged_part_gets_figures_and_stamp_font_is_embedded(tmp_path: Path) -> None:
    target = tmp_path / "pakke.pdf"
    build_pack([PackPart("U", untagged_pdf(tmp_path / "u.pdf"), "U", marking="Unntatt")], target, meta())
    with pikepdf.open(target) as pdf:
        fig = pdf.Root.StructTreeRoot.K.K[0].K[0]
        assert fig.S == "/Figure" and str(fig.Alt) == "U"
        data = pdf.pages[0].Contents
        raw = b"".join(c.read_bytes() for c in (data if isinstance(data, pikepdf.Array) else [data]))
        assert raw.index(b"/Figure <</MCID 0>> BDC") < raw.index(b"/Artifact <</Type /Pagination>> BDC")
        stamp_fonts = pdf.pages[0].Resources.XObject.SaksgenStempel.Resources.Font
        assert all(
            "/FontFile2" in f.DescendantFonts[0].FontDescriptor
            if "/DescendantFonts" in f
            else "/FontFile2" in f.FontDescriptor
            for f in stamp_fonts.values()
        )
        assert not fonts_embedded(pdf)  # the attachment's own Helvetica is not
        assert pdfa_part(pdf) == ""  # and no claim was asked for


def test_no_pdfa_claim_without_an_output_intent_to_copy(tmp_path: Path) -> None:
    target = tmp_path / "pakke.pdf"
    build_pack([PackPart("A", tagged_pdf(tmp_path / "a.pdf", 1), "A")], target, meta(pdfa=True))
    with pikepdf.open(target) as pdf:
        assert pdfa_part(pdf) == ""  # no OutputIntent among the parts: never a false claim
        assert "/OutputIntents" not in pdf.Root


def subset_font_pdf(path: Path) -> Path:
    """Two pages named like a LibreOffice export: a TrueType subset shared by both pages, a Type0
    subset (its descendant and descriptor tagged alike) in a form, and an untagged font."""
    pdf = pikepdf.new()

    def descriptor(name: str) -> pikepdf.Object:
        program = pdf.make_stream(b"font program " + name.encode())
        return pdf.make_indirect(
            pikepdf.Dictionary(Type=Name.FontDescriptor, FontName=Name(name), FontFile2=program)
        )

    truetype = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=Name.Font,
            Subtype=Name.TrueType,
            BaseFont=Name("/BAAAAA+Carlito"),
            FontDescriptor=descriptor("/BAAAAA+Carlito"),
        )
    )
    cid = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=Name.Font,
            Subtype=Name.CIDFontType2,
            BaseFont=Name("/CAAAAA+OpenSymbol"),
            FontDescriptor=descriptor("/CAAAAA+OpenSymbol"),
        )
    )
    type0 = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=Name.Font,
            Subtype=Name.Type0,
            BaseFont=Name("/CAAAAA+OpenSymbol"),
            Encoding=Name("/Identity-H"),
            DescendantFonts=pikepdf.Array([cid]),
        )
    )
    plain = pdf.make_indirect(pikepdf.Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    form = pdf.make_stream(
        b"BT /F2 9 Tf (x) Tj ET",
        Type=Name.XObject,
        Subtype=Name.Form,
        BBox=[0, 0, 10, 10],
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F2=type0)),
    )
    shared = pdf.make_indirect(
        pikepdf.Dictionary(
            Font=pikepdf.Dictionary(F1=truetype, F3=plain), XObject=pikepdf.Dictionary(X1=form)
        )
    )
    for _ in range(2):
        pdf.add_blank_page()
        pdf.pages[-1].Resources = shared
        pdf.pages[-1].Contents = pdf.make_stream(b"BT /F1 12 Tf (x) Tj ET /X1 Do")
    pdf.save(path)
    return path


def test_each_parts_font_subsets_get_tags_of_their_own(tmp_path: Path) -> None:
    """Every LibreOffice PDF tags its subsets alike: in the pack, different subsets of the same
    font get different tags (ISO 32000-1 §9.6.4), the same in every name of one font; fonts
    without a tag and the stamp font keep their names; the bytes are the same every time."""
    a, b = subset_font_pdf(tmp_path / "a.pdf"), subset_font_pdf(tmp_path / "b.pdf")
    parts = [PackPart("A", a, "A"), PackPart("B", b, "B", children=[PackPart("V", a, "B-1")])]
    build_pack(parts, tmp_path / "pakke.pdf", meta())
    with pikepdf.open(tmp_path / "pakke.pdf") as pdf:
        assert tag_problems(pdf) == []
        found = fonts(pdf)
        names = sorted(n.split("+", 1)[-1] for f in found if f.tags for n in f.names)
        # per part: Carlito (font, descriptor), OpenSymbol (Type0, descendant, descriptor); the
        # stamp font (font, descriptor)
        assert names.count("Carlito") == 3 * 2 + 2 and names.count("OpenSymbol") == 3 * 3
        tags = {t for f in found for t in f.tags}
        assert len(tags) == 3 * 2 + 1 and "BAAAAA" not in tags and "CAAAAA" not in tags
        assert [f.names for f in found if not f.tags] == [["/Helvetica"]] * 3
        # one font object shared by a part's two pages: renamed once, still one object
        assert pdf.pages[0].Resources.Font.F1.objgen == pdf.pages[1].Resources.Font.F1.objgen
        stamp = pdf.pages[0].Resources.XObject.SaksgenStempel.Resources.Font
        assert all(str(f.BaseFont).startswith("/AAAAA") for f in stamp.values())
    build_pack(parts, tmp_path / "igjen.pdf", meta())
    assert (tmp_path / "igjen.pdf").read_bytes() == (tmp_path / "pakke.pdf").read_bytes()
