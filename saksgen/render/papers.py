"""Render phase: every planned paper to DOCX bytes, through its Word template and one pandoc batch."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from saksgen.errors import SaksgenError
from saksgen.load.keys import fold
from saksgen.norsk import upper_first
from saksgen.plan.outputs import OutputDoc, Paper, paper_stem
from saksgen.render.ooxml import assemble, check_template, render_template
from saksgen.render.pandoc import PandocBatch, RenderJob
from saksgen.resolve.project import Project
from saksgen.resolve.references import case_reference

if TYPE_CHECKING:
    from saksgen.state import BuildState

from saksgen.render.context import bookmark, core_props, paper_number_text, template_context


def _sak_text(project: Project, paper: Paper, target_id: str, *, capital: bool) -> str:
    """@sak: the target's number as its own profile prints references; inside a meeting build
    the meeting's numbers are the ones that count."""
    target = project.cases[target_id]
    return case_reference(
        target.profile,
        project.number_of(target, paper.meeting),
        target.date.year,
        same_series=target.profile.id == paper.case.profile.id,
        capital=capital,
    )


def _sak_link(project: Project, paper: Paper, target_id: str) -> str | None:
    """Inside a meeting, a reference to another paper of the same meeting links to its PDF
    (a sibling file; in the combined pack the link becomes a jump). Exempt papers are never
    linked: their file names must not appear in public documents."""
    target = project.cases[target_id]
    if paper.meeting is None or target.exempt:
        return None
    for item in paper.meeting.items:
        if item.case_id == target_id:
            return paper_stem(item.case_number, target_id) + ".pdf"
    return None


def _protect(markdown: str) -> str:
    """ "&" travels as U+E000 (render.lua restores it), so no HTML entity is ever decoded."""
    return markdown.replace("\ue000", "").replace("&", "\ue000")


def render_job(project: Project, paper: Paper, reference_doc: Path, output: Path) -> RenderJob:
    case = paper.case
    texts = case.texts
    malform = texts.malform
    sections: list[dict[str, Any]] = []
    for sdef in case.profile.sections:
        if sdef.kind == "vedlegg":
            if case.attachments:
                items = []
                for a in case.attachments:
                    title = a.title
                    if paper.public and a.exempt:
                        title = texts("unntatt_merking", hjemmel=a.exempt)
                    items.append(
                        {
                            "number": a.number,
                            "title": title,
                            "bookmark": bookmark(case, "vedlegg", str(a.number)),
                        }
                    )
                sections.append(
                    {
                        "key": sdef.key,
                        "heading": sdef.heading_for(malform),
                        "kind": "vedlegg",
                        "items": items,
                        "bookmark": bookmark(case, "avsnitt", sdef.key),
                    }
                )
            continue
        section = case.section(sdef.key)
        if section is None:
            continue
        sections.append(
            {
                "key": sdef.key,
                "heading": section.heading,
                "kind": sdef.kind,
                "text": _protect(section.text),
                "items": [_protect(i) for i in section.items],
                "bookmark": bookmark(case, "avsnitt", sdef.key),
            }
        )
    refs: dict[str, dict[str, Any]] = {}
    for ref in case.references:
        plain_key = f"{ref.kind}:{ref.target}"
        if ref.kind == "vedlegg":
            a = next(a for a in case.attachments if a.id == ref.target)
            word = texts("ref_vedlegg")
            refs[plain_key] = {
                "before": word + " ",
                "before_capital": upper_first(word) + " ",
                "bookmark": bookmark(case, "vedlegg", str(a.number)),
                "result": str(a.number),
            }
        elif ref.kind == "avsnitt":
            key, heading = case.headings()[fold(ref.target)]
            # "avsnittet «{tittel}»": the words around the heading, which is the REF's result.
            before, _, after = texts("ref_avsnitt", tittel="\0").partition("\0")
            refs[plain_key] = {
                "before": before,
                "before_capital": upper_first(before),
                "bookmark": bookmark(case, "avsnitt", key),
                "result": heading,
                "after": after,
            }
        elif ref.kind == "sak":
            entry = refs.setdefault(plain_key, {})
            entry["text"] = _sak_text(project, paper, ref.target, capital=False)
            entry["text_capital"] = _sak_text(project, paper, ref.target, capital=True)
            link = _sak_link(project, paper, ref.target)
            if link:
                entry["link"] = link
    bookmarks = {f"{lb.kind}:{lb.id}": bookmark(case, lb.kind, lb.id) for lb in case.labels}
    return RenderJob(
        id=output.stem,
        output=output,
        reference_doc=reference_doc,
        sections=sections,
        refs=refs,
        bookmarks=bookmarks,
        texts={
            k: texts(k)
            for k in ("figur_etikett", "tabell_etikett", "ref_figur", "ref_tabell", "vedlegg_etikett")
        },
        lang=texts.lang,
    )


