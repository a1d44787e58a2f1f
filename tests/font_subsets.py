"""Test helper: every font a PDF's pages use (through forms and annotation appearances too), with
the subset tags in its names, and the check that different subsets have different tags
(ISO 32000-1 §9.6.4). Walks the file on its own, not with saksgen's renaming code."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pikepdf

TAGGED = re.compile(r"^/([A-Z]{6})\+")


@dataclass
class Font:
    font: tuple[int, int]  # the font dictionary's object
    programs: set[tuple[int, int]]  # its embedded font program streams (FontFile, 2, 3)
    names: list[str]  # /BaseFont, descendants' /BaseFont, descriptors' /FontName
    tags: set[str]  # the subset tags among ``names``


def fonts(pdf: pikepdf.Pdf) -> list[Font]:
    found: dict[tuple[int, int], Font] = {}
    seen: set[tuple[int, int]] = set()

    def resources(res: object) -> None:
        if not isinstance(res, pikepdf.Dictionary):
            return
        for font in res.get("/Font", pikepdf.Dictionary()).values():
            assert font.is_indirect, "a direct font dictionary: this helper counts fonts by object"
            if font.objgen not in found:
                found[font.objgen] = describe(font)
                resources(font.get("/Resources"))  # Type3
        for key in ("/XObject", "/Pattern"):
            for item in res.get(key, pikepdf.Dictionary()).values():
                if isinstance(item, pikepdf.Stream) and item.objgen not in seen:
                    seen.add(item.objgen)
                    resources(item.get("/Resources"))

    for page in pdf.pages:
        resources(page.obj.get("/Resources"))
        for annot in page.obj.get("/Annots", []):
            for state in annot.get("/AP", pikepdf.Dictionary()).values():
                streams = state.values() if isinstance(state, pikepdf.Dictionary) else [state]
                for stream in streams:
                    if isinstance(stream, pikepdf.Stream):
                        resources(stream.get("/Resources"))
    return list(found.values())


def describe(font: pikepdf.Dictionary) -> Font:
    names: list[str] = []
    programs: set[tuple[int, int]] = set()
    for d in [font, *font.get("/DescendantFonts", [])]:
        if "/BaseFont" in d:
            names.append(str(d.BaseFont))
        desc = d.get("/FontDescriptor")
        if isinstance(desc, pikepdf.Dictionary):
            names.append(str(desc.get("/FontName", "")))
            programs |= {desc[k].objgen for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in desc}
    tags = {m.group(1) for m in map(TAGGED.match, names) if m}
    return Font(font.objgen, programs, names, tags)


def tag_problems(pdf: pikepdf.Pdf) -> list[str]:
    """Subset tags shared by different fonts, and fonts whose names disagree on their tag."""
    problems = []
    owners: dict[str, list[Font]] = {}
    for font in fonts(pdf):
        if len(font.tags) > 1:
            problems.append(f"font {font.font}: names with different tags {font.names}")
        tagged = [n for n in font.names if TAGGED.match(n)]
        if font.tags and len(tagged) != len(font.names):
            problems.append(f"font {font.font}: tagged and untagged names {font.names}")
        for tag in font.tags:
            owners.setdefault(tag, []).append(font)
    for tag, owned in owners.items():
        objects = {f.font for f in owned}
        programs = set().union(*(f.programs for f in owned))
        if len(objects) > 1 or len(programs) > 1:
            problems.append(
                f"tag {tag} is used by {len(objects)} fonts, {len(programs)} font programs: "
                f"{sorted({n for f in owned for n in f.names})}"
            )
    return problems
