"""One object that counts what a run did and owns the rule that turns it into an exit code.

Both ``build`` and ``check`` report through it, so "what fails a run" is written once: any error,
any output that could not be made, or, with ``--strict``, any warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from saksgen.diagnostics import Collector
from saksgen.errors import EXIT_CONTENT, EXIT_OK


def count(n: int, one: str, many: str) -> str:
    """``count(1, "fil", "filer")`` -> "1 fil"; Norwegian has one plural form."""
    return f"{n} {one if n == 1 else many}"


@dataclass
class Report:
    diag: Collector = field(default_factory=Collector)
    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # labels of outputs that could not be made
    checked: int = 0  # input files read (check's summary)

    def failed_run(self, strict: bool) -> bool:
        return bool(self.diag.errors or self.failed) or (strict and bool(self.diag.warnings))

    def exit_code(self, strict: bool) -> int:
        return EXIT_CONTENT if self.failed_run(strict) else EXIT_OK

    def problems(self) -> str:
        return (
            f"{count(len(self.diag.errors), 'feil', 'feil')}, "
            f"{count(len(self.diag.warnings), 'advarsel', 'advarsler')}"
        )

    def check_summary(self) -> str:
        return f"{count(self.checked, 'fil', 'filer')} kontrollert: {self.problems()}"

    def build_summary(self) -> str:
        parts = [count(len(self.written), "fil skrevet", "filer skrevet")]
        if self.skipped:
            parts.append(f"{len(self.skipped)} uendret")
        if self.removed:
            parts.append(f"{count(len(self.removed), 'utdatert', 'utdaterte')} fjernet")
        if self.failed:
            parts.append(f"{len(self.failed)} feilet")
        parts.append(self.problems())
        return "saksgen build: " + ", ".join(parts)
