"""Markdown -> Word content through pandoc: one ``pandoc lua`` process renders every case of a
build (``render.lua``), so pandoc's start-up is paid once, not per case."""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from saksgen.errors import ToolFailed, ToolMissing, ToolTimeout

LUA = Path(__file__).with_name("render.lua")
TIMEOUT = 300.0


def pandoc_path() -> str:
    """pandoc from SAKSGEN_PANDOC, the pypandoc-binary wheel, or PATH."""
    env = os.environ.get("SAKSGEN_PANDOC")
    if env:
        return env
    try:
        import pypandoc

        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError):
        found = shutil.which("pandoc")
        if found:
            return found
    raise ToolMissing(
        "finner ikke pandoc; installer saksgen på nytt (pip install -e .) eller sett SAKSGEN_PANDOC"
    )


@dataclass
class RenderJob:
    """One case: its sections and everything render.lua needs to print references."""

    id: str
    output: Path
    reference_doc: Path
    sections: list[dict[str, Any]]
    refs: dict[str, dict[str, Any]] = field(default_factory=dict)
    bookmarks: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # the words render.lua prints itself
    lang: str = "nb-NO"

    def spec(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "output": str(self.output),
            "reference_doc": str(self.reference_doc),
            "sections": self.sections,
            "refs": self.refs,
            "bookmarks": self.bookmarks,
            "texts": self.texts,
            "lang": self.lang,
        }


class PandocBatch:
    """One ``pandoc lua`` process for all jobs, started in the background so the caller can
    render the Word templates on the other core meanwhile.

    render.lua reports each job on its own stdout line the moment its DOCX is written, so a
    caller can take results as they come (``fileno`` + ``take``, e.g. from a select loop that
    also feeds LibreOffice) or all at once (``wait``). pandoc's stderr goes to a file: a pipe
    nobody reads while the results stream would fill and stall pandoc."""

    def __init__(self, jobs: list[RenderJob], workdir: Path, root: Path) -> None:
        self.jobs = jobs
        self.proc: subprocess.Popen[bytes] | None = None
        self.results: dict[str, str | None] = {}
        self.finished = not jobs
        self._pending = b""
        self.deadline = time.monotonic() + TIMEOUT
        if not jobs:
            return
        exe = pandoc_path()
        fd, jobs_file = tempfile.mkstemp(suffix=".json", dir=workdir)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump([j.spec() for j in jobs], fh, ensure_ascii=False)
        self.stderr_file = Path(jobs_file).with_suffix(".stderr")
        try:
            with self.stderr_file.open("wb") as err:
                # cwd = repository root: validated relative image paths resolve there.
                # TMPDIR = our work folder: ``pandoc lua`` makes a pandoc-hist* folder there,
                # which it leaves behind when it is killed (Ctrl+C while it still renders).
                self.proc = subprocess.Popen(
                    [exe, "lua", str(LUA), jobs_file],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=err,
                    cwd=root,
                    env={**os.environ, "TMPDIR": str(workdir)},
                )
        except OSError:
            raise ToolMissing(f"kan ikke starte pandoc ({exe})") from None

    def fileno(self) -> int:
        assert self.proc is not None and self.proc.stdout is not None
        return self.proc.stdout.fileno()

    def take(self) -> list[tuple[str, str | None]]:
        """The jobs reported since the last call: (job id, None or pandoc's error text). Call it
        when ``fileno`` is readable (it reads once, so it does not block then). Raises
        ToolFailed when pandoc stopped before reporting every job, ToolTimeout past the limit."""
        if self.finished:
            return []
        if time.monotonic() > self.deadline:
            raise self._timed_out()
        chunk = os.read(self.fileno(), 65536)
        lines = (self._pending + chunk).split(b"\n")
        self._pending = lines.pop()
        new: list[tuple[str, str | None]] = []
        for line in lines:
            try:
                r = json.loads(line)
                new.append((str(r["id"]), None if r["ok"] else str(r.get("error") or "ukjent feil")))
            except (ValueError, KeyError, TypeError):
                continue  # not one of render.lua's lines
        self.results.update(new)
        if not chunk:  # end of output: pandoc has exited or is about to
            self._end()
        return new

    def _end(self) -> None:
        assert self.proc is not None
        try:
            code = self.proc.wait(timeout=max(1.0, self.deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            raise self._timed_out() from None
        self.finished = True
        self.kill()  # closes the pipe
        if code != 0 or len(self.results) < len(self.jobs):
            stderr = self.stderr_file.read_bytes().decode("utf-8", "replace")
            raise ToolFailed(f"pandoc feilet (kode {code})", stderr)

    def wait(self) -> dict[str, str | None]:
        """Block until pandoc is done: job id -> None (ok) or pandoc's error text for that job."""
        while not self.finished:
            ready, _, _ = select.select([self.fileno()], [], [], max(0.0, self.deadline - time.monotonic()))
            if ready or time.monotonic() > self.deadline:
                self.take()  # past the deadline, take raises the timeout
        return dict(self.results)

    def _timed_out(self) -> ToolTimeout:
        self.kill()
        return ToolTimeout(f"pandoc brukte mer enn {TIMEOUT:.0f} sekunder")

    def kill(self) -> None:
        """Stop pandoc if it still runs (Ctrl+C, an error elsewhere) and close its pipe: no
        leaked file descriptors."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
