"""PDF finishing: LibreOffice's PDF bytes in, reproducible PDF/A bytes with the case's metadata out.

LibreOffice's PDFs are not reproducible (clock dates in /Info, XMP and the ICC profile, a random
trailer /ID, a /DocChecksum). ``finish`` fixes each of these with pikepdf and sets the metadata
from the case. No LibreOffice here: unit-tested on fixture PDFs.
"""

from __future__ import annotations

import datetime
import hashlib
import html
import io
import re

import pikepdf

from saksgen.convert.jobs import PdfJob
from saksgen.convert.tagging import repair
from saksgen.errors import ToolFailed

PRODUCER_FALLBACK = "LibreOffice"
CREATOR = "saksgen"
DOC_LANG = "nb-NO"

# The PDF/A identification LibreOffice must have written; we copy it, never invent it.
_NS_PDFAID = "http://www.aiim.org/pdfa/ns/id/"


def pdf_date(date: datetime.date) -> str:
    """A PDF date string at midnight UTC of ``date`` (the case's or meeting's date)."""
    return f"D:{date:%Y%m%d}000000+00'00'"


# Characters XML 1.0 does not allow; the XMP packet must stay well-formed whatever the title holds.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value: str) -> str:
    return html.escape(_XML_INVALID.sub("", value), quote=False)


def _xmp_date(date: datetime.date) -> str:
    return f"{date:%Y-%m-%d}T00:00:00+00:00"


def finish(data: bytes, job: PdfJob) -> bytes:
    """LibreOffice's PDF -> the PDF saksgen writes. Raises ToolFailed when LibreOffice did not make
    a tagged PDF/A-2b (the claim is copied, never invented)."""
    with pikepdf.open(io.BytesIO(data), attempt_recovery=False) as pdf:
        root = pdf.Root
        # Tagging must come from LibreOffice; faking an empty structure tree would be a lie to
        # screen readers and to PDF/A-2a-minded validators.
        marked = root.get("/MarkInfo")
        if "/StructTreeRoot" not in root or marked is None or not bool(marked.get("/Marked", False)):
            raise ToolFailed(f"LibreOffice laget ikke en tagget PDF for saken {job.label}.")
        part, conformance = _pdfa_identification(pdf)
        if (part, conformance.upper()) != ("2", "B"):
            got = f"PDF/A-{part}{conformance.lower()}" if part else "vanlig PDF"
            raise ToolFailed(
                f"LibreOffice laget ikke PDF/A-2b for saken {job.label} (fikk {got}); "
                "saksgen trenger LibreOffice 7.4 eller nyere."
            )

        # The målform's language, whatever LibreOffice took from the document defaults.
        root.Lang = pikepdf.String(job.lang or DOC_LANG)
        prefs = root.get("/ViewerPreferences")
        if not isinstance(prefs, pikepdf.Dictionary):
            prefs = root.ViewerPreferences = pikepdf.Dictionary()
        prefs.DisplayDocTitle = True

        old_info = pdf.trailer.get("/Info")
        producer = str(old_info.get("/Producer", PRODUCER_FALLBACK)) if old_info else PRODUCER_FALLBACK
        info = pikepdf.Dictionary(
            Title=pikepdf.String(job.title),
            Creator=pikepdf.String(CREATOR),
            Producer=pikepdf.String(producer),
            CreationDate=pikepdf.String(pdf_date(job.date)),
            ModDate=pikepdf.String(pdf_date(job.date)),
        )
        if job.author:
            info.Author = pikepdf.String(job.author)
        if job.subject:
            info.Subject = pikepdf.String(job.subject)
        pdf.trailer.Info = pdf.make_indirect(info)

        root.Metadata = pdf.make_stream(
            _xmp_packet(job, producer, part, conformance),
            Type=pikepdf.Name.Metadata,
            Subtype=pikepdf.Name.XML,
        )
        _fix_output_intents(pdf, job.date)
        _fix_tabs(pdf)
        repair(pdf)

        # LibreOffice's MD5 of the document; it covers the clock dates, so it differs each run.
        if "/DocChecksum" in pdf.trailer:
            del pdf.trailer["/DocChecksum"]

        # Trailer /ID. qpdf's deterministic_id only recomputes the second element (the "this
        # version" ID) from the written bytes and keeps the first (the permanent ID) from the
        # trailer, where LibreOffice put an MD5 of the clock. So the permanent ID is derived from
        # what the document is made of: the DOCX bytes and the metadata of the job.
        permanent = _permanent_id(job)
        pdf.trailer.ID = pikepdf.Array([pikepdf.String(permanent), pikepdf.String(permanent)])

        out = io.BytesIO()
        pdf.save(
            out,
            deterministic_id=True,
            # Would rewrite our XMP packet; our packet carries no pdf:PDFVersion anyway.
            fix_metadata_version=False,
            preserve_pdfa=True,
            # PDF/A-2 (PDF 1.7 based) allows object and cross-reference streams: smaller files.
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            compress_streams=True,
        )
        return out.getvalue()


def _permanent_id(job: PdfJob) -> bytes:
    digest = hashlib.sha256(b"saksgen-pdf\0")
    digest.update(job.docx.read_bytes())
    for part in (job.title, job.author, job.subject, job.date.isoformat()):
        digest.update(b"\0" + part.encode("utf-8"))
    return digest.digest()[:16]


