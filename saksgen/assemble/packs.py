"""The combined pack of each meeting (members' and public): its parts, its cache key, its build."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from saksgen.norsk import format_date
from saksgen.plan.outputs import MeetingPlan, Paper, Plan
from saksgen.resolve.project import Project
from saksgen.validate.files import is_pdf

if TYPE_CHECKING:
    from saksgen.plan.cache import BuildCache
    from saksgen.state import BuildOptions, BuildState

from saksgen.assemble.pack import PackError, PackPart, build_pack
from saksgen.assemble.public import public_source


def _pack_parts(
    project: Project, mp: MeetingPlan, papers: list[Paper], public: bool, agenda_pdf: Path | None
) -> list[PackPart]:
    meeting = mp.meeting
    profile = meeting.profile
    texts = meeting.texts
    parts = [PackPart(texts("sakliste"), agenda_pdf, texts("sakliste"))] if agenda_pdf else []
    for paper in papers:
        case = paper.case
        number = profile.number(*paper.number) if paper.number else ""
        part = PackPart(f"{number} {case.title}", paper.pdf_path, number, link_name=paper.pdf_path.name)
        for a in case.attachments:
            if a.file is None or (public and a.exempt):
                continue
            with a.file.open("rb") as fh:
                if not is_pdf(fh.read(1024)):
                    continue
            part.children.append(
                PackPart(
                    texts("pakke_vedlegg", nr=a.number, tittel=a.title),
                    a.file,
                    f"{number} – {texts('ref_vedlegg')} {a.number}",
                )
            )
        parts.append(part)
    return parts


def _pack_key(parts: list[PackPart]) -> str:
    h = hashlib.sha256()
    for part in parts:
        for p in [part, *part.children]:
            h.update(p.title.encode() + p.stamp.encode() + p.pdf.read_bytes())
    return h.hexdigest()


def assemble_packs(
    project: Project, plan: Plan, opts: BuildOptions, state: BuildState, cache: BuildCache
) -> None:
    for mp in plan.meetings:
        meeting = mp.meeting
        variants = [(False, mp.papers, mp.folder)]
        if opts.public:
            variants.append((True, mp.public_papers, mp.folder / "offentlig"))
        for public, papers, folder in variants:
            target = folder / "saksdokumenter.pdf"
            name = target.relative_to(mp.folder.parent)
            # A PDF that failed in this build may still exist from an earlier one; it is stale.
            missing = [p for p in papers if p.label in state.failed or not p.pdf_path.is_file()]
            agenda: Path | None = folder / "sakliste.pdf"
            if meeting.display in state.failed or not (agenda and agenda.is_file()):
                agenda = None
            if (missing or agenda is None or not mp.complete) and not opts.partial_pack:
                why = "sakslisten ikke ble laget" if agenda is None else "noen saker feilet"
                state.diag.error(
                    meeting.source.loc(),
                    "ufullstendig-pakke",
                    f"{name} er ikke laget fordi {why}",
                    "rett feilene, eller bruk --ufullstendig-pakke for å lage den likevel",
                )
                continue
            papers = [p for p in papers if p not in missing]
            pub_papers = [p for p in papers if not (public and p.case.exempt)]
            source_papers = [public_source(p, mp) if public else p for p in pub_papers]
            parts = _pack_parts(project, mp, source_papers, public, agenda)
            if not parts:
                state.diag.error(
                    meeting.source.loc(),
                    "ufullstendig-pakke",
                    f"{name} er ikke laget fordi ingen av delene ble laget",
                )
                continue
            key = _pack_key(parts)
            if cache.fresh([target], key):
                state.skipped.append(target)
                continue
            title = meeting.texts("pakke_tittel", navn=meeting.profile.name, dato=format_date(meeting.date))
            try:
                build_pack(parts, target, title=title, author=meeting.profile.name, date=meeting.date)
            except PackError as exc:
                state.failed.append(str(target))
                state.diag.error(meeting.source.loc(), exc.code, exc.message)
                continue
            cache.record(target, key)
            state.written.append(target)
