"""Locations, diagnostics and the collector every phase reports into (formats: ``diagnostics.formats``).

A diagnostic is ``path:line:col: feil|advarsel: message [code]``. The codes are stable: CI
configurations and editors key on them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["feil", "advarsel"]


@dataclass(frozen=True, order=True)
class Location:
    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    code: str
    message: str
    location: Location | None = None
    hint: str | None = None

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location or Location("")
        return (loc.path, loc.line, loc.col, self.code)

    def format_text(self) -> str:
        where = f"{self.location}: " if self.location else ""
        text = f"{where}{self.severity}: {self.message} [{self.code}]"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def as_dict(self) -> dict[str, object]:
        loc = self.location
        return {
            "fil": loc.path if loc else None,
            "linje": loc.line if loc else None,
            "kolonne": loc.col if loc else None,
            "alvorlighet": self.severity,
            "kode": self.code,
            "melding": self.message,
            "hint": self.hint,
        }


MAX_MESSAGE = 300
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def one_line(text: str) -> str:
    """Messages quote user values, which may span lines or be huge: keep every diagnostic on
    one line (``path:line:col: feil: … [code]`` is parsed by CI tools) and readable."""
    lines = text.splitlines()  # also \v, \f, U+2028 ... which terminals and CI treat as breaks
    if len(lines) > 1:
        text = " ".join(part.strip() for part in lines)
    text = _CONTROL.sub("\ufffd", text)  # no terminal escape sequences from a file's keys
    if len(text) > MAX_MESSAGE:
        text = text[: MAX_MESSAGE - 1] + "…"
    return text


def _hint(hint: str | None) -> str | None:
    return None if hint is None else one_line(hint)


@dataclass
class Collector:
    """Gathers every problem of a run so they can be reported together."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, loc: Location | None, code: str, message: str, hint: str | None = None) -> None:
        self.items.append(Diagnostic("feil", code, one_line(message), loc, _hint(hint)))

    def warning(self, loc: Location | None, code: str, message: str, hint: str | None = None) -> None:
        self.items.append(Diagnostic("advarsel", code, one_line(message), loc, _hint(hint)))

    def extend(self, other: Iterable[Diagnostic]) -> None:
        self.items.extend(other)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "feil"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "advarsel"]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def sorted(self) -> list[Diagnostic]:
        # Stable, deduplicated: a file loaded for two purposes must not report twice.
        seen: set[Diagnostic] = set()
        unique = []
        for d in self.items:
            if d not in seen:
                seen.add(d)
                unique.append(d)
        return sorted(unique, key=Diagnostic.sort_key)
