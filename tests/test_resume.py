"""Progress survives an interruption (DESIGN.md §11): every output is recorded in the cache the
moment it is written, so a build stopped by Ctrl+C, SIGTERM or kill -9 rebuilds only what it had
not finished; and a PDF that failed (an agenda's too) never causes an internal error later."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pikepdf
import pytest
from click.testing import Result

import saksgen.convert.batch
from saksgen.convert.jobs import PdfJob
from saksgen.errors import ToolFailed
from saksgen.plan.cache import CACHE_FILE, JOURNAL_FILE, BuildCache
from tests.conftest import MINIMAL_CASE, write_case

HAS_SOFFICE = shutil.which("soffice") is not None or shutil.which("libreoffice") is not None
needs_soffice = pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice er ikke installert")
SUMMARY = re.compile(r"saksgen build: (\d+) filer? skrevet(?:, (\d+) uendret)?")


def summary(stderr: str) -> tuple[int, int]:
    """(files written, outputs unchanged) from the build's last line."""
    found = SUMMARY.search(stderr)
    assert found, stderr
    return int(found.group(1)), int(found.group(2) or 0)


# --- the cache journal ------------------------------------------------------------------------


def test_each_record_is_kept_without_save(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path, salt="s")
    (tmp_path / "a.pdf").write_bytes(b"a")
    cache.record(tmp_path / "a.pdf", "k1")
    # A new process (the build was killed before save) sees it.
    assert BuildCache(tmp_path, salt="s").fresh([tmp_path / "a.pdf"], "k1")
    assert not BuildCache(tmp_path, salt="anders").fresh([tmp_path / "a.pdf"], "k1")


def test_a_torn_last_line_costs_only_that_output(tmp_path: Path) -> None:
    for name in ("a.pdf", "b.pdf", "c.pdf"):
        (tmp_path / name).write_bytes(b"x")
    cache = BuildCache(tmp_path, salt="s")
    cache.record(tmp_path / "a.pdf", "ka")
    cache.record(tmp_path / "b.pdf", "kb")
    journal = tmp_path / JOURNAL_FILE
    journal.write_bytes(journal.read_bytes()[:-9])  # killed in the middle of writing b's line
    again = BuildCache(tmp_path, salt="s")
    assert again.fresh([tmp_path / "a.pdf"], "ka")
    assert not again.fresh([tmp_path / "b.pdf"], "kb")
    again.record(tmp_path / "c.pdf", "kc")  # appended after the torn line, not glued to it
    third = BuildCache(tmp_path, salt="s")
    assert third.fresh([tmp_path / "a.pdf"], "ka") and third.fresh([tmp_path / "c.pdf"], "kc")


def test_save_compacts_the_journal(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"a")
    cache = BuildCache(tmp_path, salt="s")
    cache.record(tmp_path / "a.pdf", "k1")
    cache.save()
    assert not (tmp_path / JOURNAL_FILE).exists()
    assert list(json.loads((tmp_path / CACHE_FILE).read_text(encoding="utf-8"))) == ["a.pdf"]
    assert BuildCache(tmp_path, salt="s").fresh([tmp_path / "a.pdf"], "k1")


def test_garbage_journal_is_ignored(tmp_path: Path) -> None:
    (tmp_path / JOURNAL_FILE).write_bytes(b'\xff\xfe{{{\n[1, 2]\n"x"\n')
    assert BuildCache(tmp_path).keys == {}


# --- a failed agenda PDF ----------------------------------------------------------------------


def meeting_repo(root: Path, n: int) -> Path:
    for i in range(1, n + 1):
        write_case(root, f"sak-{i:02d}.yaml", MINIMAL_CASE.replace("En enkel testsak", f"Testsak {i}"))
    (root / "moter").mkdir()
    items = ", ".join(f"sak-{i:02d}" for i in range(1, n + 1))
    (root / "moter" / "mote.yaml").write_text(
        f"møte: ikt-fagdirektormote\ndato: 2024-06-12\nsaker: [{items}]\n", encoding="utf-8"
    )
    return root


