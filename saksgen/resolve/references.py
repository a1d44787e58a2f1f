"""Labels, numbering and @-references.

Collect phase: each case's Markdown is scanned for figure/table labels, images and references
(``scan_case``), without pandoc, so ``check`` stays light. Resolve phase: after every case and
meeting of the build is known, each reference gets its printed text (``reference_text``,
``case_reference``; called from ``resolve.project``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from saksgen.diagnostics import Collector, Location
from saksgen.load.document import Document
from saksgen.load.keys import closest, fold
from saksgen.model import Label, Reference
from saksgen.norsk import upper_first

KINDS = ("fig", "tab", "vedlegg", "avsnitt", "sak")

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[ \t]*$|\Z)", re.M | re.S)
# A code span never crosses a blank line (pandoc ends the paragraph there).
_CODE_SPAN = re.compile(r"(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1", re.S)
# An indented code block: 4+ spaces after a blank line (or at the start), unless it continues
# a list item, whose paragraphs are indented too.
_INDENTED = re.compile(r"(?:\A|\n[ \t]*\n)((?:(?: {4}|\t)[^\n]*(?:\n|\Z))+)")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d+[.)])[ \t]", re.M)
_IMAGE = re.compile(
    r"!\[(?P<cap>(?:[^\]\\]|\\.)*)\]\(\s*(?P<src><[^>]*>|[^)\s]+)(?:\s+[\"'][^\"']*[\"'])?\s*\)"
    r"(?P<attr>\{[^}\n]*\})?"
)
_TABLE_CAPTION = re.compile(r"^ {0,3}(?:Table)?:[ \t].*?(?P<attr>\{[^}\n]*\})[ \t]*$", re.M)
_LABEL = re.compile(r"#(?P<kind>fig|tab):(?P<id>[A-Za-z0-9_][A-Za-z0-9_-]*)")
# "@" first, then the look-behind (not preceded by a word character, "@" or "\\"): a pattern
# that starts with a literal is searched for that literal, ten times faster on long text.
_REF = re.compile(r"@(?<![\w@\\]@)(?P<kind>[^\W\d_]+):(?P<id>\w(?:[\w-]*\w)?)")


def blank_code(text: str) -> str:
    """Replace code blocks and code spans by spaces, keeping offsets: no labels in code."""

    def spaces(m: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", m.group())

    if "    " in text or "\t" in text:
        text = _blank_indented(text)
    if "`" not in text and "~~~" not in text:
        return text  # the common case: no code at all
    return _CODE_SPAN.sub(spaces, _FENCE.sub(spaces, text))


def _blank_indented(text: str) -> str:
    if _LIST_ITEM.search(text):
        return text  # inside lists indentation is continuation, not code: leave it to pandoc
    out = []
    last = 0
    for m in _INDENTED.finditer(text):
        out.append(text[last : m.start(1)])
        out.append(re.sub(r"[^\n]", " ", m.group(1)))
        last = m.end(1)
    out.append(text[last:])
    return "".join(out)


def _alone_in_paragraph(text: str, start: int, end: int) -> bool:
    """pandoc makes a numbered Figure only of an image that is its paragraph's only content."""
    before = text.rfind("\n\n", 0, start)
    para_start = 0 if before < 0 else before + 2
    after = text.find("\n\n", end)
    para_end = len(text) if after < 0 else after
    return not text[para_start:start].strip() and not text[end:para_end].strip()


def _next_to_table(text: str, start: int, end: int) -> bool:
    """A "Table: …" caption belongs to the table right above or right below it."""
    above = [ln for ln in text[:start].splitlines() if ln.strip()][-1:]
    below = [ln for ln in text[end:].splitlines() if ln.strip()][:1]
    return any(ln.lstrip().startswith(("|", "+")) for ln in above + below)


@dataclass(frozen=True)
class ImageUse:
    src: str
    location: Location


@dataclass
class ScanResult:
    labels: list[Label]
    references: list[Reference]
    images: list[ImageUse]


