"""``saksgen build --overvåk``: build, then rebuild what a saved change affects, through a kept
LibreOffice (``convert.warm``), one line per rebuild, until Ctrl+C.

Each rebuild is a normal ``build``: the cache decides which outputs are stale, so the bytes are
those of a normal build. ``inputs`` maps every file the build read to the outputs made from it;
a change to a file no output depends on (and that is not a new case or meeting file) starts no
rebuild. Folders are watched rather than files, so an editor that saves by deleting and
recreating (or renaming over) a file is seen; editor and Word lock files are ignored.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from saksgen.commands.build import BuildRun, build
from saksgen.convert.documents import pdf_timeout
from saksgen.convert.warm import WarmOffice
from saksgen.errors import EXIT_OK
from saksgen.plan.outputs import Plan
from saksgen.state import BuildOptions


def is_noise(path: Path) -> bool:
    """Lock and temporary files of Word, LibreOffice, editors and saksgen itself."""
    name = path.name
    return (
        name.startswith(("~$", ".~lock.", ".saksgen-", ".#"))
        or name.endswith(("~", ".swp", ".swx", ".tmp"))
        or name == "4913"  # vim's probe file
    )


def inputs(plan: Plan) -> dict[Path, set[Path]]:
    """Every file the planned outputs were made from -> those outputs (their PDF paths; a
    meeting's agenda and pack under its folder)."""
    deps: dict[Path, set[Path]] = {}

    def add(files: Iterable[Path], output: Path) -> None:
        for f in files:
            deps.setdefault(f.resolve(), set()).add(output)

    for paper in plan.items:
        case = paper.case
        files = [case.path, *case.images, *(a.file for a in case.attachments if a.file)]
        files += [f for f in case.profile.folder.iterdir() if f.is_file() and not is_noise(f)]
        if paper.meeting is not None:
            files.append(paper.meeting.source.path)
        add(files, paper.pdf_path)
    for mp in plan.meetings:
        meeting = mp.meeting
        folder = [f for f in meeting.profile.folder.iterdir() if f.is_file() and not is_noise(f)]
        add([meeting.source.path, *folder], mp.folder / "sakliste.pdf")
        pack = mp.folder / "saksdokumenter.pdf"
        for paper in mp.papers:
            case = paper.case
            add([case.path, *(a.file for a in case.attachments if a.file)], pack)
        add([meeting.source.path], pack)
    return deps


def affected(deps: dict[Path, set[Path]], changed: Iterable[Path]) -> set[Path]:
    """The outputs that depend on any of the changed files."""
    out: set[Path] = set()
    for path in changed:
        out |= deps.get(path.resolve(), set())
    return out


def watched_folders(opts: BuildOptions, deps: dict[Path, set[Path]]) -> set[Path]:
    """The folders of every input, plus the folders named on the command line (new files)."""
    folders = {p.parent for p in deps}
    for name in opts.paths or ["saker", "moter"]:
        path = (opts.root / name).resolve()
        folders.add(path if path.is_dir() else path.parent)
    return {f for f in folders if f.is_dir()}


def _relevant(opts: BuildOptions, deps: dict[Path, set[Path]], changed: set[Path]) -> set[Path]:
    """Changed files that matter: inputs of an output, or YAML files (a new case or meeting, or
    a file that failed to load and so has no outputs yet)."""
    return {p for p in changed if not is_noise(p) and (p.resolve() in deps or p.suffix in (".yaml", ".yml"))}


def _line(run: BuildRun, changed: set[Path], seconds: float, root: Path) -> str:
    names = ", ".join(sorted(_show(p, root) for p in changed)) or "start"
    state = run.state
    made = sorted({p.name for p in state.written if p.suffix == ".pdf"})
    what = (
        f"{len(made)} PDF laget ({', '.join(made[:4])}{' …' if len(made) > 4 else ''})"
        if made
        else "ingen endring i utdata"
    )
    took = f"{seconds:.2f}".replace(".", ",")
    text = f"[{time.strftime('%H:%M:%S')}] {names}: {what} på {took} s"
    if state.diag.errors or state.failed:
        text += f"; {state.problems()} (forrige gode filer er beholdt)"
    return text


def _show(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def run_watch(opts: BuildOptions) -> int:
    with WarmOffice(timeout=pdf_timeout()) as office:
        start = time.monotonic()
        run = build(opts, office)
        print(_line(run, set(), time.monotonic() - start, opts.root), file=sys.stderr, flush=True)
        deps = inputs(run.plan) if run.plan else {}
        changes_of = _Changes(office)
        try:
            changes_of.watch(watched_folders(opts, deps))
            print("overvåker endringer; avslutt med Ctrl+C", file=sys.stderr, flush=True)
            while True:
                changes = changes_of.next(watched_folders(opts, deps))
                relevant = _relevant(opts, deps, changes)
                if not relevant:
                    continue
                start = time.monotonic()
                try:
                    run = build(opts, office)
                except KeyboardInterrupt:
                    raise
                except Exception as exc:  # a rebuild's failure never ends the watch
                    from saksgen.errors import SaksgenError

                    message = exc.format() if isinstance(exc, SaksgenError) else f"intern feil: {exc}"
                    print(message, file=sys.stderr, flush=True)
                    continue
                print(_line(run, relevant, time.monotonic() - start, opts.root), file=sys.stderr, flush=True)
                if run.plan is not None:
                    # A file that failed to load keeps being watched under its old outputs.
                    new = inputs(run.plan)
                    for path, outputs in deps.items():
                        new.setdefault(path, outputs)
                    deps = new
        except KeyboardInterrupt:
            print("overvåking avsluttet", file=sys.stderr, flush=True)
        finally:
            changes_of.close()
    return EXIT_OK


class _Changes:
    """File events from one watcher that stays alive between rebuilds, so a save made while a
    rebuild runs is not lost; a new watcher only when the set of folders changes."""

    def __init__(self, office: WarmOffice) -> None:
        self.office = office
        self.folders: set[Path] = set()
        self.events: Iterator[set[tuple[Any, str]]] | None = None
        self.pending: set[Path] = set()

    def watch(self, folders: set[Path]) -> None:
        """Start watching ``folders``; returns once the watcher is really listening."""
        import watchfiles as wf

        self.close()
        self.folders = set(folders)
        self.events = iter(
            wf.watch(
                *sorted(folders),
                recursive=False,
                watch_filter=lambda change, path: not is_noise(Path(path)),
                step=30,
                rust_timeout=1000,
                yield_on_timeout=True,
                raise_interrupt=True,
            )
        )
        # The first step creates the watcher; a change seen meanwhile is kept for next().
        self.pending |= {Path(path) for _, path in next(self.events)}

    def next(self, folders: set[Path]) -> set[Path]:
        """Block until files change; meanwhile keep the LibreOffice alive."""
        if folders != self.folders or self.events is None:
            self.watch(folders)
        while not self.pending:
            assert self.events is not None
            batch = next(self.events)
            if not batch:
                self.office.check()  # replaced in the background if it died while idle
            self.pending |= {Path(path) for _, path in batch}
        changed, self.pending = self.pending, set()
        return changed

    def close(self) -> None:
        closer = getattr(self.events, "close", None)
        if closer is not None:
            closer()
        self.events = None
