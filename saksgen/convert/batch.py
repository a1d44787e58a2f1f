"""DOCX -> PDF/A-2b for a whole build: few LibreOffice starts, PDFs finished as they appear.

Starting LibreOffice costs about a second on the reference machine (2 cores, LibreOffice 7.4);
converting one more simple case paper inside an already running process costs about 65 ms. So a
build is converted by one ``soffice --convert-to`` process, or by two ("shards") when the batch is
large enough for the second core to pay for the second start-up.

``soffice --convert-to a b c`` converts its documents one after the other, in argument order, and
writes each PDF before it loads the next document. So the batch is watched rather than waited for:
as soon as a document's PDF is complete it is finished (``convert.finish``), written atomically to
its target and reported to the caller, which records it in the build cache at once. A build that
is interrupted after 600 of 1,000 documents therefore keeps those 600.

The same watching gives a time limit per document (``timeout``): a process that completes no
document within the limit is killed; the document it was on fails with ToolTimeout and the ones
after it start again in a fresh process. A crashed process likewise costs only the document it
was on: that one is tried once more, at the end of the new process's list, and fails for good if
it takes a process down (or is refused) a second time. Only when two processes in a row hang
before finishing any document is LibreOffice itself taken to be broken, and the documents not yet
tried fail at once instead of costing the limit each.

Long batches are cut into chunks of at most ``CHUNK`` documents, each its own process. LibreOffice
silently ignores command-line arguments after the 253rd (``soffice.MAX_DOCUMENTS``): a shard of
500 documents used to leave half of them without a PDF. Chunks also let the two shards balance
themselves (each takes the next chunk when its current one is done) and keep each process's
memory bounded (measured: 1,000 case papers in chunks of 200, soffice.bin peaks at ~220 MB).

Measurements (Debian 12, 2 cores, LibreOffice 7.4.7, simple 1-page DOCX files; medians):
* per-document cost inside one process: ~65 ms; start-up: ~1.0 s.
* one vs two shards:  4 docs 1.25 / 1.30 s, 6 docs 1.56 / 1.54 s, 8 docs 1.67 / 1.54 s,
  12 docs 2.11 / 1.72 s, 20 docs 2.35 / 1.87 s, 40 docs 3.93 / 2.77 s.
  Break-even is around 6 documents; from 8 on two shards win clearly (``SHARD_THRESHOLD``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
import zipfile
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from saksgen.convert.finish import finish
from saksgen.convert.jobs import PdfJob, PdfResult
from saksgen.convert.soffice import (
    MAX_DOCUMENTS,
    Process,
    find_soffice,
    pdf_complete,
    profile_template,
)
from saksgen.errors import SaksgenError, ToolFailed, ToolMissing, ToolTimeout
from saksgen.write import deferred_interrupts, write_bytes

__all__ = ["CHUNK", "MAX_SHARDS", "SHARD_THRESHOLD", "PdfJob", "PdfResult", "convert", "deliver", "precheck"]

# Batches of at least this many documents are split over two LibreOffice processes when the
# machine has at least two CPUs. Measured break-even is ~6 documents (see the module docstring);
# 8 leaves a margin for machine noise, since a second start-up that does not pay off costs ~0.1 s.
SHARD_THRESHOLD = 8
MAX_SHARDS = 2  # DESIGN.md §9: LibreOffice is started at most once or twice at a time.
# Documents per LibreOffice process at most; see the module docstring. One more start per chunk
# costs ~1 s, i.e. ~3 % of a 200-document chunk.
CHUNK = min(200, MAX_DOCUMENTS)
# How often the output folders are looked at. LibreOffice needs ≥ 50 ms per document, so a
# finished PDF waits on average 10 ms to be noticed.
POLL = 0.02
ATTEMPTS = 2  # a document that crashes or is refused by LibreOffice this often fails
STALLS = 2  # processes in a row that hang before their first document: LibreOffice is broken

OnResult = Callable[[PdfResult], None]


@dataclass(eq=False)
class _Item:
    index: int  # position in the caller's job list
    job: PdfJob
    source: Path  # staged copy named <index>.docx, so output names never collide
    attempts: int = 0  # processes this document was in when they crashed or refused it


@dataclass(eq=False)
class _Run:
    """One LibreOffice process and the documents it was given, watched in their order."""

    process: Process
    items: list[_Item]
    pos: int = 0  # items before pos are done (finished, failed, or refused by LibreOffice)
    progress: float = field(default_factory=time.monotonic)  # last time a document was done
    sizes: dict[int, int] = field(default_factory=dict)  # index -> size seen at the last look
    refused: list[_Item] = field(default_factory=list)  # passed over: to try once more
    place: dict[str, int] = field(init=False)  # output file name -> position in items

    def __post_init__(self) -> None:
        self.place = {self.process.output(item.source).name: n for n, item in enumerate(self.items)}

    def furthest(self) -> int:
        """Position of the last document LibreOffice has started writing, or -1. Finished PDFs
        are removed from the output folder, so this is one small directory listing."""
        try:
            names = os.listdir(self.process.outdir)
        except OSError:
            return -1
        return max((self.place.get(name, -1) for name in names), default=-1)


def shards_for(n: int) -> int:
    """How many LibreOffice processes ``n`` documents are worth (one or two)."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return MAX_SHARDS if n >= SHARD_THRESHOLD and cpus >= 2 else 1


