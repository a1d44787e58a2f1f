"""convert.batch: PDFs streamed as LibreOffice writes them, a time limit per document, a hung or
crashed LibreOffice costing only the document it was on, and batches split below LibreOffice's
argument limit.

A fake soffice (a shell script) plays LibreOffice: it "converts" each staged DOCX by copying a
PDF that the real LibreOffice made once, one document after the other like the real one, and can
be told to hang on, crash on or refuse given documents. So these tests are fast and exact.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from saksgen.convert import batch
from saksgen.convert.batch import PdfJob, PdfResult, convert
from saksgen.convert.soffice import MAX_DOCUMENTS, Process
from saksgen.errors import ToolFailed, ToolTimeout
from tests.test_pdf import assert_gone, fake_job, job_for, make_docx, write_script

HAS_LIBREOFFICE = shutil.which("soffice") is not None or shutil.which("libreoffice") is not None


@pytest.fixture(scope="module")
def real_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One PDF made by the real LibreOffice (and finished): what the fake soffice hands out."""
    if not HAS_LIBREOFFICE:
        pytest.skip("LibreOffice er ikke installert")
    root = tmp_path_factory.mktemp("ekte")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(root / "cache"))
        job = job_for(make_docx(root / "sak.docx", "Økonomi"), root / "sak.pdf", 1)
        [result] = convert([job])
    assert result.error is None, result.error
    return job.target


class Fake:
    """A fake soffice. ``control`` holds marker files: hang-0002 makes it hang on the third
    staged document, crash-0001 makes it die on the second, refuse-0003 skips the fourth with
    LibreOffice's load error. Every conversion process logs its pid to ``pids``."""

    def __init__(self, root: Path, pdf: Path, delay: float = 0.05) -> None:
        self.control = root / "styring"
        self.control.mkdir()
        self.pids = root / "pids"
        self.script = write_script(
            root / "fake-soffice",
            f"""\
case "$*" in *--convert-to*) ;; *) exit 1;; esac
echo $$ >> "{self.pids}"
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --outdir) out="$2"; shift 2; continue;;
    -*) shift; continue;;
  esac
  if [ -n "$out" ]; then
    stem=$(basename "$1" .docx)
    [ -e "{self.control}/hang-$stem" ] && sleep 600
    if [ -e "{self.control}/crash-$stem" ]; then echo "kaboom i $stem" >&2; exit 139; fi
    if [ -e "{self.control}/refuse-$stem" ]; then
      echo "Error: source file could not be loaded" >&2
    else
      cp "{pdf}" "$out/$stem.pdf"
      sleep {delay}
    fi
  fi
  shift
done""",
        )

    def mark(self, kind: str, index: int) -> None:
        (self.control / f"{kind}-{index:04d}").touch()

    def starts(self) -> list[int]:
        return [int(p) for p in self.pids.read_text().split()] if self.pids.exists() else []


@pytest.fixture
def fake(tmp_path: Path, real_pdf: Path, monkeypatch: pytest.MonkeyPatch) -> Fake:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    return Fake(tmp_path, real_pdf)


def jobs_in(root: Path, n: int) -> list[PdfJob]:
    return [fake_job(root, i) for i in range(n)]


def run_convert(fake: Fake, jobs: list[PdfJob], **kwargs: object) -> tuple[list[PdfResult], float]:
    start = time.monotonic()
    results = convert(jobs, soffice=str(fake.script), **kwargs)  # type: ignore[arg-type]
    elapsed = time.monotonic() - start
    for pid in fake.starts():
        assert_gone(pid)
    assert list((fake.control.parent / "tmp").iterdir()) == []
    return results, elapsed


