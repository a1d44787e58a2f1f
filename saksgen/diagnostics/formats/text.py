"""The text report: one ``path:line:col: feil: … [code]`` line per diagnostic, then a summary."""

from __future__ import annotations

from saksgen.diagnostics import Diagnostic
from saksgen.diagnostics.formats import summary_line


def render(diags: list[Diagnostic], checked: list[str]) -> str:
    lines = [d.format_text() for d in diags]
    lines.append(summary_line(diags, len(checked)))
    return "\n".join(lines) + "\n"
