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
    raise ToolMissing("finner ikke pandoc; installer saksgen på nytt (pip install -e .) "
                      "eller sett SAKSGEN_PANDOC")


@dataclass
class RenderJob:
    """One case: its sections and everything render.lua needs to print references."""

    id: str
    output: Path
    reference_doc: Path
    sections: list[dict[str, Any]]
    refs: dict[str, dict[str, Any]] = field(default_factory=dict)
    bookmarks: dict[str, str] = field(default_factory=dict)

    def spec(self) -> dict[str, Any]:
        return {
            "id": self.id, "output": str(self.output), "reference_doc": str(self.reference_doc),
            "sections": self.sections, "refs": self.refs,
            "bookmarks": self.bookmarks,
        }


def render_bodies(jobs: list[RenderJob], workdir: Path, root: Path) -> dict[str, str | None]:
    """Run pandoc once for all jobs. Returns job id -> None (ok) or pandoc's error text."""
    if not jobs:
        return {}
    exe = pandoc_path()
    fd, jobs_file = tempfile.mkstemp(suffix=".json", dir=workdir)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump([j.spec() for j in jobs], fh, ensure_ascii=False)
    results_file = Path(jobs_file).with_suffix(".results.json")
    try:
        proc = subprocess.run(
            [exe, "lua", str(LUA), jobs_file, str(results_file)],
            capture_output=True, timeout=TIMEOUT, cwd=root, check=False,
        )
    except FileNotFoundError:
        raise ToolMissing(f"kan ikke starte pandoc ({exe})") from None
    except subprocess.TimeoutExpired:
        raise ToolTimeout(f"pandoc brukte mer enn {TIMEOUT:.0f} sekunder") from None
    stderr = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0 or not results_file.exists():
        raise ToolFailed(f"pandoc feilet (kode {proc.returncode})", stderr)
    results = json.loads(results_file.read_text(encoding="utf-8"))
    return {r["id"]: (None if r["ok"] else r.get("error") or "ukjent feil") for r in results}
