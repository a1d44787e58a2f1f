"""Line art outside marked content becomes an artifact (PDF/UA: content is tagged or an artifact).

LibreOffice 7.4 draws paragraph borders (the rule under the front matter, the page header's
line) outside any marked-content sequence. Each run of page-level operators between two
marked-content sequences that paints only paths is wrapped in ``/Artifact BMC … EMC``. A run
that shows text or images, or that opens a text object it does not close, is left as it is: text
is real content, and hiding it as an artifact would be worse than leaving it untagged.
"""

from __future__ import annotations

import pikepdf

PATH_PAINT = frozenset({"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh"})
NOT_LINE_ART = frozenset({"Tj", "TJ", "'", '"', "Do", "BI", "ID", "EI"})


def _wrap(run: list[pikepdf.ContentStreamInstruction]) -> list[pikepdf.ContentStreamInstruction]:
    ops = [str(i.operator) for i in run]
    text_depth = 0
    for op in ops:
        text_depth += (op == "BT") - (op == "ET")
        if text_depth < 0:
            return run
    if text_depth or not PATH_PAINT & set(ops) or NOT_LINE_ART & set(ops):
        return run
    begin = pikepdf.ContentStreamInstruction([pikepdf.Name.Artifact], pikepdf.Operator("BMC"))
    end = pikepdf.ContentStreamInstruction([], pikepdf.Operator("EMC"))
    return [begin, *run, end]


def mark_page(pdf: pikepdf.Pdf, page: pikepdf.Page) -> bool:
    """Wrap the page's loose line art; True if the content stream changed."""
    items = list(pikepdf.parse_content_stream(page))
    if any(isinstance(i, pikepdf.ContentStreamInlineImage) for i in items):
        return False  # inline images need their own care; none in LibreOffice's pages
    out: list[pikepdf.ContentStreamInstruction] = []
    run: list[pikepdf.ContentStreamInstruction] = []
    depth = 0
    changed = False
    for item in items:
        assert isinstance(item, pikepdf.ContentStreamInstruction)
        op = str(item.operator)
        if depth == 0 and op not in ("BDC", "BMC"):
            run.append(item)
            continue
        if depth == 0:
            wrapped = _wrap(run)
            changed |= wrapped is not run
            out += wrapped
            run = []
        depth = max(0, depth + (op in ("BDC", "BMC")) - (op == "EMC"))
        out.append(item)
    wrapped = _wrap(run)
    changed |= wrapped is not run
    out += wrapped
    if changed:
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))
    return changed


def mark_loose_line_art(pdf: pikepdf.Pdf) -> int:
    """Mark every page's loose line art as an artifact; returns how many pages changed."""
    return sum(mark_page(pdf, page) for page in pdf.pages)