def paper_key(project: Project, paper: Paper) -> str:
    """The cache key: the case's own files plus everything resolved from other cases (the
    numbers and texts of @sak references change when another case moves)."""
    spec = render_job(project, paper, Path("mal.docx"), Path("body.docx")).spec()
    return paper.input_key(json.dumps([spec, template_context(paper)], sort_keys=True, ensure_ascii=False))


class PaperRenders:
    """Every planned paper to DOCX bytes, through its Word template and one pandoc batch; a
    paper that fails is reported and left out.

    pandoc gets the profile's unrendered ``mal.docx`` as reference document (styles, page, header
    and footer parts) and starts at once; the templates are rendered here meanwhile (on the other
    core), and the rendered header and footer replace the raw ones when each paper's parts are
    assembled. Papers come out as pandoc finishes them: ``fileno`` is readable when ``take`` has
    more (for a select loop that feeds LibreOffice meanwhile), ``rest`` blocks for the others.
    Use as a context manager: pandoc never outlives it.
    """

    def __init__(self, project: Project, papers: list[Paper], work: Path, state: BuildState) -> None:
        self.state = state
        self.taken: set[str] = set()  # job ids already handed out (or failed)
        broken: dict[Path, str] = {}
        for template in {p.case.profile.template for p in papers}:
            try:
                check_template(template)
            except SaksgenError as exc:
                broken[template] = exc.message
        for paper in papers:
            if paper.case.profile.template in broken:
                _fail(state, paper, broken[paper.case.profile.template])
        papers = [p for p in papers if p.case.profile.template not in broken]
        jobs = [
            render_job(project, paper, paper.case.profile.template, work / f"body-{i}.docx")
            for i, paper in enumerate(papers)
        ]
        for i, job in enumerate(jobs):
            job.id = f"p{i}"
        self.batch = PandocBatch(jobs, work, project.root)
        self.by_id: dict[str, tuple[Paper, RenderJob, tuple[dict[str, bytes], str] | None]] = {}
        try:
            for paper, job in zip(papers, jobs, strict=True):
                try:
                    rendered = render_template(paper.case.profile.template, template_context(paper))
                except SaksgenError as exc:
                    _fail(state, paper, exc.message)
                    rendered = None
                self.by_id[job.id] = (paper, job, rendered)
        except BaseException:
            self.batch.kill()
            raise

    def __enter__(self) -> PaperRenders:
        return self

    def __exit__(self, *exc: object) -> None:
        self.batch.kill()

    @property
    def finished(self) -> bool:
        return self.batch.finished

    @property
    def deadline(self) -> float:
        return self.batch.deadline

    def fileno(self) -> int:
        return self.batch.fileno()

    def take(self) -> list[OutputDoc]:
        """The papers pandoc finished since the last call (does not block once ``fileno`` is
        readable)."""
        return [doc for job_id, error in self.batch.take() if (doc := self._finish(job_id, error))]

    def rest(self) -> list[OutputDoc]:
        """Every paper not taken yet, waiting for pandoc."""
        results = self.batch.wait()
        left = [job_id for job_id in self.by_id if job_id not in self.taken]
        docs = [self._finish(job_id, results.get(job_id, "mangler resultat")) for job_id in left]
        return [doc for doc in docs if doc is not None]

    def _finish(self, job_id: str, error: str | None) -> OutputDoc | None:
        self.taken.add(job_id)
        paper, job, rendered = self.by_id[job_id]
        if rendered is None:
            return None
        if error is not None:
            _fail(self.state, paper, f"pandoc kunne ikke lage dokumentet: {error}")
            return None
        template_parts, sentinel = rendered
        try:
            data = assemble(job.output.read_bytes(), template_parts, sentinel, core_props(paper))
        except SaksgenError as exc:
            _fail(self.state, paper, exc.message)
            return None
        case = paper.case
        return OutputDoc(
            paper.docx_path,
            paper.pdf_path,
            data,
            case.title,
            case.fra,
            paper_number_text(paper),
            case.date,
            case.display,
            case.source.loc(),
            paper.key,
            case.texts.lang,
        )


def render_papers(project: Project, papers: list[Paper], work: Path, state: BuildState) -> list[OutputDoc]:
    """Every paper at once (see PaperRenders)."""
    with PaperRenders(project, papers, work, state) as renders:
        return renders.rest()


def _fail(state: BuildState, paper: Paper, message: str) -> None:
    state.failed.append(paper.label)
    state.diag.error(paper.case.source.loc(), "bygging-feilet", f"kunne ikke bygge saken: {message}")
