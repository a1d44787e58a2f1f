"""Convert phase: every DOCX of the build to PDF in one LibreOffice batch."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from saksgen.errors import SaksgenError, UsageError
from saksgen.plan.outputs import OutputDoc
from saksgen.write import write_bytes

if TYPE_CHECKING:
    from saksgen.progress import Progress
    from saksgen.state import BuildState


def pdf_timeout() -> float:
    """Seconds one LibreOffice process may run (SAKSGEN_PDF_TIDSAVBRUDD, default 120)."""

    raw = os.environ.get("SAKSGEN_PDF_TIDSAVBRUDD", "")
    try:
        return max(1.0, float(raw)) if raw else 120.0
    except ValueError:
        raise UsageError(f"SAKSGEN_PDF_TIDSAVBRUDD må være et antall sekunder, ikke «{raw}»") from None


def _tool_message(error: SaksgenError) -> str:
    """The error's message plus the last lines LibreOffice wrote, which usually say why."""
    tail = [line.strip() for line in getattr(error, "stderr", "").splitlines() if line.strip()]
    return error.message + (f" (LibreOffice: {' | '.join(tail[-3:])})" if tail else "")


def convert_docs(docs: list[OutputDoc], work: Path, state: BuildState, bar: Progress) -> None:
    """All PDFs in one LibreOffice batch; identical DOCX bytes are converted once."""
    from saksgen.convert.soffice import PdfJob, convert

    by_hash: dict[str, list[OutputDoc]] = {}
    for doc in docs:
        by_hash.setdefault(hashlib.sha256(doc.data).hexdigest(), []).append(doc)
    jobs = []
    staging = work / "pdf-in"
    staging.mkdir(exist_ok=True)
    for digest, group in by_hash.items():
        first = group[0]
        src = staging / f"{digest[:16]}.docx"
        src.write_bytes(first.data)
        jobs.append(
            PdfJob(
                docx=src,
                target=first.pdf_path,
                title=first.title,
                author=first.author,
                subject=first.subject,
                date=first.date,
                label=first.label,
            )
        )
    results = convert(jobs, timeout=pdf_timeout()) if jobs else []
    for result, group in zip(results, by_hash.values(), strict=True):
        if result.error is not None:
            for doc in group:
                state.failed.append(doc.label)
                state.diag.error(doc.source, "pdf-feilet", _tool_message(result.error))
            continue
        state.written.append(group[0].pdf_path)
        for other in group[1:]:
            write_bytes(other.pdf_path, group[0].pdf_path.read_bytes())
            state.written.append(other.pdf_path)
        bar.advance(len(group), "pdf")
