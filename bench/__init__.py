"""Benchmarks (see README.md here). Not timed tests: each script measures against a floor."""

from __future__ import annotations

import compileall
from pathlib import Path


def compile_saksgen() -> None:
    """Compile saksgen's modules as ``kom-i-gang.sh`` does after installing, so the timed
    commands start as an installed saksgen does: with bytecode, also where
    PYTHONDONTWRITEBYTECODE is set (it is on CI and on these machines), which otherwise makes
    every command compile every module it imports again (~0.1 s)."""
    compileall.compile_dir(str(Path(__file__).resolve().parent.parent / "saksgen"), quiet=1)
