"""The combined meeting pack (saksdokumenter.pdf): agenda, then each paper followed by its PDF
attachments, as one archive document.

- PDF/A-2b when every part is (the papers are, attachments are made so in pdfa.py); the claim,
  XMP and OutputIntent are only written when ``pdfa`` is true: never a false claim.
- One structure tree (structure.py), stamps as artifacts in an embedded font (stamps.py).
- Outline: each part, with the part's own outline (a paper's headings) nested under it, then
  its attachments. /PageLabels carry the same page numbers as the stamps.
- Links to other papers ("32-x.pdf") become jumps inside the pack.
- Each part's font subsets get tags of their own (subsets.py): different subsets, different tags.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from saksgen.assemble import attachment_links
from saksgen.assemble import stamps as stamping
from saksgen.assemble.structure import StructureMerger
from saksgen.assemble.subsets import SubsetTags
from saksgen.convert.finish import pdf_date, xmp_packet
from saksgen.convert.jobs import PdfJob
from saksgen.errors import SaksgenError
from saksgen.write import atomic_path


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
    marking: str = ""  # exemption marking stamped on every page (exempt attachments)
    own_footer: bool = False  # a saksgen paper/agenda: its "Side X av Y" gives way to the pack's
    # a paper: attachment number -> the Word bookmark around the N of its "Vedlegg N:" line
    attachment_bookmarks: dict[int, str] = field(default_factory=dict)
    attachment_number: int | None = None  # an attachment: its N


@dataclass(frozen=True)
class PackMeta:
    title: str
    author: str
    date: dt.date
    lang: str
    page_text: Callable[[int, int], str]  # (page, pages) -> "Saksdokumenter side X av Y"
    pdfa: bool = True


def build_pack(parts: list[PackPart], target: Path, meta: PackMeta) -> None:
    """Write the pack atomically; any failure is one Norwegian PackError, the target untouched."""
    builder = _PackBuilder()
    try:
        builder.add_all(parts)
        builder.finish(parts, meta)
        with atomic_path(target) as tmp:
            builder.out.save(
                tmp,
                deterministic_id=True,
                fix_metadata_version=False,
                object_stream_mode=pikepdf.ObjectStreamMode.generate,
            )
    except SaksgenError as exc:
        if isinstance(exc, PackError):
            raise
        raise PackError(exc.message) from None
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
        self.out.Root.Pages.Kids = pikepdf.Array()
        self.opened: list[pikepdf.Pdf] = []
        self.stamps: list[tuple[float, float, str, str]] = []  # width, height, stamp, marking
        self.starts: dict[int, int] = {}  # id(part) -> index of its first page
        self.outlines: dict[int, list[pikepdf.OutlineItem]] = {}  # id(part) -> its own outline
        self.link_targets: dict[str, int] = {}  # linked file name -> first page
        self.structure = StructureMerger(self.out)
        self.output_intents: pikepdf.Object | None = None
        self.subset_tags = SubsetTags()

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
        first = len(self.out.pages)
        self.starts[id(part)] = first
        if part.link_name:
            self.link_targets[part.link_name] = first
        for page in src.pages:
            self.out.pages.append(page)
            if part.own_footer:
                stamping.drop_footer(self.out, self.out.pages[-1])
            box = [float(v) for v in self.out.pages[-1].mediabox]
            self.stamps.append((box[2] - box[0], box[3] - box[1], part.stamp, part.marking))
        # Every LibreOffice PDF tags its font subsets alike (BAAAAA+Carlito, …): new tags here.
        self.subset_tags.retag(list(self.out.pages[first:]), len(self.opened) - 1)
        if not self.structure.add_tagged(src, first, part.title):
            self.structure.add_untagged(first, len(src.pages), part.title)
        if self.output_intents is None and "/OutputIntents" in src.Root:
            self.output_intents = self.out.copy_foreign(src.make_indirect(src.Root.OutputIntents))
        self.outlines[id(part)] = _copy_outline(src, first)
        self.add_all(part.children)
        starts = {c.attachment_number: self.starts[id(c)] for c in part.children if c.attachment_number}
        if part.attachment_bookmarks and starts:
            lines = attachment_links.attachment_lines(src, part.attachment_bookmarks)
            attachment_links.relink(self.out, first, len(src.pages), lines, starts)

    def finish(self, parts: list[PackPart], meta: PackMeta) -> None:
        out = self.out
        total = len(self.stamps)
        overlay = stamping.render(
            [
                stamping.Stamp(w, h, stamp, meta.page_text(i, total), marking)
                for i, (w, h, stamp, marking) in enumerate(self.stamps, start=1)
            ]
        )
        for page, stamp_page in zip(out.pages, overlay.pages, strict=True):
            stamping.apply(out, page, stamp_page)
        _relink(out, self.link_targets)
        self.structure.write()
        with out.open_outline() as outline:
            outline.root.clear()
            for part in parts:
                item = pikepdf.OutlineItem(part.title, self.starts[id(part)])
                item.children.extend(_without_title(self.outlines[id(part)], part.title))
                for child in part.children:
                    sub = pikepdf.OutlineItem(child.title, self.starts[id(child)])
                    sub.children.extend(self.outlines[id(child)])
                    item.children.append(sub)
                outline.root.append(item)
        # Labels "1", "2", … for the whole pack: the same numbers the stamps print.
        out.Root.PageLabels = pikepdf.Dictionary(
            Nums=pikepdf.Array([0, pikepdf.Dictionary(S=pikepdf.Name.D)])
        )
        out.Root.Lang = pikepdf.String(meta.lang)
        out.Root.PageMode = pikepdf.Name.UseOutlines
        out.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        info = {
            "/Title": meta.title,
            "/Author": meta.author,
            "/Creator": "saksgen",
            "/Producer": "saksgen",
            "/CreationDate": pdf_date(meta.date),
            "/ModDate": pdf_date(meta.date),
        }
        for key, value in info.items():
            out.docinfo[key] = value
        if meta.pdfa and self.output_intents is not None:
            out.Root.OutputIntents = self.output_intents
            job = PdfJob(Path(), Path(), meta.title, meta.author, "", meta.date, meta.title)
            out.Root.Metadata = out.make_stream(
                xmp_packet(job, "saksgen", part="2", conformance="B", lang=meta.lang),
                Type=pikepdf.Name.Metadata,
                Subtype=pikepdf.Name.XML,
            )

    def close(self) -> None:
        for src in self.opened:
            src.close()


def _without_title(items: list[pikepdf.OutlineItem], title: str) -> list[pikepdf.OutlineItem]:
    """A paper's outline starts with its own title (a heading, for accessibility), which the
    pack's entry for the case already shows ("Sak 32/24 <title>"): not twice."""
    if items and (items[0].title == title or title.endswith(" " + items[0].title)):
        return items[1:]
    return items


