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
    """One agenda row: a case, one of the profile's standing items, or a free item (a title
    with no paper: "Referatsaker", or an unnumbered row such as "Lunsj")."""

    number: tuple[int, int] | None  # (nr, year); None for an unnumbered row, or before numbering
    case_id: str | None
    title: str | None  # a standing or free item's title; None for a case (its file has it)
    time: str | None
    presenter: str | None
    location: Location
    kind: str = "sak"  # sak | standard | punkt
    sakstype: str | None = None  # standing/free items; a case's comes from its file
    explicit_number: tuple[int, int] | None = None  # ``saksnummer:`` on the item
    numbered: bool = True  # ``nummer: false``: a row with no number
    number_location: Location | None = None
    group: str | None = None  # the sakstype group it is listed under, when the agenda is grouped
    standing_id: str | None = None

    @property
    def protokoll_id(self) -> str:
        """The id the item is known by under ``protokoll: saker:``: the case or standing item id
        ("" for a free item such as Referatsaker)."""
        return self.case_id or self.standing_id or ""

    def display_title(self, texts: Texts) -> str:
        """A standing or free item's title: its own, else the texts table's for the standing id."""
        if self.title:
            return self.title
        key = f"standardsak_{self.standing_id}"
        return texts(key) if key in texts.as_dict() else self.standing_id or ""

    @property
    def case_number(self) -> tuple[int, int]:
        """The number of a case item (every case has one once the meeting is numbered)."""
        if self.number is None:
            raise ValueError(f"agenda item {self.case_id or self.title} has no number")
        return self.number


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
    first_number: int | None = None  # ``første_saksnummer``; else the series runs on

    @property
    def display(self) -> str:
        return self.source.display

    @property
    def texts(self) -> Texts:
        """The agenda's, pack's and protokoll's texts: the meeting profile's målform."""
        return self.profile.texts
