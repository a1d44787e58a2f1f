"""``saksgen check``: the load, validate and resolve phases alone, with a report in one of four
formats.

Imports nothing of the rendering stack (pandoc, docxtpl, LibreOffice): CI runs it everywhere.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from saksgen.diagnostics.formats import FORMATS
from saksgen.report import Report
from saksgen.resolve.project import gather


def run_check(root: Path, paths: list[str], fmt: str, strict: bool) -> tuple[str, int]:
    report = Report()
    project = gather(root, paths, report.diag)
    report.checked = len(project.files_checked)
    emitter = importlib.import_module(f"saksgen.diagnostics.formats.{FORMATS.get(fmt, 'text')}")
    out: str = emitter.render(report.diag.sorted(), project.files_checked)
    return out, report.exit_code(strict)