def _copy_outline(src: pikepdf.Pdf, first: int) -> list[pikepdf.OutlineItem]:
    """The part's own outline, its destinations moved to the part's pages in the pack."""
    pages: dict[tuple[int, int], int] = {page.obj.objgen: i for i, page in enumerate(src.pages)}
    try:
        with src.open_outline() as outline:
            return [_item(item, src, pages, first) for item in outline.root]
    except (pikepdf.PdfError, pikepdf.OutlineStructureError):
        return []


def _item(
    item: pikepdf.OutlineItem, src: pikepdf.Pdf, pages: dict[tuple[int, int], int], first: int
) -> pikepdf.OutlineItem:
    index = 0
    dest: object = item.destination
    if dest is None and item.action is not None:
        dest = item.action.get("/D")
    if isinstance(dest, (pikepdf.String, pikepdf.Name)):
        try:
            names = src.Root.Names.Dests if "/Names" in src.Root else src.Root.Dests
            found = pikepdf.NameTree(names).get(str(dest)) if "/Names" in src.Root else names.get(str(dest))
            dest = found.get("/D", found) if isinstance(found, pikepdf.Dictionary) else found
        except (AttributeError, KeyError, pikepdf.PdfError):
            dest = None
    if isinstance(dest, pikepdf.Array) and len(dest) and isinstance(dest[0], pikepdf.Dictionary):
        index = pages.get(dest[0].objgen, 0)
    copy = pikepdf.OutlineItem(item.title, first + index)
    copy.children.extend(_item(child, src, pages, first) for child in item.children)
    return copy


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
