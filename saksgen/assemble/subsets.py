"""Unique font subset tags in the pack.

Every PDF LibreOffice writes names its font subsets the same way (``BAAAAA+Carlito``,
``CAAAAA+Carlito-Bold``, …), so in a pack of many papers different subsets of one font would
share a tag. ISO 32000-1 §9.6.4 wants different subsets to have different tags (a viewer or an
archive tool may take two fonts with the same tag and name for one subset). So each part's
subset fonts are given new tags as the part is added: consistently in the font dictionary's
/BaseFont, a Type0 font's descendant's /BaseFont and the font descriptors' /FontName.

The tags are deterministic (a hash of the part's index, the font's old name and its object
number in the part, then probed against the tags already used in the pack), so the pack stays
byte-reproducible. Their first letter is L–Z: reportlab, which draws the stamps (added to the
pack after the parts), tags its subsets with letters from A–K only (``AAAAAA``, ``AAAAAB``, …),
so no part's tag can equal the stamp font's. Fonts without a subset tag are left as they are.
"""

from __future__ import annotations

import hashlib
import re

import pikepdf

_TAGGED = re.compile(r"^/([A-Z]{6})\+(.+)$")
_FIRST = "LMNOPQRSTUVWXYZ"  # never one of reportlab's stamp tags (letters A-K only)
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

ObjGen = tuple[int, int]


class SubsetTags:
    """The subset tags used in one pack; ``retag`` gives one part's fonts tags of their own."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def retag(self, pages: list[pikepdf.Page], part: int) -> None:
        """Give every subset font ``pages`` use (page, form, pattern, Type3 and annotation
        appearance resources) a new tag. A font object shared by several pages is renamed once."""
        walk = _Walk(self, part)
        for page in pages:
            walk.resources(page.obj.get("/Resources"))
            for annot in page.obj.get("/Annots", []):
                if isinstance(annot, pikepdf.Dictionary):
                    walk.appearance(annot.get("/AP"))

    def new_tag(self, part: int, name: str, objgen: ObjGen) -> str:
        seed = f"{part}\0{name}\0{objgen[0]} {objgen[1]}".encode()
        for attempt in range(1000):
            digest = hashlib.sha256(seed + b"\0%d" % attempt).digest()
            tag = _FIRST[digest[0] % len(_FIRST)] + "".join(_LETTERS[b % 26] for b in digest[1:6])
            if tag not in self.used:
                self.used.add(tag)
                return tag
        raise ValueError("no free font subset tag")  # 178 million tags: not reached


class _Walk:
    def __init__(self, tags: SubsetTags, part: int) -> None:
        self.tags = tags
        self.part = part
        self.seen: set[ObjGen] = set()  # indirect resource dictionaries, forms, fonts visited
        # descriptors and descendant fonts already renamed -> their tag: one shared by two font
        # dictionaries (one font program, two encodings) keeps one tag, so all names agree
        self.renamed: dict[ObjGen, str] = {}

    def _first_visit(self, obj: pikepdf.Object) -> bool:
        if not obj.is_indirect:
            return True  # a direct object is only reachable from here
        if obj.objgen in self.seen:
            return False
        self.seen.add(obj.objgen)
        return True

    def resources(self, res: pikepdf.Object | None) -> None:
        if not isinstance(res, pikepdf.Dictionary) or not self._first_visit(res):
            return
        fonts = res.get("/Font")
        if isinstance(fonts, pikepdf.Dictionary):
            for font in fonts.values():
                if isinstance(font, pikepdf.Dictionary) and self._first_visit(font):
                    self.font(font)
        for key in ("/XObject", "/Pattern"):
            group = res.get(key)
            if not isinstance(group, pikepdf.Dictionary):
                continue
            for item in group.values():
                # Forms and tiling patterns are streams with resources of their own.
                if isinstance(item, pikepdf.Stream) and self._first_visit(item):
                    self.resources(item.get("/Resources"))

    def appearance(self, ap: pikepdf.Object | None) -> None:
        if not isinstance(ap, pikepdf.Dictionary):
            return
        for state in ap.values():  # /N, /R, /D: a stream, or a dictionary of streams
            streams = state.values() if isinstance(state, pikepdf.Dictionary) else [state]
            for stream in streams:
                if isinstance(stream, pikepdf.Stream) and self._first_visit(stream):
                    self.resources(stream.get("/Resources"))

    def font(self, font: pikepdf.Dictionary) -> None:
        if font.get("/Subtype") == pikepdf.Name.Type3:
            self.resources(font.get("/Resources"))  # its glyphs may draw text in other fonts
            return
        descendants = [d for d in font.get("/DescendantFonts", []) if isinstance(d, pikepdf.Dictionary)]
        # The names of this font that carry a subset tag: (dictionary, key). One subset, one tag.
        names: list[tuple[pikepdf.Dictionary, str]] = []
        for d in [font, *descendants]:
            names.append((d, "/BaseFont"))
            descriptor = d.get("/FontDescriptor")
            if isinstance(descriptor, pikepdf.Dictionary):
                names.append((descriptor, "/FontName"))
        tagged = [(d, key) for d, key in names if _TAGGED.match(str(d.get(key, "")))]
        if not tagged:
            return
        shared = [self.renamed[d.objgen] for d, _ in tagged if d.is_indirect and d.objgen in self.renamed]
        if shared:
            tag = shared[0]
        else:
            first = _TAGGED.match(str(tagged[0][0].get(tagged[0][1])))
            assert first is not None
            tag = self.tags.new_tag(self.part, first.group(2), font.objgen)
        for d, key in tagged:
            if d.is_indirect and d.objgen in self.renamed:
                continue  # renamed with the font that shares it
            old = _TAGGED.match(str(d.get(key)))
            assert old is not None
            d[key] = pikepdf.Name("/" + tag + "+" + old.group(2))
        for d, _ in tagged:
            if d.is_indirect:
                self.renamed.setdefault(d.objgen, tag)
