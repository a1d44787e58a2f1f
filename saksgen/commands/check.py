"""``saksgen check``: the collect and resolve phases alone, with a report in one of four formats.

Imports nothing of the rendering stack (pandoc, docxtpl, LibreOffice): CI runs it everywhere.
"""

from __future__ import annotations

from pathlib import Path

from saksgen import diagnostics
from saksgen.diagnostics import Collector
from saksgen.errors import EXIT_CONTENT, EXIT_OK
from saksgen.resolve.project import gather

FORMATS = ("text", "json", "junit", "github")


def run_check(root: Path, paths: list[str], fmt: str, strict: bool) -> tuple[str, int]:
    diag = Collector()
    project = gather(root, paths, diag)
    items = diag.sorted()
    files = len(project.files_checked)
    if fmt == "json":
        out = diagnostics.report_json(items, files)
    elif fmt == "junit":
        out = diagnostics.report_junit(items, files, project.files_checked)
    elif fmt == "github":
        out = diagnostics.report_github(items, files)
    else:
        out = diagnostics.report_text(items, files)
    failed = any(d.severity == "feil" for d in items) or (strict and bool(items))
    return out, EXIT_CONTENT if failed else EXIT_OK
