"""Planning: which papers a build makes, with which number, where they go, and the key that says
whether an earlier output is still valid."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from saksgen.diagnostics import Location
from saksgen.model import Case, Meeting
from saksgen.resolve.project import Project


@dataclass(eq=False)
class Paper:
    case: Case
    meeting: Meeting | None
    number: tuple[int, int] | None
    docx_path: Path
    pdf_path: Path
    public: bool = False  # public variant: exempt attachments masked
    key: str = ""

    @property
    def label(self) -> str:
        return self.case.display

    @property
    def nr_year(self) -> tuple[int | None, int]:
        """The assigned number and its year; (None, the case's year) prints the placeholder."""
        return self.number if self.number else (None, self.case.date.year)

    def input_key(self, rendered_inputs: str = "") -> str:
        """Everything the paper's bytes depend on, hashed. ``rendered_inputs`` is what the
        resolve phase contributes (reference texts, links, template values) as JSON."""
        h = hashlib.sha256(rendered_inputs.encode())
        case = self.case
        h.update(case.path.read_bytes())
        for part in sorted(case.profile.folder.iterdir()):
            if part.is_file():
                h.update(part.name.encode() + part.read_bytes())
        for image in case.images:
            h.update(image.read_bytes())
        # The output's name, not its absolute path: a moved repository keeps its cache.
        h.update(
            json.dumps(
                [self.number, self.public, self.meeting.id if self.meeting else None, self.docx_path.name]
            ).encode()
        )
        return h.hexdigest()


@dataclass(eq=False)
class OutputDoc:
    """A DOCX ready to be written and converted: a paper or an agenda."""

    docx_path: Path
    pdf_path: Path
    data: bytes
    title: str
    author: str
    subject: str
    date: dt.date
    label: str
    source: Location
    cache_key: str = ""
    lang: str = "nb-NO"  # the målform's language tag (PDF /Lang)


@dataclass
class MeetingPlan:
    meeting: Meeting
    folder: Path
    papers: list[Paper] = field(default_factory=list)
    public_papers: list[Paper] = field(default_factory=list)
    complete: bool = True  # every listed case valid


@dataclass
class Plan:
    items: list[Paper] = field(default_factory=list)
    meetings: list[MeetingPlan] = field(default_factory=list)


def paper_stem(number: tuple[int, int], case_id: str) -> str:
    """File name (without suffix) of a case's paper in a meeting folder: ``32-case-id``."""
    return f"{number[0]:02d}-{case_id}"


def needs_public_variant(case: Case) -> bool:
    return case.exempt is None and any(a.exempt for a in case.attachments)


def plan_papers(project: Project, outdir: Path, public: bool, failed_files: set[str]) -> Plan:
    plan = Plan()
    for case_id in project.target_cases:
        case = project.cases[case_id]
        if case.display in failed_files:
            continue
        number = project.number_of(case)
        plan.items.append(Paper(case, None, number, outdir / f"{case.id}.docx", outdir / f"{case.id}.pdf"))
    for meeting_id in project.target_meetings:
        meeting = project.meetings[meeting_id]
        folder = outdir / meeting.id
        mp = MeetingPlan(meeting, folder)
        if meeting.display in failed_files:
            # An error in the meeting file itself (unknown or duplicate case, duplicate number)
            # makes its agenda and numbering wrong: build nothing of it. Failed *cases* of a
            # valid meeting only make the meeting incomplete (see below).
            continue
        for item in meeting.items:
            if item.case_id is None:
                continue
            found = project.cases.get(item.case_id)
            if found is None or found.display in failed_files:
                mp.complete = False
                continue
            case = found
            stem = paper_stem(item.case_number, case.id)
            paper = Paper(case, meeting, item.case_number, folder / f"{stem}.docx", folder / f"{stem}.pdf")
            mp.papers.append(paper)
            plan.items.append(paper)
            if public and needs_public_variant(case):
                pub = Paper(
                    case,
                    meeting,
                    item.case_number,
                    folder / "offentlig" / f"{stem}.docx",
                    folder / "offentlig" / f"{stem}.pdf",
                    public=True,
                )
                mp.public_papers.append(pub)
                plan.items.append(pub)
            elif public and case.exempt is None:
                mp.public_papers.append(paper)  # identical: copied into offentlig/ later
        plan.meetings.append(mp)
    return plan
