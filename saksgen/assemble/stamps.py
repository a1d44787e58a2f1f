"""The pack's stamps: case number top right, running page number bottom right, and on an exempt
attachment the exemption marking top left. Drawn by reportlab in an embedded TrueType font
(an unembedded standard font would break PDF/A) and placed on each page as an /Artifact, so
they are not content for screen readers or the structure tree.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from saksgen.errors import SaksgenError

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/crosextra/Carlito-Regular.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
]
FONT_NAME = "SaksgenStamp"


class StampFontMissing(SaksgenError):
    code = "pakke-feilet"


@dataclass(frozen=True)
class Stamp:
    width: float
    height: float
    top_right: str  # case number
    bottom_right: str  # "Saksdokumenter side X av Y"
    top_left: str = ""  # exemption marking, or empty


def font_path() -> str:
    """A TrueType font reportlab can embed: Carlito or Liberation Sans, else fontconfig's."""
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    if shutil.which("fc-match"):
        for family in ("Carlito", "Liberation Sans", "DejaVu Sans", "sans"):
            out = subprocess.run(
                ["fc-match", "-f", "%{file}", family], capture_output=True, text=True, check=False
            )
            if out.returncode == 0 and out.stdout.lower().endswith(".ttf") and Path(out.stdout).is_file():
                return out.stdout
    raise StampFontMissing(
        "fant ingen TrueType-skrift til stemplene i saksdokumentene (Carlito eller Liberation Sans); "
        "installer fonts-crosextra-carlito eller fonts-liberation2"
    )


def render(stamps: list[Stamp]) -> pikepdf.Pdf:
    """One overlay page per pack page."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, font_path()))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1, pageCompression=1, initialFontName=FONT_NAME, initialFontSize=8)  # type: ignore[arg-type]
    for s in stamps:
        c.setPageSize((s.width, s.height))
        c.setFont(FONT_NAME, 8)
        c.setFillGray(0.35)
        if s.top_right:
            c.drawRightString(s.width - 28, s.height - 20, s.top_right)
        c.drawRightString(s.width - 28, 14, s.bottom_right)
        if s.top_left:
            c.setFillColorRGB(0.6, 0, 0)
            c.setFont(FONT_NAME, 9)
            c.drawString(28, s.height - 20, s.top_left)
        c.showPage()
    c.save()
    return pikepdf.open(io.BytesIO(buf.getvalue()))


def apply(pdf: pikepdf.Pdf, page: pikepdf.Page, stamp_page: pikepdf.Page) -> None:
    """Draw ``stamp_page`` over ``page`` as a pagination artifact, under a fixed resource name
    (pikepdf's add_overlay picks a random one, which would make the pack differ per run)."""
    form = pdf.copy_foreign(stamp_page.as_form_xobject())
    # Pages of one source PDF often share one /Resources dictionary: give each page its own
    # (shallow) copy, or every page would show the last page's stamp.
    resources = pikepdf.Dictionary(dict(page.obj.get("/Resources", {}).items()))
    xobjects = pikepdf.Dictionary(dict(resources.get("/XObject", {}).items()))
    xobjects.SaksgenStempel = form
    resources.XObject = xobjects
    page.obj.Resources = resources
    # q/Q around the page's own content so its graphics state cannot move the stamp.
    page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
    page.contents_add(
        pdf.make_stream(b"\nQ /Artifact <</Type /Pagination>> BDC q /SaksgenStempel Do Q EMC\n")
    )


FOOTER_BAND = 56.0  # points above the page's bottom edge: the template's footer lines


def drop_footer(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """Remove the paper's own page number ("Side X av Y", a LibreOffice footer artifact whose
    text starts in the bottom band), so a pack page shows one page number: the pack's."""
    ops = pikepdf.parse_content_stream(page)
    bottom = float(page.mediabox[1])
    keep: list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage] = []
    block: list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage] | None = None
    footer = False
    depth = 0
    changed = False
    for instr in ops:
        op = str(instr.operator)
        if block is None:
            if op == "BMC" and list(instr.operands) == [pikepdf.Name.Artifact]:
                block, footer, depth = [instr], False, 1
            else:
                keep.append(instr)
            continue
        block.append(instr)
        if op in ("BMC", "BDC"):
            depth += 1
        elif op == "EMC":
            depth -= 1
            if depth == 0:
                if footer:
                    changed = True
                else:
                    keep.extend(block)
                block = None
        elif op in ("Td", "TD") and len(block) and not footer:
            footer = float(instr.operands[1]) - bottom < FOOTER_BAND
        elif op == "Tm" and not footer:
            footer = float(instr.operands[5]) - bottom < FOOTER_BAND
    if block is not None:
        keep.extend(block)
    if changed:
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(keep))
