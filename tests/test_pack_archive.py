"""The pack as an archive document: PDF/A-2b claim, one structure tree, embedded fonts, stamps
as artifacts, nested outline, page labels, exempt attachments stamped, Ghostscript conversion."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf
import pytest

from saksgen.assemble.pdfa import fonts_embedded, is_conformant, pdfa_part
from tests.conftest import copy_examples, invoke, pdf_text
from tests.font_subsets import fonts, tag_problems
from tests.pdfua_checks import problems

pytestmark = pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript (gs) er ikke installert")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = copy_examples(tmp_path_factory.mktemp("pack") / "repo")
    result = invoke(repo, "build", "--offentlig", "moter/")
    assert result.exit_code == 0, result.output + result.stderr
    return repo


PACKS = [
    "ikt-fagdirektormote-2024-06/saksdokumenter.pdf",
    "ikt-fagdirektormote-2024-06/offentlig/saksdokumenter.pdf",
    "ad-mote-2024-06/saksdokumenter.pdf",
    "ad-mote-2024-06/offentlig/saksdokumenter.pdf",
]


@pytest.mark.parametrize("name", PACKS)
def test_pack_is_tagged_pdfa_with_one_consistent_structure_tree(built: Path, name: str) -> None:
    with pikepdf.open(built / "output" / name) as pdf:
        assert pdfa_part(pdf) == "2"
        meta = pdf.open_metadata()
        assert meta["{http://www.aiim.org/pdfa/ns/id/}conformance"] == "B"
        assert "nb-NO" in str(meta.get("{http://purl.org/dc/elements/1.1/}language"))
        assert str(pdf.Root.Lang) == "nb-NO"
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFA1"
        assert fonts_embedded(pdf)
        assert pdf.Root.PageLabels.Nums[1].S == "/D"
        # One tree: every MCID and link in it, /ParentTree consistent (and the other PDF/UA checks).
        assert problems(pdf) == []
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        keys = [int(nums[i]) for i in range(0, len(nums), 2)]
        assert keys == sorted(set(keys)) and int(pdf.Root.StructTreeRoot.ParentTreeNextKey) > max(keys)
        assert all(int(page.StructParents) in keys for page in pdf.pages)  # no page points at nothing
        # The stamps are artifacts drawn in an embedded font.
        for page in pdf.pages:
            ops = [str(op) for _, op in pikepdf.parse_content_stream(page)]
            assert "BDC" in ops
            contents = page.Contents if isinstance(page.Contents, pikepdf.Array) else [page.Contents]
            data = b"".join(c.read_bytes() for c in contents)
            assert b"/Artifact <</Type /Pagination>> BDC q /SaksgenStempel Do Q EMC" in data
        stamp = pdf.pages[0].Resources.XObject.SaksgenStempel
        assert fonts_embedded(pdf) and any(
            "SaksgenStamp" in str(f.get("/BaseFont")) or "Carlito" in str(f.get("/BaseFont"))
            for f in stamp.Resources.Font.values()
        )


def test_pack_outline_nests_each_papers_headings(built: Path) -> None:
    with pikepdf.open(built / "output" / PACKS[0]) as pdf, pdf.open_outline() as outline:
        items = list(outline.root)
        case = items[1]
        titles = [c.title for c in case.children]
        assert "Bakgrunn for saken" in titles
        assert titles[-2:] == [
            "Vedlegg 1: Utkast til mandat for konseptvalgutredningen",
            "Vedlegg 2: Kartlegging av dagens løsninger for logginnsamling",
        ]
        assert titles.index("Bakgrunn for saken") < titles.index(
            "Vedlegg 1: Utkast til mandat for konseptvalgutredningen"
        )


def test_vedlegg_links_jump_to_the_attachment_itself(built: Path) -> None:
    """`@vedlegg:1` in Sak 32/24 ("i tråd med vedlegg 1") goes to the attachment's first page in
    the pack, not to the "Vedlegg 1:" line of the paper."""
    with pikepdf.open(built / "output" / PACKS[0]) as pdf:
        pages = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
        with pdf.open_outline() as outline:
            case = list(outline.root)[1]
            start = pages[case.destination[0].objgen]
            attachments = [c for c in case.children if c.title.startswith("Vedlegg ")]
            first = {int(c.title.split()[1].rstrip(":")): pages[c.destination[0].objgen] for c in attachments}
        end = first[1]  # the paper's own pages end where its first attachment begins
        jumps = []
        for i in range(start, end):
            for annot in pdf.pages[i].obj.get("/Annots", []):
                dest = annot.get("/Dest")
                if isinstance(dest, pikepdf.Array) and dest[0].objgen in pages:
                    jumps.append(pages[dest[0].objgen])
        # Only the rewrite reaches an attachment page: LibreOffice's own jump is to the paper's page.
        assert first[1] in jumps, (jumps, first)


def test_exempt_attachment_stamped_on_every_page_in_members_pack_only(built: Path) -> None:
    pack = built / "output" / "ad-mote-2024-06" / "saksdokumenter.pdf"
    with pikepdf.open(pack) as pdf, pdf.open_outline() as outline:
        case = next(i for i in outline.root if "44" in i.title)
        att = next(c for c in case.children if c.title.startswith("Vedlegg "))
        start = pdf.pages.index(pikepdf.Page(att.destination[0]))
        total = len(pdf.pages)
    for n in range(start + 1, total + 1):
        assert "Unntatt offentlighet, jf. offl. § 23 første ledd" in pdf_text(
            pack, "-f", str(n), "-l", str(n)
        )
    public = built / "output" / "ad-mote-2024-06" / "offentlig" / "saksdokumenter.pdf"
    with pikepdf.open(public) as pdf:
        assert "offentlig versjon" in str(pdf.docinfo["/Title"])


def test_attachments_made_conformant_with_ghostscript(built: Path) -> None:
    source = built / "vedlegg" / "mandat-loggplattform.pdf"
    assert not is_conformant(source)  # the example attachments do not embed Helvetica
    cached = list((built / "output" / ".saksgen-pdfa").glob("*.pdf"))
    assert cached and all(is_conformant(p) for p in cached)


@pytest.mark.parametrize("gs", ["/finnes/ikke/gs", "false"])
def test_attachment_not_made_conformant_gives_warning_and_no_claim(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gs: str
) -> None:
    """When an attachment cannot be made conformant (here: no gs to run), the pack is still
    built, names the attachment in a located warning and makes no PDF/A claim."""
    repo = copy_examples(tmp_path / "repo")
    monkeypatch.setenv("SAKSGEN_GS", gs)  # a Ghostscript that cannot run / that fails
    result = invoke(repo, "build", "moter/ikt-fagdirektormote-2024-06.yaml")
    out = result.output + result.stderr
    assert result.exit_code == 0, out
    assert "[vedlegg-ikke-pdfa]" in out and "mandat-loggplattform.pdf" in out
    assert "saker/felles-loggplattform.yaml:" in out
    with pikepdf.open(repo / "output" / "ikt-fagdirektormote-2024-06" / "saksdokumenter.pdf") as pdf:
        assert pdfa_part(pdf) == ""
        assert "/OutputIntents" not in pdf.Root
        assert "/StructTreeRoot" in pdf.Root  # still tagged


def test_one_page_number_per_pack_page(built: Path) -> None:
    """The papers' own "Side X av Y" gives way to the pack's number; body text stays."""
    pack = built / "output" / PACKS[0]
    with pikepdf.open(pack) as pdf:
        total = len(pdf.pages)
    for n in range(1, total + 1):
        text = pdf_text(pack, "-f", str(n), "-l", str(n))
        assert text.count(" av ") >= 1 and f"Saksdokumenter side {n} av {total}" in text
        assert not re.search(r"(?<!Saksdokumenter )\bSide \d+ av \d+", text), (n, text)
    assert "Bakgrunn for saken" in pdf_text(pack)


@pytest.mark.parametrize("name", PACKS)
def test_every_font_subset_in_the_pack_has_a_tag_of_its_own(built: Path, name: str) -> None:
    """Each LibreOffice PDF tags its subsets alike (BAAAAA+Carlito, …); in the pack different
    subsets must have different tags (ISO 32000-1 §9.6.4), consistent in every name of a font."""
    with pikepdf.open(built / "output" / name) as pdf:
        found = fonts(pdf)
        assert tag_problems(pdf) == []
        tagged = [f for f in found if f.tags]
        # Several parts, each with its own Carlito subsets: the case the renaming is for.
        assert sum(any(n.endswith("+Carlito") for n in f.names) for f in tagged) >= 3
        stamp = pdf.pages[0].Resources.XObject.SaksgenStempel.Resources.Font
        # The stamp font (added after the parts) keeps reportlab's own tag (letters A-K).
        assert all(re.match(r"/[A-GIJK]{6}\+", str(f.BaseFont)) for f in stamp.values())
    part = built / "output" / name.replace("saksdokumenter.pdf", "sakliste.pdf")
    with pikepdf.open(part) as pdf:  # the papers themselves keep LibreOffice's tags
        assert any(n.startswith("/BAAAAA+") for f in fonts(pdf) for n in f.names)
