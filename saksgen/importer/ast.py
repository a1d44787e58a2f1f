"""Small helpers on pandoc's JSON AST: plain text, boldness, cleaning saksgen's own markup."""

from __future__ import annotations

import re
from typing import Any

Block = dict[str, Any]
_CAPTION_WORD = re.compile(r"^(figur|tabell|vedlegg)$", re.I)


def text(node: Any) -> str:
    """Plain text of any AST node or list of nodes (line breaks as newlines)."""
    if isinstance(node, list):
        return "".join(text(n) for n in node)
    if not isinstance(node, dict):
        return ""
    t = node.get("t")
    c: Any = node.get("c")
    if t == "Str":
        return str(c)
    if t in ("Space", "SoftBreak"):
        return " "
    if t == "LineBreak":
        return "\n"
    if t in ("Code", "Math"):
        return str(c[1])
    if t == "Note":
        return ""
    if t in ("Link", "Image", "Span", "Div"):
        return text(c[1])
    if t == "Header":
        return text(c[2])
    if t == "Quoted":
        return "«" + text(c[1]) + "»"
    if t == "Cite":
        return text(c[1])
    if isinstance(c, list):
        return text(c)
    return ""


def inlines(block: Block) -> list[Any] | None:
    """The inlines of a paragraph-like block; None for lists, tables, ..."""
    if block.get("t") in ("Para", "Plain"):
        return list(block["c"])
    return None


def split_lines(items: list[Any]) -> list[list[Any]]:
    """A paragraph's inlines split at hard line breaks (Shift+Enter header lines)."""
    out: list[list[Any]] = [[]]
    for node in items:
        if node.get("t") == "LineBreak":
            out.append([])
        else:
            out[-1].append(node)
    return [line for line in out if text(line).strip()]


def wholly_bold(items: list[Any]) -> bool:
    seen = False
    for node in items:
        t = node.get("t")
        if t in ("Space", "SoftBreak", "LineBreak"):
            continue
        if t == "Strong":
            seen = True
            continue
        if t == "Str" and not node["c"].strip(":"):
            continue
        return False
    return seen


def is_empty(block: Block) -> bool:
    items = inlines(block)
    return items is not None and not text(items).strip() and not _has_image(items)


def _has_image(items: list[Any]) -> bool:
    return any(isinstance(n, dict) and n.get("t") == "Image" for n in items)


class _Splice(list[Any]):
    """Inlines that replace one node in its parent list."""


def clean(node: Any) -> Any:
    """saksgen's own markup out of an AST built from one of its papers: bookmark spans, links to
    its hidden ``_Ref`` bookmarks (the text stays), "Figur 1: " in captions."""
    if isinstance(node, list):
        out: list[Any] = []
        for n in node:
            c = clean(n)
            if isinstance(c, _Splice):
                out.extend(c)
            elif c is not None or not isinstance(n, dict):
                out.append(c)
        return out
    if not isinstance(node, dict):
        return node
    t = node.get("t")
    if t == "Span" and not text(node["c"][1]).strip() and not node["c"][1]:
        return None  # an empty bookmark anchor
    if t == "Link" and str(node["c"][2][0]).startswith("#_Ref"):
        return _Splice(clean(node["c"][1]))
    if t == "Image":
        attr, alt, target = node["c"]
        return {"t": "Image", "c": [_strip_attr(attr), _strip_caption(clean(alt)), target]}
    if t == "Figure":
        # Back to Markdown's implicit figure: a paragraph holding only the image, caption as alt.
        _, caption, body = node["c"]
        found = [b for b in clean(body) if b.get("t") in ("Plain", "Para")]
        caption_inlines = [i for b in _strip_caption_blocks(clean(caption[1])) for i in b.get("c", [])]
        if len(found) == 1 and len(found[0]["c"]) == 1 and found[0]["c"][0].get("t") == "Image":
            image = found[0]["c"][0]
            return {"t": "Para", "c": [{"t": "Image", "c": [image["c"][0], caption_inlines, image["c"][2]]}]}
        return {"t": "Div", "c": [["", [], []], clean(body) + _strip_caption_blocks(clean(caption[1]))]}
    if t == "Table":
        c = list(node["c"])
        short, long = c[1]
        c[1] = [short, _strip_caption_blocks(clean(long))]
        c[2:] = clean(c[2:])
        return {"t": "Table", "c": c}
    if "c" in node:
        return {"t": t, "c": clean(node["c"])}
    return node


def _strip_attr(attr: list[Any]) -> list[Any]:
    ident, classes, kv = attr
    return [ident, classes, [p for p in kv if p[0] not in ("alt", "height")]]


def _strip_caption(items: list[Any]) -> list[Any]:
    """["Figur", " ", "1:", " ", ...] -> [...]."""
    words = [n for n in items[:4]]
    if (
        len(items) >= 3
        and words[0].get("t") == "Str"
        and _CAPTION_WORD.match(words[0]["c"])
        and words[1].get("t") == "Space"
        and words[2].get("t") == "Str"
        and re.fullmatch(r"\d+:", words[2]["c"])
    ):
        rest = items[3:]
        while rest and rest[0].get("t") == "Space":
            rest = rest[1:]
        return rest
    return items


def _strip_caption_blocks(blocks: list[Any]) -> list[Any]:
    return [
        {"t": b["t"], "c": _strip_caption(b["c"])} if b.get("t") in ("Plain", "Para") else b for b in blocks
    ]
