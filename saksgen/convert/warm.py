"""A LibreOffice kept running between documents (and, in watch mode, between builds).

``soffice --convert-to`` (``convert.batch``) must be given every document when it starts, so its
~1 s start-up can only begin once the last DOCX is rendered. A kept LibreOffice starts while
pandoc and the Word templates run and is then fed one document at a time through its UNO
interface. UNO needs LibreOffice's own Python module (Debian's ``python3-uno``), which a venv does
not have: each LibreOffice is driven by a small worker script (``uno_worker.py``) run by the
system Python, talking JSON lines over a pipe. Worker and LibreOffice share one process group,
so a hang, Ctrl+C or the end of the build kills both with one ``killpg``.

The worker loads and exports each document exactly as ``--convert-to`` does, and its PDF goes
through the same finish step (``batch.deliver``): the bytes are those of a batch conversion.

Faults, as in ``convert.batch``: a document that takes longer than the limit fails (ToolTimeout)
and its LibreOffice is replaced; a LibreOffice that dies costs only the document it was on (tried
once more, last); a document LibreOffice refuses fails. When a kept LibreOffice cannot be started
at all (no ``python3-uno``, a LibreOffice that hangs or dies at start-up), the documents go through
``convert.batch`` instead, which reports LibreOffice's problems per document.

Measured (Debian 12, 2 cores, LibreOffice 7.4.7, example case papers): start-up to the first
answer ~1.9 s under load (the start-up overlaps the render phase), then ~80 ms per document.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from saksgen.convert import batch
from saksgen.convert.jobs import JobFeed, PdfJob, PdfResult
from saksgen.convert.soffice import EXPORT_FILTER, find_soffice, make_profile, profile_template
from saksgen.errors import SaksgenError, ToolFailed, ToolTimeout

__all__ = ["UNO_PYTHON_ENV", "WarmOffice"]

UNO_PYTHON_ENV = "SAKSGEN_UNO_PYTHON"
WORKER = Path(__file__).with_name("uno_worker.py")
NO_UNO = 3  # the worker's exit code when the system Python has no uno module


def _uno_python() -> str:
    return os.environ.get(UNO_PYTHON_ENV) or "/usr/bin/python3"


@dataclass(eq=False)
class _Item:
    index: int
    job: PdfJob
    attempts: int = 0  # kept LibreOffices that died while on this document


@dataclass(eq=False)
class _Worker:
    """One worker script and its LibreOffice. ``ready`` once LibreOffice answers."""

    proc: subprocess.Popen[bytes]
    root: Path
    started: float = field(default_factory=time.monotonic)
    ready: bool = False
    item: _Item | None = None  # the document it is converting
    sent: float = 0.0

    @property
    def stdout(self) -> IO[bytes]:
        assert self.proc.stdout is not None
        return self.proc.stdout

    def send(self, item: _Item, source: Path, output: Path) -> None:
        assert self.proc.stdin is not None
        request = {"in": str(source), "out": str(output), "filter": EXPORT_FILTER}
        self.proc.stdin.write(json.dumps(request).encode() + b"\n")
        self.proc.stdin.flush()
        self.item, self.sent = item, time.monotonic()

    def answer(self) -> dict[str, Any] | None:
        """The next line from the worker, or None when it has gone."""
        line = self.stdout.readline()
        if not line:
            return None
        try:
            reply = json.loads(line)
        except ValueError:
            return None
        return reply if isinstance(reply, dict) else None

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)
        for pipe in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                if pipe is not None:
                    pipe.close()
        shutil.rmtree(self.root, ignore_errors=True)


class WarmOffice:
    """One or two kept LibreOffices. ``start`` returns at once; they start in the background.

    Use as a context manager, or call ``close``: no LibreOffice outlives it.
    """

    def __init__(self, *, timeout: float, workers: int = 1, soffice: str | None = None) -> None:
        self.timeout = timeout
        self.soffice = soffice
        self.program: str | None = None
        self.template: Path | None = None
        self.available = True  # False once it is clear no kept LibreOffice can run here
        self.work = Path(tempfile.mkdtemp(prefix="saksgen-lo-"))
        self.workers: list[_Worker] = []
        self.started = 0
        self.calls = 0
        self.ensure(workers)

    def __enter__(self) -> WarmOffice:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.available = False  # closed for good: nothing starts a LibreOffice again
        for worker in self.workers:
            worker.kill()
        self.workers.clear()
        shutil.rmtree(self.work, ignore_errors=True)

    def pids(self) -> list[int]:
        return [w.proc.pid for w in self.workers]

    def check(self) -> None:
        """Replace a kept LibreOffice that died while idle (killed, crashed), in the background,
        so the next document does not wait for its start-up."""
        wanted = len(self.workers)
        for worker in list(self.workers):
            if worker.item is None and worker.proc.poll() is not None:
                self._drop(worker)
        self.ensure(wanted)

    def ensure(self, n: int) -> None:
        """At least ``n`` kept LibreOffices running or starting (at most ``batch.MAX_SHARDS``)."""
        n = min(n, batch.MAX_SHARDS)
        while self.available and len(self.workers) < n:
            worker = self._spawn()
            if worker is None:
                return
            self.workers.append(worker)

    def _spawn(self) -> _Worker | None:
        try:
            if self.program is None:
                self.program = find_soffice(self.soffice)
                self.template = profile_template(self.program, self.timeout)
        except SaksgenError:
            self.available = False  # convert.batch reports the missing LibreOffice per document
            return None
        self.started += 1
        root = self.work / f"lo{self.started}"
        root.mkdir()
        profile = make_profile(self.template, root / "profil")
        (root / "tmp").mkdir()
        pipe = f"saksgen-{os.getpid()}-{self.started}-{os.urandom(4).hex()}"
        try:
            proc = subprocess.Popen(
                [_uno_python(), str(WORKER), self.program, str(profile), pipe],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
                env={**os.environ, "TMPDIR": str(root / "tmp")},
            )
        except OSError:
            self.available = False
            shutil.rmtree(root, ignore_errors=True)
            return None
        return _Worker(proc, root)

    # ----------------------------------------------------------------------------------------

    def convert(
        self, jobs: Sequence[PdfJob], on_result: batch.OnResult | None = None, feed: JobFeed | None = None
    ) -> list[PdfResult]:
        """Like ``batch.convert``: one result per job, ``on_result`` called with each as soon as it
        is known (a success after its PDF was written). ``feed``: more jobs that become ready
        while the first are converted (the render phase still running)."""
        results: list[PdfResult] = []
        report: batch.OnResult = on_result or (lambda result: None)
        self.calls += 1
        folder = self.work / f"c{self.calls}"
        (folder / "in").mkdir(parents=True)
        (folder / "out").mkdir()
        queue: deque[_Item] = deque()

        def add(new: Sequence[PdfJob]) -> None:
            for job in new:
                results.append(PdfResult(job, None))
                error = batch.precheck(job)
                if error is not None:
                    results[-1].error = error
                    report(results[-1])
                else:
                    queue.append(_Item(len(results) - 1, job))

        def done(item: _Item, error: SaksgenError | None) -> None:
            results[item.index].error = error
            report(results[item.index])

        add(jobs)
        try:
            self.ensure(batch.shards_for(len(queue) + (feed.expected if feed else 0)))
            self._run(queue, folder, done, feed, add)
            if feed is not None and not feed.finished:  # no kept LibreOffice left to feed
                add(feed.rest())
            if queue:  # no kept LibreOffice could be started: the batch path reports why
                by_job = {id(item.job): item for item in queue}
                batch.convert(
                    [item.job for item in queue],
                    timeout=self.timeout,
                    soffice=self.soffice,
                    on_result=lambda result: done(by_job[id(result.job)], result.error),
                )
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return results

    def _run(
        self,
        queue: deque[_Item],
        folder: Path,
        done: Any,
        feed: JobFeed | None,
        add: Callable[[Sequence[PdfJob]], None],
    ) -> None:
        def more() -> bool:
            return feed is not None and not feed.finished

        while self.workers and (queue or more() or any(w.item for w in self.workers)):
            if more() and feed is not None and not feed.waiting:
                add(feed.take())
            self._dispatch(queue, folder)
            waiting = [w for w in self.workers if not w.ready or w.item is not None]
            listening = feed if feed is not None and more() and feed.waiting else None
            if not waiting and listening is None:
                if queue or more():
                    continue  # jobs ready for an idle LibreOffice
                return
            now = time.monotonic()
            deadlines = [(w.sent if w.ready else w.started) + self.timeout for w in waiting]
            if listening is not None:
                deadlines.append(listening.deadline)
            sources: list[Any] = [w.stdout for w in waiting] + ([listening] if listening else [])
            readable, _, _ = select.select(sources, [], [], max(0.0, min(deadlines) - now))
            if listening is not None and (listening in readable or time.monotonic() > listening.deadline):
                add(listening.take())  # past its deadline, take raises the producer's timeout
            finished: list[_Item] = []
            for worker in waiting:
                if worker.stdout in readable:
                    self._answer(worker, worker.answer(), queue, done, finished)
                elif time.monotonic() - (worker.sent if worker.ready else worker.started) > self.timeout:
                    self._hung(worker, done)
            if finished:
                # The freed LibreOffices get their next document first, then the PDFs they made
                # are finished here (~10 ms each) while they work.
                self._dispatch(queue, folder)
                for item in finished:
                    output = folder / "out" / f"{item.index:04d}.pdf"
                    batch.deliver(item.job, output, functools.partial(done, item))

    def _dispatch(self, queue: deque[_Item], folder: Path) -> None:
        """Hand the next queued documents to the kept LibreOffices that are ready and idle."""
        for worker in list(self.workers):
            if not (worker.ready and worker.item is None and queue):
                continue
            item = queue.popleft()
            source = folder / "in" / f"{item.index:04d}.docx"
            with contextlib.suppress(FileExistsError):
                try:
                    os.link(item.job.docx, source)
                except OSError:
                    shutil.copyfile(item.job.docx, source)
            try:
                worker.send(item, source, folder / "out" / f"{item.index:04d}.pdf")
            except OSError:
                # It died while idle (LibreOffice killed between builds): not the document's fault.
                queue.appendleft(item)
                self._drop(worker)
                self.ensure(1)
                return

    def _answer(
        self,
        worker: _Worker,
        reply: dict[str, Any] | None,
        queue: deque[_Item],
        done: Any,
        finished: list[_Item],
    ) -> None:
        """A worker's line: ready, a PDF made (into ``finished``), or a failure."""
        if not worker.ready:
            if reply is not None and reply.get("ready"):
                worker.ready = True
                return
            # Could not start: no python3-uno here (remembered), or LibreOffice died at start-up.
            if worker.proc.poll() == NO_UNO or (reply is not None and reply.get("no_uno")):
                self.available = False
            self._drop(worker)
            return
        item = worker.item
        assert item is not None
        worker.item = None
        if reply is not None and reply.get("ok"):
            finished.append(item)
            return
        if reply is not None and not reply.get("dead"):
            # LibreOffice is alive and could not load or export the document; its reason (the
            # UNO exception's text) goes with the message, as a batch keeps soffice's stderr.
            done(
                item,
                ToolFailed(
                    f"LibreOffice klarte ikke å lage PDF av saken {item.job.label}.",
                    str(reply.get("error") or ""),
                ),
            )
            return
        # LibreOffice (or its worker) died on this document: try it once more, last.
        self._drop(worker)
        item.attempts += 1
        if item.attempts >= batch.ATTEMPTS:
            done(
                item,
                ToolFailed(
                    f"LibreOffice klarte ikke å lage PDF av saken {item.job.label} "
                    f"({item.job.docx.name}); LibreOffice stoppet to ganger på dette dokumentet."
                ),
            )
        else:
            queue.append(item)
        self.ensure(1)

    def _hung(self, worker: _Worker, done: Any) -> None:
        item = worker.item
        self._drop(worker)
        if item is None:
            return  # hung at start-up: the batch path takes over for this build
        done(
            item,
            ToolTimeout(
                f"LibreOffice ble ikke ferdig med saken {item.job.label} innen "
                f"{self.timeout:g} sekunder og ble stoppet."
            ),
        )
        self.ensure(1)  # the next documents get a fresh LibreOffice

    def _drop(self, worker: _Worker) -> None:
        worker.kill()
        self.workers.remove(worker)
