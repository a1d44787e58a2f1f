"""Mistakes real users make that are valid YAML and valid Markdown, but print something other
than what was meant. Each gets a located warning with the fix; nothing here changes the text
(case text prints as typed, DESIGN §6 and §9).

- ``word-punkttegn``: bullets pasted from Word (``•<tab>``, ``o<tab>``, ``–<tab>``) print as one
  paragraph of text;
- ``liste-uten-tom-linje``: a Markdown list right under a paragraph line (pandoc needs a blank line
  before a list, or the items run on as text of the paragraph above);
- ``sammenslåtte-punkter``: a conclusion point with an indented ``- …`` line is one point (YAML
  folds the line into the point above);
- ``vedlegg-uten-fil``: ``vedlegg: [vedlegg/x.pdf]`` makes the path the title and attaches no file;
- ``anførselstegn``: a whole value in Word's quotes (``”offl. § 13”``), which YAML does not see as
  quotes, so they print;
- ``saksnummer-år``: a case number whose year is not the year of its meeting.

Hooks: ``check_scalars`` per file (case and meeting), ``check_markdown`` per section text,
``check_conclusion_item`` per conclusion point, ``check_bare_attachment`` per attachment written
as a bare string, ``check_item_number_year`` per agenda item and ``check_case_number_year`` per
case on a meeting.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

from saksgen.diagnostics import Collector, Location
from saksgen.load.document import Document, KeyPath
from saksgen.load.profiles import Profile
from saksgen.model import Case, Meeting
from saksgen.norsk import format_date
from saksgen.resolve.references import blank_code


class _Lazy:
    """A regular expression compiled on first use. Most of these are needed only once a cheap
    test has found a candidate, and every ``check`` pays at start-up for each compile."""

    __slots__ = ("_flags", "_rx", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self._flags = flags
        self._rx: re.Pattern[str] | None = None

    def _get(self) -> re.Pattern[str]:
        if self._rx is None:
            self._rx = re.compile(self.pattern, self._flags)
        return self._rx

    def match(self, text: str) -> re.Match[str] | None:
        return self._get().match(text)

    def search(self, text: str) -> re.Match[str] | None:
        return self._get().search(text)


# --- Word's quotes around a whole value ---------------------------------------------------------

# opening quote -> the closing quotes that may pair with it (English, Swedish/Finnish, German,
# Norwegian/French guillemets, Danish reversed guillemets, and the single forms)
_QUOTE_PAIRS = {
    "“": "”“",
    "”": "”",
    "„": "“”",
    "«": "»",
    "»": "«",
    "‘": "’‘",
    "’": "’",
    "‚": "‘’",
}


def _scalars(data: Any, path: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _scalars(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _scalars(value, (*path, i))
    elif isinstance(data, str):
        yield path, data


def _wrapped_in_quotes(value: str) -> bool:
    text = value.strip()
    if len(text) < 3 or text[0] not in _QUOTE_PAIRS or text[-1] not in _QUOTE_PAIRS[text[0]]:
        return False
    inner = text[1:-1]
    # ”a” og ”b” quotes two parts, not the whole value
    return bool(inner.strip()) and text[0] not in inner and text[-1] not in inner


# Where a value can start with such a quote: after "key:", "- ", "[" or ",". Most files have
# none, and ``check`` then skips the walk over every value.
_QUOTE_AFTER_INDICATOR = _Lazy(r"(?:[:\-\[,{]|^)[ \t]*[“”„«»‘’‚]", re.M)


def check_scalars(doc: Document, diag: Collector) -> None:
    """Every plain (unquoted, not block) text value of the file wrapped in typographic quotes."""
    text = "\n".join(doc.lines)
    if not any(q in text for q in _QUOTE_PAIRS) or not _QUOTE_AFTER_INDICATOR.search(text):
        return
    for path, value in _scalars(doc.data):
        info = doc.scalar_info.get(path)
        if info is None or info[0] or not _wrapped_in_quotes(value):  # plain: None or ""
            continue  # YAML-quoted ('«x»') or block text: the quotes were typed on purpose
        text = value.strip()
        key = next((p for p in reversed(path) if isinstance(p, str)), "verdi")
        diag.warning(
            doc.loc(path),
            "anførselstegn",
            f"hele verdien står i typografiske anførselstegn ({text[0]}…{text[-1]}); YAML ser dem "
            "ikke som anførselstegn, så de blir skrevet ut som en del av teksten",
            f"fjern dem ({key}: {text[1:-1].strip()[:40]}); skal de stå i teksten, skriv verdien i "
            f"enkle anførselstegn: {key}: '{text[0]}…{text[-1]}'",
        )


# --- section text -------------------------------------------------------------------------------

# A bullet character Word leaves behind when a list is pasted as text (Symbol font U+F0B7 too),
# or a Word sub-bullet "o" / dash followed by the tab Word puts after every bullet.
_BULLET = r"[ \t]*(?:[•·▪◦‣●■\uf0b7]|[o–—][ \t])"  # a Word bullet, or maybe one (first look)
_ANY_WORD_BULLET = _Lazy("^" + _BULLET, re.M)
_WORD_BULLET = _Lazy(r"^[ \t]*(?:[•·▪◦‣●■\uf0b7]|[o–—](?=\t))")
_DASH_BULLET = _Lazy(r"^[ \t]*[–—] ")  # "– punkt": only when two lines in a row do it
_ITEM = r" {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+\S"
_ITEM_AFTER_A_LINE = _Lazy("\n" + _ITEM)
# Where either can start: the text's first line, or after a "\n" (a literal start makes the search
# fast). Most sections have neither, and are done with after this.
_FIRST_LINE_BULLET = re.compile(_BULLET)
_LINE_START_CANDIDATE = re.compile(f"\\n(?:{_BULLET}|{_ITEM})")
# A line that is not a list item, then one that is: the only place the state machine below can
# warn (lines inside a list match too, and are sorted out by it).
_ITEM_UNDER_A_LINE = _Lazy(
    r"^(?! {0,3}(?:[-*+]|\d{1,9}[.)])[ \t])[ \t]*\S[^\n]*\n {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+\S", re.M
)
_LIST_ITEM = _Lazy(r"^(?P<indent> {0,3})(?P<marker>[-*+]|\d{1,9}[.)])[ \t]+\S")
_ATX_HEADING = _Lazy(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_SETEXT_UNDERLINE = _Lazy(r"^ {0,3}(?:=+|-+)[ \t]*$")


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) for every line of ``text``."""
    out = []
    offset = 0
    for line in text.split("\n"):
        out.append((offset, line))
        offset += len(line) + 1
    return out


