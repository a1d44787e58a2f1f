"""The validated model: plain, frozen data that the later phases read and never change."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from saksgen.diagnostics import Location
from saksgen.load.document import Document
from saksgen.load.profiles import Profile
from saksgen.texts import Texts


@dataclass(frozen=True)
class Reference:
    """An ``@kind:target`` in section text."""

    kind: str  # fig | tab | vedlegg | avsnitt | sak
    target: str
    capital: bool
    location: Location


@dataclass(frozen=True)
class Label:
    """A numbered figure or table: ``{#fig:id}`` / ``{#tab:id}``."""

    kind: str  # fig | tab
    id: str
    number: int
    location: Location


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    text: str  # Markdown; for a list section the items joined, for search only
    items: tuple[str, ...] = ()  # list sections (konklusjon): one Markdown line per item
    location: Location | None = None


@dataclass(frozen=True)
class Attachment:
    number: int
    id: str | None
    title: str
    file: Path | None  # absolute, inside the repository
    file_display: str | None
    exempt: str | None  # legal basis, or None
    location: Location


@dataclass(frozen=True)
class Case:
    id: str
    source: Document
    profile: Profile
    title: str
    public_title: str | None
    sakstype: str
    til: str
    fra: str
    saksbehandler: str | None
    date: dt.date
    exempt: str | None  # legal basis (hjemmel) when exempt
    presenter: str | None
    explicit_number: tuple[int, int] | None  # (nr, year) from the case file
    sections: tuple[Section, ...]
    attachments: tuple[Attachment, ...]
    images: tuple[Path, ...]
    labels: tuple[Label, ...] = ()
    references: tuple[Reference, ...] = ()
    malform: str | None = None  # the case file's own målform; None = its profile's
    extra: tuple[tuple[str, str], ...] = ()  # the profile's own fields (``felt:``), printed form

    @property
    def path(self) -> Path:
        return self.source.path

    @property
    def display(self) -> str:
        return self.source.display

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    @property
    def texts(self) -> Texts:
        """The texts of this paper's målform: the case file's own, else its profile's."""
        return self.profile.texts_in(self.malform)

    def headings(self) -> dict[str, tuple[str, str]]:
        """Headings the paper will show, for @avsnitt: ASCII-folded key -> (key, heading).
        Includes the attachment list when there are attachments."""
        from saksgen.load.keys import fold

        present = {s.key for s in self.sections}
        if self.attachments:
            present |= {d.key for d in self.profile.sections if d.kind == "vedlegg"}
        malform = self.texts.malform
        return {
            fold(d.key): (d.key, d.heading_for(malform)) for d in self.profile.sections if d.key in present
        }


@dataclass(frozen=True)
class MeetingItem:
    """One agenda row: a case, or one of the profile's standing items."""

    number: tuple[int, int]  # (nr, year)
    case_id: str | None
    standing_title: str | None
    time: str | None
    presenter: str | None
    location: Location


@dataclass(frozen=True)
class ProtokollEntry:
    """The outcome of one agenda item: ``vedtak`` is None (no decision recorded), or the points
    as adopted (``som-foreslått`` already replaced by the proposed conclusion)."""

    vedtak: tuple[str, ...] | None
    votering: str | None
    tilforsel: str | None  # protokolltilførsel, Markdown
    referat: str | None  # Markdown
    location: Location


@dataclass(frozen=True)
class Protokoll:
    """The minutes: who attended, and each item's outcome by case id or standing item id."""

    moteleder: str | None
    referent: str | None
    tilstede: tuple[str, ...]
    forfall: tuple[str, ...]
    andre: tuple[str, ...]
    saker: dict[str, ProtokollEntry]
    location: Location


@dataclass(frozen=True)
class Meeting:
    id: str
    source: Document
    profile: Profile
    date: dt.date
    time: str | None
    place: str | None
    items: tuple[MeetingItem, ...] = field(default=())
    protokoll: Protokoll | None = None

    @property
    def display(self) -> str:
        return self.source.display

    @property
    def texts(self) -> Texts:
        """The agenda's, pack's and protokoll's texts: the meeting profile's målform."""
        return self.profile.texts
