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


def invoke(cwd: Path, *args: str) -> Result:
    """Run the CLI in ``cwd`` without pytest's function-scoped monkeypatch (for shared builds)."""
    import os

    old = Path.cwd()
    old_ci = os.environ.get("CI")
    os.chdir(cwd)
    os.environ["CI"] = "true"
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
        if old_ci is None:
            os.environ.pop("CI", None)
        else:
            os.environ["CI"] = old_ci


@pytest.fixture(scope="session")
def built_examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example repository built once (DOCX, PDF, meetings, public set) for many tests."""
    repo = copy_examples(tmp_path_factory.mktemp("built") / "repo")
    result = invoke(repo, "build", "--offentlig")
    assert result.exit_code == 0, result.output + result.stderr
    return repo


def docx_text(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    return "\n".join(p.text for p in d.paragraphs)


def pdf_text(path: Path, *extra: str) -> str:
    import subprocess

    out = subprocess.run(["pdftotext", "-layout", *extra, str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")