def _kind(m: re.Match[str] | None) -> str | None:
    if m is None:
        return None
    return "tall" if m.group("marker")[0].isdigit() else "punkt"


def check_markdown(doc: Document, path: KeyPath, text: str, diag: Collector) -> None:
    if not (_FIRST_LINE_BULLET.match(text) or _LINE_START_CANDIDATE.search(text)):
        return  # the common case: one search for "\n" and what follows it, in C
    bullets = _ANY_WORD_BULLET.search(text)
    lists = _ITEM_AFTER_A_LINE.search(text) and _ITEM_UNDER_A_LINE.search(text)
    if not (bullets or lists):
        return
    lines = _lines(blank_code(text))
    if bullets:
        _word_bullets(doc, path, lines, diag)
    if lists:
        _lists_without_blank_line(doc, path, lines, diag)


def _word_bullets(doc: Document, path: KeyPath, lines: list[tuple[int, str]], diag: Collector) -> None:
    def bullet(i: int) -> re.Match[str] | None:
        if not 0 <= i < len(lines):
            return None
        line = lines[i][1]
        m = _WORD_BULLET.match(line)
        if (
            m is None
            and _DASH_BULLET.match(line)
            and (
                _DASH_BULLET.match(lines[i - 1][1] if i > 0 else "")
                or _DASH_BULLET.match(lines[i + 1][1] if i + 1 < len(lines) else "")
            )
        ):
            m = _DASH_BULLET.match(line)
        return m

    i = 0
    while i < len(lines):
        m = bullet(i)
        if m is None:
            i += 1
            continue
        first = i
        count = 0
        while i < len(lines) and (bullet(i) or not lines[i][1].strip()):
            count += bullet(i) is not None
            i += 1
        offset, line = lines[first]
        at = len(line) - len(line.lstrip(" \t"))
        mark = line[at]
        shown = {"\uf0b7": "U+F0B7"}.get(mark, mark)  # Word's Symbol-font bullet shows as a box
        many = f"{count} linjer begynner" if count > 1 else "linjen begynner"
        diag.warning(
            doc.text_loc(path, offset + at),
            "word-punkttegn",
            f"{many} med punkttegnet «{shown}» limt inn fra Word; det blir skrevet ut som vanlig "
            "tekst i ett avsnitt, ikke som en punktliste",
            "skriv hvert punkt med «- » først på linjen (i stedet for punkttegn og tabulator), "
            "og en tom linje før listen",
        )


def _lists_without_blank_line(
    doc: Document, path: KeyPath, lines: list[tuple[int, str]], diag: Collector
) -> None:
    """pandoc's Markdown starts a list only after a blank line (or a heading, a table, another
    list); right under a paragraph line the items run on as text of that paragraph."""
    state = "start"  # start | para | list | other (quote, table: left alone)
    in_list = False  # indented lines after a blank line still belong to the list above
    for i, (offset, line) in enumerate(lines):
        if not line.strip():
            state = "start"
            continue
        item = _LIST_ITEM.match(line)
        if state == "start":
            if item:
                state, in_list = "list", True
            elif in_list and line.startswith(("  ", "\t")):
                state = "list"
            elif _ATX_HEADING.match(line):
                state, in_list = "start", False  # a heading is one line; a list may follow
            elif line.lstrip().startswith((">", "|")):
                state, in_list = "other", False
            else:
                state, in_list = "para", False
            continue
        if state != "para":
            continue
        if _SETEXT_UNDERLINE.match(line):
            state = "start"  # "Tittel\n-----" is a heading
            continue
        if item is None:
            continue
        previous = lines[i - 1][1].rstrip()
        following = _LIST_ITEM.match(lines[i + 1][1]) if i + 1 < len(lines) else None
        if not (previous.endswith(":") or _kind(following) == _kind(item)):
            continue  # "- " or "12. mars" wrapped onto a line of running text
        diag.warning(
            doc.text_loc(path, offset + len(item.group("indent"))),
            "liste-uten-tom-linje",
            "listen står rett under en tekstlinje uten tom linje imellom, og blir skrevet ut som "
            "vanlig tekst i avsnittet over",
            "sett inn en tom linje før første punkt i listen",
        )
        state = "warned"  # once per paragraph