def convert(
    jobs: Sequence[PdfJob],
    *,
    timeout: float = 120.0,
    shards: int | None = None,
    soffice: str | None = None,
    on_result: OnResult | None = None,
) -> list[PdfResult]:
    """Convert all DOCX files with as few LibreOffice starts as possible.

    Returns one result per job, in order; ``on_result`` is called with each result as soon as it
    is known (a success only after its PDF was written). Failures are reported per job
    (ToolMissing, ToolFailed, ToolTimeout, OutputError), so one bad case never hides the others;
    only KeyboardInterrupt is raised, after LibreOffice has been killed and temporary files
    removed. A failed job never touches its existing target. ``timeout`` is the time LibreOffice
    may spend on one document.
    """
    results = [PdfResult(job, None) for job in jobs]
    report: OnResult = on_result or (lambda result: None)
    if not jobs:
        return results
    try:
        program = find_soffice(soffice)
    except ToolMissing as exc:
        for result in results:
            result.error = exc
            report(result)
        return results

    with _workdir() as work:
        items: list[_Item] = []
        (work / "in").mkdir()
        for index, job in enumerate(jobs):
            error = precheck(job)
            if error is not None:
                results[index].error = error
                report(results[index])
                continue
            source = work / "in" / f"{index:04d}.docx"
            try:
                os.link(job.docx, source)  # cheap when on the same filesystem
            except OSError:
                shutil.copyfile(job.docx, source)
            items.append(_Item(index, job, source))
        if items:
            n_shards = shards if shards is not None else shards_for(len(items))
            n_shards = max(1, min(n_shards, len(items)))
            template = profile_template(program, timeout)
            _Scheduler(program, template, work, timeout, results, report).run(
                _chunks(items, n_shards), n_shards
            )
    return results


