"""A meeting's own outputs: the agenda (sakliste), the combined pack and the public set.

Public set rule: an exempt case keeps its number and public title in the public agenda, marked
with its legal basis; its paper, its attachments and anything naming it are left out of
``offentlig/``. A non-exempt paper with an exempt attachment gets its own public variant in which
the attachment's title is replaced by the marking.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from saksgen.assemble.pack import PackError, PackPart, build_pack
from saksgen.errors import SaksgenError
from saksgen.load.profiles import SAKSTYPER
from saksgen.model import Meeting
from saksgen.norsk import exempt_mark, format_date
from saksgen.plan.outputs import MeetingPlan, OutputDoc, Paper, Plan, paper_stem
from saksgen.render.ooxml import CoreProps, render_plain
from saksgen.resolve.project import Project
from saksgen.validate.files import is_pdf
from saksgen.write import write_bytes

if TYPE_CHECKING:
    from saksgen.commands.build import BuildOptions, BuildState
    from saksgen.plan.cache import BuildCache


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
            rows.append({"nummer": number, "type": kind, "tittel": item.standing_title or "",
                         "tid": item.time or "", "presenteres_av": item.presenter or "", "merking": ""})
            continue
        case = project.cases.get(item.case_id)
        if case is None:
            # The case failed validation: keep its number in the agenda, but show nothing of
            # it (it might be exempt, and its content is not trustworthy anyway).
            rows.append({"nummer": number, "type": "", "tittel": "[saken har feil og er ikke bygget]",
                         "tid": item.time or "", "presenteres_av": item.presenter or "",
                         "merking": ""})
            continue
        title = case.title
        if public and case.exempt:
            title = case.public_title or case.title
        elif not case.exempt:
            links[title] = paper_stem(item.number, case.id) + ".pdf"
        rows.append({
            "nummer": number, "type": SAKSTYPER.get(case.sakstype, "B"), "tittel": title,
            "tid": item.time or "", "presenteres_av": item.presenter or case.presenter or "",
            "merking": exempt_mark(case.exempt) if case.exempt else "",
        })
    return rows, links


def agenda_doc(project: Project, mp: MeetingPlan, public: bool) -> OutputDoc:
    meeting = mp.meeting
    profile = meeting.profile
    rows, links = agenda_rows(project, meeting, public)
    context = {
        "motenavn": profile.name, "dato": format_date(meeting.date), "tid": meeting.time or "",
        "sted": meeting.place or "", "offentlig": public, "saker": rows,
    }
    title = f"Sakliste – {profile.name} {format_date(meeting.date)}"
    props = CoreProps(title=title, subject="Sakliste", author=profile.name, category=profile.name,
                      date=meeting.date)
    data = render_plain(profile.agenda_template, context, props, links=links)
    folder = mp.folder / "offentlig" if public else mp.folder
    return OutputDoc(folder / "sakliste.docx", folder / "sakliste.pdf", data, title, profile.name,
                     "Sakliste", meeting.date, meeting.display, meeting.source.loc(),
                     hashlib.sha256(data).hexdigest())


def warn_public_titles(project: Project, plan: Plan, state: BuildState) -> None:
    """An exempt case without offentlig_tittel shows its real title in the public agenda; the
    law allows that, but the title itself is often what is sensitive."""
    for mp in plan.meetings:
        for item in mp.meeting.items:
            case = project.cases.get(item.case_id) if item.case_id else None
            if case is not None and case.exempt and not case.public_title:
                state.diag.warning(
                    case.source.loc(("tittel",)), "mangler-offentlig-tittel",
                    f"saken «{case.id}» er unntatt offentlighet, men tittelen vises i den "
                    "offentlige sakslisten", "sett «offentlig_tittel» hvis tittelen ikke kan vises")


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


_PAPER_FILE = re.compile(r"^\d{2,}-[a-z0-9-]+\.(?:docx|pdf)$")
_MEETING_FILES = {"sakliste.docx", "sakliste.pdf", "saksdokumenter.pdf"}


def prune(project: Project, plan: Plan, opts: BuildOptions, state: BuildState) -> None:
    """Remove outputs a meeting no longer has: papers renumbered or taken off the agenda, and
    anything in offentlig/ that is no longer public. A public folder must never keep a paper
    that has since become exempt, so without --offentlig the old public set is removed whole."""
    for mp in plan.meetings:
        meeting = mp.meeting
        listed = {paper_stem(i.number, i.case_id) for i in meeting.items if i.case_id}
        _remove_unexpected(mp.folder, listed, state)
        public = mp.folder / "offentlig"
        if not public.is_dir():
            continue
        if not opts.public:
            shutil.rmtree(public, ignore_errors=True)
            continue
        allowed = {p.pdf_path.stem for p in mp.public_papers}
        _remove_unexpected(public, allowed, state)


def _remove_unexpected(folder: Path, stems: set[str], state: BuildState) -> None:
    if not folder.is_dir():
        return
    for f in folder.iterdir():
        if f.is_file() and _PAPER_FILE.match(f.name) and f.stem not in stems:
            f.unlink()
            state.removed.append(f)


def copy_public_papers(plan: Plan, state: BuildState, opts: BuildOptions) -> None:
    """Public papers identical to the members' version are copied, not built twice."""
    for mp in plan.meetings:
        for paper in mp.public_papers:
            if paper.public:
                continue
            target = mp.folder / "offentlig"
            for src in ([paper.docx_path] if opts.docx else []) + ([paper.pdf_path] if opts.pdf else []):
                if src.exists():
                    dst = target / src.name
                    if not dst.exists() or dst.read_bytes() != src.read_bytes():
                        write_bytes(dst, src.read_bytes())
                        state.written.append(dst)


