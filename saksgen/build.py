"""``saksgen build``: the whole pipeline as one top-to-bottom function (``run_build``).

collect + validate + resolve (project.gather) -> plan every output -> render all DOCX (one pandoc
process) -> write DOCX -> convert all PDF (one LibreOffice batch) -> assemble meetings (agenda,
pack, public set) -> summary. Nothing is written before every input has been read and checked;
every file is written atomically.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from saksgen import __version__
from saksgen.diagnostics import Collector
from saksgen.errors import EXIT_CONTENT, EXIT_OK
from saksgen.papers import Paper, plan_papers
from saksgen.progress import Progress
from saksgen.project import gather
from saksgen.write import clean_temporaries, ensure_dir, write_bytes

CACHE_FILE = ".saksgen-cache.json"


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
    failed: list[str] = field(default_factory=list)
    diag: Collector = field(default_factory=Collector)


def _code_fingerprint() -> str:
    """Changes to saksgen itself invalidate every cached output."""
    h = hashlib.sha256(__version__.encode())
    pkg = Path(__file__).parent
    for path in sorted(pkg.glob("*.py")) + sorted(pkg.glob("*.lua")):
        h.update(path.read_bytes())
    return h.hexdigest()


def _load_cache(outdir: Path) -> dict[str, str]:
    try:
        data = json.loads((outdir / CACHE_FILE).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def run_build(opts: BuildOptions) -> int:
    state = BuildState()
    diag = state.diag
    project = gather(opts.root, opts.paths, diag)
    outdir = opts.outdir if opts.outdir.is_absolute() else opts.root / opts.outdir
    _report(diag)
    reported = len(diag.items)
    if diag.failed(opts.strict) and opts.strict:
        print("feil: bygging stoppet fordi --strict regner advarsler som feil", file=sys.stderr)
        return EXIT_CONTENT
    failed_files = {d.location.path for d in diag.errors if d.location}
    papers = plan_papers(project, outdir, opts.public, failed_files)
    if not papers.items and not papers.meetings:
        if diag.errors:
            print("feil: ingenting å bygge; rett feilene over [ingen-utdata]", file=sys.stderr)
            return EXIT_CONTENT
        print("ingenting å bygge")
        return EXIT_OK
    ensure_dir(outdir)
    clean_temporaries(outdir)
    cache = _load_cache(outdir)
    fingerprint = _code_fingerprint()
    with tempfile.TemporaryDirectory(prefix="saksgen-") as tmp, Progress(len(papers.items)) as bar:
        work = Path(tmp)
        from saksgen import render

        todo = [p for p in papers.items if opts.force or not _fresh(p, cache, fingerprint, opts)]
        state.skipped += [p.docx_path for p in papers.items if p not in todo]
        bar.advance(len(papers.items) - len(todo), "uendret")
        docx_bytes = render.render_papers(project, todo, work, state, bar)
        for paper, data in docx_bytes.items():
            if opts.docx:
                write_bytes(paper.docx_path, data)
                state.written.append(paper.docx_path)
        if opts.pdf:
            render.convert_papers(docx_bytes, work, state, bar)
        for paper in todo:
            if paper.key and paper.label not in state.failed:
                cache[str(paper.docx_path)] = paper.key
        if papers.meetings:
            from saksgen import meeting as meeting_mod

            meeting_mod.assemble_all(project, papers, opts, work, state, cache)
        write_bytes(outdir / CACHE_FILE, json.dumps(cache, indent=1, sort_keys=True).encode())
    _report_new(diag, reported)
    _summary(state, opts.root)
    return EXIT_CONTENT if (diag.errors or state.failed) else EXIT_OK


def _fresh(paper: Paper, cache: dict[str, str], fingerprint: str, opts: BuildOptions) -> bool:
    """An unchanged paper is not rebuilt: same inputs, same code, outputs still present."""
    paper.key = hashlib.sha256((fingerprint + paper.input_key()).encode()).hexdigest()
    if cache.get(str(paper.docx_path)) != paper.key:
        return False
    needed = ([paper.docx_path] if opts.docx else []) + ([paper.pdf_path] if opts.pdf else [])
    return all(p.exists() for p in needed)


def _report(diag: Collector) -> None:
    for d in diag.sorted():
        print(d.format_text(), file=sys.stderr)


def _report_new(diag: Collector, already: int) -> None:
    """Problems found while building (after the validation report was printed)."""
    _report(Collector(items=diag.items[already:]))


def _summary(state: BuildState, root: Path) -> None:
    made = len(state.written)
    parts = [f"{made} filer skrevet"]
    if state.skipped:
        parts.append(f"{len(state.skipped)} uendret")
    if state.failed:
        parts.append(f"{len(state.failed)} feilet")
    errors = len(state.diag.errors)
    warnings = len(state.diag.warnings)
    parts.append(f"{errors} feil, {warnings} advarsler")
    print("saksgen build: " + ", ".join(parts), file=sys.stderr)