def _chunks(items: list[_Item], n_shards: int) -> deque[list[_Item]]:
    """Round-robin keeps shards about equally long for similar documents; long batches are cut
    into chunks of at most CHUNK that the shards take in turn."""
    n_chunks = max(n_shards, -(-len(items) // CHUNK))
    n_chunks += (-n_chunks) % n_shards  # a multiple of the shard count: no lone last chunk
    return deque(chunk for chunk in (items[i::n_chunks] for i in range(n_chunks)) if chunk)


class _Scheduler:
    def __init__(
        self,
        program: str,
        template: Path | None,
        work: Path,
        timeout: float,
        results: list[PdfResult],
        report: OnResult,
    ) -> None:
        self.program = program
        self.template = template
        self.work = work
        self.timeout = timeout
        self.results = results
        self.report = report
        self.started = 0  # processes so far, for unique folder names
        self.stalls = 0  # processes in a row that hung before finishing any document

    def run(self, queue: deque[list[_Item]], n_shards: int) -> None:
        running: list[_Run] = []
        try:
            while queue or running:
                while queue and len(running) < n_shards:
                    run = self._start(queue.popleft())
                    if run is not None:
                        running.append(run)
                for run in list(running):
                    leftover = self._watch(run)
                    if leftover is None:
                        continue
                    running.remove(run)
                    shutil.rmtree(run.process.root, ignore_errors=True)
                    if leftover:
                        queue.appendleft(leftover)  # restart at once, in this shard's place
                    if self.stalls >= STALLS:
                        self._give_up([item for chunk in queue for item in chunk])
                        queue.clear()
                if running:
                    time.sleep(POLL)
        finally:
            # Also on Ctrl+C: never leave a LibreOffice behind. _workdir removes the files.
            for run in running:
                run.process.kill()

    def _start(self, items: list[_Item]) -> _Run | None:
        self.started += 1
        root = self.work / f"lo{self.started}"
        try:
            process = Process(self.program, self.template, root, [i.source for i in items])
        except ToolMissing as exc:
            # soffice exists but cannot be executed (wrong permissions, broken installation).
            for item in items:
                self._done(item, exc)
            return None
        return _Run(process, items)

    def _watch(self, run: _Run) -> list[_Item] | None:
        """Finish what ``run`` has completed since the last look. Returns None while it is
        still working, else the documents to try again in a new process (maybe none)."""
        exited = run.process.exited()  # before looking at files: a PDF complete now stays so
        furthest = run.furthest()
        while run.pos < len(run.items):
            item = run.items[run.pos]
            output = run.process.output(item.source)
            size = pdf_complete(output)
            moved_on = furthest > run.pos
            # Complete means %%EOF at the end and either LibreOffice has moved on, or has exited,
            # or the file did not change between two looks (it writes the file in one go).
            if size and (moved_on or exited or run.sizes.get(item.index) == size):
                self._finished(item, output)
            elif moved_on:
                # LibreOffice could not load or export it and went on with the next one.
                item.attempts += 1
                if item.attempts >= ATTEMPTS:
                    self._failed(item, run)
                else:
                    run.refused.append(item)
            else:
                run.sizes[item.index] = size
                break
            run.pos += 1
            run.progress = time.monotonic()
            self.stalls = 0
        if exited or run.pos == len(run.items):
            run.process.kill()  # soffice.bin normally exits with its wrapper; no orphan survives
            return self._leftover(run, hung=False)
        if time.monotonic() - run.progress > self.timeout:
            run.process.kill()
            self.stalls = self.stalls + 1 if run.pos == 0 else 0
            return self._leftover(run, hung=True)
        return None

    def _leftover(self, run: _Run, *, hung: bool) -> list[_Item]:
        """What a stopped process had not done. The document it was on is the suspect: after a
        hang it fails (another try could cost the whole limit again); after a crash it goes
        last in the new process, so a second crash cannot take the others with it."""
        rest = run.items[run.pos :]
        if not rest:
            return run.refused
        suspect, fresh = rest[0], rest[1:]
        if hung:
            self._done(
                suspect,
                ToolTimeout(
                    f"LibreOffice ble ikke ferdig med saken {suspect.job.label} innen "
                    f"{self.timeout:g} sekunder og ble stoppet.",
                    stderr=run.process.stderr_text(),
                ),
            )
            return fresh + run.refused
        suspect.attempts += 1
        if suspect.attempts >= ATTEMPTS:
            self._failed(suspect, run)
            return fresh + run.refused
        return [*fresh, *run.refused, suspect]

    def _give_up(self, items: list[_Item]) -> None:
        """LibreOffice itself does not work (it hung before its first document, twice in a row):
        trying each remaining document would cost the time limit for every one of them."""
        for item in items:
            self._done(
                item,
                ToolTimeout(
                    f"LibreOffice svarer ikke (stoppet {STALLS} ganger på rad uten å bli ferdig med "
                    f"noe dokument innen {self.timeout:g} sekunder); PDF for saken {item.job.label} "
                    "er ikke forsøkt laget. Bygg på nytt når LibreOffice virker; det som ble ferdig, "
                    "er tatt vare på."
                ),
            )

    def _failed(self, item: _Item, run: _Run) -> None:
        self._done(
            item,
            ToolFailed(
                f"LibreOffice klarte ikke å lage PDF av saken {item.job.label} ({item.job.docx.name}).",
                stderr=run.process.stderr_text(),
            ),
        )

    def _finished(self, item: _Item, produced: Path) -> None:
        deliver(item.job, produced, lambda error: self._done(item, error))

    def _done(self, item: _Item, error: SaksgenError | None) -> None:
        result = self.results[item.index]
        result.error = error
        self.report(result)


def deliver(job: PdfJob, produced: Path, done: Callable[[SaksgenError | None], None]) -> None:
    """LibreOffice's PDF for ``job``: finished, written to its target, ``done`` told the outcome.
    Shared by the batch scheduler and the kept LibreOffice (``convert.warm``)."""
    try:
        data = finish(produced.read_bytes(), job)
    except OSError as exc:
        done(ToolFailed(f"PDF-en LibreOffice laget for saken {job.label} kan ikke leses: {exc.strerror}"))
        return
    except ToolFailed as exc:
        done(exc)
        return
    except (pikepdf.PdfError, ValueError, KeyError) as exc:
        done(ToolFailed(f"PDF-en LibreOffice laget for saken {job.label} kan ikke leses: {exc}"))
        return
    finally:
        produced.unlink(missing_ok=True)
    # Writing the PDF and recording it (``done``) happen as one step for Ctrl+C and SIGTERM: a
    # PDF on disk that the cache does not know would be rebuilt for nothing.
    with deferred_interrupts():
        try:
            write_bytes(job.target, data)
        except SaksgenError as exc:
            done(exc)
            return
        done(None)


def precheck(job: PdfJob) -> SaksgenError | None:
    """Catch what needs no LibreOffice start: a missing or obviously non-DOCX input."""
    if not job.docx.is_file():
        return ToolFailed(f"finner ikke DOCX-filen {job.docx} for saken {job.label}.")
    if not zipfile.is_zipfile(job.docx):
        return ToolFailed(
            f"DOCX-filen {job.docx} for saken {job.label} er skadet (ikke et gyldig DOCX-arkiv)."
        )
    return None


@contextlib.contextmanager
def _workdir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="saksgen-pdf-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


_auto_shards = shards_for  # the name bench/soffice_floor.py uses
