"""Single values as users write them: dates, legal bases, case numbers, ids, placeholders."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from saksgen.diagnostics import Collector, Location
from saksgen.ids import ID_PATTERN
from saksgen.load import keys
from saksgen.load.document import Document
from saksgen.load.profiles import Profile

MAX_SECTION_CHARS = 512 * 1024
"""A section above this size is refused (documented in README): write it as an attachment."""

# Template placeholders that mean "not written yet": [fylles inn], [...], XX, TODO, …
_PLACEHOLDER = r"\[[^\]\n]*\]|\bX{2,}\b|\bTODO\b|…|\.\.\.|\bxx+\b"
# A placeholder, or else one word character that no placeholder covers (group "real").
_PLACEHOLDER_OR_REAL = re.compile(_PLACEHOLDER + r"|(?P<real>\w)", re.I)
_HJEMMEL = re.compile(r"\boffl\.?\s*§+\s*\d+", re.I)
_NUMBER = re.compile(r"^\s*(\d{1,4})\s*(?:[/-]\s*(\d{4}|\d{2}))?\s*$")


def is_placeholder(text: str) -> bool:
    """True when ``text`` has nothing but template placeholders, markup and punctuation.

    Stops at the first real word, so ordinary section text costs almost nothing.
    """
    return not any(m.group("real") for m in _PLACEHOLDER_OR_REAL.finditer(text))


def parse_date(doc: Document, f: keys.Fields, name: str, diag: Collector) -> dt.date | None:
    value = f.get(name)
    if value is None:
        diag.error(
            f.loc(), "mangler-felt", f"mangler påkrevd felt «{name}»", f"skriv f.eks. «{name}: 2024-03-06»"
        )
        return None
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        diag.error(
            f.loc(name),
            "ugyldig-dato",
            f"«{text}» er ikke en dato på formen ÅÅÅÅ-MM-DD",
            "skriv f.eks. 2024-03-06 (datoen skrives ut som «6. mars 2024»)",
        )
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        diag.error(f.loc(name), "ugyldig-dato", f"datoen {text} finnes ikke i kalenderen")
        return None


def parse_exemption(f: keys.Fields, name: str, diag: Collector) -> str | None:
    """``false`` -> None; a legal basis citing offentleglova -> the basis; else an error."""
    value = f.get(name)
    if value is None or value is False:
        return None
    if isinstance(value, str) and value.strip().lower() in ("nei", "false", "no"):
        return None
    if value is True or (isinstance(value, str) and value.strip().lower() in ("ja", "true")):
        diag.error(
            f.loc(name),
            "mangler-hjemmel",
            "unntak fra offentlighet må ha en hjemmel",
            "skriv f.eks. «offl. § 13 jf. fvl. § 13 første ledd nr. 1»",
        )
        return None
    if not isinstance(value, str):
        diag.error(f.loc(name), "feil-type", f"«{name}» skal være false eller en hjemmel")
        return None
    text = " ".join(value.split())
    if not _HJEMMEL.search(text):
        diag.error(
            f.loc(name),
            "mangler-hjemmel",
            f"«{text}» viser ikke til en paragraf i offentleglova",
            "skriv hjemmelen som «offl. § 14» eller «offl. § 13 jf. fvl. § 13 …»",
        )
        return None
    return text


def parse_number(f: keys.Fields, name: str, year: int, diag: Collector) -> tuple[int, int] | None:
    value = f.get(name)
    if value is None:
        return None
    m = _NUMBER.match(str(value)) if not isinstance(value, bool) else None
    if not m or int(m.group(1)) == 0:
        diag.error(
            f.loc(name),
            "ugyldig-saksnummer",
            f"«{value}» er ikke et saksnummer",
            "skriv f.eks. «32/24», «32-2024» eller bare «32»",
        )
        return None
    nr = int(m.group(1))
    if m.group(2):
        y = int(m.group(2))
        year = y + 2000 if y < 100 else y
    return nr, year


def parse_id(f: keys.Fields, name: str, diag: Collector, *, required: bool = False) -> str | None:
    ident = keys.text(f, name, diag, required=required)
    if ident is not None and not ID_PATTERN.match(ident):
        diag.error(f.loc(name), "ugyldig-id", f"id «{ident}» kan bare ha a–z, 0–9 og bindestrek")
        return None
    return ident


def file_id(doc: Document, f: keys.Fields, diag: Collector) -> str | None:
    """A case's or meeting's id: its ``id:``, or else the file name."""
    if "id" in f:
        return parse_id(f, "id", diag)
    stem = doc.path.stem
    if not ID_PATTERN.match(stem):
        diag.error(
            Location(doc.display, 1, 1),
            "ugyldig-id",
            f"filnavnet «{stem}» kan ikke brukes som id (bare a–z, 0–9 og bindestrek)",
            "gi filen et nytt navn, eller sett «id:» i filen",
        )
        return None
    return stem


def resolve_profile(
    doc: Document, f: keys.Fields, profiles: Mapping[str, Profile], diag: Collector
) -> Profile | None:
    name = keys.text(f, "møte", diag, required=True)
    if name is None:
        return None
    if name not in profiles:
        close = keys.closest(name, profiles)
        hint = f"mente du «{close}»?" if close else "kjente møtetyper: " + ", ".join(profiles)
        diag.error(f.loc("møte"), "ukjent-profil", f"ukjent møtetype «{name}»", hint)
        return None
    return profiles[name]


def not_placeholder(f: keys.Fields, name: str, value: str | None, diag: Collector) -> str | None:
    """A required header field left as the scaffold's ``[fylles inn: …]`` counts as missing."""
    if value is not None and is_placeholder(value):
        diag.error(
            f.loc(name),
            "mangler-felt",
            f"feltet «{name}» er bare plassholdertekst",
            "erstatt teksten i [hakeparenteser] med det som skal stå",
        )
        return None
    return value
