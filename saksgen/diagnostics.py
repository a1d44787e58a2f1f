"""Locations, diagnostics, the collector every phase reports into, and the four report formats.

A diagnostic is ``path:line:col: feil|advarsel: message [code]``. The codes are stable: CI
configurations and editors key on them.
"""

from __future__ import annotations

import json
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

    def warning(
        self, loc: Location | None, code: str, message: str, hint: str | None = None
    ) -> None:
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


def summary_line(diags: list[Diagnostic], files: int) -> str:
    errors = sum(1 for d in diags if d.severity == "feil")
    warnings = len(diags) - errors
    filer = "fil" if files == 1 else "filer"
    return f"{files} {filer} kontrollert: {errors} feil, {warnings} advarsler"


def report_text(diags: list[Diagnostic], files: int) -> str:
    lines = [d.format_text() for d in diags]
    lines.append(summary_line(diags, files))
    return "\n".join(lines) + "\n"


def report_json(diags: list[Diagnostic], files: int) -> str:
    errors = sum(1 for d in diags if d.severity == "feil")
    doc = {
        "filer": files,
        "feil": errors,
        "advarsler": len(diags) - errors,
        "diagnostikk": [d.as_dict() for d in diags],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def report_junit(diags: list[Diagnostic], files: int, checked: list[str]) -> str:
    """One test case per checked file; each diagnostic a failure (errors) or a note (warnings)."""
    # Imported here: xml.sax.saxutils pulls in urllib and http (~30 ms of every check's start-up).
    from xml.sax.saxutils import escape, quoteattr

    by_file: dict[str, list[Diagnostic]] = {p: [] for p in checked}
    for d in diags:
        by_file.setdefault(d.location.path if d.location else "(generelt)", []).append(d)
    failures = sum(1 for ds in by_file.values() if any(d.severity == "feil" for d in ds))
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites name="saksgen check" tests="{len(by_file)}" failures="{failures}">',
        f'  <testsuite name="saksgen check" tests="{len(by_file)}" failures="{failures}"'
        ' errors="0" skipped="0">',
    ]
    for path in sorted(by_file):
        ds = by_file[path]
        out.append(f"    <testcase classname=\"saksgen.commands.check\" name={quoteattr(path)}>")
        errors = [d for d in ds if d.severity == "feil"]
        if errors:
            body = "\n".join(d.format_text() for d in errors)
            msg = quoteattr(f"{len(errors)} feil")
            out.append(f"      <failure message={msg} type=\"feil\">{escape(body)}</failure>")
        warnings = [d for d in ds if d.severity == "advarsel"]
        if warnings:
            body = "\n".join(d.format_text() for d in warnings)
            out.append(f"      <system-out>{escape(body)}</system-out>")
        out.append("    </testcase>")
    out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def report_github(diags: list[Diagnostic], files: int) -> str:
    """GitHub Actions workflow commands: one annotation per diagnostic."""
    lines = []
    for d in diags:
        kind = "error" if d.severity == "feil" else "warning"
        props = []
        if d.location:
            props.append(f"file={_gh_escape(d.location.path, True)}")
            if d.location.line:
                props.append(f"line={d.location.line}")
                props.append(f"col={d.location.col}")
        # The code goes in the message as in the text report, so every line reads
        # ::error file=…,line=…,col=…::… (what CI log parsers and problem matchers expect).
        message = f"{d.message} [{d.code}]" + (f" (hint: {d.hint})" if d.hint else "")
        lines.append(f"::{kind} {','.join(props)}::{_gh_escape(message)}")
    lines.append(summary_line(diags, files))
    return "\n".join(lines) + "\n"
