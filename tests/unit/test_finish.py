"""convert/finish.py: LibreOffice-like PDF bytes in, reproducible PDF/A bytes out (fixture PDFs)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pikepdf
import pytest

from saksgen.convert.finish import finish, pdf_date
from saksgen.convert.jobs import PdfJob
from saksgen.errors import ToolFailed

PDFS = Path(__file__).resolve().parent.parent / "fixtures" / "pdf"
DATE = dt.date(2024, 3, 6)


def job(tmp_path: Path, title: str = "Felles <logg> & plattform", docx: bytes = b"docx-bytes") -> PdfJob:
    source = tmp_path / "sak.docx"
    source.write_bytes(docx)
    return PdfJob(source, tmp_path / "sak.pdf", title, "Helse Vest RHF", "Sak 32/24", DATE, "saker/sak.yaml")


def finished(tmp_path: Path, **kw: str) -> pikepdf.Pdf:
    data = finish((PDFS / "libreoffice-pdfa2b.pdf").read_bytes(), job(tmp_path, **kw))
    return pikepdf.open(io.BytesIO(data))


def test_metadata_comes_from_the_case(tmp_path: Path) -> None:
    pdf = finished(tmp_path)
    info = pdf.trailer.Info
    assert str(info.Title) == "Felles <logg> & plattform"
    assert str(info.Author) == "Helse Vest RHF"
    assert str(info.Subject) == "Sak 32/24"
    assert str(info.Creator) == "saksgen"
    assert str(info.Producer) == "LibreOffice 7.4"  # kept from LibreOffice
    assert str(info.CreationDate) == str(info.ModDate) == pdf_date(DATE) == "D:20240306000000+00'00'"
    meta = pdf.open_metadata()
    assert meta["dc:title"] == "Felles <logg> & plattform"
    assert meta["xmp:CreateDate"] == "2024-03-06T00:00:00+00:00"
    assert str(pdf.Root.Lang) == "nb-NO"
    assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)


def test_pdfa_markers_kept_and_quirks_fixed(tmp_path: Path) -> None:
    pdf = finished(tmp_path)
    meta = pdf.open_metadata()
    assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "B")
    assert "/DocChecksum" not in pdf.trailer
    assert pdf.pages[0].obj.Tabs == pikepdf.Name.S
    icc = pdf.Root.OutputIntents[0].DestOutputProfile.read_bytes()
    assert icc[24:36] == b"".join(v.to_bytes(2, "big") for v in (2024, 3, 6, 0, 0, 0))
    assert icc[84:100] != bytes(range(1, 17))  # profile ID recomputed for the new date
    assert bytes(pdf.trailer.ID[0]) != bytes(range(100, 116))


def test_same_input_same_bytes_and_different_docx_different_id(tmp_path: Path) -> None:
    source = (PDFS / "libreoffice-pdfa2b.pdf").read_bytes()
    first = finish(source, job(tmp_path))
    assert finish(source, job(tmp_path)) == first
    other = pikepdf.open(io.BytesIO(finish(source, job(tmp_path, docx=b"other docx"))))
    assert bytes(other.trailer.ID[0]) != bytes(pikepdf.open(io.BytesIO(first)).trailer.ID[0])


@pytest.mark.parametrize(
    ("fixture", "message"),
    [("untagged.pdf", "tagget"), ("libreoffice-pdfa1b.pdf", "PDF/A-1b")],
)
def test_refuses_what_libreoffice_should_have_made(tmp_path: Path, fixture: str, message: str) -> None:
    with pytest.raises(ToolFailed, match=message):
        finish((PDFS / fixture).read_bytes(), job(tmp_path))
