"""End-to-end: the real pandoc and LibreOffice build the example cases; the DOCX and PDF they
produce are opened and inspected."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pikepdf
import pytest
from lxml import etree
from openxml_audit import OpenXmlValidator

from tests.conftest import MINIMAL_CASE, copy_examples, docx_text, invoke, pdf_text, write_case

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

IKT_HEADINGS = [
    "Hva saken omhandler i korte trekk",
    "Bakgrunn for saken",
    "Særskilte forhold som bør belyses",
    "Prosess",
    "Vurdering",
    "Budsjettmessige forhold",
    "Omdømme",
    "Behov for fremtidige avsjekkpunkt i RHF IKT-direktørmøte",
    "Forslag til konklusjon",
    "Vedlegg",
]


def headings(path: Path) -> list[str]:
    d = docx.Document(str(path))
    return [p.text for p in d.paragraphs if p.style.name == "Heading 1"]


def xml(path: Path, part: str) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(part))


def test_ikt_paper_reads_like_the_reference_paper(built_examples: Path) -> None:
    path = built_examples / "output" / "felles-loggplattform.docx"
    assert headings(path) == IKT_HEADINGS
    text = docx_text(path)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # Header lines, then the case line, then the title: the order of the standard template.
    assert lines[:4] == [
        "Til:\tRHF IKT/fagdirektørmøtet",
        "Fra:\tHelse Midt-Norge RHF",
        "Dato:\t28. mai 2024",
        "Unntatt offentlighet:\tNei",
    ]
    assert "IKT/fagdirektørmøte – Sak 32/24" in lines
    assert lines.index("IKT/fagdirektørmøte – Sak 32/24") < lines.index(
        "Etablering av felles plattform for sikkerhetslogging i spesialisthelsetjenesten"
    )


def test_ad_paper_has_its_own_headings_and_number_format(built_examples: Path) -> None:
    path = built_examples / "output" / "ki-retningslinjer.docx"
    hs = headings(path)
    assert "Risiko" in hs and hs.index("Risiko") == hs.index("Vurdering") + 1
    assert "Behov for fremtidige avsjekkpunkt i AD-møtet" in hs
    assert "AD-møte – Sak 43-2024" in docx_text(path)
    # Cross-series reference prints as the target's profile writes it.
    assert " sak 32/24" not in docx_text(path)
    assert "IKT/fagdirektørmøtesak 32/24" in pdf_text(path.with_suffix(".pdf"))


def test_lists_restart_and_are_real_word_numbering(built_examples: Path) -> None:
    path = built_examples / "output" / "felles-loggplattform.docx"
    body = xml(path, "word/document.xml")
    num_ids = [n.get(f"{W}val") for n in body.iter(f"{W}numId")]
    assert num_ids, "lists must use Word numbering"
    numbering = xml(path, "word/numbering.xml")
    # The process list (1.-3.) and the conclusion list (1.-2.) are separate numbered lists.
    ordered = {n.get(f"{W}numId") for n in numbering.iter(f"{W}num") if n.get(f"{W}numId") in num_ids}
    assert len(ordered) >= 3  # bullets + two ordered lists
    pdf = pdf_text(path.with_suffix(".pdf"))
    assert re.search(r"1\.\s+Forankring", pdf) and re.search(r"1\.\s+RHF IKT/fagdirektørmøtet slutter", pdf)


def test_footnote_table_image_and_core_properties(built_examples: Path) -> None:
    path = built_examples / "output" / "felles-loggplattform.docx"
    footnotes = "".join(xml(path, "word/footnotes.xml").itertext())
    assert "Tallene er innhentet" in footnotes
    d = docx.Document(str(path))
    assert len(d.tables) == 1  # the cost table (the front matter uses tab stops)
    assert any(c.text == "Helse Sør-Øst" for t in d.tables for row in t.rows for c in row.cells)
    with zipfile.ZipFile(path) as z:
        assert any(n.startswith("word/media/") for n in z.namelist())
    props = d.core_properties
    assert props.title.startswith("Etablering av felles plattform")
    assert props.subject == "Sak 32/24"
    assert props.author == "Helse Midt-Norge RHF"
    assert props.language == "nb-NO"
    assert props.created.date().isoformat() == "2024-05-28"
    assert props.last_modified_by == "Helse Midt-Norge RHF"


def test_every_docx_passes_openxml_audit(built_examples: Path) -> None:
    files = sorted((built_examples / "output").rglob("*.docx"))
    assert len(files) >= 10
    for f in files:
        # A fresh validator per file: one instance carries state from file to file.
        result = OpenXmlValidator().validate(str(f))
        assert result.is_valid, (f, [str(e) for e in result.errors][:5])


def test_fields_cached_results_match_pdf(built_examples: Path) -> None:
    path = built_examples / "output" / "felles-loggplattform.docx"
    body = xml(path, "word/document.xml")
    instr = [" ".join(t.text.split()) for t in body.iter(f"{W}instrText")]
    assert "SEQ Figur \\* ARABIC" in instr and "SEQ Tabell \\* ARABIC" in instr
    refs = [i.split()[1] for i in instr if i.startswith("REF ")]
    names = [b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")]
    ids = [b.get(f"{W}id") for b in body.iter(f"{W}bookmarkStart")]
    assert len(ids) == len(set(ids)) and len(names) == len(set(names))
    assert refs and all(r in names for r in refs)
    text = docx_text(path)
    for expected in ("figur 1", "Tabell 1", "vedlegg 1", "vedlegg 2", "avsnittet «Særskilte forhold"):
        assert expected in text
    pdf = pdf_text(path.with_suffix(".pdf"), "-raw")
    assert "Figur 1: Målarkitektur" in pdf and "Tabell 1: Dagens kostnader" in pdf
    assert "målarkitekturen i figur 1" in " ".join(pdf.split())
    assert "Error: Reference source not found" not in pdf
    assert "Fant ikke referansekilden" not in pdf


def test_exempt_paper_is_marked_on_every_page(built_examples: Path) -> None:
    pdf = built_examples / "output" / "avtale-bildediagnostikk.pdf"
    with pikepdf.open(pdf) as p:
        pages = len(p.pages)
    for n in range(1, pages + 1):
        page = pdf_text(pdf, "-f", str(n), "-l", str(n))
        assert "Unntatt offentlighet, jf. offl. § 23 første ledd" in page
    assert "Ja, jf. offl. § 23 første ledd" in docx_text(pdf.with_suffix(".docx"))


def test_pdf_is_tagged_pdfa_with_fonts_embedded(built_examples: Path) -> None:
    import subprocess

    path = built_examples / "output" / "felles-loggplattform.pdf"
    with pikepdf.open(path) as pdf:
        with pdf.open_metadata() as meta:
            assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("2", "B")
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang).startswith("nb")
        assert str(pdf.docinfo["/Title"]).startswith("Etablering av felles plattform")
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
        assert "Vurdering" in titles
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), fonts.stdout


def test_two_builds_give_identical_bytes(tmp_path: Path) -> None:
    outputs = []
    for name in ("a", "b"):
        repo = copy_examples(tmp_path / name, only=("saker", "figurer", "vedlegg"))
        result = invoke(repo, "build", "saker/felles-loggplattform.yaml")
        assert result.exit_code == 0, result.stderr
        outputs.append(repo / "output")
    for suffix in ("docx", "pdf"):
        a = (outputs[0] / f"felles-loggplattform.{suffix}").read_bytes()
        b = (outputs[1] / f"felles-loggplattform.{suffix}").read_bytes()
        assert a == b, suffix


def test_placeholder_number_and_literal_template_syntax(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    text = MINIMAL_CASE.replace("tittel: En enkel testsak", 'tittel: "Sak om {{ x }} og <w:p> & {% if %}"')
    text = text.replace("Vurderingen.", "Tekst med {{ config }}, <b>fet?</b>, &amp; &#60; og a < b.")
    write_case(repo, "enkel.yaml", text)
    result = invoke(repo, "build", "saker/enkel.yaml", "--format", "docx")
    assert result.exit_code == 0, result.stderr
    out = docx_text(repo / "output" / "enkel.docx")
    assert "IKT/fagdirektørmøte – Sak XX/24" in out
    assert "Sak om {{ x }} og <w:p> & {% if %}" in out
    assert "Tekst med {{ config }}, <b>fet?</b>, &amp; &#60; og a < b." in out
    assert not (repo / "output" / "enkel.pdf").exists()


@pytest.mark.parametrize(
    "broken,code",
    [
        ("møte: finnes-ikke\n", "ukjent-profil"),
        ("tittel: [ikke lukket\n", "yaml-syntaks"),
    ],
)
def test_bad_input_writes_nothing(tmp_path: Path, broken: str, code: str) -> None:
    repo = tmp_path / "repo"
    write_case(repo, "feil.yaml", broken + MINIMAL_CASE.split("\n", 1)[1])
    result = invoke(repo, "build", "saker/feil.yaml")
    assert result.exit_code == 1
    assert f"[{code}]" in result.stderr
    assert re.search(r"^saker/feil\.yaml:\d+:\d+: feil: ", result.stderr, re.M)
    assert "Traceback" not in result.stderr + result.output
    assert not (repo / "output" / "feil.docx").exists()


def test_working_directory_profile_needs_no_code(built_examples: Path) -> None:
    path = built_examples / "output" / "kurve-status.docx"
    assert headings(path) == ["Sammendrag", "Status i prosjektet", "Risiko og tiltak", "Forslag til vedtak"]
    assert "Styringsgruppen - SG-sak XX/24" in docx_text(path)
    assert "Som tabell 1 viser" in pdf_text(path.with_suffix(".pdf"))
