"""``saksgen build``: the whole pipeline as one top-to-bottom function (``run_build``).

load + validate + resolve (resolve.project.gather) -> plan every output -> render all DOCX (one
pandoc process) -> write DOCX -> convert all PDF (streamed from one or two LibreOffice processes)
-> assemble meetings (public set, packs) -> summary. Nothing is written before every input has
been read and checked; every file is written atomically.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from saksgen import __version__
from saksgen.assemble import archive, packs, public
from saksgen.convert.batch import shards_for
from saksgen.convert.documents import convert_docs, pdf_timeout
from saksgen.convert.warm import WarmOffice
from saksgen.diagnostics import Collector
from saksgen.errors import EXIT_CONTENT, EXIT_OK
from saksgen.plan.cache import BuildCache
from saksgen.plan.outputs import OutputDoc, Plan, plan_papers
from saksgen.progress import Progress
from saksgen.render.agenda import agenda_docs
from saksgen.render.papers import paper_key, render_papers
from saksgen.render.protokoll import protokoll_jobs, render_protokoller
from saksgen.resolve.project import Project, gather
from saksgen.state import BuildOptions, BuildState
from saksgen.write import clean_temporaries, deferred_interrupts, ensure_dir, write_bytes

__all__ = ["BuildOptions", "BuildRun", "build", "run_build"]


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
    own_office = None
    if office is None and opts.pdf and todo:
        # Overlap: LibreOffice starts now and is ready when the first DOCX is.
        office = own_office = WarmOffice(timeout=pdf_timeout(), workers=shards_for(len(todo) + agendas))
    try:
        with (
            tempfile.TemporaryDirectory(prefix="saksgen-") as tmp,
            Progress(len(plan.items) + agendas + len(minutes)) as bar,
        ):
            work = Path(tmp)
            bar.advance(len(plan.items) - len(todo), "uendret")
            # 3. render: all papers through one pandoc process, agendas from their template
            docs = render_papers(project, todo, work, state, bar) if todo else []
            for doc in agenda_docs(project, plan, opts.public, state):
                if not cache.fresh(opts.needed(doc.docx_path, doc.pdf_path), doc.cache_key):
                    docs.append(doc)
                else:
                    state.skipped.append(doc.docx_path)
                    bar.advance(1, "uendret")
            stale = [m for m in minutes if not cache.fresh(opts.needed(m.docx_path, m.pdf_path), m.key)]
            state.skipped += [m.docx_path for m in minutes if m not in stale]
            bar.advance(len(minutes) - len(stale), "uendret")
            docs += render_protokoller(stale, work, project.root, state) if stale else []
            # 4. write DOCX, then 5. convert every PDF; each output is recorded in the cache the
            # moment it is written, so an interrupted build resumes where it stopped.
            if opts.docx:
                _write_docx(docs, cache, state)
            if opts.pdf:
                convert_docs(docs, work, state, bar, cache, office)
            # 6. assemble: public copies and the combined packs
            if plan.meetings:
                public.prune(project, plan, opts, state)
                public.copy_public_papers(plan, state, opts)
                if opts.pdf:
                    packs.assemble_packs(project, plan, opts, state, cache)
                    # 7. the archive export, last: it lists (and checksums) every file above
                    archive.write_archives(project, plan, opts, state)
            cache.save()
    except BaseException:
        # Interrupted or failed half-way: still show what went wrong with the outputs so far.
        _print(Collector(items=diag.items[reported:]))
        raise
    finally:
        if own_office is not None:
            own_office.close()
    _print(Collector(items=diag.items[reported:]))
    return BuildRun(state, state.exit_code(strict=opts.strict), project, plan)


def _write_docx(docs: list[OutputDoc], cache: BuildCache, state: BuildState) -> None:
    for doc in docs:
        if cache.fresh([doc.docx_path], doc.cache_key):
            # Rendered again only for its PDF (an earlier build was interrupted after writing
            # this DOCX): the bytes on disk are these bytes.
            continue
        with deferred_interrupts():
            write_bytes(doc.docx_path, doc.data)
            cache.record(doc.docx_path, doc.cache_key)
            state.written.append(doc.docx_path)


def _print(diag: Collector) -> None:
    for d in diag.sorted():
        print(d.format_text(), file=sys.stderr)
