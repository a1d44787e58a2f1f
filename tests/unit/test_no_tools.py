"""The guard in conftest.py itself: starting a forbidden tool fails, others still run."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("program", ["soffice", "/usr/bin/soffice.bin", "pandoc", "gs"])
def test_forbidden_tool_fails_loudly(program: str) -> None:
    with pytest.raises(AssertionError, match="unit test tried to start"):
        subprocess.run([program, "--version"], check=False)


def test_other_programs_still_run() -> None:
    out = subprocess.run([sys.executable, "-c", "print(42)"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "42"