def _pack_parts(project: Project, mp: MeetingPlan, papers: list[Paper], public: bool,
                agenda_pdf: Path) -> list[PackPart]:
    meeting = mp.meeting
    profile = meeting.profile
    parts = [PackPart("Sakliste", agenda_pdf, "Sakliste")]
    for paper in papers:
        case = paper.case
        number = profile.number(*paper.number) if paper.number else ""
        part = PackPart(f"{number} {case.title}", paper.pdf_path, number,
                        link_name=paper.pdf_path.name)
        for a in case.attachments:
            if a.file is None or (public and a.exempt):
                continue
            with a.file.open("rb") as fh:
                if not is_pdf(fh.read(1024)):
                    continue
            part.children.append(PackPart(f"Vedlegg {a.number}: {a.title}", a.file,
                                          f"{number} – vedlegg {a.number}"))
        parts.append(part)
    return parts


def _pack_key(parts: list[PackPart]) -> str:
    h = hashlib.sha256()
    for part in parts:
        for p in [part, *part.children]:
            h.update(p.title.encode() + p.stamp.encode() + p.pdf.read_bytes())
    return h.hexdigest()


def assemble_packs(project: Project, plan: Plan, opts: BuildOptions, state: BuildState,
                   cache: BuildCache) -> None:
    for mp in plan.meetings:
        variants = [(False, mp.papers, mp.folder)]
        if opts.public:
            variants.append((True, mp.public_papers, mp.folder / "offentlig"))
        for public, papers, folder in variants:
            target = folder / "saksdokumenter.pdf"
            missing = [p for p in papers if not p.pdf_path.exists() or p.label in state.failed]
            if (missing or not mp.complete) and not opts.partial_pack:
                state.diag.error(
                    mp.meeting.source.loc(), "ufullstendig-pakke",
                    f"{target.relative_to(mp.folder.parent)} er ikke laget fordi noen saker feilet",
                    "rett feilene, eller bruk --ufullstendig-pakke for å lage den likevel")
                continue
            papers = [p for p in papers if p not in missing]
            pub_papers = [p for p in papers if not (public and p.case.exempt)]
            source_papers = [_public_source(p, mp) if public else p for p in pub_papers]
            parts = _pack_parts(project, mp, source_papers, public, folder / "sakliste.pdf")
            key = _pack_key(parts)
            if cache.fresh([target], key):
                state.skipped.append(target)
                continue
            meeting = mp.meeting
            title = f"Saksdokumenter – {meeting.profile.name} {format_date(meeting.date)}"
            try:
                build_pack(parts, target, title=title, author=meeting.profile.name, date=meeting.date)
            except PackError as exc:
                state.failed.append(str(target))
                state.diag.error(meeting.source.loc(), exc.code, exc.message)
                continue
            cache.record(target, key)
            state.written.append(target)


def _public_source(paper: Paper, mp: MeetingPlan) -> Paper:
    """In the public pack, a paper's PDF is the one in offentlig/ (variant or copy)."""
    copy = mp.folder / "offentlig" / paper.pdf_path.name
    if copy.exists():
        return Paper(paper.case, paper.meeting, paper.number, paper.docx_path, copy, True)
    return paper

