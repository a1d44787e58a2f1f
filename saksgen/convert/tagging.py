"""Structure-tree repairs toward PDF/UA for the PDFs LibreOffice makes (papers, agenda).

- A caption LibreOffice writes as a sibling of its table or figure is moved inside it (first kid
  of the /Table, last kid of the /Figure), where assistive technology looks for it.
- A link annotation outside the tree (LibreOffice's footnote links) gets a /Link element with
  an /OBJR and a /StructParent, so every link annotation is in the structure tree, and the
  annotation's /Contents as its /Alt, since the element owns no text.
- A paragraph in Word's Title style (LibreOffice's /Title, role-mapped to /P) is a heading: /H1.
- Each /Note (a footnote) gets the /ID PDF/UA requires, listed in the tree's /IDTree.
- Line art drawn outside any marked content (paragraph borders) is marked as an artifact.
"""

from __future__ import annotations

import pikepdf

from saksgen.convert.artifacts import mark_loose_line_art

Name = pikepdf.Name


def repair(pdf: pikepdf.Pdf) -> None:
    """Every repair above, in the order they depend on each other."""
    nest_captions(pdf)
    tag_loose_links(pdf)
    title_as_heading(pdf)
    identify_notes(pdf)
    mark_loose_line_art(pdf)


def _role(elem: pikepdf.Object | None, role_map: pikepdf.Object | None) -> str:
    if not isinstance(elem, pikepdf.Dictionary) or "/S" not in elem:
        return ""
    role = str(elem.S)
    for _ in range(5):  # role maps may chain; a cycle stops here
        if isinstance(role_map, pikepdf.Dictionary) and role in role_map and str(role_map[role]) != role:
            role = str(role_map[role])
        else:
            break
    return role


def _kids(elem: pikepdf.Object) -> pikepdf.Array:
    k = elem.get("/K")
    if isinstance(k, pikepdf.Array):
        return k
    elem.K = pikepdf.Array([] if k is None else [k])
    return elem.K


def _figure_in(elem: pikepdf.Object, role_map: pikepdf.Object | None) -> pikepdf.Object | None:
    if _role(elem, role_map) == "/Figure":
        return elem
    if isinstance(elem, pikepdf.Dictionary) and _role(elem, role_map) == "/P":
        figures = [k for k in _kids(elem) if _role(k, role_map) == "/Figure"]
        return figures[0] if len(figures) == 1 else None
    return None


def nest_captions(pdf: pikepdf.Pdf) -> int:
    """Move sibling captions into their table or figure; returns how many moved."""
    tree = pdf.Root.get("/StructTreeRoot")
    if not isinstance(tree, pikepdf.Dictionary):
        return 0
    if "/K" not in tree:
        return 0  # an empty structure tree: nothing to nest
    role_map = tree.get("/RoleMap")
    moved = 0
    stack = [tree.K]
    seen: set[tuple[int, int]] = set()
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
            continue
        if not isinstance(node, pikepdf.Dictionary) or "/K" not in node:
            continue
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        kids = _kids(node)
        i = 0
        while i < len(kids):
            kid = kids[i]
            if _role(kid, role_map) == "/Caption":
                after = kids[i + 1] if i + 1 < len(kids) else None
                before = kids[i - 1] if i > 0 else None
                target: pikepdf.Object | None = None
                first = False
                if after is not None and _role(after, role_map) == "/Table":
                    target, first = after, True
                elif before is not None:
                    target = _figure_in(before, role_map)
                if target is not None:
                    del kids[i]
                    tkids = _kids(target)
                    if first:
                        tkids.insert(0, kid)
                    else:
                        tkids.append(kid)
                    kid.P = target
                    moved += 1
                    continue
            stack.append(kid)
            i += 1
    return moved


def tag_loose_links(pdf: pikepdf.Pdf) -> int:
    """Put every link annotation outside the tree into it; returns how many were added."""
    tree = pdf.Root.get("/StructTreeRoot")
    if not isinstance(tree, pikepdf.Dictionary):
        return 0
    parent_tree = tree.get("/ParentTree")
    if not isinstance(parent_tree, pikepdf.Dictionary) or not isinstance(
        parent_tree.get("/Nums"), pikepdf.Array
    ):
        return 0  # a /Kids number tree: LibreOffice never writes one; leave it alone
    nums = parent_tree.Nums
    used = [int(nums[i]) for i in range(0, len(nums), 2)]
    used += [int(p.obj.StructParents) for p in pdf.pages if "/StructParents" in p.obj]
    next_key = max([int(tree.get("/ParentTreeNextKey", 0)), *(k + 1 for k in used)], default=0)
    if "/K" not in tree:
        return 0  # an empty structure tree: no element to hang the links on
    top = tree.K[0] if isinstance(tree.K, pikepdf.Array) and len(tree.K) else tree.K
    added = 0
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") != Name.Link or "/StructParent" in annot:
                continue
            annot.StructParent = next_key
            objr = pikepdf.Dictionary(Type=Name.OBJR, Obj=annot, Pg=page.obj)
            link = pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=Name.StructElem, S=Name.Link, P=top, Pg=page.obj, K=pikepdf.Array([objr])
                )
            )
            if str(annot.get("/Contents", "")).strip():  # the element owns no text: say what it is
                link.Alt = pikepdf.String(str(annot.Contents))
            _kids(top).append(link)
            nums.append(next_key)
            nums.append(link)
            next_key += 1
            added += 1
    if added:
        tree.ParentTreeNextKey = next_key
    return added


def title_as_heading(pdf: pikepdf.Pdf) -> bool:
    """Map LibreOffice's /Title (Word's Title style: the document's title) to /H1, not /P."""
    tree = pdf.Root.get("/StructTreeRoot")
    role_map = tree.get("/RoleMap") if isinstance(tree, pikepdf.Dictionary) else None
    if not isinstance(role_map, pikepdf.Dictionary) or role_map.get("/Title") != Name.P:
        return False
    role_map.Title = Name.H1
    return True


def identify_notes(pdf: pikepdf.Pdf) -> int:
    """Give each /Note without one an /ID ("note-1", ...) and list them all in /IDTree."""
    tree = pdf.Root.get("/StructTreeRoot")
    if not isinstance(tree, pikepdf.Dictionary) or "/K" not in tree or "/IDTree" in tree:
        return 0
    role_map = tree.get("/RoleMap")
    notes: list[pikepdf.Object] = []
    stack = [tree.K]
    seen: set[tuple[int, int]] = set()
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(reversed(list(node)))
            continue
        if not isinstance(node, pikepdf.Dictionary) or "/S" not in node or not node.is_indirect:
            continue
        if node.objgen in seen:
            continue
        seen.add(node.objgen)
        if _role(node, role_map) == "/Note":
            notes.append(node)
        if "/K" in node:
            stack.append(node.K)
    if not notes:
        return 0
    names = pikepdf.Array()
    for n, note in enumerate(notes, start=1):
        if "/ID" not in note:
            note.ID = pikepdf.String(f"note-{n}")
    for note in sorted(notes, key=lambda e: bytes(e.ID)):  # a name tree's keys are sorted
        names.append(note.ID)
        names.append(note)
    tree.IDTree = pdf.make_indirect(pikepdf.Dictionary(Names=names))
    return len(notes)
