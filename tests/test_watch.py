"""``saksgen build --overvåk`` in a real subprocess with the real LibreOffice: rebuilt PDFs are
byte-identical to a normal build's, faults while watching leave the watch running, Ctrl+C exits 0
and leaves no LibreOffice behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import copy_examples

CASE = "saker/kurve-status.yaml"
PDF = "output/kurve-status.pdf"


class Watch:
    def __init__(self, repo: Path) -> None:
        self.repo = repo
        self.log = repo.parent / "watch.log"
        exe = Path(sys.executable).with_name("saksgen")
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [str(exe), "build", "--overvåk", CASE],
                cwd=repo,
                stdout=subprocess.DEVNULL,
                stderr=log,
                env={**os.environ, "CI": "true"},
            )

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, what: Callable[[], bool], seconds: float = 60) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if what():
                return
            assert self.proc.poll() is None, self.text()
            time.sleep(0.05)
        raise AssertionError(f"timed out; log:\n{self.text()}")

    def lines(self) -> int:
        return self.text().count("\n[")

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        return self.proc.wait(timeout=30)


def _soffice_children(pid: int) -> list[int]:
    """soffice.bin processes started by ``pid`` (their worker is in its own session)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if (
            "soffice" in stat
            and " Z " not in stat
            and f"saksgen-{pid}-".encode() in (entry / "cmdline").read_bytes() + environ
        ):
            found.append(int(entry.name))
    return found


@pytest.fixture
def watch(tmp_path: Path) -> Iterator[Watch]:
    repo = copy_examples(tmp_path / "repo")
    w = Watch(repo)
    try:
        w.wait_for(lambda: "overvåker endringer" in w.text())
        yield w
    finally:
        if w.proc.poll() is None:
            w.proc.kill()
            w.proc.wait()


def _normal_build(repo: Path, tmp_path: Path) -> bytes:
    other = tmp_path / "normal"
    shutil.copytree(repo, other, ignore=shutil.ignore_patterns("output"))
    exe = Path(sys.executable).with_name("saksgen")
    subprocess.run([str(exe), "build", CASE], cwd=other, check=True, capture_output=True)
    return (other / PDF).read_bytes()


def _edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_edit_yaml_error_fix_lock_file_kill_and_ctrl_c(watch: Watch, tmp_path: Path) -> None:
    repo = watch.repo
    case = repo / CASE
    first = (repo / PDF).read_bytes()
    # an edit: a new PDF, byte-identical to a normal build of the edited case
    n = watch.lines()
    _edit(case, "tittel: ", "tittel: Endret ")
    watch.wait_for(lambda: watch.lines() > n and (repo / PDF).read_bytes() != first)
    edited = (repo / PDF).read_bytes()
    assert edited == _normal_build(repo, tmp_path)
    # half-written save: located error, the watch goes on, the last PDF stays
    good = case.read_text(encoding="utf-8")
    n = watch.lines()
    case.write_text(good + "tittel: [\n", encoding="utf-8")
    watch.wait_for(lambda: watch.lines() > n)
    assert f"{CASE}:" in watch.text() and "[yaml-syntaks]" in watch.text()
    assert (repo / PDF).read_bytes() == edited
    # deleted and recreated (how some editors save): rebuilt
    n = watch.lines()
    case.unlink()
    time.sleep(0.3)
    case.write_text(good.replace("tittel: Endret ", "tittel: Igjen "), encoding="utf-8")
    watch.wait_for(lambda: watch.lines() > n and (repo / PDF).read_bytes() != edited)
    again = (repo / PDF).read_bytes()
    # a template open in Word: its lock file starts no rebuild and does not disturb the cache
    template = repo / "maler" / "styringsgruppe" / "mal.docx"
    assert template.is_file()  # the examples' own template: this step always runs
    n = watch.lines()
    (template.parent / "~$mal.docx").write_bytes(b"\x00lock")
    time.sleep(1.5)
    assert watch.lines() == n, watch.text()
    # LibreOffice killed while idle: replaced, the next rebuild succeeds
    office = _soffice_children(watch.proc.pid)
    assert office, "no kept LibreOffice found"
    for pid in office:
        os.kill(pid, signal.SIGKILL)
    time.sleep(1.0)
    n = watch.lines()
    _edit(case, "tittel: Igjen ", "tittel: Tredje ")
    watch.wait_for(lambda: watch.lines() > n and (repo / PDF).read_bytes() != again)
    assert "feil" not in watch.text().splitlines()[-1], watch.text()
    # Ctrl+C: exit 0, no LibreOffice left
    assert watch.stop() == 0, watch.text()
    time.sleep(0.5)
    assert _soffice_children(watch.proc.pid) == []
