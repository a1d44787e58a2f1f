"""What the convert phase is asked to do, and what came of it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from saksgen.errors import SaksgenError


@dataclass(frozen=True)
class PdfJob:
    docx: Path  # the DOCX exactly as written to output/
    target: Path  # final PDF path (written atomically)
    title: str  # document title for PDF metadata (/Title and XMP dc:title)
    author: str  # for /Author and dc:creator
    subject: str  # e.g. case number "Sak 32/24"
    date: datetime.date  # the case date: every date in the PDF comes from this, never the clock
    label: str  # user-facing name for error messages, e.g. "saker/x.yaml" or the case id
    lang: str = "nb-NO"  # /Lang and XMP dc:language: the document's målform


@dataclass
class PdfResult:
    job: PdfJob
    error: SaksgenError | None  # None = success


class JobFeed(Protocol):
    """PDF jobs that become ready over time, while the render phase still runs: the kept
    LibreOffice (convert.warm) converts the first ones while the next are rendered."""

    @property
    def finished(self) -> bool:
        """No more jobs will come."""

    @property
    def deadline(self) -> float:
        """``time.monotonic()`` by which the producer must be done (``take`` raises past it)."""

    @property
    def expected(self) -> int:
        """About how many jobs are still to come (how many LibreOffices are worth starting)."""

    @property
    def waiting(self) -> bool:
        """``take`` has to wait for the producer: call it only once ``fileno`` is readable.
        (False when the rest is ready now, e.g. the documents that come after the papers.)"""

    def fileno(self) -> int:
        """Readable when ``take`` has news (valid while ``waiting``)."""

    def take(self) -> list[PdfJob]:
        """The jobs ready since the last call; does not block once ``fileno`` is readable."""

    def rest(self) -> list[PdfJob]:
        """Every job still to come, waiting for them."""
