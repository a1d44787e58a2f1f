"""Header lines of a paper ("Til: …", "Dato :<tab>6. mars 2024", a table row) and dates.

Pure functions on plain text, no pandoc: the unit layer tests them directly.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from saksgen.norsk import MONTHS
from saksgen.texts import MALFORMER

# Header field -> the texts-table key of its label (both målformer are accepted).
HEADER_KEYS = {
    "til": "til",
    "fra": "fra",
    "dato": "dato",
    "saksbehandler": "saksbehandler",
    "unntatt_offentlighet": "unntatt_offentlighet",
}

_NYNORSK_MONTHS = {"mars": 3, "mai": 5, "desember": 12}  # same spellings; kept for clarity
_MONTH_NUMBER = {name: i + 1 for i, name in enumerate(MONTHS)} | _NYNORSK_MONTHS
_SHORT_MONTH = {name[:3]: i + 1 for i, name in enumerate(MONTHS)}
_LABEL_VALUE = re.compile(r"^\s*([^:\t]{2,40}?)\s*(?::|\t)[\s:]*(.*?)\s*$", re.S)


def fold(text: str) -> str:
    """Case-, space- and accent-insensitive form for comparing labels and headings."""
    text = unicodedata.normalize("NFC", text).lower().replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip(" :\t.*")


def _labels() -> dict[str, str]:
    out = {}
    for table in MALFORMER.values():
        for field, key in HEADER_KEYS.items():
            out[fold(table[key])] = field
    return out


LABELS = _labels()
# Labels only nynorsk spells this way ("Frå", "Sakshandsamar"): a paper that uses them is nynorsk.
NYNORSK_LABELS = {
    fold(MALFORMER["nynorsk"][key])
    for key in HEADER_KEYS.values()
    if fold(MALFORMER["nynorsk"][key]) != fold(MALFORMER["bokmål"][key])
}


def is_nynorsk_line(text: str) -> bool:
    """ "Frå: Helse Vest RHF" -> True: the header line's label is nynorsk only."""
    m = _LABEL_VALUE.match(text)
    return m is not None and fold(m.group(1)) in NYNORSK_LABELS


def label_field(label: str) -> str | None:
    """ "Til" / "Frå" / "Sakshandsamar" -> the case field; None for anything else."""
    return LABELS.get(fold(label))


def split_header_line(text: str) -> tuple[str, str] | None:
    """ "Fra : Helse Vest RHF" -> ("fra", "Helse Vest RHF"); None when it is no header line."""
    m = _LABEL_VALUE.match(text)
    if not m:
        return None
    field = label_field(m.group(1))
    if field is None:
        return None
    return field, re.sub(r"\s+", " ", m.group(2)).strip()


def parse_date(text: str) -> dt.date | None:
    """ "6. mars 2024", "06.03.2024", "2024-03-06", "6. mar. 2024" -> a date; None otherwise."""
    t = fold(text)
    m = re.search(r"(\d{4})-(\d{1,2})-(\d{1,2})", t)
    if m:
        return _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.search(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", t)
    if m:
        return _date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    m = re.search(r"(\d{1,2})\.?\s+([a-zæøå]+)\.?\s+(\d{4})", t)
    if m:
        name = m.group(2)
        month = _MONTH_NUMBER.get(name) or _SHORT_MONTH.get(name[:3])
        if month:
            return _date(int(m.group(3)), month, int(m.group(1)))
    return None


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


_BASIS = re.compile(r"(offl\.?\s*§.*)$", re.I)


def parse_exemption(text: str) -> str | bool | None:
    """ "Nei" -> False; "Ja, jf. offl. § 13 …" -> "offl. § 13 …"; None when unreadable or a
    template placeholder ("Nei [angi paragraf hvis aktuelt]" counts as "Nei")."""
    t = fold(text)
    if t.startswith("nei"):
        return False
    m = _BASIS.search(text)
    if m:
        return m.group(1).strip()
    return None


_CASE_NUMBER = re.compile(r"\bsak\s+(\d{1,3}|xx)\s*([/-])\s*(\d{2,4})\b", re.I)


def parse_case_line(text: str) -> tuple[str, str | None] | None:
    """ "IKT/fagdirektørmøte - Sak 32/24" -> ("IKT/fagdirektørmøte", "32/24");
    the number is None for the placeholder "Sak XX/24"."""
    m = _CASE_NUMBER.search(text)
    if not m:
        return None
    meeting = text[: m.start()].strip(" -–\t")
    nr = m.group(1)
    if nr.lower() == "xx":
        return meeting, None
    return meeting, f"{int(nr)}{m.group(2)}{m.group(3)}"
