"""Markdown -> Word content through pandoc: one ``pandoc lua`` process renders every case of a
build (``render.lua``), so pandoc's start-up is paid once, not per case."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
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
    render the Word templates on the other core meanwhile."""

    def __init__(self, jobs: list[RenderJob], workdir: Path, root: Path) -> None:
        self.jobs = jobs
        self.proc: subprocess.Popen[bytes] | None = None
        if not jobs:
            return
        exe = pandoc_path()
        fd, jobs_file = tempfile.mkstemp(suffix=".json", dir=workdir)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump([j.spec() for j in jobs], fh, ensure_ascii=False)
        self.results_file = Path(jobs_file).with_suffix(".results.json")
        try:
            # cwd = repository root: validated relative image paths resolve there.
            self.proc = subprocess.Popen(
                [exe, "lua", str(LUA), jobs_file, str(self.results_file)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=root,
            )
        except OSError:
            raise ToolMissing(f"kan ikke starte pandoc ({exe})") from None

    def wait(self) -> dict[str, str | None]:
        """Job id -> None (ok) or pandoc's error text for that job."""
        if self.proc is None:
            return {}
        try:
            _, err = self.proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()
            raise ToolTimeout(f"pandoc brukte mer enn {TIMEOUT:.0f} sekunder") from None
        stderr = err.decode("utf-8", "replace")
        if self.proc.returncode != 0 or not self.results_file.exists():
            raise ToolFailed(f"pandoc feilet (kode {self.proc.returncode})", stderr)
        results = json.loads(self.results_file.read_text(encoding="utf-8"))
        return {r["id"]: (None if r["ok"] else r.get("error") or "ukjent feil") for r in results}

    def kill(self) -> None:
        """Stop pandoc if it still runs (Ctrl+C, an error elsewhere) and close its pipes, which
        ``communicate`` would otherwise have closed: no leaked file descriptors."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for pipe in (self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                pipe.close()
