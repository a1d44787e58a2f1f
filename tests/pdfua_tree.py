"""The structure tree and the marked content of a tagged PDF, read once for tests/pdfua_checks.py.

``Tree`` walks /StructTreeRoot in document order (standard roles resolved through /RoleMap) and
records which marked content (page, MCID) and which annotations (OBJR) each element owns.
``PageContent`` reads a page's content stream: the MCIDs it marks, painting done outside any
marked-content sequence, and artifacts and tagged content nested in each other. Form XObjects are
not entered (our papers draw in page streams; the pack's stamp is a form painted inside an
/Artifact sequence), nor are MCRs whose content sits in a form (/Stm): both are left unchecked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pikepdf

# ISO 32000-1:2008, 14.8.4: the standard structure types (PDF 1.7, what PDF/UA-1 builds on).
STANDARD = frozenset(
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H H1 H2 H3 "
    "H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry "
    "Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form".split()
)
# Operators that paint: text, XObjects, paths, shadings (inline images arrive as their own type).
PAINT = frozenset({"Tj", "TJ", "'", '"', "Do", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh"})

Key = tuple[int, int]  # an indirect object's (number, generation)


def is_int(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, pikepdf.Object) and value._type_code == pikepdf.ObjectType.integer


@dataclass
class Element:
    obj: pikepdf.Dictionary
    parent: pikepdf.Object
    s: str  # its own /S, without the slash
    role: str  # the standard type /S maps to ("" when it maps to none)
    kids: list[Element] = field(default_factory=list)


class Tree:
    """Every structure element of ``pdf`` in document order, and what each one owns."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.problems: list[str] = []
        self.pages = {p.objgen: i for i, p in enumerate(pdf.pages)}
        root = pdf.Root.get("/StructTreeRoot")
        self.root = root if isinstance(root, pikepdf.Dictionary) else pikepdf.Dictionary()
        role_map = self.root.get("/RoleMap")
        self.role_map = {str(k)[1:]: str(v)[1:] for k, v in role_map.items()} if role_map else {}
        self.elements: list[Element] = []
        self.mcids: dict[tuple[int, int], pikepdf.Object] = {}  # (page index, MCID) -> owner
        self.objrs: dict[Key, pikepdf.Object] = {}  # annotation -> the element holding its OBJR
        self._seen: set[Key] = set()
        if "/K" in self.root:
            self._visit(self.root.K, self.root, None, None)

    def resolve(self, s: str) -> str:
        """The standard type ``s`` maps to; "" when it maps to none or the map loops."""
        seen = {s}
        while s not in STANDARD:
            s = self.role_map.get(s, "")
            if not s or s in seen:
                return ""
            seen.add(s)
        return s

    def _visit(
        self, node: pikepdf.Object, parent: pikepdf.Object, owner: Element | None, page: int | None
    ) -> None:
        if isinstance(node, pikepdf.Array):
            for kid in node:
                self._visit(kid, parent, owner, page)
            return
        if is_int(node):
            self._content(owner, page, int(node))
            return
        if not isinstance(node, pikepdf.Dictionary):
            return
        if "/Pg" in node:
            page = self.pages.get(node.Pg.objgen)
        kind = node.get("/Type")
        if kind == "/MCR":
            if "/Stm" not in node:
                self._content(owner, page, int(node.MCID))
            return
        if kind == "/OBJR":
            if owner is not None:
                self.objrs[node.Obj.objgen] = owner.obj
            return
        if node.is_indirect:
            if node.objgen in self._seen:
                self.problems.append(f"structure element {node.objgen} appears twice in the tree")
                return
            self._seen.add(node.objgen)
        s = str(node.get("/S", "/"))[1:]
        elem = Element(node, parent, s, self.resolve(s))
        self.elements.append(elem)
        if owner is not None:
            owner.kids.append(elem)
        if "/K" in node:
            self._visit(node.K, node, elem, page)

    def _content(self, owner: Element | None, page: int | None, mcid: int) -> None:
        if owner is None or page is None:
            self.problems.append(f"MCID {mcid} has no page or no owning element")
            return
        if (page, mcid) in self.mcids:
            self.problems.append(f"page {page + 1} MCID {mcid} is owned by two elements")
        self.mcids[(page, mcid)] = owner.obj


@dataclass
class PageContent:
    """What one page's content stream marks and paints."""

    mcids: list[int] = field(default_factory=list)
    untagged: int = 0  # painting operators outside any marked-content sequence
    artifact_in_tagged: int = 0
    tagged_in_artifact: int = 0


def page_content(page: pikepdf.Page) -> PageContent:
    out = PageContent()
    stack: list[tuple[str, bool]] = []  # (tag, has an MCID)
    for item in pikepdf.parse_content_stream(page):
        if isinstance(item, pikepdf.ContentStreamInlineImage):
            out.untagged += not stack
            continue
        operands, op = item.operands, str(item.operator)
        if op in ("BDC", "BMC"):
            tag = str(operands[0])
            props = operands[1] if op == "BDC" and len(operands) > 1 else None
            mcid = isinstance(props, pikepdf.Dictionary) and "/MCID" in props
            if tag == "/Artifact" and any(m for _, m in stack):
                out.artifact_in_tagged += 1
            if mcid and any(t == "/Artifact" for t, _ in stack):
                out.tagged_in_artifact += 1
            if mcid:
                assert isinstance(props, pikepdf.Dictionary)
                out.mcids.append(int(props.MCID))
            stack.append((tag, mcid))
        elif op == "EMC":
            if stack:
                stack.pop()
        elif op in PAINT and not stack:
            out.untagged += 1
    return out


def number_tree(node: pikepdf.Object) -> dict[int, pikepdf.Object]:
    """A number tree (/Nums leaves under /Kids) as a dict."""
    pairs: dict[int, pikepdf.Object] = {}
    nums = node.get("/Nums") if isinstance(node, pikepdf.Dictionary) else None
    if isinstance(nums, pikepdf.Array):
        for i in range(0, len(nums) - 1, 2):
            pairs[int(nums[i])] = nums[i + 1]
    for kid in node.get("/Kids", []) if isinstance(node, pikepdf.Dictionary) else []:
        pairs.update(number_tree(kid))
    return pairs


def name_tree(node: pikepdf.Object) -> dict[bytes, pikepdf.Object]:
    """A name tree (/Names leaves under /Kids) as a dict."""
    pairs: dict[bytes, pikepdf.Object] = {}
    names = node.get("/Names") if isinstance(node, pikepdf.Dictionary) else None
    if isinstance(names, pikepdf.Array):
        for i in range(0, len(names) - 1, 2):
            pairs[bytes(names[i])] = names[i + 1]
    for kid in node.get("/Kids", []) if isinstance(node, pikepdf.Dictionary) else []:
        pairs.update(name_tree(kid))
    return pairs
