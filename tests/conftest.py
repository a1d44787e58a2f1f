"""Shared fixtures: a CliRunner that runs saksgen inside a case repository, and repositories
built from the bundled examples."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from saksgen.cli import main

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_DIRS = ("saker", "moter", "figurer", "vedlegg", "maler")


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """``run(cwd, "check", "saker")`` -> click Result, with stdout/stderr separated."""

    def _run(cwd: Path, *args: str) -> Result:
        monkeypatch.chdir(cwd)
        monkeypatch.setenv("CI", "true")
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return _run


def copy_examples(target: Path, *, only: tuple[str, ...] = EXAMPLE_DIRS) -> Path:
    for name in only:
        src = REPO / name
        if src.exists():
            shutil.copytree(src, target / name)
    return target


@pytest.fixture
def example_repo(tmp_path: Path) -> Path:
    """A fresh copy of the bundled example repository."""
    return copy_examples(tmp_path / "repo")


def write_case(repo: Path, name: str, text: str) -> Path:
    path = repo / "saker" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


MINIMAL_CASE = """\
møte: ikt-fagdirektormote
tittel: En enkel testsak
fra: Helse Vest RHF
dato: 2024-03-06
sammendrag: |
  Kort sammendrag.
bakgrunn: |
  Bakgrunnen.
vurdering: |
  Vurderingen.
budsjett: |
  Ingen kostnader.
omdømme: |
  Ingen konsekvenser.
konklusjon:
  - Møtet tar saken til orientering.
"""
