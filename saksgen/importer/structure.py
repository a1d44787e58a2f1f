"""The paper's structure from pandoc's AST: header lines, case line, title, then the sections
under the headings that match the profile. No pandoc here; the AST comes in as data."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from saksgen.importer import ast
from saksgen.importer.header import is_nynorsk_line, parse_case_line, split_header_line
from saksgen.importer.headings import SectionInfo, match_heading

MAX_BOLD_HEADING = 120  # characters; a longer bold paragraph is emphasis, not a heading
MAX_TITLE = 300


@dataclass
class Paper:
    header: dict[str, str] = field(default_factory=dict)
    case_line: tuple[str, str | None] | None = None
    title: str | None = None
    sections: dict[str, list[Any]] = field(default_factory=dict)
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (avsnitt, message)
    matched: int = 0
    malform: str | None = None  # "nynorsk" when the header labels are nynorsk


def heading_text(block: ast.Block) -> tuple[str, int] | None:
    """(text, level) for a heading: a Word heading, or a short wholly bold paragraph."""
    if block.get("t") == "Header":
        return ast.text(block["c"][2]).strip(), int(block["c"][0])
    items = ast.inlines(block)
    if items and ast.wholly_bold(items):
        t = ast.text(items).strip()
        if 0 < len(t) <= MAX_BOLD_HEADING and "\n" not in t:
            return t.rstrip(":").strip(), 0
    return None


def _header_rows(block: ast.Block) -> tuple[list[tuple[str, str]], bool]:
    """Header lines in a paragraph (one per line) or a table (label cell, value cell)."""
    lines: list[str] = []
    if block.get("t") == "Table":
        for row in _table_rows(block):
            cells = [ast.text(c).strip() for c in row]
            for i in range(0, len(cells) - 1, 2):
                lines.append(cells[i].rstrip(":") + ":\t" + cells[i + 1])
    else:
        items = ast.inlines(block)
        if items is None:
            return [], False
        lines = [ast.text(line) for line in ast.split_lines(items)]
    out = []
    for line in lines:
        parsed = split_header_line(line)
        if parsed is None:
            return [], False
        out.append(parsed)
    return out, any(is_nynorsk_line(line) for line in lines)


def _table_rows(block: ast.Block) -> list[list[Any]]:
    # Table: attr, caption, colspecs, head, [body], foot; a row: attr, [cell]; a cell: ..., blocks
    _, _, _, head, bodies, _ = block["c"]
    rows = list(head[1])
    for body in bodies:
        rows += body[2] + body[3]
    return [[cell[4] for cell in row[1]] for row in rows]


def analyse(blocks: list[ast.Block], sections: tuple[SectionInfo, ...], fallback_key: str) -> Paper:
    paper = Paper()
    i = _front_matter(blocks, sections, paper)
    current: str | None = None
    pending: list[tuple[int, Any]] = []  # before the first matched heading, after the title
    for n, block in enumerate(blocks[i:], start=i + 1):
        head = heading_text(block)
        key = match_heading(head[0], sections) if head else None
        if head and key is not None:
            if key in paper.sections:
                paper.warnings.append((n, f"overskriften «{head[0]}» står to ganger; teksten er lagt til"))
            current = key
            paper.sections.setdefault(key, [])
            paper.matched += 1
            continue
        if head and head[1] > 0:
            where = f"under «{_heading_of(sections, current)}»" if current else "først i saken"
            paper.warnings.append(
                (
                    n,
                    f"overskriften «{head[0]}» passer ikke med noe avsnitt i profilen; beholdt som "
                    f"underoverskrift {where}",
                )
            )
            block = {"t": "Header", "c": [3, ["", [], []], block["c"][2]]}
        if ast.is_empty(block):
            continue
        if current is None:
            pending.append((n, block))
        else:
            paper.sections[current].append(block)
    if pending:
        first = pending[0][0]
        if paper.matched == 0:
            paper.warnings.append(
                (
                    first,
                    f"fant ingen overskrifter som passer med profilen; all teksten er lagt i "
                    f"«{_heading_of(sections, fallback_key)}»",
                )
            )
        else:
            paper.warnings.append(
                (first, f"tekst før første overskrift er lagt i «{_heading_of(sections, fallback_key)}»")
            )
        paper.sections[fallback_key] = [b for _, b in pending] + paper.sections.get(fallback_key, [])
    return paper


def _heading_of(sections: tuple[SectionInfo, ...], key: str | None) -> str:
    s = next((s for s in sections if s.key == key), None)
    return s.headings[0] if s else str(key)


def _front_matter(blocks: list[ast.Block], sections: tuple[SectionInfo, ...], paper: Paper) -> int:
    """Read header lines, case line and title; the index of the first block after them."""
    i = 0
    while i < len(blocks):
        block = blocks[i]
        head = heading_text(block)
        if head and match_heading(head[0], sections):
            return i
        if ast.is_empty(block):
            i += 1
            continue
        rows, nynorsk = _header_rows(block)
        if nynorsk:
            paper.malform = "nynorsk"
        if rows:
            for name, value in rows:
                paper.header.setdefault(name, value)
            i += 1
            continue
        plain = ast.text(ast.inlines(block) or (block["c"][2] if block.get("t") == "Header" else [])).strip()
        if not plain:
            return i
        if paper.case_line is None and paper.title is None:
            line = parse_case_line(plain)
            if line is not None and len(plain) < 120:
                paper.case_line = line
                i += 1
                continue
        if paper.title is None and len(plain) <= MAX_TITLE and "\n" not in plain:
            paper.title = re.sub(r"\s+", " ", plain)
            i += 1
            continue
        return i
    return i
