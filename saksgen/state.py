"""What one build is asked to do (``BuildOptions``) and what it has done so far (``BuildState``).

Shared by every phase of the build; kept apart from the orchestrator so that no phase imports
``commands.build``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from saksgen.report import Report


@dataclass
class BuildOptions:
    root: Path
    paths: list[str]
    outdir: Path
    docx: bool = True
    pdf: bool = True
    public: bool = False
    strict: bool = False
    force: bool = False
    partial_pack: bool = False

    def needed(self, docx_path: Path, pdf_path: Path) -> list[Path]:
        """The files of one output the chosen --format asks for."""
        return ([docx_path] if self.docx else []) + ([pdf_path] if self.pdf else [])


BuildState = Report
"""The build's state is its report: every phase records what it wrote, skipped, removed and
failed there, and reports its diagnostics to ``state.diag``."""
