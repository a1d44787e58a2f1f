"""The conclusion and attachment sections: lists in the paper, lists in the case file."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

ToMarkdown = Callable[[list[Any]], str]
_ATTACHMENT_PREFIX = re.compile(r"^\s*vedlegg\s*\d+\s*[:.–-]\s*", re.I)


def list_items(blocks: list[Any], to_markdown: ToMarkdown) -> tuple[list[str], int]:
    """Each list item (or, without a list, each paragraph) as one line of Markdown; the number of
    blocks that were neither and stayed out (the caller warns)."""
    items: list[str] = []
    left_out = 0
    for block in blocks:
        t = block.get("t")
        if t in ("OrderedList", "BulletList"):
            entries = block["c"][1] if t == "OrderedList" else block["c"]
            for entry in entries:
                md = to_markdown([_as_para(b) for b in entry])
                items.append(re.sub(r"\s*\n\s*", " ", md).strip())
        elif t in ("Para", "Plain"):
            md = to_markdown([block]).strip()
            if md:
                items.append(re.sub(r"^\d+[.)]\s+", "", re.sub(r"\s*\n\s*", " ", md)))
        else:
            left_out += 1
    return [i for i in items if i], left_out


def _as_para(block: Any) -> Any:
    return {"t": "Para", "c": block["c"]} if block.get("t") == "Plain" else block


def attachments(blocks: list[Any], to_markdown: ToMarkdown) -> tuple[list[dict[str, str]], int]:
    titles, left_out = list_items(blocks, to_markdown)
    out = []
    for title in titles:
        title = _ATTACHMENT_PREFIX.sub("", title).strip()
        if title:
            out.append({"tittel": title})
    return out, left_out