def test_each_pdf_is_written_and_reported_while_libreoffice_still_works(
    tmp_path: Path, real_pdf: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    slow = Fake(tmp_path, real_pdf, delay=0.6)
    jobs = jobs_in(tmp_path, 4)
    seen: list[tuple[int, bool, bool]] = []

    def on_result(result: PdfResult) -> None:
        n = jobs.index(result.job)
        seen.append((n, result.job.target.is_file(), jobs[-1].target.exists()))

    results = convert(jobs, soffice=str(slow.script), shards=1, on_result=on_result)
    assert [r.error for r in results] == [None] * 4
    assert [n for n, _, _ in seen] == [0, 1, 2, 3]  # in LibreOffice's order, one by one
    assert all(written for _, written, _ in seen)  # reported only once on disk
    assert not seen[0][2]  # the first was reported before LibreOffice had made the last
    assert len(slow.starts()) == 1


def test_a_hung_document_costs_only_itself(fake: Fake) -> None:
    jobs = jobs_in(fake.control.parent, 6)
    fake.mark("hang", 2)
    results, elapsed = run_convert(fake, jobs, timeout=1.5, shards=1)
    assert isinstance(results[2].error, ToolTimeout), results[2].error
    assert "saker/sak2.yaml" in results[2].error.message and "1.5 sekunder" in results[2].error.message
    assert [r.error for n, r in enumerate(results) if n != 2] == [None] * 5
    assert all(j.target.is_file() for n, j in enumerate(jobs) if n != 2)
    assert not jobs[2].target.exists()
    assert len(fake.starts()) == 2  # the rest went on in a fresh process
    assert elapsed < 1.5 + 10


def test_a_libreoffice_that_hangs_on_everything_is_given_up_on(fake: Fake) -> None:
    jobs = jobs_in(fake.control.parent, 8)
    for n in range(8):
        fake.mark("hang", n)
    results, elapsed = run_convert(fake, jobs, timeout=1.0, shards=1)
    assert all(isinstance(r.error, ToolTimeout) for r in results)
    assert "ikke forsøkt" in str(results[-1].error and results[-1].error.message)
    assert len(fake.starts()) == 2 and elapsed < 2 * 1.0 + 8  # not 8 limits


def test_the_limit_is_per_document_not_per_process(fake: Fake) -> None:
    """Twelve documents of 0.3 s each take 3.6 s in one process: far over a 2 s limit for the
    process, well within it for each document."""
    fake.script.write_text(fake.script.read_text().replace("sleep 0.05", "sleep 0.3"))
    jobs = jobs_in(fake.control.parent, 12)
    results, elapsed = run_convert(fake, jobs, timeout=2.0, shards=1)
    assert [r.error for r in results] == [None] * 12
    assert elapsed > 3.0 and len(fake.starts()) == 1


def test_a_crash_costs_only_the_document_it_was_on(fake: Fake) -> None:
    jobs = jobs_in(fake.control.parent, 5)
    fake.mark("crash", 1)
    results, _ = run_convert(fake, jobs, shards=1)
    bad = results[1].error
    assert isinstance(bad, ToolFailed) and not isinstance(bad, ToolTimeout), bad
    assert "saker/sak1.yaml" in bad.message and "kaboom i 0001" in bad.stderr
    assert [r.error for n, r in enumerate(results) if n != 1] == [None] * 4
    # 1st process: 0 done, dies on 1. 2nd: 2, 3, 4 and then 1 (last: the suspect), dies again.
    assert len(fake.starts()) == 2


def test_a_crash_that_does_not_repeat_loses_nothing(fake: Fake) -> None:
    jobs = jobs_in(fake.control.parent, 4)
    marker = fake.control / "crash-0002"
    marker.touch()
    script = fake.script.read_text().replace(
        'echo "kaboom i $stem" >&2; exit 139;', f'rm "{marker}"; exit 139;'
    )
    fake.script.write_text(script)
    results, _ = run_convert(fake, jobs, shards=1)
    assert [r.error for r in results] == [None] * 4
    assert len(fake.starts()) == 2


def test_refused_document_is_tried_once_more_then_fails(fake: Fake) -> None:
    jobs = jobs_in(fake.control.parent, 4)
    fake.mark("refuse", 3)
    results, _ = run_convert(fake, jobs, shards=1)
    assert isinstance(results[3].error, ToolFailed)
    assert "could not be loaded" in results[3].error.stderr
    assert [r.error for r in results[:3]] == [None] * 3
    assert len(fake.starts()) == 2


def test_two_shards_with_a_hang_and_a_crash(fake: Fake) -> None:
    jobs = jobs_in(fake.control.parent, 10)
    fake.mark("hang", 4)
    fake.mark("crash", 7)
    results, _ = run_convert(fake, jobs, timeout=1.5, shards=2)
    assert isinstance(results[4].error, ToolTimeout)
    assert isinstance(results[7].error, ToolFailed) and not isinstance(results[7].error, ToolTimeout)
    assert [r.error for n, r in enumerate(results) if n not in (4, 7)] == [None] * 8


def test_long_batches_are_split_below_libreoffices_argument_limit(
    fake: Fake, monkeypatch: pytest.MonkeyPatch
) -> None:
    """LibreOffice ignores arguments after the 253rd without a word; batches must be cut."""
    items = [batch._Item(i, fake_job(fake.control.parent, 0), Path(f"{i}.docx")) for i in range(1000)]
    chunks = batch._chunks(items, 2)
    assert all(len(c) <= batch.CHUNK <= MAX_DOCUMENTS for c in chunks)
    assert len(chunks) % 2 == 0
    assert sorted(i.index for c in chunks for i in c) == list(range(1000))
    with pytest.raises(ValueError):
        Process(str(fake.script), None, fake.control.parent / "p", [Path("x.docx")] * (MAX_DOCUMENTS + 1))

    monkeypatch.setattr(batch, "CHUNK", 3)
    jobs = jobs_in(fake.control.parent, 10)
    results, _ = run_convert(fake, jobs, shards=2)
    assert [r.error for r in results] == [None] * 10
    assert len(fake.starts()) == 4  # chunks of 3, 3, 2, 2, taken in turn by two shards


def test_ctrl_c_while_streaming_keeps_finished_pdfs(fake: Fake) -> None:
    jobs = jobs_in(fake.control.parent, 5)
    fake.mark("hang", 3)
    done: list[int] = []

    def on_result(result: PdfResult) -> None:
        done.append(jobs.index(result.job))
        if len(done) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        convert(jobs, soffice=str(fake.script), shards=1, on_result=on_result)
    assert done == [0, 1, 2]
    assert [j.target.is_file() for j in jobs] == [True, True, True, False, False]
    assert fake.starts()  # a process was started, so the loop below checks it is gone
    for pid in fake.starts():
        assert_gone(pid)
    assert list((fake.control.parent / "tmp").iterdir()) == []
