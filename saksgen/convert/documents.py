"""Convert phase: every DOCX of the build to PDF, each PDF written and recorded as it appears.

With a kept LibreOffice the convert phase does not wait for the render phase: ``DocFeed`` hands
each document to LibreOffice as soon as it is rendered and its DOCX written, so the conversions of
the agendas and the first papers overlap the rendering of the last papers (``convert_stream``).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

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


class Converter:
    """The build's side of the convert phase: documents in, PDF jobs out, results recorded.

    Identical DOCX bytes are converted once (the other documents get a copy of the PDF). Each
    PDF is written, counted and recorded in the cache the moment it is finished, so an
    interrupted build keeps every PDF it made."""

    def __init__(self, work: Path, state: BuildState, bar: Progress, cache: BuildCache) -> None:
        self.state, self.bar, self.cache = state, bar, cache
        self.staging = work / "pdf-in"
        self.staging.mkdir(exist_ok=True)
        self.groups: dict[str, list[OutputDoc]] = {}  # DOCX digest -> the documents with it
        self.digest_of: dict[Path, str] = {}  # job target -> digest
        self.outcome: dict[str, SaksgenError | None] = {}  # digest -> result, once known

    def job(self, doc: OutputDoc) -> PdfJob | None:
        """The PDF job for ``doc``, or None when a document with the same bytes already has one
        (it shares that job's PDF)."""
        digest = hashlib.sha256(doc.data).hexdigest()
        group = self.groups.setdefault(digest, [])
        group.append(doc)
        if len(group) > 1:
            if digest in self.outcome:  # that PDF is already made (or failed)
                self._share(group[0], [doc], self.outcome[digest])
            return None
        src = self.staging / f"{digest[:16]}.docx"
        src.write_bytes(doc.data)
        self.digest_of[doc.pdf_path] = digest
        return PdfJob(
            docx=src,
            target=doc.pdf_path,
            title=doc.title,
            author=doc.author,
            subject=doc.subject,
            date=doc.date,
            label=doc.label,
            lang=doc.lang,
        )

    def done(self, result: PdfResult) -> None:
        """A job's result. Runs inside convert's deferred_interrupts block for a success: the PDF
        is on disk and now recorded, as one step."""
        digest = self.digest_of[result.job.target]
        self.outcome[digest] = result.error
        first, *others = self.groups[digest]
        if result.error is None:
            self.state.written.append(first.pdf_path)
            self.cache.record(first.pdf_path, first.cache_key)
        else:
            self._fail(first, result.error)
        self.bar.advance(1, "pdf")
        self._share(first, others, result.error)

    def _share(self, first: OutputDoc, others: list[OutputDoc], error: SaksgenError | None) -> None:
        for other in others:
            if error is not None:
                self._fail(other, error)
            else:
                try:
                    with deferred_interrupts():
                        write_bytes(other.pdf_path, first.pdf_path.read_bytes())
                        self.state.written.append(other.pdf_path)
                        self.cache.record(other.pdf_path, other.cache_key)
                except SaksgenError as exc:
                    self.state.failed.append(other.label)
                    self.state.diag.error(other.source, exc.code, exc.message)
            self.bar.advance(1, "pdf")

    def _fail(self, doc: OutputDoc, error: SaksgenError) -> None:
        self.state.failed.append(doc.label)
        self.state.diag.error(doc.source, _code(error), _tool_message(error))


class DocSource(Protocol):
    """Documents that become ready over time (render.papers.PaperRenders)."""

    @property
    def finished(self) -> bool: ...

    @property
    def deadline(self) -> float: ...

    def fileno(self) -> int: ...

    def take(self) -> list[OutputDoc]: ...

    def rest(self) -> list[OutputDoc]: ...


class DocFeed:
    """A JobFeed: the documents ready now (``first``: the agendas and protokoller, so that
    LibreOffice has work the moment it is up and a pack's first part is its first PDF), then
    each paper as the DocSource finishes it. Every document is first ``accept``-ed (its DOCX
    written), then becomes a PDF job."""

    def __init__(
        self,
        source: DocSource,
        first: list[OutputDoc],
        accept: Callable[[OutputDoc], None],
        converter: Converter,
        expected: int,
    ) -> None:
        self.source, self.accept, self.converter = source, accept, converter
        self.ready = list(first)
        self.expected = expected

    @property
    def finished(self) -> bool:
        return not self.ready and self.source.finished

    @property
    def waiting(self) -> bool:
        return not self.ready and not self.source.finished

    @property
    def deadline(self) -> float:
        return self.source.deadline

    def fileno(self) -> int:
        return self.source.fileno()

    def take(self) -> list[PdfJob]:
        if self.ready:
            docs, self.ready = self.ready, []
        else:
            docs = self.source.take()
        return self._jobs(docs)

    def rest(self) -> list[PdfJob]:
        docs, self.ready = self.ready + self.source.rest(), []
        return self._jobs(docs)

    def _jobs(self, docs: list[OutputDoc]) -> list[PdfJob]:
        jobs = []
        for doc in docs:
            self.accept(doc)
            job = self.converter.job(doc)
            if job is not None:
                jobs.append(job)
        self.expected = max(0, self.expected - len(docs))
        return jobs


def convert_stream(feed: DocFeed, office: WarmOffice | None, timeout: float) -> None:
    """Every document of ``feed`` to PDF: through the kept LibreOffice as they come, or (none
    kept) all of them through as few LibreOffice starts as possible once they are all there."""
    if office is not None:
        office.convert([], on_result=feed.converter.done, feed=feed)
    else:
        _convert(feed.rest(), feed.converter, None, timeout)


def convert_docs(
    docs: list[OutputDoc], converter: Converter, office: WarmOffice | None, timeout: float
) -> None:
    """``docs``, all there now, to PDF: through the kept LibreOffice if there is one."""
    _convert([job for doc in docs if (job := converter.job(doc)) is not None], converter, office, timeout)


def _convert(jobs: list[PdfJob], converter: Converter, office: WarmOffice | None, timeout: float) -> None:
    from saksgen.convert.batch import convert

    if jobs and office is not None:
        office.convert(jobs, on_result=converter.done)
    elif jobs:
        convert(jobs, timeout=timeout, on_result=converter.done)
