"""One structure tree for the pack: each part's tree merged under a new /Document root.

Every part keeps its own numbering of /StructParents (pages) and /StructParent (annotations)
from 0; in the pack they would collide, so each part's numbers are shifted by the keys already
used and its /ParentTree entries are moved into the pack's one number tree. A part without a
structure tree (an attachment made by a tool that does not tag) gets one /Figure per page whose
marked content wraps the whole page, with the attachment's title as its alternative text, so no
page content is unreachable from the tree.
Element identifiers (/ID: the papers' footnotes) are prefixed with the part's number, so they stay
unique in the pack, and gathered into the pack's /IDTree.
"""

from __future__ import annotations

import pikepdf

Name = pikepdf.Name


def _name_tree_pairs(node: pikepdf.Object) -> list[tuple[bytes, pikepdf.Object]]:
    """Flatten a name tree (/Names leaves under /Kids) into (key, value) pairs."""
    pairs: list[tuple[bytes, pikepdf.Object]] = []
    names = node.get("/Names")
    if isinstance(names, pikepdf.Array):
        for i in range(0, len(names) - 1, 2):
            pairs.append((bytes(names[i]), names[i + 1]))
    for kid in node.get("/Kids", []):
        pairs.extend(_name_tree_pairs(kid))
    return pairs


def _number_tree_pairs(node: pikepdf.Object) -> list[tuple[int, pikepdf.Object]]:
    """Flatten a number tree (/Nums leaves under /Kids) into (key, value) pairs."""
    pairs: list[tuple[int, pikepdf.Object]] = []
    nums = node.get("/Nums")
    if isinstance(nums, pikepdf.Array):
        for i in range(0, len(nums) - 1, 2):
            pairs.append((int(nums[i]), nums[i + 1]))
    for kid in node.get("/Kids", []):
        pairs.extend(_number_tree_pairs(kid))
    return pairs