def scan_case(doc: Document, texts: list[tuple[tuple[Any, ...], str]], diag: Collector) -> ScanResult:
    """Scan section texts in document order. ``texts`` holds (yaml path, markdown)."""
    counters = {"fig": 0, "tab": 0}
    labels: list[Label] = []
    refs: list[Reference] = []
    images: list[ImageUse] = []
    seen: dict[tuple[str, str], Label] = {}

    def add_label(kind: str, ident: str, loc: Location) -> None:
        if (kind, ident) in seen:
            first = seen[(kind, ident)].location
            diag.error(
                loc,
                "dobbel-etikett",
                f"etiketten «{kind}:{ident}» er brukt før (linje {first.line})",
                "gi hver figur og tabell sin egen etikett",
            )
            return
        counters[kind] += 1
        label = Label(kind, ident, counters[kind], loc)
        seen[(kind, ident)] = label
        labels.append(label)

    for path, text in texts:
        clean = blank_code(text)
        # Figures and tables are numbered in the order they appear; collect both, then sort.
        found: list[tuple[int, str, str]] = []
        for m in _IMAGE.finditer(clean):
            src = m.group("src").strip("<>")
            images.append(ImageUse(src, doc.text_loc(path, m.start("src"))))
            attr = m.group("attr") or ""
            lm = _LABEL.search(attr)
            if lm and lm.group("kind") == "fig":
                found.append((m.start(), "fig", lm.group("id")))
                if not m.group("cap").strip():
                    # pandoc makes a figure only of an image with a caption: no number, and
                    # every @fig: to it would fail the build.
                    diag.error(
                        doc.text_loc(path, m.start()),
                        "ugyldig-etikett",
                        f"figuren «fig:{lm.group('id')}» har ingen bildetekst og blir ikke nummerert",
                        f"skriv bildeteksten mellom [ og ]: ![Målbilde](…){{#fig:{lm.group('id')}}}",
                    )
                elif not _alone_in_paragraph(clean, m.start(), m.end()):
                    diag.error(
                        doc.text_loc(path, m.start()),
                        "ugyldig-etikett",
                        f"figuren «fig:{lm.group('id')}» blir bare nummerert når bildet står "
                        "alene i et eget avsnitt",
                        "sett en tom linje før og etter bildet",
                    )
        for m in _TABLE_CAPTION.finditer(clean) if "#tab:" in clean else ():
            lm = _LABEL.search(m.group("attr"))
            if lm and lm.group("kind") == "tab":
                found.append((m.start(), "tab", lm.group("id")))
                if not _next_to_table(clean, m.start(), m.end()):
                    diag.error(
                        doc.text_loc(path, m.start()),
                        "ugyldig-etikett",
                        f"tabellteksten «tab:{lm.group('id')}» står ikke rett under en tabell",
                        "skriv «Table: …» på linjen etter tabellen, med én tom linje imellom",
                    )
        for offset, kind, ident in sorted(found):
            add_label(kind, ident, doc.text_loc(path, offset))
        for m in _REF.finditer(clean) if "@" in clean else ():
            kind = m.group("kind")
            loc = doc.text_loc(path, m.start())
            if kind.lower() not in KINDS:
                diag.warning(
                    loc,
                    "ukjent-referansetype",
                    f"«@{kind}:» er ingen kjent referansetype; teksten skrives som den står",
                    "bruk @fig:, @tab:, @vedlegg:, @avsnitt: eller @sak:",
                )
                continue
            refs.append(Reference(kind.lower(), m.group("id"), kind[0].isupper(), loc))
    return ScanResult(labels, refs, images)


@dataclass(frozen=True)
class CaseInfo:
    """What other cases need to know to refer to a case."""

    id: str
    profile_id: str
    number: tuple[int, int] | None  # (nr, year)
    year: int


def reference_text(
    ref: Reference,
    *,
    labels: dict[tuple[str, str], int],
    attachments: dict[str, int],
    sections: dict[str, str],
    cases: dict[str, CaseInfo],
    profiles: dict[str, Any],
    own_profile: str,
) -> str | None:
    """The printed text of a reference, or None when its target does not exist."""
    kind, target = ref.kind, ref.target
    if kind in ("fig", "tab"):
        n = labels.get((kind, target))
        text = None if n is None else f"{'figur' if kind == 'fig' else 'tabell'} {n}"
    elif kind == "vedlegg":
        n = attachments.get(target)
        text = None if n is None else f"vedlegg {n}"
    elif kind == "avsnitt":
        heading = sections.get(fold(target))
        text = None if heading is None else f"avsnittet «{heading}»"
    else:
        info = cases.get(target)
        if info is None:
            return None
        return case_reference(
            profiles[info.profile_id],
            info.number,
            info.year,
            same_series=info.profile_id == own_profile,
            capital=ref.capital,
        )
    if text is None:
        return None
    return upper_first(text) if ref.capital else text


def case_reference(
    profile: Any, number: tuple[int, int] | None, year: int, *, same_series: bool, capital: bool
) -> str:
    """How a case is referred to: its own profile's reference format, "XX" until numbered."""
    nr, year = number if number else (None, year)
    text = profile.reference(nr, year, same_series=same_series)
    return upper_first(text) if capital else text


_KIND_NAMES = {
    "fig": ("figuren", "fig"),
    "tab": ("tabellen", "tab"),
    "vedlegg": ("vedlegget", "vedlegg"),
    "avsnitt": ("avsnittet", "avsnitt"),
    "sak": ("saken", "sak"),
}


def report_dangling(ref: Reference, diag: Collector, candidates: list[str]) -> None:
    noun, _ = _KIND_NAMES[ref.kind]
    close = closest(ref.target, candidates)
    if close:
        hint = f"mente du «@{ref.kind}:{close}»?"
    elif candidates:
        hint = "kjente mål: " + ", ".join(sorted(candidates)[:8])
    else:
        hint = None
    diag.error(
        ref.location,
        "ukjent-referanse",
        f"«@{ref.kind}:{ref.target}» viser til {noun} «{ref.target}», som ikke finnes",
        hint,
    )
