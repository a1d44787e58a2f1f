"""What the convert phase is asked to do, and what came of it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

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