class StructureMerger:
    """Collects the parts' trees while their pages are appended to ``pdf``, then writes one."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.doc = pdf.make_indirect(
            pikepdf.Dictionary(Type=Name.StructElem, S=Name.Document, K=pikepdf.Array())
        )
        self.nums: list[tuple[int, pikepdf.Object]] = []
        self.next_key = 0
        self.role_map: dict[str, pikepdf.Object] = {}
        self.class_map: dict[str, pikepdf.Object] = {}
        self.ids: list[tuple[bytes, pikepdf.Object]] = []

    def add_tagged(self, src: pikepdf.Pdf, first_page: int, title: str) -> bool:
        """Merge ``src``'s tree; its pages are ``pdf.pages[first_page:]``. False if untagged."""
        tree = src.Root.get("/StructTreeRoot")
        if not isinstance(tree, pikepdf.Dictionary) or "/K" not in tree:
            return False
        tree = self.pdf.copy_foreign(src.make_indirect(tree))
        offset = self.next_key
        used = -1
        for key, value in _number_tree_pairs(tree.get("/ParentTree", pikepdf.Dictionary())):
            self.nums.append((key + offset, value))
            used = max(used, key)
        for page in self.pdf.pages[first_page : first_page + len(src.pages)]:
            if "/StructParents" in page.obj:
                key = int(page.obj.StructParents)
                page.obj.StructParents = key + offset
                used = max(used, key)
            for annot in page.obj.get("/Annots", []):
                if "/StructParent" in annot:
                    key = int(annot.StructParent)
                    annot.StructParent = key + offset
                    used = max(used, key)
            resources = page.obj.get("/Resources")
            xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
            for xobj in xobjects.values() if isinstance(xobjects, pikepdf.Dictionary) else []:
                if isinstance(xobj, pikepdf.Stream) and "/StructParents" in xobj:
                    key = int(xobj.StructParents)
                    xobj.StructParents = key + offset
                    used = max(used, key)
        self.next_key = offset + used + 1
        part = pikepdf.Dictionary(Type=Name.StructElem, S=Name.Part, P=self.doc, T=pikepdf.String(title))
        part = self.pdf.make_indirect(part)
        top = tree.get("/K")
        kids = top if isinstance(top, pikepdf.Array) else pikepdf.Array([] if top is None else [top])
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary):
                kid.P = part
        part.K = kids
        self.doc.K.append(part)
        prefix = f"{len(self.doc.K)}-".encode()
        for ident, elem in _name_tree_pairs(tree.get("/IDTree", pikepdf.Dictionary())):
            if isinstance(elem, pikepdf.Dictionary):
                elem.ID = pikepdf.String(prefix + ident)
                self.ids.append((prefix + ident, elem))
        for page in self.pdf.pages[first_page : first_page + len(src.pages)]:
            self._tag_loose_links(page, part)
        for mapping, merged in (
            (tree.get("/RoleMap"), self.role_map),
            (tree.get("/ClassMap"), self.class_map),
        ):
            if isinstance(mapping, pikepdf.Dictionary):
                for name, value in mapping.items():
                    merged.setdefault(name, value)
        return True

    def add_untagged(self, first_page: int, count: int, alt: str) -> None:
        """Tag each page of an untagged part as one /Figure described by ``alt``."""
        part = self.pdf.make_indirect(
            pikepdf.Dictionary(
                Type=Name.StructElem, S=Name.Part, P=self.doc, T=pikepdf.String(alt), K=pikepdf.Array()
            )
        )
        self.doc.K.append(part)
        for page in self.pdf.pages[first_page : first_page + count]:
            key = self.next_key
            self.next_key += 1
            figure = self.pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=Name.StructElem,
                    S=Name.Figure,
                    P=part,
                    Pg=page.obj,
                    Alt=pikepdf.String(alt),
                    K=pikepdf.Array([pikepdf.Dictionary(Type=Name.MCR, Pg=page.obj, MCID=0)]),
                )
            )
            part.K.append(figure)
            page.obj.StructParents = key
            self.nums.append((key, pikepdf.Array([figure])))
            page.contents_add(self.pdf.make_stream(b"/Figure <</MCID 0>> BDC\n"), prepend=True)
            page.contents_add(self.pdf.make_stream(b"\nEMC\n"))
            self._tag_loose_links(page, part)

    def _tag_loose_links(self, page: pikepdf.Page, parent: pikepdf.Dictionary) -> None:
        """Links outside the tree (an untagged attachment's; LibreOffice's footnote links) get
        a /Link element of their own under ``parent``, so every link annotation is in the tree."""
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") != Name.Link or "/StructParent" in annot:
                continue
            key = self.next_key
            self.next_key += 1
            annot.StructParent = key
            objr = pikepdf.Dictionary(Type=Name.OBJR, Obj=annot, Pg=page.obj)
            link = self.pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=Name.StructElem, S=Name.Link, P=parent, Pg=page.obj, K=pikepdf.Array([objr])
                )
            )
            if str(annot.get("/Contents", "")).strip():  # the element owns no text: say what it is
                link.Alt = pikepdf.String(str(annot.Contents))
            parent.K.append(link)
            self.nums.append((key, link))

    def write(self) -> None:
        nums = pikepdf.Array()
        for key, value in sorted(self.nums, key=lambda kv: kv[0]):
            nums.append(key)
            nums.append(value)
        root = pikepdf.Dictionary(
            Type=Name.StructTreeRoot,
            K=self.doc,
            ParentTree=self.pdf.make_indirect(pikepdf.Dictionary(Nums=nums)),
            ParentTreeNextKey=self.next_key,
        )
        if self.role_map:
            root.RoleMap = pikepdf.Dictionary(self.role_map)
        if self.class_map:
            root.ClassMap = pikepdf.Dictionary(self.class_map)
        if self.ids:
            names = pikepdf.Array()
            for ident, elem in sorted(self.ids, key=lambda kv: kv[0]):
                names.append(pikepdf.String(ident))
                names.append(elem)
            root.IDTree = self.pdf.make_indirect(pikepdf.Dictionary(Names=names))
        root = self.pdf.make_indirect(root)
        self.doc.P = root
        self.pdf.Root.StructTreeRoot = root
        self.pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
