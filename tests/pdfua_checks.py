"""The machine-checkable PDF/UA-1 rules that apply to saksgen's PDFs, checked with pikepdf.

``problems(pdf)`` returns one line per failure, each led by the rule's number in veraPDF's PDF/UA-1
profile (ISO 14289-1 clause-test) and, where one exists, its Matterhorn Protocol checkpoint; an
empty list means every check below passed. It is not a conformance validator (no veraPDF here):
docs/ARCHITECTURE.md, «PDF/UA checks», says what it covers and what it leaves out.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pikepdf

from tests.pdfua_pages import annotations, content, fonts
from tests.pdfua_tree import STANDARD, Element, Tree, name_tree

LANG = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")  # veraPDF 7.2-29
HEADING = re.compile(r"^H([1-6])$")
# Parent/child rules for tables and lists (veraPDF 7.2-3 … 7.2-20, 7.2-36 … 7.2-43).
ALLOWED_KIDS = {
    "Table": {"TR", "THead", "TBody", "TFoot", "Caption"},
    "THead": {"TR"},
    "TBody": {"TR"},
    "TFoot": {"TR"},
    "TR": {"TH", "TD"},
    "L": {"L", "LI", "Caption"},
    "LI": {"Lbl", "LBody"},
}
ALLOWED_PARENT = {
    "TR": {"Table", "THead", "TBody", "TFoot"},
    "THead": {"Table"},
    "TBody": {"Table"},
    "TFoot": {"Table"},
    "TH": {"TR"},
    "TD": {"TR"},
    "LI": {"L"},
    "LBody": {"LI"},
    # Not a veraPDF rule: the "captions sit inside their Figure/Table".
    "Caption": {"Figure", "Table", "L", "TOC"},
}


def problems(source: Path | pikepdf.Pdf, *, needs_heading: bool = True) -> list[str]:
    """Every failed check of ``source``; ``needs_heading``: the document must have a heading."""
    if isinstance(source, Path):
        with pikepdf.open(source) as pdf:
            return problems(pdf, needs_heading=needs_heading)
    pdf = source
    out = catalog(pdf)
    if "/StructTreeRoot" not in pdf.Root:
        return out
    tree = Tree(pdf)
    out += tree.problems
    for check in (role_map, parents, headings, figures, notes, tables):
        out += check(tree)
    if needs_heading and not any(HEADING.match(e.role) or e.role == "H" for e in tree.elements):
        out.append("7.4 [14-001]: the document has no heading")
    return out + content(pdf, tree) + annotations(pdf, tree) + fonts(pdf)


def catalog(pdf: pikepdf.Pdf) -> list[str]:
    out = []
    root = pdf.Root
    if not re.fullmatch(r"1\.[0-7]", pdf.pdf_version):
        out.append(f"6.1-1: PDF version {pdf.pdf_version} is not 1.0-1.7")
    mark = root.get("/MarkInfo", pikepdf.Dictionary())
    if mark.get("/Marked") is not True:
        out.append("6.2-1 [06-001]: /MarkInfo /Marked is not true")
    if mark.get("/Suspects") is True:
        out.append("7.1-4 [01-007]: /MarkInfo /Suspects is true")
    if "/StructTreeRoot" not in root:
        out.append("7.1-11: no /StructTreeRoot")
    lang = str(root.get("/Lang", ""))
    if not LANG.match(lang):
        out.append(f"7.2-34 [11-001]: catalog /Lang {lang!r} is missing or not a language tag")
    prefs = root.get("/ViewerPreferences", pikepdf.Dictionary())
    if prefs.get("/DisplayDocTitle") is not True:
        out.append("7.1-10 [07-001]: /ViewerPreferences /DisplayDocTitle is not true")
    stream = root.get("/Metadata")
    if not isinstance(stream, pikepdf.Stream) or (stream.get("/Type"), stream.get("/Subtype")) != (
        "/Metadata",
        "/XML",
    ):
        out.append("7.1-8 [06-001]: no /Metadata stream of /Type /Metadata, /Subtype /XML")
        return out
    meta = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
    title = str(meta.get("dc:title") or "")
    if not title.strip():
        out.append("7.1-9 [06-003]: XMP has no dc:title")
    elif str(pdf.docinfo.get("/Title", "")) != title:
        out.append(f"Info /Title differs from dc:title {title!r}")
    if meta.get("{http://www.aiim.org/pdfua/ns/id/}part") is not None:
        # saksgen makes no PDF/UA claim: these checks are a subset, not a validator.
        out.append("5-1: XMP claims PDF/UA (pdfuaid:part), which saksgen does not verify")
    return out


def role_map(tree: Tree) -> list[str]:
    out = []
    for name, target in tree.role_map.items():
        if name in STANDARD and target != name:  # a standard type mapped to itself is no remapping
            out.append(f"7.1-7 [02-004]: standard type /{name} is remapped to /{target}")
        elif not tree.resolve(name):
            out.append(f"7.1-5/7.1-6 [02-001/02-003]: /{name} maps to no standard type")
    for e in tree.elements:
        if not e.role:
            out.append(f"7.1-5 [02-001]: element /{e.s} has no standard type")
        if e.s == "Title" and e.role == "P":  # LibreOffice's tag for Word's Title style
            out.append("a /Title role-mapped to /P: the title paragraph is not a heading")
    return out


def parents(tree: Tree) -> list[str]:
    out = []
    roles = {e.obj.objgen: e.role for e in tree.elements if e.obj.is_indirect}
    for e in tree.elements:
        if "/P" not in e.obj:
            out.append(f"7.1-12: /{e.s} has no /P")
        elif e.obj.P.objgen != e.parent.objgen:
            out.append(f"7.1-12: /{e.s}'s /P is not its parent in the tree")
        allowed = ALLOWED_KIDS.get(e.role)
        if allowed is not None:
            wrong = sorted({k.role for k in e.kids} - allowed)
            if wrong:
                out.append(f"7.2 [09-004/09-005]: /{e.role} holds {wrong}")
        parent_role = roles.get(e.parent.objgen, "") if e.parent.is_indirect else ""
        if e.role in ALLOWED_PARENT and parent_role not in ALLOWED_PARENT[e.role]:
            out.append(f"7.2 [09-004/09-005]: /{e.role} sits in /{parent_role or 'StructTreeRoot'}")
        if e.role == "Table":
            kids = [k.role for k in e.kids]
            if kids.count("Caption") > 1 or "Caption" in kids[1:-1]:
                out.append("7.2-16/7.2-39: a table's caption is not its only first or last kid")
    return out


def headings(tree: Tree) -> list[str]:
    """Weakly structured headings: H1 first, no level skipped going down; never H and Hn mixed."""
    out = []
    levels = [int(m.group(1)) for e in tree.elements if (m := HEADING.match(e.role))]
    if levels and any(e.role == "H" for e in tree.elements):
        out.append("7.4.4-2/7.4.4-3 [14-007]: both H and H1-H6 are used")
    if levels and levels[0] != 1:
        out.append(f"7.4.2-1 [14-002]: the first heading is H{levels[0]}, not H1")
    for before, after in itertools.pairwise(levels):
        if after > before + 1:
            out.append(f"7.4.2-1 [14-003]: H{before} is followed by H{after}")
    for e in tree.elements:
        if sum(k.role == "H" for k in e.kids) > 1:
            out.append("7.4.4-1 [14-006]: an element holds more than one H")
        if HEADING.match(e.role) and not _owns_content(e, tree):
            out.append(f"an empty /{e.role} heading")
    return out


def _owns_content(e: Element, tree: Tree) -> bool:
    owners = {o.objgen for o in tree.mcids.values() if o.is_indirect}
    return e.obj.objgen in owners or any(_owns_content(k, tree) for k in e.kids)


def figures(tree: Tree) -> list[str]:
    out = []
    for e in tree.elements:
        if e.role in ("Figure", "Formula"):
            if not str(e.obj.get("/Alt", "")).strip() and "/ActualText" not in e.obj:
                out.append(f"7.3-1 [13-004]: a /{e.s} has neither /Alt nor /ActualText")
    return out


def notes(tree: Tree) -> list[str]:
    out = []
    ids = name_tree(tree.root.get("/IDTree", pikepdf.Dictionary()))
    seen: set[bytes] = set()
    for e in tree.elements:
        if e.role != "Note":
            continue
        ident = bytes(e.obj.get("/ID", b""))
        if not ident:
            out.append("7.9-1 [19-003]: a /Note has no /ID")
            continue
        if ident in seen:
            out.append(f"7.9-2 [19-004]: /Note /ID {ident!r} is not unique")
        seen.add(ident)
        if ident not in ids or ids[ident].objgen != e.obj.objgen:
            out.append(f"/Note /ID {ident!r} is not in the /IDTree (ISO 32000-1, 14.7.2)")
    return out


def tables(tree: Tree) -> list[str]:
    """Every TD has a header: /Headers, or a TH above it in its column or before it in its row
    (ISO 32000-2, 14.8.4.8.3, which veraPDF 7.5-1 applies). Row spans are not followed."""
    out = []
    for table in (e for e in tree.elements if e.role == "Table"):
        rows = [r for k in table.kids for r in ([k] if k.role == "TR" else k.kids) if r.role == "TR"]
        header_columns: set[int] = set()
        for row in rows:
            column, row_has_header = 0, False
            for cell in row.kids:
                span = _column_span(cell.obj)
                columns = set(range(column, column + span))
                if cell.role == "TH":
                    header_columns |= columns
                    row_has_header = True
                elif cell.role == "TD" and not (
                    row_has_header or columns & header_columns or _attribute(cell.obj, "/Headers")
                ):
                    out.append("7.5-1 [15-003]: a table cell (TD) has no header cell (TH)")
                column += span
    return out


def _attribute(elem: pikepdf.Dictionary, key: str) -> pikepdf.Object | None:
    attrs = elem.get("/A")
    for a in attrs if isinstance(attrs, pikepdf.Array) else [attrs]:
        if isinstance(a, pikepdf.Dictionary) and key in a:
            return a[key]
    return None


def _column_span(elem: pikepdf.Dictionary) -> int:
    span = _attribute(elem, "/ColSpan")
    return int(span) if span is not None else 1
