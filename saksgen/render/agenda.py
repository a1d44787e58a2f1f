"""The agenda (sakliste) of a meeting: its rows and its DOCX, from the profile's sakliste.docx."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from saksgen.errors import SaksgenError
from saksgen.load.profiles import SAKSTYPER
from saksgen.model import Meeting
from saksgen.norsk import format_date
from saksgen.plan.outputs import MeetingPlan, OutputDoc, Plan, paper_stem
from saksgen.render.ooxml import CoreProps, render_plain
from saksgen.resolve.project import Project

if TYPE_CHECKING:
    from saksgen.state import BuildState


def agenda_rows(
    project: Project, meeting: Meeting, public: bool
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Rows for the agenda template, and the title -> linked file name map."""
    profile = meeting.profile
    rows: list[dict[str, Any]] = []
    links: dict[str, str] = {}
    standing = {s.title: s for s in profile.standing}
    for item in meeting.items:
        number = profile.number(*item.number)
        if item.case_id is None:
            s = standing.get(item.standing_title or "")
            kind = SAKSTYPER.get(s.sakstype if s else "orientering", "O")
            rows.append(
                {
                    "nummer": number,
                    "type": kind,
                    "tittel": item.standing_title or "",
                    "tid": item.time or "",
                    "presenteres_av": item.presenter or "",
                    "merking": "",
                }
            )
            continue
        case = project.cases.get(item.case_id)
        if case is None:
            # The case failed validation: keep its number in the agenda, but show nothing of
            # it (it might be exempt, and its content is not trustworthy anyway).
            rows.append(
                {
                    "nummer": number,
                    "type": "",
                    "tittel": "[saken har feil og er ikke bygget]",
                    "tid": item.time or "",
                    "presenteres_av": item.presenter or "",
                    "merking": "",
                }
            )
            continue
        title = case.title
        if public and case.exempt:
            title = case.public_title or case.title
        elif not case.exempt:
            links[title] = paper_stem(item.number, case.id) + ".pdf"
        rows.append(
            {
                "nummer": number,
                "type": SAKSTYPER.get(case.sakstype, "B"),
                "tittel": title,
                "tid": item.time or "",
                "presenteres_av": item.presenter or case.presenter or "",
                "merking": meeting.texts("unntatt_merking", hjemmel=case.exempt) if case.exempt else "",
            }
        )
    return rows, links


def agenda_doc(project: Project, mp: MeetingPlan, public: bool) -> OutputDoc:
    meeting = mp.meeting
    profile = meeting.profile
    rows, links = agenda_rows(project, meeting, public)
    context = {
        "motenavn": profile.name,
        "dato": format_date(meeting.date),
        "tid": meeting.time or "",
        "sted": meeting.place or "",
        "offentlig": public,
        "saker": rows,
        "malform": meeting.texts.malform,
        "tekst": meeting.texts.as_dict(),
    }
    texts = meeting.texts
    title = texts("sakliste_tittel", navn=profile.name, dato=format_date(meeting.date))
    props = CoreProps(
        title=title,
        subject=texts("sakliste"),
        author=profile.name,
        category=profile.name,
        date=meeting.date,
        language=texts.lang,
    )
    data = render_plain(profile.agenda_template, context, props, links=links)
    folder = mp.folder / "offentlig" if public else mp.folder
    return OutputDoc(
        folder / "sakliste.docx",
        folder / "sakliste.pdf",
        data,
        title,
        profile.name,
        texts("sakliste"),
        meeting.date,
        meeting.display,
        meeting.source.loc(),
        hashlib.sha256(data).hexdigest(),
        texts.lang,
    )


def agenda_docs(project: Project, plan: Plan, public: bool, state: BuildState) -> list[OutputDoc]:
    docs = []
    for mp in plan.meetings:
        for variant in (False, True) if public else (False,):
            try:
                docs.append(agenda_doc(project, mp, variant))
            except SaksgenError as exc:  # e.g. a broken sakliste.docx: this meeting only
                state.failed.append(mp.meeting.display)
                state.diag.error(mp.meeting.source.loc(), exc.code, exc.message)
                mp.complete = False
    return docs