# --- conclusion points --------------------------------------------------------------------------

_POINT_MARKER = _Lazy(r"^(?:[-*+•–]|\d{1,3}[.)])[ \t]+\S")


def check_conclusion_item(doc: Document, path: KeyPath, number: int, diag: Collector) -> None:
    """A line inside conclusion point ``number`` (1-based) that starts like a point of its own."""
    info = doc.scalar_info.get(path)
    if info is None:
        return
    style, line, col = info
    if not style:  # plain (libyaml says "", PyYAML None)
        found = _plain_continuation(doc, line, col)
    elif style == "|":
        found = _block_continuation(doc, path)
    else:
        return  # quoted or folded: YAML joined the lines already, and the point is visibly one
    if found is None:
        return
    diag.warning(
        found,
        "sammenslåtte-punkter",
        f"linjen er rykket inn under punkt {number} i «konklusjon» og blir en del av det; de to "
        "punktene skrives ut som ett",
        "skriv hvert punkt på egen linje med «- » rett under «- » i punktet over (samme innrykk)",
    )


def _plain_continuation(doc: Document, line: int, col: int) -> Location | None:
    """A plain scalar in a block sequence runs on over every following line indented deeper than
    its ``-``; YAML folds those lines into it."""
    head = doc.lines[line][:col] if line < len(doc.lines) else ""
    if not head.rstrip().endswith("-"):
        return None  # not "- point" on one line (a flow list, a point on the line after "-")
    dash = len(head.rstrip()) - 1
    for j in range(line + 1, len(doc.lines)):
        text = doc.lines[j]
        stripped = text.strip()
        if not stripped:
            continue
        indent = len(text) - len(text.lstrip(" "))
        if indent <= dash or stripped.startswith("#"):
            return None
        if _POINT_MARKER.match(stripped):
            return Location(doc.display, j + 1, indent + 1)
    return None


def _block_continuation(doc: Document, path: KeyPath) -> Location | None:
    value = doc.value_at(path)
    if not isinstance(value, str):
        return None
    for offset, text in _lines(value)[1:]:
        stripped = text.lstrip(" \t")
        if _POINT_MARKER.match(stripped):
            return doc.text_loc(path, offset + len(text) - len(stripped))
    return None


# --- attachments --------------------------------------------------------------------------------

_FILE_NAME = _Lazy(r"\.(?:pdf|docx?|xlsx?|pptx?|od[tsp]|rtf|txt|csv|png|jpe?g|gif|zip|msg|eml)$", re.I)


def check_bare_attachment(loc: Location, title: str, diag: Collector) -> None:
    """``vedlegg: [vedlegg/x.pdf]``: the path becomes the title, and nothing is attached."""
    if not _FILE_NAME.search(title) or "\n" in title:
        return
    stem = PurePath(title.replace("\\", "/")).stem.replace("-", " ").replace("_", " ").strip()
    example = stem[:1].upper() + stem[1:] if stem else "Navn på vedlegget"
    diag.warning(
        loc,
        "vedlegg-uten-fil",
        f"«{title}» ser ut som et filnavn, men blir tittelen på vedlegget; filen legges ikke ved",
        f"skriv vedlegget som «- tittel: {example}» med «fil: {title}» på linjen under "
        "(rykket inn under «tittel»)",
    )


# --- case numbers and the meeting's year ---------------------------------------------------------


def check_item_number_year(
    loc: Location, number: tuple[int, int], date: dt.date, profile: Profile, diag: Collector
) -> None:
    """An agenda item's explicit ``saksnummer: 35/23`` on a meeting in 2024."""
    nr, year = number
    if year == date.year:
        return
    diag.warning(
        loc,
        "saksnummer-år",
        f"saksnummeret {profile.number(nr, year)} har året {year}, men møtet er {format_date(date)}",
        f"skriv bare «{nr}», så får saken møtets år ({profile.number(nr, date.year)})",
    )


def check_case_number_year(case: Case, meeting: Meeting, diag: Collector) -> None:
    """The case file's own ``saksnummer`` names another year than a meeting the case is on."""
    if case.explicit_number is None:
        return
    nr, year = case.explicit_number
    if year == meeting.date.year:
        return
    diag.warning(
        case.source.loc(("saksnummer",)),
        "saksnummer-år",
        f"saksnummeret {case.profile.number(nr, year)} har året {year}, men saken står på "
        f"møtet {format_date(meeting.date)} ({meeting.display})",
        "fjern «saksnummer» fra saksfilen (møtefilen gir saken nummer), eller rett året",
    )
