"""Convert phase: every DOCX of the build to PDF, each PDF written and recorded as it appears."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from saksgen.convert.jobs import PdfJob, PdfResult
from saksgen.errors import SaksgenError, UsageError
from saksgen.plan.outputs import OutputDoc
from saksgen.write import deferred_interrupts, write_bytes

if TYPE_CHECKING:
    from saksgen.convert.warm import WarmOffice
    from saksgen.plan.cache import BuildCache
    from saksgen.progress import Progress
    from saksgen.state import BuildState

TIMEOUT_ENV = "SAKSGEN_PDF_TIDSAVBRUDD"


def pdf_timeout() -> float:
    """Seconds LibreOffice may spend on one document (SAKSGEN_PDF_TIDSAVBRUDD, default 120)."""
    raw = os.environ.get(TIMEOUT_ENV, "")
    try:
        return max(1.0, float(raw)) if raw else 120.0
    except ValueError:
        raise UsageError(f"{TIMEOUT_ENV} må være et antall sekunder, ikke «{raw}»") from None


def _tool_message(error: SaksgenError) -> str:
    """The error's message plus the last lines LibreOffice wrote, which usually say why."""
    tail = [line.strip() for line in getattr(error, "stderr", "").splitlines() if line.strip()]
    return error.message + (f" (LibreOffice: {' | '.join(tail[-3:])})" if tail else "")


def _code(error: SaksgenError) -> str:
    return "pdf-tidsavbrudd" if error.code == "tidsavbrudd" else "pdf-feilet"


def convert_docs(
    docs: list[OutputDoc],
    work: Path,
    state: BuildState,
    bar: Progress,
    cache: BuildCache,
    office: WarmOffice | None = None,
) -> None:
    """All PDFs through the kept LibreOffice ``office`` if there is one, else through as few
    LibreOffice starts as possible; identical DOCX bytes are converted once. Each PDF is
    written, counted and recorded in the cache the moment it is finished, so an interrupted
    build keeps every PDF it made."""
    from saksgen.convert.batch import convert

    by_hash: dict[str, list[OutputDoc]] = {}
    for doc in docs:
        by_hash.setdefault(hashlib.sha256(doc.data).hexdigest(), []).append(doc)
    jobs = []
    staging = work / "pdf-in"
    staging.mkdir(exist_ok=True)
    groups: dict[Path, list[OutputDoc]] = {}
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
                lang=first.lang,
            )
        )
        groups[first.pdf_path] = group

    def done(result: PdfResult) -> None:
        # Runs inside convert's deferred_interrupts block for a success: the PDF is on disk
        # and now recorded, as one step.
        group = groups[result.job.target]
        if result.error is not None:
            for doc in group:
                state.failed.append(doc.label)
                state.diag.error(doc.source, _code(result.error), _tool_message(result.error))
            bar.advance(len(group), "pdf")
            return
        first = group[0]
        state.written.append(first.pdf_path)
        cache.record(first.pdf_path, first.cache_key)
        for other in group[1:]:
            try:
                with deferred_interrupts():
                    write_bytes(other.pdf_path, first.pdf_path.read_bytes())
                    state.written.append(other.pdf_path)
                    cache.record(other.pdf_path, other.cache_key)
            except SaksgenError as exc:
                state.failed.append(other.label)
                state.diag.error(other.source, exc.code, exc.message)
        bar.advance(len(group), "pdf")

    if jobs and office is not None:
        office.convert(jobs, on_result=done)
    elif jobs:
        convert(jobs, timeout=pdf_timeout(), on_result=done)
