"""Report formats of ``saksgen check``: one module per format (text, json, junit, github), each
``render(diags, checked)`` -> str, where ``checked`` lists the files read."""

from __future__ import annotations

from saksgen.diagnostics import Diagnostic
from saksgen.report import count

FORMATS = {"text": "text", "json": "json_report", "junit": "junit", "github": "github"}
"""``--format`` name -> the module under ``saksgen.diagnostics.formats`` that renders it."""


def summary_line(diags: list[Diagnostic], files: int) -> str:
    errors = sum(1 for d in diags if d.severity == "feil")
    warnings = len(diags) - errors
    return (
        f"{count(files, 'fil', 'filer')} kontrollert: {errors} feil, "
        f"{count(warnings, 'advarsel', 'advarsler')}"
    )
