"""The combined meeting pack (saksdokumenter.pdf): agenda, then each paper followed by its PDF
attachments; one bookmark per case and per attachment; every page stamped with its case number
and a page number that runs through the pack; links to other papers become jumps inside the pack.

pikepdf does the page work; reportlab draws the stamps, because it embeds a subset of a real
TrueType font (an unembedded standard font would break the "all fonts embedded" promise).
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from saksgen.convert.finish import pdf_date
from saksgen.errors import SaksgenError
from saksgen.write import atomic_path

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/crosextra/Carlito-Regular.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
]


class PackError(SaksgenError):
    code = "pakke-feilet"


@dataclass
class PackPart:
    """One bookmark in the pack: a PDF, its stamp text, and nested parts (attachments)."""

    title: str
    pdf: Path
    stamp: str
    link_name: str | None = None  # file name other documents link to (e.g. "32-x.pdf")
    children: list[PackPart] = field(default_factory=list)


def _font_path() -> str | None:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    if shutil.which("fc-match"):
        out = subprocess.run(
            ["fc-match", "-f", "%{file}", "sans"], capture_output=True, text=True, check=False
        )
        if out.returncode == 0 and out.stdout.endswith(".ttf"):
            return out.stdout
    return None


def _stamps(pages: list[tuple[float, float, str]], total: int) -> pikepdf.Pdf:
    """One overlay page per pack page: case number top right, running page number bottom right."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = "Helvetica"
    path = _font_path()
    if path:
        if "SaksgenStamp" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("SaksgenStamp", path))
        font = "SaksgenStamp"
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1, pageCompression=1)
    for i, (width, height, stamp) in enumerate(pages, start=1):
        c.setPageSize((width, height))
        c.setFont(font, 8)
        c.setFillGray(0.35)
        c.drawRightString(width - 28, height - 20, stamp)
        c.drawRightString(width - 28, 14, f"Saksdokumenter side {i} av {total}")
        c.showPage()
    c.save()
    return pikepdf.open(io.BytesIO(buf.getvalue()))


def _stamp(pdf: pikepdf.Pdf, page: pikepdf.Page, stamp_page: pikepdf.Page) -> None:
    """Draw ``stamp_page`` over ``page`` under a fixed resource name (pikepdf's add_overlay
    picks a random one, which would make the pack differ from run to run)."""
    form = pdf.copy_foreign(stamp_page.as_form_xobject())
    # Pages of one source PDF often share one /Resources dictionary: give each page its own
    # (shallow) copy, or every page would show the last page's stamp.
    resources = pikepdf.Dictionary(dict(page.obj.get("/Resources", {}).items()))
    xobjects = pikepdf.Dictionary(dict(resources.get("/XObject", {}).items()))
    xobjects.SaksgenStempel = form
    resources.XObject = xobjects
    page.obj.Resources = resources
    # Wrap the page's own content in q/Q so its graphics state cannot move the stamp.
    page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
    page.contents_add(pdf.make_stream(b"\nQ q /SaksgenStempel Do Q\n"))


def build_pack(parts: list[PackPart], target: Path, *, title: str, author: str, date: dt.date) -> None:
    """Write the pack atomically; any failure is one Norwegian PackError, the target untouched."""
    builder = _PackBuilder()
    try:
        builder.add_all(parts)
        builder.finish(parts, title=title, author=author, date=date)
        with atomic_path(target) as tmp:
            builder.out.save(tmp, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    except PackError:
        raise
    except (pikepdf.PdfError, OSError, ValueError, KeyError) as exc:
        # What damaged or unusual input PDFs raise in pikepdf; anything else is a bug of ours.
        raise PackError(
            f"kunne ikke sette sammen {target.name} ({type(exc).__name__}); "
            "er alle vedleggene gyldige PDF-filer?"
        ) from None
    finally:
        builder.close()


class _PackBuilder:
    def __init__(self) -> None:
        self.out = pikepdf.new()
        self.opened: list[pikepdf.Pdf] = []
        self.stamps: list[tuple[float, float, str]] = []  # page width, height, stamp text
        self.starts: dict[int, int] = {}  # id(part) -> index of its first page
        self.link_targets: dict[str, int] = {}  # linked file name -> first page

    def add_all(self, parts: list[PackPart]) -> None:
        for part in parts:
            self.add(part)

    def add(self, part: PackPart) -> None:
        try:
            src = pikepdf.open(part.pdf)
        except (pikepdf.PdfError, OSError):
            raise PackError(
                f"kan ikke lese {part.pdf.name} til saksdokumentene; er det en gyldig PDF-fil?"
            ) from None
        self.opened.append(src)
        self.starts[id(part)] = len(self.out.pages)
        if part.link_name:
            self.link_targets[part.link_name] = len(self.out.pages)
        for page in src.pages:
            self.out.pages.append(page)
            box = [float(v) for v in self.out.pages[-1].mediabox]
            self.stamps.append((box[2] - box[0], box[3] - box[1], part.stamp))
        self.add_all(part.children)

    def finish(self, parts: list[PackPart], *, title: str, author: str, date: dt.date) -> None:
        out = self.out
        overlay = _stamps(self.stamps, len(self.stamps))
        for page, stamp_page in zip(out.pages, overlay.pages, strict=True):
            _stamp(out, page, stamp_page)
        _relink(out, self.link_targets)
        with out.open_outline() as outline:
            outline.root.clear()
            for part in parts:
                item = pikepdf.OutlineItem(part.title, self.starts[id(part)])
                for child in part.children:
                    item.children.append(pikepdf.OutlineItem(child.title, self.starts[id(child)]))
                outline.root.append(item)
        out.Root.Lang = pikepdf.String("nb-NO")
        out.Root.PageMode = pikepdf.Name.UseOutlines
        out.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        for key, value in (
            ("/Title", title),
            ("/Author", author),
            ("/Creator", "saksgen"),
            ("/Producer", "saksgen"),
            ("/CreationDate", pdf_date(date)),
            ("/ModDate", pdf_date(date)),
        ):
            out.docinfo[key] = value

    def close(self) -> None:
        for src in self.opened:
            src.close()


def _relink(pdf: pikepdf.Pdf, targets: dict[str, int]) -> None:
    """A link to a sibling paper ("32-x.pdf") becomes a jump to that paper's first page."""
    if not targets:
        return
    for page in pdf.pages:
        for annot in page.get("/Annots", []):
            action = annot.get("/A")
            if annot.get("/Subtype") != "/Link" or action is None:
                continue
            uri = str(action.get("/URI", "")) or str(action.get("/F", ""))
            name = uri.rsplit("/", 1)[-1]
            if name in targets:
                del annot["/A"]
                annot.Dest = pikepdf.Array([pdf.pages[targets[name]].obj, pikepdf.Name.Fit])
