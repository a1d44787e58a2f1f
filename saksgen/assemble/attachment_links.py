"""`@vedlegg:` links in the pack jump to the attachment itself, not to its "Vedlegg N:" line.

LibreOffice writes a link to a Word bookmark as an explicit destination (page, /XYZ x y), and the
hidden ``_Ref`` bookmarks are not exported as named destinations. So the paper's "Vedlegg N:"
lines are located on the page (poppler's ``pdftotext -bbox-layout``, already a dependency), and
a link whose destination is the top of such a line is pointed at the attachment's first page.
Any failure leaves the links as they are: they still work, only one step short.
"""

from __future__ import annotations

import hashlib
import html
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_LINE = re.compile(r"<line [^>]*>(.*?)</line>", re.S)
_WORD = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>(.*?)</word>')
TOLERANCE = 5.0  # points between a destination's top and the line's top


def attachment_lines(pdf: Path, label: str) -> dict[tuple[int, int], float]:
    """(page index, attachment number) -> the PDF y of the top of its "Vedlegg N:" line."""
    try:
        data = pdf.read_bytes()
    except OSError:
        return {}
    # Keyed by content: the public pack's copy of a paper is the same bytes under another name,
    # so each paper is read by pdftotext once per build, not once per pack.
    key = (hashlib.sha256(data).hexdigest(), label)
    if key not in _SEEN:
        if len(_SEEN) >= _SEEN_MAX:  # a long watch session: start over rather than grow
            _SEEN.clear()
        _SEEN[key] = _lines(str(pdf), label)
    return dict(_SEEN[key])


_SEEN: dict[tuple[str, str], tuple[tuple[tuple[int, int], float], ...]] = {}
_SEEN_MAX = 4096


def _lines(pdf: str, label: str) -> tuple[tuple[tuple[int, int], float], ...]:
    exe = shutil.which("pdftotext")
    if exe is None:
        return ()
    try:
        run = subprocess.run([exe, "-bbox-layout", pdf, "-"], capture_output=True, timeout=60, check=True)
    except (OSError, subprocess.SubprocessError):
        return ()
    found: dict[tuple[int, int], float] = {}
    text = run.stdout.decode("utf-8", errors="replace")
    for index, page in enumerate(_PAGE.finditer(text)):
        height = float(page.group(2))
        for line in _LINE.finditer(page.group(3)):
            words = [(float(y), html.unescape(w)) for y, w in _WORD.findall(line.group(1))]
            if len(words) >= 2 and words[0][1] == label and re.fullmatch(r"\d+:", words[1][1]):
                found[(index, int(words[1][1][:-1]))] = height - words[0][0]
    return tuple(found.items())


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
