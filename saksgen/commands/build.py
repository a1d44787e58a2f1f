"""``saksgen build``: the whole pipeline as one top-to-bottom function (``run_build``).

load + validate + resolve (resolve.project.gather) -> plan every output -> render all DOCX (one
pandoc process) -> write DOCX -> convert all PDF (streamed from one or two LibreOffice processes)
-> assemble meetings (public set, packs) -> summary. Nothing is written before every input has
been read and checked; every file is written atomically.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from saksgen import __version__
from saksgen.assemble import archive, packs, public
from saksgen.assemble.pdfa import EarlyConversions
from saksgen.convert.batch import shards_for
from saksgen.convert.documents import Converter, DocFeed, convert_docs, convert_stream, pdf_timeout
from saksgen.convert.warm import WarmOffice
from saksgen.diagnostics import Collector
from saksgen.errors import EXIT_CONTENT, EXIT_OK
from saksgen.plan.cache import BuildCache
from saksgen.plan.outputs import MeetingPlan, OutputDoc, Plan, plan_papers
from saksgen.progress import Progress
from saksgen.render.agenda import agenda_jobs, render_agenda
from saksgen.render.papers import PaperRenders, paper_key
from saksgen.render.protokoll import ProtokollJob, protokoll_jobs, render_protokoller
from saksgen.resolve.project import Project, gather
from saksgen.state import BuildOptions, BuildState
from saksgen.write import clean_temporaries, deferred_interrupts, ensure_dir, write_bytes

__all__ = ["BuildOptions", "BuildRun", "build", "run_build"]

EARLY_OFFICE_ENV = "SAKSGEN_TIDLIG_LIBREOFFICE"  # "0": start LibreOffice only once work is known


def _code_fingerprint() -> str:
    """Changes to saksgen itself invalidate every cached output."""
    h = hashlib.sha256(__version__.encode())
    pkg = Path(__file__).parent.parent
    for path in sorted(pkg.rglob("*.py")) + sorted(pkg.rglob("*.lua")):
        h.update(path.relative_to(pkg).as_posix().encode() + path.read_bytes())
    return h.hexdigest()


@dataclass
class BuildRun:
    """What one build read and did: watch mode maps file changes to outputs through it."""

    state: BuildState
    code: int
    project: Project | None = None
    plan: Plan | None = None


def run_build(opts: BuildOptions) -> int:
    run = build(opts)
    if run.plan is not None and (run.plan.items or run.plan.meetings):
        print(run.state.build_summary(), file=sys.stderr)
    return run.code


def build(opts: BuildOptions, office: WarmOffice | None = None) -> BuildRun:
    """One build. ``office`` is a LibreOffice kept by the caller (watch mode); without one, a
    build that makes PDFs starts its own as soon as it knows there is work, so LibreOffice
    starts up while pandoc and the templates run."""
    state = BuildState()
    own_office = None
    if office is None and opts.pdf and os.environ.get(EARLY_OFFICE_ENV) != "0":
        # LibreOffice's start-up (~1.2 s) is the longest single step of a build: it begins now,
        # before the inputs are read, and is stopped at once if nothing turns out to need a PDF.
        office = own_office = WarmOffice(timeout=pdf_timeout(), workers=1)
    try:
        return _build(opts, state, office, own_office)
    finally:
        if own_office is not None:
            own_office.close()


def _build(
    opts: BuildOptions, state: BuildState, office: WarmOffice | None, own_office: WarmOffice | None
) -> BuildRun:
    diag = state.diag
    # 1. load, validate, resolve: everything is read and checked before anything is written
    project = gather(opts.root, opts.paths, diag)
    _print(diag)
    reported = len(diag.items)
    if opts.strict and state.failed_run(strict=True):
        print("feil: bygging stoppet fordi --strict regner advarsler som feil [strict]", file=sys.stderr)
        return BuildRun(state, EXIT_CONTENT, project)
    outdir = opts.outdir if opts.outdir.is_absolute() else opts.root / opts.outdir
    failed_files = {d.location.path for d in diag.errors if d.location}
    # 2. plan: every output, its path and its cache key
    plan = plan_papers(project, outdir, opts.public, failed_files)
    if opts.public:
        public.warn_public_titles(project, plan, state)
    if not plan.items and not plan.meetings:
        if diag.errors:
            print("feil: ingenting å bygge; rett feilene over [ingen-utdata]", file=sys.stderr)
            return BuildRun(state, EXIT_CONTENT, project, plan)
        print("ingenting å bygge", file=sys.stderr)
        return BuildRun(state, EXIT_OK, project, plan)
    ensure_dir(outdir)
    clean_temporaries(outdir)
    cache = BuildCache(outdir, salt=_code_fingerprint(), disabled=opts.force)
    for paper in plan.items:
        paper.key = paper_key(project, paper)
    todo = [p for p in plan.items if not cache.fresh(opts.needed(p.docx_path, p.pdf_path), p.key)]
    state.skipped += [p.docx_path for p in plan.items if p not in todo]
    minutes = protokoll_jobs(project, plan, opts.public)
    agendas = len(plan.meetings) * (2 if opts.public else 1)
    if own_office is not None and todo:
        own_office.ensure(shards_for(len(todo) + agendas))  # a second one for a meeting
    try:
        with (
            tempfile.TemporaryDirectory(prefix="saksgen-") as tmp,
            Progress(len(plan.items) + agendas + len(minutes)) as bar,
            EarlyConversions() as conversions,
        ):
            work = Path(tmp)
            bar.advance(len(plan.items) - len(todo), "uendret")
            converter = Converter(work, state, bar, cache)
            out = _Outputs(project, opts, work, state, cache, bar)
            # 3. render: all papers through one pandoc process, agendas from their template;
            # 4. write each DOCX, and 5. convert each PDF, as soon as it is rendered. The agendas
            # go first, rendered as if every paper will be made (and again if one is not).
            # Each output is recorded in the cache the moment it is written, so an interrupted
            # build resumes where it stopped.
            with PaperRenders(project, todo, work, state) as renders:
                known = set(state.failed)
                first = out.meeting_docs(plan.meetings, minutes)
                if own_office is not None and not todo and not first:
                    own_office.close()  # nothing to convert after all (a no-op rebuild)
                    office = None
                if opts.pdf and (todo or first):
                    # Ghostscript for the packs' attachments, meanwhile rather than at the end.
                    packs.start_conversions(plan, conversions)
                feed = DocFeed(
                    renders, first, out.write_docx, converter, expected=len(todo) + agendas + len(minutes)
                )
                if opts.pdf:
                    convert_stream(feed, office, pdf_timeout())
                else:
                    feed.rest()
            out.agendas_again(plan, known, converter, office)
            # 6. assemble: public copies and the combined packs
            if plan.meetings:
                public.prune(project, plan, opts, state)
                public.copy_public_papers(plan, state, opts)
                if opts.pdf:
                    packs.assemble_packs(project, plan, opts, state, cache, conversions)
                    # 7. the archive export, last: it lists (and checksums) every file above
                    archive.write_archives(project, plan, opts, state)
            cache.save()
    except BaseException:
        # Interrupted or failed half-way: still show what went wrong with the outputs so far.
        _print(Collector(items=diag.items[reported:]))
        raise
    _print(Collector(items=diag.items[reported:]))
    return BuildRun(state, state.exit_code(strict=opts.strict), project, plan)


@dataclass
class _Outputs:
    """The build's write step, and the documents that wait for every paper."""

    project: Project
    opts: BuildOptions
    work: Path
    state: BuildState
    cache: BuildCache
    bar: Progress

    def meeting_docs(self, meetings: list[MeetingPlan], minutes: list[ProtokollJob]) -> list[OutputDoc]:
        """The agendas of ``meetings`` and the ``minutes`` whose outputs are not fresh."""
        opts, cache, state = self.opts, self.cache, self.state
        docs = []
        for job in agenda_jobs(self.project, meetings, opts.public, state):
            if cache.fresh(opts.needed(job.docx_path, job.pdf_path), job.key):
                state.skipped.append(job.docx_path)
                self.bar.advance(1, "uendret")
            elif (doc := render_agenda(job, state)) is not None:
                docs.append(doc)
        stale = [m for m in minutes if not cache.fresh(opts.needed(m.docx_path, m.pdf_path), m.key)]
        state.skipped += [m.docx_path for m in minutes if m not in stale]
        self.bar.advance(len(minutes) - len(stale), "uendret")
        return docs + (render_protokoller(stale, self.work, self.project.root, state) if stale else [])

    def agendas_again(
        self, plan: Plan, known: set[str], converter: Converter, office: WarmOffice | None
    ) -> None:
        """The agendas were rendered before the papers, as if every paper would be made. When a
        paper failed after all (pandoc, or LibreOffice refused or hung on it), its agenda would
        link a paper that does not exist: render that agenda again, the case marked
        "ettersendes", and convert it again. The failure path only: a good build renders and
        converts each agenda once. ``known``: the failures the first agendas already showed."""
        new = set(self.state.failed) - known
        meetings = [
            mp
            for mp in plan.meetings
            if mp.meeting.display not in known and any(p.label in new for p in mp.papers)
        ]
        if not meetings:
            return
        docs = self.meeting_docs(meetings, [])
        for doc in docs:
            self.write_docx(doc)
        if self.opts.pdf:
            convert_docs(docs, converter, office, pdf_timeout())

    def write_docx(self, doc: OutputDoc) -> None:
        if not self.opts.docx or self.cache.fresh([doc.docx_path], doc.cache_key):
            # Not asked for, or rendered again only for its PDF (an earlier build was
            # interrupted after writing this DOCX): the bytes on disk are these bytes.
            return
        with deferred_interrupts():
            write_bytes(doc.docx_path, doc.data)
            self.cache.record(doc.docx_path, doc.cache_key)
            self.state.written.append(doc.docx_path)


def _print(diag: Collector) -> None:
    for d in diag.sorted():
        print(d.format_text(), file=sys.stderr)
