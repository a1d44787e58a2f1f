"""`@vedlegg:` links in the pack jump to the attachment itself, not to its "Vedlegg N:" line.

LibreOffice writes a link to a Word bookmark as an explicit destination (page, /XYZ x y), not as
a named one. With ``ExportBookmarksToPDFDestination`` (convert/soffice.py) it also exports every
bookmark, the hidden ``_Ref`` ones included, as a named destination at the same coordinates: so
the paper's own /Dests say where its "Vedlegg N:" lines are (the bookmark around the number, named
by ``render.context.bookmark``), and a link whose destination is that spot is pointed at the
attachment's first page. Reading the positions costs a dictionary lookup per attachment (the
earlier way, ``pdftotext -bbox-layout`` per paper, cost 0.12-0.18 s per paper and was most of
the pack's time). A paper without such destinations keeps its links: they still work, only one
step short.
"""

from __future__ import annotations

import pikepdf

TOLERANCE = 0.5  # points: the link and the destination come from the same LibreOffice layout


def _destinations(src: pikepdf.Pdf) -> dict[str, pikepdf.Object]:
    """Named destinations of ``src``: the PDF 1.1 /Dests dictionary LibreOffice writes, or a
    /Names /Dests name tree."""
    root = src.Root
    found: dict[str, pikepdf.Object] = {}
    try:
        if "/Dests" in root:
            for key in root.Dests.keys():
                found[key.lstrip("/")] = root.Dests[key]
        if "/Names" in root and "/Dests" in root.Names:
            for key, value in pikepdf.NameTree(root.Names.Dests).items():
                found[str(key)] = value
    except (pikepdf.PdfError, AttributeError, TypeError):
        return {}
    return found


def _spellings(name: str) -> tuple[str, ...]:
    """LibreOffice writes a destination name with every character outside [A-Za-z0-9-] as two
    hex digits ("_Ref1a" -> "5FRef1a"); a name tree may hold it as written."""
    escaped = "".join(c if c.isascii() and (c.isalnum() or c == "-") else f"{ord(c):02X}" for c in name)
    return (escaped, name)


def attachment_lines(src: pikepdf.Pdf, bookmarks: dict[int, str]) -> dict[tuple[int, int], float]:
    """(page index, attachment number) -> the PDF y of its "Vedlegg N:" line in ``src``.

    ``bookmarks``: attachment number -> the Word bookmark around that number."""
    dests = _destinations(src)
    if not dests:
        return {}
    pages = {page.obj.objgen: i for i, page in enumerate(src.pages)}
    found: dict[tuple[int, int], float] = {}
    for number, name in bookmarks.items():
        dest = next((dests[s] for s in _spellings(name) if s in dests), None)
        if isinstance(dest, pikepdf.Dictionary):
            dest = dest.get("/D")
        if not isinstance(dest, pikepdf.Array) or len(dest) < 4 or dest[1] != pikepdf.Name.XYZ:
            continue
        page = pages.get(dest[0].objgen) if isinstance(dest[0], pikepdf.Dictionary) else None
        if page is not None:
            found[(page, number)] = float(dest[3])
    return found


def relink(
    out: pikepdf.Pdf, first: int, pages: int, lines: dict[tuple[int, int], float], starts: dict[int, int]
) -> int:
    """Point links on the paper's pages (``first`` .. ``first + pages``) whose destination is an
    attachment line at that attachment's first page (``starts``: number -> pack page index)."""
    own = {out.pages[first + i].obj.objgen: i for i in range(pages)}
    moved = 0
    for i in range(first, first + pages):
        for annot in out.pages[i].obj.get("/Annots", []):
            if annot.get("/Subtype") != pikepdf.Name.Link:
                continue
            dest = annot.get("/Dest")
            if not isinstance(dest, pikepdf.Array) or len(dest) < 4 or dest[1] != pikepdf.Name.XYZ:
                continue
            page = own.get(dest[0].objgen) if isinstance(dest[0], pikepdf.Dictionary) else None
            if page is None:
                continue
            y = float(dest[3])
            for (line_page, number), top in lines.items():
                if line_page == page and abs(top - y) <= TOLERANCE and number in starts:
                    target = out.pages[starts[number]].obj
                    annot.Dest = pikepdf.Array([target, pikepdf.Name.Fit])
                    moved += 1
                    break
    return moved
