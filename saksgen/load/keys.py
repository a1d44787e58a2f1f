"""Key spelling: Norwegian keys with their ASCII spellings accepted as the same key, and the
"mente du …?" suggestion for unknown keys. Shared by case, meeting and profile validation."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from saksgen.diagnostics import Collector, Location
from saksgen.load.document import Document

_FOLD = str.maketrans({"ø": "o", "æ": "ae", "å": "a", "Ø": "O", "Æ": "AE", "Å": "A"})


def closest(name: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The candidate a typo most likely meant (for "mente du …?" hints), or None."""
    found = difflib.get_close_matches(name, list(candidates), n=1, cutoff=cutoff)
    return found[0] if found else None


@functools.lru_cache(maxsize=4096)
def fold(key: str) -> str:
    """ASCII spelling of a key: ``omdømme`` -> ``omdomme``, ``særskilte`` -> ``saerskilte``."""
    return key.translate(_FOLD)


@dataclass
class Fields:
    """A YAML mapping with canonical key names, remembering where each key stands."""

    doc: Document
    path: tuple[Any, ...]
    values: dict[str, Any] = field(default_factory=dict)
    spelling: dict[str, str] = field(default_factory=dict)

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def __contains__(self, name: str) -> bool:
        return name in self.values

    def vpath(self, name: str) -> tuple[Any, ...]:
        return (*self.path, self.spelling.get(name, name))

    def loc(self, name: str | None = None, *, key: bool = False) -> Location:
        if name is None or name not in self.spelling:
            return self.doc.loc(self.path, key=key)
        return self.doc.loc(self.vpath(name), key=key)


def normalise(
    doc: Document,
    path: tuple[Any, ...],
    mapping: dict[str, Any],
    known: Iterable[str],
    diag: Collector,
    *,
    what: str = "nøkkel",
) -> Fields:
    """Map every key of ``mapping`` to its canonical spelling.

    Unknown keys are reported with the nearest known key; a key written in both spellings is a
    duplicate.
    """
    canon = {fold(k): k for k in known}
    fields = Fields(doc, path)
    for key, value in mapping.items():
        name = canon.get(fold(key))
        if name is None:
            suggestion = closest(fold(key), canon)
            hint = f"mente du «{canon[suggestion]}»?" if suggestion else None
            diag.error(doc.loc((*path, key), key=True), "ukjent-nøkkel", f"ukjent {what} «{key}»", hint)
            continue
        if name in fields.values:
            diag.error(
                doc.loc((*path, key), key=True),
                "dobbel-nøkkel",
                f"«{key}» og «{fields.spelling[name]}» er samme nøkkel",
                "behold bare én av dem",
            )
            continue
        fields.values[name] = value
        fields.spelling[name] = key
    return fields


_TYPE_NAMES = {str: "tekst", bool: "true/false", int: "et heltall", list: "en liste", dict: "nøkler"}


def type_name(value: Any) -> str:
    if value is None:
        return "tom verdi"
    for t, name in _TYPE_NAMES.items():
        if type(value) is t:
            return name
    return type(value).__name__


def text(
    fields: Fields, name: str, diag: Collector, *, required: bool = False, one_line: bool = True
) -> str | None:
    """A text value; numbers are accepted as written (``fra: 2024``). Header fields are one line:
    a title that wraps in the YAML must not carry its line breaks into bookmarks and metadata."""
    value = fields.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            where = fields.loc(name, key=True) if name in fields else fields.loc()
            diag.error(where, "mangler-felt", f"mangler påkrevd felt «{name}»")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        diag.error(
            fields.loc(name),
            "feil-type",
            f"«{name}» skal være tekst, ikke {type_name(value)}",
        )
        return None
    result = fields.doc.as_text(fields.vpath(name), value).strip()
    return " ".join(result.split()) if one_line else result
