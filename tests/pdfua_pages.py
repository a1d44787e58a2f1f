"""Page-level checks for tests/pdfua_checks.py: marked content against the structure tree and
/ParentTree, annotations in the tree, fonts embedded and mapped to Unicode."""

from __future__ import annotations

from collections.abc import Iterator

import pikepdf

from tests.pdfua_tree import Tree, number_tree, page_content

HIDDEN = 2  # annotation flag bit 2 (ISO 32000-1, Table 165)
STANDARD_ENCODINGS = {"/WinAnsiEncoding", "/MacRomanEncoding", "/StandardEncoding"}


def content(pdf: pikepdf.Pdf, tree: Tree) -> list[str]:
    """Everything painted is tagged or an artifact, never nested in each other; every MCID is in
    the tree, every MCID in the tree is on its page, and /ParentTree agrees with the tree."""
    out = []
    parent_tree = number_tree(tree.root.get("/ParentTree", pikepdf.Dictionary()))
    next_key = int(tree.root.get("/ParentTreeNextKey", 0))
    if "/ParentTreeNextKey" in tree.root and parent_tree and next_key <= max(parent_tree):
        out.append(f"/ParentTreeNextKey {next_key} is not above every /ParentTree key")
    marked: set[tuple[int, int]] = set()
    for i, page in enumerate(pdf.pages):
        where = f"page {i + 1}"
        found = page_content(page)
        if found.untagged:
            out.append(f"7.1-3 [01-005]: {where}: {found.untagged} painting operators are untagged")
        if found.artifact_in_tagged:
            out.append(f"7.1-1 [01-003]: {where}: an artifact inside tagged content")
        if found.tagged_in_artifact:
            out.append(f"7.1-2 [01-004]: {where}: tagged content inside an artifact")
        if len(set(found.mcids)) != len(found.mcids):
            out.append(f"{where}: an MCID is used twice")
        marked |= {(i, m) for m in found.mcids}
        if not found.mcids:
            continue
        key = page.obj.get("/StructParents")
        owners = parent_tree.get(int(key)) if key is not None else None
        if not isinstance(owners, pikepdf.Array):
            out.append(f"{where}: marked content, but /StructParents has no /ParentTree array")
            continue
        for m in sorted(set(found.mcids)):
            owner = tree.mcids.get((i, m))
            if owner is None:
                out.append(f"7.1-3 [01-005]: {where}: MCID {m} is not in the structure tree")
            elif m >= len(owners) or owners[m].objgen != owner.objgen:
                out.append(f"{where}: /ParentTree does not give MCID {m}'s element")
    for i, m in sorted(set(tree.mcids) - marked):
        out.append(f"page {i + 1}: the structure tree names MCID {m}, which the page does not mark")
    return out


def annotations(pdf: pikepdf.Pdf, tree: Tree) -> list[str]:
    """Tab order /S on pages with annotations; each link in a /Link element (OBJR and
    /StructParent both ways) with a /Contents description; other annotations in /Annot."""
    out = []
    parent_tree = number_tree(tree.root.get("/ParentTree", pikepdf.Dictionary()))
    roles = {e.obj.objgen: e.role for e in tree.elements if e.obj.is_indirect}
    owners_of_text = {o.objgen for o in tree.mcids.values() if o.is_indirect}
    for i, page in enumerate(pdf.pages):
        annots = [a for a in page.obj.get("/Annots", []) if isinstance(a, pikepdf.Dictionary)]
        if annots and page.obj.get("/Tabs") != pikepdf.Name.S:
            out.append(f"7.18.3-1 [28-008/28-009]: page {i + 1} has annotations and no /Tabs /S")
        for annot in annots:
            subtype = str(annot.get("/Subtype"))
            if int(annot.get("/F", 0)) & HIDDEN or subtype in ("/Popup", "/PrinterMark"):
                continue
            what = f"page {i + 1}: a {subtype} annotation"
            owner = tree.objrs.get(annot.objgen)
            wanted = {"/Link": "Link", "/Widget": "Form"}.get(subtype, "Annot")
            if owner is None or roles.get(owner.objgen) != wanted:
                out.append(f"7.18.5-1/7.18.1-1 [28-011/28-002]: {what} is not in a /{wanted} element")
            else:
                out += _tied(annot, owner, parent_tree, what)
                if not (owner.objgen in owners_of_text or str(owner.get("/Alt", "")).strip()):
                    # Not a veraPDF rule (outloud's LNK-003): AT would announce an empty link.
                    out.append(f"WCAG 2.4.4: {what}'s /{wanted} element has no text and no /Alt")
            if subtype != "/Widget" and not str(annot.get("/Contents", "")).strip():
                out.append(f"7.18.5-2/7.18.1-2 [28-012/28-004]: {what} has no /Contents")
    return out


def _tied(
    annot: pikepdf.Dictionary, owner: pikepdf.Object, parent_tree: dict[int, pikepdf.Object], what: str
) -> list[str]:
    """The annotation's /StructParent leads through /ParentTree to the element holding its OBJR."""
    if "/StructParent" not in annot:
        return [f"{what} has no /StructParent"]
    value = parent_tree.get(int(annot.StructParent))
    if not isinstance(value, pikepdf.Dictionary) or value.objgen != owner.objgen:
        return [f"{what}: /ParentTree[/StructParent] is not its element"]
    return []


def fonts(pdf: pikepdf.Pdf) -> list[str]:
    """Every font program embedded (7.21.4.1-1); every font maps its codes to Unicode, through
    /ToUnicode or a standard encoding (7.21.7-1). CIDSet and glyph widths are not checked."""
    out = []
    seen: set[tuple[int, int]] = set()
    for font in _fonts(pdf):
        if font.objgen in seen:
            continue
        seen.add(font.objgen)
        name = str(font.get("/BaseFont", "?"))
        subtype = font.get("/Subtype")
        if subtype == "/Type3":
            continue
        desc = font.DescendantFonts[0] if subtype == "/Type0" else font
        descriptor = desc.get("/FontDescriptor", pikepdf.Dictionary())
        if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            out.append(f"7.21.4.1-1 [31-009]: font {name} is not embedded")
        encoding = font.get("/Encoding")
        if "/ToUnicode" not in font and not (subtype != "/Type0" and str(encoding) in STANDARD_ENCODINGS):
            out.append(f"7.21.7-1 [10-001]: font {name} has no /ToUnicode and no standard encoding")
    return out


def _fonts(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """The fonts of every page, form XObject (nested) and annotation appearance."""
    stack: list[pikepdf.Object] = []
    for page in pdf.pages:
        stack.append(page.obj.get("/Resources"))
        for annot in page.obj.get("/Annots", []):
            appearance = annot.get("/AP", pikepdf.Dictionary()).get("/N")
            if isinstance(appearance, pikepdf.Stream):
                stack.append(appearance.get("/Resources"))
    seen: set[tuple[int, int]] = set()
    while stack:
        resources = stack.pop()
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        if resources.is_indirect:
            if resources.objgen in seen:
                continue
            seen.add(resources.objgen)
        yield from (f for f in resources.get("/Font", pikepdf.Dictionary()).values())
        for xobj in resources.get("/XObject", pikepdf.Dictionary()).values():
            if xobj.get("/Subtype") == "/Form" and xobj.objgen not in seen:
                seen.add(xobj.objgen)
                stack.append(xobj.get("/Resources"))
