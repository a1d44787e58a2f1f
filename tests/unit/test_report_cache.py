"""report.py (counts, plurals, the exit-code rule) and plan/cache.py (journal, resume)."""

from __future__ import annotations

from pathlib import Path

from saksgen.diagnostics import Collector, Location
from saksgen.errors import EXIT_CONTENT, EXIT_OK
from saksgen.plan.cache import CACHE_FILE, JOURNAL_FILE, BuildCache
from saksgen.report import Report, count


def test_count_plurals() -> None:
    assert count(0, "fil", "filer") == "0 filer"
    assert count(1, "fil", "filer") == "1 fil"
    assert count(2, "advarsel", "advarsler") == "2 advarsler"


def test_exit_code_with_and_without_strict() -> None:
    report = Report()
    assert report.exit_code(strict=True) == EXIT_OK
    report.diag.warning(Location("saker/a.yaml", 3, 1), "x", "en advarsel")
    assert report.exit_code(strict=False) == EXIT_OK
    assert report.exit_code(strict=True) == EXIT_CONTENT
    failed = Report(failed=["saker/b.yaml"])
    assert failed.exit_code(strict=False) == EXIT_CONTENT
    errors = Report(diag=Collector())
    errors.diag.error(None, "y", "en feil")
    assert errors.exit_code(strict=False) == EXIT_CONTENT


def test_summaries() -> None:
    report = Report(written=[Path("a.pdf")], skipped=[Path("b"), Path("c")], checked=1)
    report.diag.warning(None, "x", "w")
    assert report.check_summary() == "1 fil kontrollert: 0 feil, 1 advarsel"
    assert report.build_summary() == "saksgen build: 1 fil skrevet, 2 uendret, 0 feil, 1 advarsel"


def test_journal_is_replayed_and_save_compacts(tmp_path: Path) -> None:
    out = tmp_path / "a.pdf"
    out.write_bytes(b"x")
    cache = BuildCache(tmp_path, salt="s")
    cache.record(out, "k1")
    assert (tmp_path / JOURNAL_FILE).exists()
    again = BuildCache(tmp_path, salt="s")
    assert again.fresh([out], "k1")
    assert not again.fresh([out], "k2")
    assert not BuildCache(tmp_path, salt="other").fresh([out], "k1")  # new saksgen: rebuild
    again.save()
    assert not (tmp_path / JOURNAL_FILE).exists() and (tmp_path / CACHE_FILE).exists()
    assert BuildCache(tmp_path, salt="s").fresh([out], "k1")
    out.unlink()
    assert not BuildCache(tmp_path, salt="s").fresh([out], "k1")


def test_resume_after_a_torn_last_line(tmp_path: Path) -> None:
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    a.write_bytes(b"a")
    b.write_bytes(b"b")
    cache = BuildCache(tmp_path, salt="s")
    cache.record(a, "ka")
    with open(tmp_path / JOURNAL_FILE, "a", encoding="utf-8") as fh:
        fh.write('["b.pdf", "12')  # killed while appending
    resumed = BuildCache(tmp_path, salt="s")
    assert resumed.fresh([a], "ka")
    assert not resumed.fresh([b], "kb")
    resumed.record(b, "kb")  # must not glue onto the torn line
    final = BuildCache(tmp_path, salt="s")
    assert final.fresh([a], "ka") and final.fresh([b], "kb")
