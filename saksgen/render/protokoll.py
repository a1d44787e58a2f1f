"""The protokoll (minutes) of a meeting: its template context, its body through the pandoc path
(render.lua, so Markdown and numbered lists are the papers' own), and its DOCX."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from saksgen.errors import SaksgenError
from saksgen.load.keys import fold
from saksgen.model import Case, Meeting
from saksgen.norsk import format_date, upper_first
from saksgen.plan.outputs import MeetingPlan, OutputDoc, Plan
from saksgen.render.ooxml import CoreProps, assemble, check_template, render_template
from saksgen.render.pandoc import LUA, PandocBatch, RenderJob
from saksgen.resolve.project import Project
from saksgen.resolve.references import case_reference

if TYPE_CHECKING:
    from saksgen.state import BuildState


@dataclass(eq=False)
class ProtokollJob:
    mp: MeetingPlan
    public: bool
    docx_path: Path
    pdf_path: Path
    context: dict[str, Any]
    sections: list[dict[str, Any]]
    props: CoreProps
    key: str = field(default="")


_REF = re.compile(r"@(?<![\w@\\]@)(?P<kind>[^\W\d_]+):(?P<id>\w(?:[\w-]*\w)?)")


def plain_references(text: str, case: Case | None, project: Project, meeting: Meeting) -> str:
    """@-references as plain words: the protokoll has no figures or attachments to jump to
    (the proposed conclusion of a case often names its own). Unresolved ones stay as typed."""
    texts = meeting.texts

    def one(m: re.Match[str]) -> str:
        kind, target = m.group("kind").lower(), m.group("id")
        capital = m.group("kind")[0].isupper()
        out: str | None = None
        if kind in ("fig", "tab") and case is not None:
            n = next((lb.number for lb in case.labels if lb.kind == kind and lb.id == target), None)
            if n is not None:
                out = f"{texts('ref_figur' if kind == 'fig' else 'ref_tabell')} {n}"
        elif kind == "vedlegg" and case is not None:
            n = next((a.number for a in case.attachments if a.id == target), None)
            if n is not None:
                out = f"{texts('ref_vedlegg')} {n}"
        elif kind == "avsnitt" and case is not None:
            found = case.headings().get(fold(target))
            if found is not None:
                out = texts("ref_avsnitt", tittel=found[1])
        elif kind == "sak" and target in project.cases:
            other = project.cases[target]
            return case_reference(
                other.profile,
                project.number_of(other, meeting),
                other.date.year,
                same_series=other.profile.id == meeting.profile.id,
                capital=capital,
            )
        if out is None:
            return "\\" + m.group(0)
        return upper_first(out) if capital else out

    return _REF.sub(one, text)


def adopted_points(project: Project, meeting: Meeting, ident: str) -> list[str] | None:
    """The adopted points of one item as they are printed (references in plain words), or None
    when the protokoll records no vedtak for it."""
    entry = meeting.protokoll.saker.get(ident) if meeting.protokoll else None
    if entry is None or entry.vedtak is None:
        return None
    case = project.cases.get(ident)
    return [plain_references(p, case, project, meeting) for p in entry.vedtak]


def _protect(markdown: str) -> str:
    """As render.papers: "&" travels as U+E000 so no HTML entity is decoded."""
    return markdown.replace("\ue000", "").replace("&", "\ue000")


def item_sections(project: Project, meeting: Meeting, public: bool) -> list[dict[str, Any]]:
    """Each agenda item as render.lua sections: a heading with its number and title, then
    "Vedtak:" and the points as a numbered list, the voting, the protokolltilførsel, the
    referat. In the public version an exempt item shows its public title and its marking."""
    texts = meeting.texts
    profile = meeting.profile
    protokoll = meeting.protokoll
    assert protokoll is not None
    out: list[dict[str, Any]] = []
    for i, item in enumerate(meeting.items):
        if item.number is None:
            continue  # an unnumbered row (Lunsj) is no item of the minutes
        ident = item.protokoll_id
        case = project.cases.get(item.case_id) if item.case_id else None
        title = item.display_title(texts)
        if case is not None:
            title = case.title
            if public and case.exempt:
                title = case.public_title or texts("unntatt_offentlighet")
        heading = f"{profile.number(*item.number)} {title}"
        key = f"sak-{i}"
        if public and case is not None and case.exempt:
            marking = texts("unntatt_merking", hjemmel=case.exempt)
            out.append(
                {"key": key, "heading": heading, "kind": "tekst", "text": _protect(marking), "items": []}
            )
            continue
        entry = protokoll.saker.get(ident)
        if entry is None or entry.vedtak is None:
            out.append({"key": key, "heading": heading, "kind": "tekst", "text": "", "items": []})
        else:
            label = f"**{texts('vedtak')}**"
            out.append({"key": key, "heading": heading, "kind": "tekst", "text": label, "items": []})
            points = [_protect(p) for p in adopted_points(project, meeting, ident) or []]
            out.append({"key": key + "-vedtak", "heading": "", "kind": "liste", "text": "", "items": points})
        if entry is None:
            continue
        rest = []
        if entry.votering:
            rest.append(f"**{texts('votering')}** {entry.votering}")
        if entry.tilforsel:
            rest += [f"**{texts('protokolltilforsel')}**", entry.tilforsel]
        if entry.referat:
            rest += [f"**{texts('referat')}**", entry.referat]
        if rest:
            text = _protect("\n\n".join(rest))
            out.append({"key": key + "-tekst", "heading": "", "kind": "tekst", "text": text, "items": []})
    return out


def template_context(meeting: Meeting, public: bool) -> dict[str, Any]:
    texts = meeting.texts
    protokoll = meeting.protokoll
    assert protokoll is not None
    name = meeting.profile.name
    return {
        "tittel": texts("protokoll_tittel", navn=name, dato=format_date(meeting.date)),
        "motenavn": name,
        "dato": format_date(meeting.date),
        "tid": meeting.time or "",
        "sted": meeting.place or "",
        "moteleder": protokoll.moteleder or "",
        "referent": protokoll.referent or "",
        "tilstede": list(protokoll.tilstede),
        "forfall": list(protokoll.forfall),
        "andre": list(protokoll.andre),
        "offentlig": public,
        "tekst": texts.as_dict(),
        "malform": texts.malform,
        "unntatt_merking": "",
    }


def protokoll_jobs(project: Project, plan: Plan, public: bool) -> list[ProtokollJob]:
    """One job per meeting with ``protokoll:`` (two with --offentlig), each with its cache key."""
    jobs = []
    lua = LUA.read_bytes()
    for mp in plan.meetings:
        meeting = mp.meeting
        if meeting.protokoll is None or not mp.complete:
            continue  # a case that failed validation has no title to print
        for variant in (False, True) if public else (False,):
            folder = mp.folder / "offentlig" if variant else mp.folder
            context = template_context(meeting, variant)
            sections = item_sections(project, meeting, variant)
            title = context["tittel"]
            if variant:
                title += " " + meeting.texts("offentlig_versjon")
            props = CoreProps(
                title=title,
                subject=meeting.texts("protokoll"),
                author=meeting.profile.name,
                category=meeting.profile.name,
                date=meeting.date,
            )
            job = ProtokollJob(
                mp, variant, folder / "protokoll.docx", folder / "protokoll.pdf", context, sections, props
            )
            template = meeting.profile.protokoll_template
            h = hashlib.sha256(json.dumps([context, sections, props.title], sort_keys=True).encode())
            h.update(template.read_bytes() if template.is_file() else b"")
            h.update(lua)
            job.key = h.hexdigest()
            jobs.append(job)
    return jobs


def render_protokoller(
    jobs: list[ProtokollJob], work: Path, root: Path, state: BuildState
) -> list[OutputDoc]:
    """Every protokoll through one pandoc process; a broken template fails its meeting only."""
    ready: list[tuple[ProtokollJob, RenderJob, tuple[dict[str, bytes], str]]] = []
    for i, job in enumerate(jobs):
        template = job.mp.meeting.profile.protokoll_template
        try:
            check_template(template)
            rendered = render_template(template, job.context)
        except SaksgenError as exc:
            _fail(state, job, exc.message)
            continue
        rjob = RenderJob(f"protokoll{i}", work / f"protokoll-{i}.docx", template, job.sections)
        ready.append((job, rjob, rendered))
    batch = PandocBatch([r for _, r, _ in ready], work, root)
    try:
        results = batch.wait()
    finally:
        batch.kill()
    out = []
    for job, rjob, (template_parts, sentinel) in ready:
        error = results.get(rjob.id, "mangler resultat")
        if error is not None:
            _fail(state, job, f"pandoc kunne ikke lage protokollen: {error}")
            continue
        try:
            data = assemble(rjob.output.read_bytes(), template_parts, sentinel, job.props)
        except SaksgenError as exc:
            _fail(state, job, exc.message)
            continue
        meeting = job.mp.meeting
        out.append(
            OutputDoc(
                job.docx_path,
                job.pdf_path,
                data,
                job.props.title,
                job.props.author,
                job.props.subject,
                meeting.date,
                f"{meeting.display} ({meeting.texts('protokoll').lower()})",
                meeting.source.loc(),
                job.key,
            )
        )
    return out


def _fail(state: BuildState, job: ProtokollJob, message: str) -> None:
    meeting = job.mp.meeting
    state.failed.append(f"{meeting.display} ({meeting.texts('protokoll').lower()})")
    state.diag.error(job.mp.meeting.source.loc(), "bygging-feilet", f"kunne ikke lage protokollen: {message}")
