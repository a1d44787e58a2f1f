"""The agenda (sakliste) of a meeting: its rows and its DOCX, from the profile's sakliste.docx.

Every word comes from the meeting's texts (``meeting.texts``); the template receives them as
``tekst`` and the rows ready to print. The members' agenda links every case to its paper, exempt
ones too; the public one leaves exempt cases unlinked. A case without a paper (its file failed
validation, or its paper could not be built) keeps its row and title, marked "ettersendes".
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from saksgen.errors import SaksgenError
from saksgen.load.profiles import SAKSTYPER
from saksgen.model import Meeting
from saksgen.norsk import format_date
from saksgen.plan.outputs import MeetingPlan, OutputDoc, paper_stem
from saksgen.render.ooxml import CoreProps, render_plain
from saksgen.resolve.project import Project
from saksgen.texts import Texts

if TYPE_CHECKING:
    from saksgen.state import BuildState


def _row(**values: str) -> dict[str, str]:
    row = dict.fromkeys(
        ("nummer", "type", "tittel", "tid", "presenteres_av", "merking", "ettersendes", "gruppe"), ""
    )
    row.update(values)
    return row


def _letter(texts: Texts, sakstype: str | None) -> str:
    return texts(f"sakstype_bokstav_{sakstype}") if sakstype in SAKSTYPER else ""


def agenda_rows(
    project: Project, meeting: Meeting, public: bool, without_paper: Collection[str] = ()
) -> tuple[list[dict[str, str]], dict[str, str]]:
    """Rows for the agenda template (group headings included), and the title -> linked file
    map. ``without_paper``: ids of valid cases whose paper could not be built."""
    profile = meeting.profile
    texts = meeting.texts
    standing = {s.id: s for s in profile.standing}
    rows: list[dict[str, str]] = []
    links: dict[str, str] = {}
    group: str | None = None
    for item in meeting.items:
        if item.group != group:
            group = item.group
            if group is not None:
                rows.append(_row(gruppe=texts(f"gruppe_{group}")))
        number = profile.number(*item.number) if item.number else ""
        common = {"nummer": number, "tid": item.time or "", "presenteres_av": item.presenter or ""}
        if item.case_id is None:
            s = standing.get(item.standing_id or "")
            kind = item.sakstype or (s.sakstype if s else None)
            title = item.display_title(texts)
            rows.append(_row(type=_letter(texts, kind), tittel=title, **common))
            continue
        case = project.cases.get(item.case_id)
        if case is None:
            rows.append(_failed_row(project, item.case_id, public, texts, common))
            continue
        title = case.title
        if public and case.exempt:
            title = case.public_title or case.title
        late = case.id in without_paper
        if not late and not (public and case.exempt):
            links[title] = paper_stem(item.case_number, case.id) + ".pdf"
        rows.append(
            _row(
                type=_letter(texts, case.sakstype),
                tittel=title,
                merking=texts("unntatt_merking", hjemmel=case.exempt) if case.exempt else "",
                ettersendes=texts("ettersendes") if late else "",
                **{**common, "presenteres_av": item.presenter or case.presenter or ""},
            )
        )
    return rows, links


def _failed_row(
    project: Project, case_id: str, public: bool, texts: Texts, common: dict[str, str]
) -> dict[str, str]:
    """A case whose file failed validation keeps its number and the title it was written with.
    Its exemption cannot be trusted: the public agenda shows only an offentlig_tittel then."""
    info = project.failed_cases.get(case_id)
    title = (info.title if info else None) or case_id
    if public and info is not None and info.maybe_exempt:
        title = info.public_title or ""
    return _row(tittel=title, ettersendes=texts("ettersendes"), **common)


def agenda_context(meeting: Meeting, public: bool, rows: list[dict[str, str]]) -> dict[str, Any]:
    """What sakliste.docx receives (every name is documented in the README)."""
    profile = meeting.profile
    texts = meeting.texts
    date = format_date(meeting.date)
    time = texts("sakliste_klokken", tid=meeting.time) if meeting.time else ""
    legend = ", ".join(
        texts("sakliste_forklaring", bokstav=texts(f"sakstype_bokstav_{t}"), navn=texts(f"sakstype_{t}"))
        for t in SAKSTYPER
    )
    return {
        "tekst": texts.as_dict(),
        "motenavn": profile.name,
        "dato": date,
        "tid": meeting.time or "",
        "sted": meeting.place or "",
        "undertittel": ", ".join(p for p in (profile.name, date, time, meeting.place or "") if p),
        "offentlig": public,
        "forklaring": legend,
        "gruppert": bool(profile.agenda_groups),
        "saker": rows,
        "malform": texts.malform,
    }


@dataclass
class AgendaJob:
    """One agenda to make: its outputs and cache key are known before it is rendered, so an
    agenda whose inputs did not change costs no template render (a no-op rebuild)."""

    mp: MeetingPlan
    public: bool
    docx_path: Path
    pdf_path: Path
    key: str
    context: dict[str, Any]
    links: dict[str, str]
    props: CoreProps

    def render(self) -> OutputDoc:
        """Raises SaksgenError (e.g. a broken sakliste.docx)."""
        meeting = self.mp.meeting
        data = render_plain(meeting.profile.agenda_template, self.context, self.props, links=self.links)
        return OutputDoc(
            self.docx_path,
            self.pdf_path,
            data,
            self.props.title,
            self.props.author,
            self.props.subject,
            meeting.date,
            meeting.display,
            meeting.source.loc(),
            self.key,
            self.props.language,
        )


def agenda_job(
    project: Project, mp: MeetingPlan, public: bool, without_paper: Collection[str] = ()
) -> AgendaJob:
    meeting = mp.meeting
    profile = meeting.profile
    texts = meeting.texts
    rows, links = agenda_rows(project, meeting, public, without_paper)
    context = agenda_context(meeting, public, rows)
    title = texts("sakliste_tittel", navn=profile.name, dato=format_date(meeting.date))
    if public:
        title = f"{title} {texts('offentlig_versjon')}"
    props = CoreProps(
        title=title,
        subject=texts("sakliste"),
        author=profile.name,
        category=profile.name,
        date=meeting.date,
        language=texts.lang,
    )
    # Everything the bytes depend on; the code itself salts every cache key (build.py).
    h = hashlib.sha256(profile.agenda_template.read_bytes())
    h.update(json.dumps([context, links, dataclasses.asdict(props)], sort_keys=True, default=str).encode())
    folder = mp.folder / "offentlig" if public else mp.folder
    return AgendaJob(
        mp, public, folder / "sakliste.docx", folder / "sakliste.pdf", h.hexdigest(), context, links, props
    )


def _without_paper(project: Project, mp: MeetingPlan, failed: Collection[str]) -> set[str]:
    """Valid cases of the meeting that have no paper: not planned, or failed to render."""
    planned = {p.case.id for p in mp.papers if p.label not in failed}
    return {i.case_id for i in mp.meeting.items if i.case_id in project.cases and i.case_id not in planned}


def agenda_jobs(
    project: Project, meetings: list[MeetingPlan], public: bool, state: BuildState
) -> list[AgendaJob]:
    """The agendas of ``meetings`` (members' and, with ``public``, public), each showing the
    papers that have failed so far as "ettersendes"."""
    failed = set(state.failed)
    jobs = []
    for mp in meetings:
        late = _without_paper(project, mp, failed)
        jobs += [
            agenda_job(project, mp, variant, late) for variant in ((False, True) if public else (False,))
        ]
    return jobs


def render_agenda(job: AgendaJob, state: BuildState) -> OutputDoc | None:
    """The agenda's DOCX, or None (reported) when its template cannot be rendered: that meeting
    only."""
    try:
        return job.render()
    except SaksgenError as exc:
        meeting = job.mp.meeting
        state.failed.append(meeting.display)
        state.diag.error(meeting.source.loc(), exc.code, exc.message)
        job.mp.complete = False
        return None
