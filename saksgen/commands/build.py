"""``saksgen build``: the whole pipeline as one top-to-bottom function (``run_build``).

collect + validate + resolve (project.gather) -> plan every output -> render all DOCX (one pandoc
process) -> write DOCX -> convert all PDF (one LibreOffice batch) -> assemble meetings (agenda,
pack, public set) -> summary. Nothing is written before every input has been read and checked;
every file is written atomically.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from saksgen import __version__
from saksgen.assemble import meeting
from saksgen.diagnostics import Collector
from saksgen.errors import EXIT_CONTENT, EXIT_OK
from saksgen.plan.cache import BuildCache
from saksgen.plan.outputs import plan_papers
from saksgen.progress import Progress
from saksgen.render import papers as render
from saksgen.resolve.project import gather
from saksgen.write import clean_temporaries, ensure_dir, write_bytes


@dataclass
class BuildOptions:
    root: Path
    paths: list[str]
    outdir: Path
    docx: bool = True
    pdf: bool = True
    public: bool = False
    strict: bool = False
    force: bool = False
    partial_pack: bool = False


@dataclass
class BuildState:
    """What happened to each output, for the summary and the exit code."""

    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    diag: Collector = field(default_factory=Collector)


def _code_fingerprint() -> str:
    """Changes to saksgen itself invalidate every cached output."""
    h = hashlib.sha256(__version__.encode())
    pkg = Path(__file__).parent.parent
    for path in sorted(pkg.rglob("*.py")) + sorted(pkg.rglob("*.lua")):
        h.update(path.read_bytes())
    return h.hexdigest()


def run_build(opts: BuildOptions) -> int:
    state = BuildState()
    diag = state.diag
    # 1. collect, validate, resolve: everything is read and checked before anything is written
    project = gather(opts.root, opts.paths, diag)
    _report(diag)
    reported = len(diag.items)
    if opts.strict and diag.failed(strict=True):
        print("feil: bygging stoppet fordi --strict regner advarsler som feil [strict]", file=sys.stderr)
        return EXIT_CONTENT
    outdir = opts.outdir if opts.outdir.is_absolute() else opts.root / opts.outdir
    failed_files = {d.location.path for d in diag.errors if d.location}
    plan = plan_papers(project, outdir, opts.public, failed_files)
    if opts.public:
        meeting.warn_public_titles(project, plan, state)
    if not plan.items and not plan.meetings:
        if diag.errors:
            print("feil: ingenting å bygge; rett feilene over [ingen-utdata]", file=sys.stderr)
            return EXIT_CONTENT
        print("ingenting å bygge", file=sys.stderr)
        return EXIT_OK
    ensure_dir(outdir)
    clean_temporaries(outdir)
    cache = BuildCache(outdir, salt=_code_fingerprint(), disabled=opts.force)
    for paper in plan.items:
        paper.key = render.paper_key(project, paper)
    todo = [p for p in plan.items
            if not cache.fresh(_needed(p.docx_path, p.pdf_path, opts), p.key)]
    state.skipped += [p.docx_path for p in plan.items if p not in todo]
    with tempfile.TemporaryDirectory(prefix="saksgen-") as tmp, Progress(len(plan.items)) as bar:
        work = Path(tmp)
        bar.advance(len(plan.items) - len(todo), "uendret")
        # 2. render: all papers through one pandoc process, agendas from their template
        docs = render.render_papers(project, todo, work, state, bar) if todo else []
        for doc in meeting.agenda_docs(project, plan, opts.public, state):
            if not cache.fresh(_needed(doc.docx_path, doc.pdf_path, opts), doc.cache_key):
                docs.append(doc)
            else:
                state.skipped.append(doc.docx_path)
        # 3. write DOCX, then 4. convert every PDF in one LibreOffice batch
        if opts.docx:
            for doc in docs:
                write_bytes(doc.docx_path, doc.data)
                state.written.append(doc.docx_path)
        if opts.pdf:
            render.convert_docs(docs, work, state, bar)
        written = set(state.written)
        for doc in docs:
            for path in (doc.docx_path, doc.pdf_path):
                if path in written:
                    cache.record(path, doc.cache_key)
        # 5. assemble: public copies and the combined packs
        if plan.meetings:
            meeting.prune(project, plan, opts, state)
            meeting.copy_public_papers(plan, state, opts)
            if opts.pdf:
                meeting.assemble_packs(project, plan, opts, state, cache)
        cache.save()
    _report(Collector(items=diag.items[reported:]))
    _summary(state)
    return EXIT_CONTENT if (diag.errors or state.failed) else EXIT_OK


def _needed(docx_path: Path, pdf_path: Path, opts: BuildOptions) -> list[Path]:
    return ([docx_path] if opts.docx else []) + ([pdf_path] if opts.pdf else [])


def _report(diag: Collector) -> None:
    for d in diag.sorted():
        print(d.format_text(), file=sys.stderr)


def _summary(state: BuildState) -> None:
    made = len(state.written)
    parts = [f"{made} filer skrevet"]
    if state.skipped:
        parts.append(f"{len(state.skipped)} uendret")
    if state.removed:
        parts.append(f"{len(state.removed)} utdaterte fjernet")
    if state.failed:
        parts.append(f"{len(state.failed)} feilet")
    errors = len(state.diag.errors)
    warnings = len(state.diag.warnings)
    parts.append(f"{errors} feil, {warnings} advarsler")
    print("saksgen build: " + ", ".join(parts), file=sys.stderr)