def _pdfa_identification(pdf: pikepdf.Pdf) -> tuple[str, str]:
    """Read pdfaid:part and pdfaid:conformance from LibreOffice's XMP."""
    if "/Metadata" not in pdf.Root:
        return ("", "")
    meta = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
    part = str(meta.get(f"{{{_NS_PDFAID}}}part", ""))
    conformance = str(meta.get(f"{{{_NS_PDFAID}}}conformance", ""))
    return part, conformance


def _xmp_packet(job: PdfJob, producer: str, part: str, conformance: str, lang: str = DOC_LANG) -> bytes:
    """The XMP packet, written out in full so that every byte is ours and stable.

    Mirrors /Info as PDF/A requires: dc:title <-> /Title, dc:creator <-> /Author,
    dc:description <-> /Subject, xmp:CreatorTool <-> /Creator, pdf:Producer <-> /Producer,
    xmp:CreateDate/ModifyDate <-> /CreationDate and /ModDate.
    """
    title = _xml_text(job.title)
    date = _xmp_date(job.date)
    lang = _xml_text(job.lang or DOC_LANG)
    lines = [
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
        f'  <rdf:Description rdf:about="" xmlns:pdfaid="{_NS_PDFAID}">',
        f"   <pdfaid:part>{_xml_text(part)}</pdfaid:part>",
        f"   <pdfaid:conformance>{_xml_text(conformance)}</pdfaid:conformance>",
        "  </rdf:Description>",
        '  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">',
        "   <dc:format>application/pdf</dc:format>",
        "   <dc:title><rdf:Alt>",
        f'    <rdf:li xml:lang="x-default">{title}</rdf:li>',
        f'    <rdf:li xml:lang="{lang}">{title}</rdf:li>',
        "   </rdf:Alt></dc:title>",
    ]
    if job.author:
        author = _xml_text(job.author)
        lines.append(f"   <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>")
    if job.subject:
        lines.append(
            "   <dc:description><rdf:Alt>"
            f'<rdf:li xml:lang="x-default">{_xml_text(job.subject)}</rdf:li>'
            "</rdf:Alt></dc:description>"
        )
    lines += [
        f"   <dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>",
        "  </rdf:Description>",
        '  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">',
        f"   <pdf:Producer>{_xml_text(producer)}</pdf:Producer>",
        "  </rdf:Description>",
        '  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">',
        f"   <xmp:CreatorTool>{CREATOR}</xmp:CreatorTool>",
        f"   <xmp:CreateDate>{date}</xmp:CreateDate>",
        f"   <xmp:ModifyDate>{date}</xmp:ModifyDate>",
        f"   <xmp:MetadataDate>{date}</xmp:MetadataDate>",
        "  </rdf:Description>",
        " </rdf:RDF>",
        "</x:xmpmeta>",
    ]
    # Padding lets editors update the packet in place, as the XMP spec recommends.
    padding = (" " * 99 + "\n") * 20
    return ("\n".join(lines) + "\n" + padding + '<?xpacket end="w"?>').encode("utf-8")


def _fix_tabs(pdf: pikepdf.Pdf) -> None:
    """Repair LibreOffice 7.4's ``/Tabs (S)`` on pages with links: the PDF spec wants a name.

    A string there is a syntax error for PDF/A validators; the tab order it means is kept.
    """
    for page in pdf.pages:
        tabs = page.obj.get("/Tabs")
        if isinstance(tabs, pikepdf.String):
            if str(tabs) in ("R", "C", "S"):
                page.obj.Tabs = pikepdf.Name("/" + str(tabs))
            else:
                del page.obj["/Tabs"]


def _fix_output_intents(pdf: pikepdf.Pdf, date: datetime.date) -> None:
    """Give the embedded ICC profile(s) a creation date from the case instead of the clock.

    LibreOffice generates its sRGB profile with lcms at export time, so the ICC header's
    date-time field (bytes 24-35: six big-endian uint16) holds the current time. Everything
    else in the profile is left untouched; if the header carries a profile ID (bytes 84-99, an
    MD5 over the profile with flags, intent and ID zeroed) it is recomputed so it stays valid.
    """
    intents = pdf.Root.get("/OutputIntents")
    if not isinstance(intents, pikepdf.Array):
        return
    seen: set[tuple[int, int]] = set()
    for intent in intents:
        profile = intent.get("/DestOutputProfile") if isinstance(intent, pikepdf.Dictionary) else None
        if not isinstance(profile, pikepdf.Stream) or profile.objgen in seen:
            continue
        seen.add(profile.objgen)
        data = bytearray(profile.read_bytes())
        if len(data) < 128 or data[36:40] != b"acsp":
            continue  # not an ICC profile we understand; leave it alone
        stamp = b"".join(v.to_bytes(2, "big") for v in (date.year, date.month, date.day, 0, 0, 0))
        if data[24:36] == stamp:
            continue
        data[24:36] = stamp
        if any(data[84:100]):
            scratch = bytearray(data)
            scratch[44:48] = b"\0\0\0\0"  # profile flags
            scratch[64:68] = b"\0\0\0\0"  # rendering intent
            scratch[84:100] = b"\0" * 16  # profile ID
            data[84:100] = hashlib.md5(bytes(scratch)).digest()
        # Leaves /N and other keys as they are; qpdf recompresses it with Flate on save.
        profile.write(bytes(data))


def xmp_packet(job: PdfJob, producer: str, *, part: str, conformance: str, lang: str) -> bytes:
    """The XMP packet for a PDF saksgen assembles itself (the pack), same shape as a paper's."""
    return _xmp_packet(job, producer, part, conformance, lang)