def fail_agenda(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, the agenda's PDF fails as if LibreOffice had made no PDF/A of it."""
    real = saksgen.convert.batch.finish

    def finish(data: bytes, job: PdfJob) -> bytes:
        if job.subject == "Sakliste":
            raise ToolFailed(f"LibreOffice laget ikke PDF/A-2b for {job.label} (prøve)")
        return real(data, job)

    monkeypatch.setattr(saksgen.convert.batch, "finish", finish)


@needs_soffice
def test_a_failed_agenda_leaves_the_pack_out_with_a_located_error(
    tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = meeting_repo(tmp_path / "repo", 2)
    fail_agenda(monkeypatch)
    result = run(repo, "build", "moter/mote.yaml")
    err = result.stderr
    assert result.exit_code == 1, err
    assert "intern feil" not in err and "Traceback" not in err, err
    assert "moter/mote.yaml:1:1: feil: LibreOffice laget ikke PDF/A-2b" in err and "[pdf-feilet]" in err
    assert "mote/saksdokumenter.pdf er ikke laget fordi sakslisten ikke ble laget" in err, err
    folder = repo / "output" / "mote"
    assert not (folder / "saksdokumenter.pdf").exists() and not (folder / "sakliste.pdf").exists()
    assert (folder / "03-sak-01.pdf").exists() and (folder / "04-sak-02.pdf").exists()

    partial = run(repo, "build", "moter/mote.yaml", "--ufullstendig-pakke")
    assert partial.exit_code == 1 and "intern feil" not in partial.stderr, partial.stderr
    with pikepdf.open(folder / "saksdokumenter.pdf") as pdf, pdf.open_outline() as outline:
        titles = [item.title for item in outline.root]
    assert titles == ["Sak 03/24 Testsak 1", "Sak 04/24 Testsak 2"]  # no agenda, no error


@needs_soffice
def test_a_stale_agenda_is_not_packed_after_its_rebuild_failed(
    tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = meeting_repo(tmp_path / "repo", 2)
    assert run(repo, "build", "moter/mote.yaml").exit_code == 0
    folder = repo / "output" / "mote"
    pack = (folder / "saksdokumenter.pdf").read_bytes()
    meeting = repo / "moter" / "mote.yaml"
    meeting.write_text(meeting.read_text(encoding="utf-8") + "sted: Bodø\n", encoding="utf-8")
    fail_agenda(monkeypatch)
    result = run(repo, "build", "moter/mote.yaml")
    assert result.exit_code == 1 and "sakslisten ikke ble laget" in result.stderr, result.stderr
    assert (folder / "saksdokumenter.pdf").read_bytes() == pack  # the earlier good pack stays


# --- SIGTERM ----------------------------------------------------------------------------------


def test_sigterm_ends_a_build_like_ctrl_c(
    tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = meeting_repo(tmp_path / "repo", 1)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))

    def terminated(*args: object, **kwargs: object) -> None:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler raises long before this ends
        raise AssertionError("SIGTERM kom ikke fram")

    monkeypatch.setattr("saksgen.render.papers.render_template", terminated)
    before = signal.getsignal(signal.SIGTERM)
    result = run(repo, "build", "saker/sak-01.yaml")
    assert result.exit_code == 1
    assert "stoppet (SIGTERM)" in result.stderr and "[avbrutt]" in result.stderr, result.stderr
    assert not list(tmp_path.glob("saksgen-*"))
    assert signal.getsignal(signal.SIGTERM) == before  # the handler is the build's only


# --- an interrupted real build resumes --------------------------------------------------------


def libreoffices_under(folder: Path) -> list[int]:
    """soffice processes whose command line names ``folder`` (their work folder is in it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"soffice" in cmdline and str(folder).encode() in cmdline:
            found.append(int(entry.name))
    return found


@pytest.fixture(scope="module")
def lo_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("lo-cache")


@pytest.fixture
def started_build(tmp_path: Path, lo_cache: Path) -> Iterator[tuple[Path, Path, subprocess.Popen[bytes]]]:
    repo = meeting_repo(tmp_path / "repo", 20)
    work = tmp_path / "tmp"
    work.mkdir()
    env = {**os.environ, "CI": "true", "TMPDIR": str(work), "XDG_CACHE_HOME": str(lo_cache)}
    env.pop("SAKSGEN_SOFFICE", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "saksgen", "build", "moter/mote.yaml"],
        cwd=repo,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # A suite started in the background (`.ci/run &`) has SIGINT ignored, and a child that
        # inherits SIG_IGN never installs Python's Ctrl+C handler: give it the default back.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        yield repo, work, proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
        for pid in libreoffices_under(work):  # orphans of a kill -9: ours, by pid
            os.kill(pid, signal.SIGKILL)


@needs_soffice
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill-9"])
def test_interrupted_build_rebuilds_only_what_it_had_not_finished(
    started_build: tuple[Path, Path, subprocess.Popen[bytes]], run: Callable[..., Result], sig: signal.Signals
) -> None:
    repo, work, proc = started_build
    folder = repo / "output" / "mote"
    deadline = time.monotonic() + 120
    while len(list(folder.glob("[0-9]*.pdf"))) < 3:  # a few papers done, most still to do
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.005)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    finished = {p.name for p in folder.glob("*.pdf")}
    # Each DOCX is written as pandoc finishes it and its PDF made right after, so some papers
    # may not have their DOCX yet either.
    missing_docx = 21 - len(list(folder.glob("*.docx")))
    total = 21  # 20 papers and the agenda
    assert "saksdokumenter.pdf" not in finished and len(finished) < total, finished
    if sig == signal.SIGINT:
        assert proc.returncode == 1 and "avbrutt" in err.decode(), err.decode()
        assert "Traceback" not in err.decode()
        assert not libreoffices_under(work) and not list(work.iterdir())
    assert not [p for p in repo.rglob(".saksgen-tmp-*")]

    again = run(repo, "build", "moter/mote.yaml")
    assert again.exit_code == 0, again.stderr
    written, unchanged = summary(again.stderr)
    if sig == signal.SIGINT:
        # Writing a PDF and recording it is one step for Ctrl+C: exactly the unfinished ones.
        assert unchanged == len(finished), again.stderr
    else:
        # kill -9 can land between the rename and the cache record: that one PDF is rebuilt.
        assert len(finished) - 1 <= unchanged <= len(finished), again.stderr
    # + the DOCX not written yet, the pack and arkiv.json; no DOCX written twice (kill -9 can
    # again land between the rename of one file and its record)
    expected = (total - unchanged) + missing_docx + 2
    if sig == signal.SIGINT:
        assert written == expected, again.stderr
    else:
        assert expected <= written <= expected + 1, again.stderr
    assert summary(run(repo, "build", "moter/mote.yaml").stderr) == (0, total + 2)
