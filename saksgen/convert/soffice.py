"""DOCX -> PDF/A-2b with LibreOffice, in as few LibreOffice starts as possible.

Starting LibreOffice costs about a second on the reference machine (2 cores, LibreOffice 7.4);
converting one more simple case paper inside an already running process costs about 65 ms. So the
whole build is converted by ONE ``soffice --convert-to`` process, or by two processes ("shards")
when the batch is large enough for the second core to pay for the second start-up.

Every LibreOffice process gets its own profile directory (``-env:UserInstallation``): two
LibreOffice processes sharing a profile would hand their work to each other or refuse to start,
and other people may run LibreOffice on the same machine. The profile is a copy of a cached,
pre-initialised template, which is measurably faster than an empty profile and keeps every run
independent of what earlier runs wrote into their profiles.

The PDFs LibreOffice writes are made reproducible by ``convert.finish`` and written atomically.

Measurements (Debian 12, 2 cores, LibreOffice 7.4.7, simple 1-page DOCX files; medians):

* profile strategies, one document:  empty new profile 1.23 s; copy of a cached template 1.07 s
  (the copy itself takes ~15 ms); reusing one profile directory 1.12 s (not isolated).
* per-document cost inside one process: ~65 ms; start-up: ~1.0 s.
* one vs two shards:  4 docs 1.25 / 1.30 s, 6 docs 1.56 / 1.54 s, 8 docs 1.67 / 1.54 s,
  12 docs 2.11 / 1.72 s, 20 docs 2.35 / 1.87 s, 40 docs 3.93 / 2.77 s.
  Break-even is around 6 documents; from 8 on two shards win clearly (``SHARD_THRESHOLD``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from saksgen.convert.finish import finish
from saksgen.convert.jobs import PdfJob, PdfResult
from saksgen.errors import SaksgenError, ToolFailed, ToolMissing, ToolTimeout
from saksgen.write import write_bytes

__all__ = ["SHARD_THRESHOLD", "SOFFICE_ENV", "PdfJob", "PdfResult", "convert", "find_soffice"]

SOFFICE_ENV = "SAKSGEN_SOFFICE"

# Batches of at least this many documents are split over two LibreOffice processes when the
# machine has at least two CPUs. Measured break-even is ~6 documents (see the module docstring);
# 8 leaves a margin for machine noise, since a second start-up that does not pay off costs ~0.1 s.
SHARD_THRESHOLD = 8
MAX_SHARDS = 2  # DESIGN.md §9: LibreOffice is started at most once or twice per build.

INSTALL_HINT = (
    "Installer LibreOffice med «sudo apt-get install libreoffice-writer-nogui» (se README), "
    f"eller oppgi stien til soffice i miljøvariabelen {SOFFICE_ENV}."
)

# Force the DOCX import filter. Without it LibreOffice's type detection falls back to the plain
# text filter for a damaged file and happily "converts" the garbage into a PDF.
IMPORT_FILTER = "MS Word 2007 XML"

# PDF export options in LibreOffice's JSON filter-option syntax (supported since 7.4). Names and
# types are those of org.openoffice.Office.Common/Filter/PDF/Export in LibreOffice 7.4's main.xcd.
_EXPORT_OPTIONS: dict[str, tuple[str, str]] = {
    "SelectPdfVersion": ("long", "2"),  # 2 = PDF/A-2b
    "UseTaggedPDF": ("boolean", "true"),  # structure tree, /MarkInfo, /Lang
    "ExportBookmarks": ("boolean", "true"),  # outline from the headings
    "OpenBookmarkLevels": ("long", "-1"),  # all levels open
    "DisplayPDFDocumentTitle": ("boolean", "true"),  # /ViewerPreferences /DisplayDocTitle
    "ExportNotes": ("boolean", "false"),  # Word comments never belong in a case paper PDF
    "ExportFormFields": ("boolean", "false"),
    "ReduceImageResolution": ("boolean", "false"),  # keep figures as the author made them
    "UseLosslessCompression": ("boolean", "true"),  # charts and screenshots stay sharp
    # A relative link in the DOCX (the agenda's "43-sak.pdf") stays relative. Without this
    # LibreOffice resolves it against the staged copy and writes file:///tmp/saksgen-pdf-xyz/...:
    # a dead link, and different bytes on every run.
    "ExportLinksRelativeFsys": ("boolean", "true"),
}
EXPORT_FILTER = "pdf:writer_pdf_Export:" + json.dumps(
    {name: {"type": t, "value": v} for name, (t, v) in _EXPORT_OPTIONS.items()},
    separators=(",", ":"),
)

# --------------------------------------------------------------------------------------------
# Locating LibreOffice


def find_soffice(explicit: str | None = None) -> str:
    """Return the soffice executable to use, or raise ToolMissing.

    An explicitly named program (argument or environment variable) is never silently replaced by
    another one: if the user pointed at a LibreOffice, a typo there must be reported.
    """
    if explicit:
        return _check_executable(explicit, f"LibreOffice-programmet «{explicit}» finnes ikke.")
    from_env = os.environ.get(SOFFICE_ENV)
    if from_env:
        return _check_executable(
            from_env, f"{SOFFICE_ENV} peker på «{from_env}», som ikke finnes eller ikke kan kjøres."
        )
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    candidates = [Path("/usr/bin/soffice"), *sorted(Path("/opt").glob("libreoffice*/program/soffice"))]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    raise ToolMissing(f"fant ikke LibreOffice (soffice), som trengs for å lage PDF. {INSTALL_HINT}")


def _check_executable(program: str, message: str) -> str:
    path = Path(program)
    if path.is_file() and os.access(path, os.X_OK):
        return str(path)
    found = shutil.which(program)  # a bare command name like "soffice"
    if found:
        return found
    raise ToolMissing(f"{message} {INSTALL_HINT}")


# --------------------------------------------------------------------------------------------
# Profile template


def _cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "saksgen"


def _profile_template(soffice: str, timeout: float) -> Path | None:
    """A pre-initialised LibreOffice profile, created once per LibreOffice installation.

    Keyed by the resolved soffice path and its modification time, so an upgraded LibreOffice gets
    a fresh template. Built in a temporary directory and renamed into place, so concurrent first
    runs never see a half-built template. Returns None (use an empty profile: ~0.15 s slower, still
    correct) when the cache cannot be created.
    """
    real = Path(soffice).resolve()
    try:
        stamp = f"{real}:{real.stat().st_mtime_ns}"
    except OSError:
        stamp = str(real)
    key = hashlib.sha256(stamp.encode()).hexdigest()[:16]
    root = _cache_root()
    template = root / f"lo-profil-{key}"
    if (template / "user").is_dir():
        return template
    try:
        root.mkdir(parents=True, exist_ok=True)
        build = Path(tempfile.mkdtemp(prefix=".lo-profil-", dir=root))
    except OSError:
        return None
    proc: subprocess.Popen[bytes] | None = None
    try:
        proc = subprocess.Popen(
            [soffice, f"-env:UserInstallation={build.as_uri()}", "--headless", "--norestore",
             "--nolockcheck", "--terminate_after_init"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        returncode = proc.wait(timeout=min(timeout, 60.0))
        if returncode != 0 or not (build / "user").is_dir():
            return None
        for lock in build.rglob(".lock"):
            lock.unlink()
        try:
            build.rename(template)
        except OSError:
            pass  # another run won the race; its template is just as good
        return template if (template / "user").is_dir() else None
    except (OSError, subprocess.SubprocessError):
        return None
    finally:
        # Also on timeout and Ctrl+C: never leave a LibreOffice behind.
        if proc is not None and proc.returncode is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        shutil.rmtree(build, ignore_errors=True)


def _make_profile(template: Path | None, dest: Path) -> Path:
    if template is not None:
        try:
            shutil.copytree(template, dest, ignore=shutil.ignore_patterns(".lock"), symlinks=True)
            return dest
        except OSError:
            shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir()
    return dest


# --------------------------------------------------------------------------------------------
# Running LibreOffice


@dataclass
class _Staged:
    index: int
    job: PdfJob
    source: Path  # staged copy: <shard>/in/<index>.docx, so output names never collide
    output: Path  # where LibreOffice will write: <shard>/out/<index>.pdf


@dataclass
class _Run:
    """One LibreOffice process converting a list of staged documents."""

    items: list[_Staged]
    root: Path
    proc: subprocess.Popen[bytes] | None = None
    stdout: Path = field(init=False)
    stderr: Path = field(init=False)
    started: float = 0.0

    def __post_init__(self) -> None:
        self.stdout = self.root / "stdout.txt"
        self.stderr = self.root / "stderr.txt"

    def stderr_text(self) -> str:
        """LibreOffice's diagnostics, without the harmless javaldx start-up warning."""
        try:
            text = self.stderr.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(line for line in text.splitlines() if "javaldx" not in line)


def _start(run: _Run, soffice: str, template: Path | None) -> None:
    profile = _make_profile(template, run.root / "profil")
    outdir = run.root / "out"
    outdir.mkdir(exist_ok=True)
    cmd = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless", "--norestore", "--nolockcheck", "--nologo", "--nodefault",
        f"--infilter={IMPORT_FILTER}",
        "--convert-to", EXPORT_FILTER,
        "--outdir", str(outdir),
        *[str(item.source) for item in run.items],
    ]
    with open(run.stdout, "wb") as out, open(run.stderr, "wb") as err:
        try:
            # A new session makes LibreOffice (a shell script that starts soffice.bin) the leader
            # of its own process group, so a timeout or Ctrl+C can kill all of it at once.
            run.proc = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True
            )
        except OSError as exc:
            raise ToolMissing(
                f"kan ikke starte LibreOffice ({soffice}): {exc.strerror or exc}. {INSTALL_HINT}"
            ) from None
    run.started = time.monotonic()


def _kill(run: _Run) -> None:
    """SIGKILL the run's whole process group and reap the leader.

    Also called after a normal exit: soffice (oosplash) normally takes soffice.bin with it, but a
    crashed wrapper could leave it orphaned in the group. LibreOffice gets no chance to clean up,
    which is fine: everything it owns lives in our temporary directory.
    """
    proc = run.proc
    if proc is None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)


def _wait_all(runs: list[_Run], timeout: float) -> list[_Run]:
    """Wait for every run; return those that hit the timeout (already killed)."""
    timed_out: list[_Run] = []
    pending = [r for r in runs if r.proc is not None]
    while pending:
        for run in list(pending):
            assert run.proc is not None
            if run.proc.poll() is not None:
                pending.remove(run)
                # soffice.bin normally exits with its wrapper; make sure no orphan survives.
                _kill(run)
            elif time.monotonic() - run.started > timeout:
                _kill(run)
                pending.remove(run)
                timed_out.append(run)
        if pending:
            time.sleep(0.02)
    return timed_out


def _pdf_complete(path: Path) -> bool:
    """True if LibreOffice finished writing ``path`` (a killed export leaves a truncated file)."""
    try:
        if path.stat().st_size < 64:
            return False
        with open(path, "rb") as fh:
            fh.seek(-64, os.SEEK_END)
            return b"%%EOF" in fh.read()
    except OSError:
        return False


# --------------------------------------------------------------------------------------------
# Public entry point


def _auto_shards(n: int) -> int:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return MAX_SHARDS if n >= SHARD_THRESHOLD and cpus >= 2 else 1


def convert(
    jobs: Sequence[PdfJob],
    *,
    timeout: float = 120.0,
    shards: int | None = None,
    soffice: str | None = None,
) -> list[PdfResult]:
    """Convert all DOCX files with as few LibreOffice starts as possible.

    Returns one result per job, in order. Failures are reported per job (ToolMissing, ToolFailed,
    ToolTimeout, OutputError), so one bad case never hides the others; only KeyboardInterrupt is
    raised, after LibreOffice has been killed and temporary files removed. A failed job never
    touches its existing target. ``timeout`` applies to each LibreOffice process.
    """
    results = [PdfResult(job, None) for job in jobs]
    if not jobs:
        return results
    try:
        program = find_soffice(soffice)
    except ToolMissing as exc:
        for result in results:
            result.error = exc
        return results

    with _workdir() as work:
        staged: list[_Staged] = []
        for index, job in enumerate(jobs):
            error = _precheck(job)
            if error is not None:
                results[index].error = error
            else:
                staged.append(_Staged(index, job, Path(), Path()))
        if not staged:
            return results

        n_shards = shards if shards is not None else _auto_shards(len(staged))
        n_shards = max(1, min(n_shards, len(staged)))
        template = _profile_template(program, timeout)

        # Round-robin keeps the shards about equally long for similar documents.
        groups = [staged[i::n_shards] for i in range(n_shards)]
        runs = [_prepare_run(work / f"del{i}", group) for i, group in enumerate(groups)]
        pending = _execute(runs, program, template, timeout, results)

        if pending:
            # A crash or a document LibreOffice could not load. Retry what is left once, in a
            # fresh process and profile, with the documents where each run stopped (the likely
            # poison) last, so a second crash cannot take the innocent ones down with it.
            suspects = [items[0] for items in pending]
            rest = [item for items in pending for item in items[1:]]
            retry = _prepare_run(work / "nytt-forsok", rest + suspects)
            still = _execute([retry], program, template, timeout, results)
            stderr = retry.stderr_text()
            for items in still:
                for item in items:
                    results[item.index].error = ToolFailed(
                        f"LibreOffice klarte ikke å lage PDF av saken {item.job.label} "
                        f"({item.job.docx.name}).",
                        stderr=stderr,
                    )
    return results


def _precheck(job: PdfJob) -> SaksgenError | None:
    """Catch what needs no LibreOffice start: a missing or obviously non-DOCX input."""
    if not job.docx.is_file():
        return ToolFailed(f"finner ikke DOCX-filen {job.docx} for saken {job.label}.")
    if not zipfile.is_zipfile(job.docx):
        return ToolFailed(
            f"DOCX-filen {job.docx} for saken {job.label} er skadet (ikke et gyldig DOCX-arkiv)."
        )
    return None


def _prepare_run(root: Path, items: list[_Staged]) -> _Run:
    (root / "in").mkdir(parents=True)
    (root / "out").mkdir()
    staged = []
    for item in items:
        source = root / "in" / f"{item.index:04d}.docx"
        try:
            os.link(item.job.docx, source)  # cheap when on the same filesystem
        except OSError:
            shutil.copyfile(item.job.docx, source)
        staged.append(_Staged(item.index, item.job, source, root / "out" / f"{item.index:04d}.pdf"))
    return _Run(staged, root)


def _execute(
    runs: list[_Run],
    program: str,
    template: Path | None,
    timeout: float,
    results: list[PdfResult],
) -> list[list[_Staged]]:
    """Run the given LibreOffice processes in parallel and finish every PDF they produced.

    Returns, per run that did not produce everything, the items still missing (in order).
    Timed-out items get ToolTimeout here and are not returned.
    """
    try:
        for run in runs:
            _start(run, program, template)
        timed_out = _wait_all(runs, timeout)
    except ToolMissing as exc:
        # soffice exists but cannot be executed (wrong permissions, broken installation).
        for run in runs:
            _kill(run)
            for item in run.items:
                results[item.index].error = exc
        return []
    except BaseException:
        # KeyboardInterrupt: stop every process we started and let it propagate; _workdir
        # removes the temporary files on the way out.
        for run in runs:
            _kill(run)
        raise

    missing: list[list[_Staged]] = []
    for run in runs:
        left: list[_Staged] = []
        for item in run.items:
            if _pdf_complete(item.output):
                results[item.index].error = _finish(item.output, item.job)
            elif run in timed_out:
                results[item.index].error = ToolTimeout(
                    f"LibreOffice ble ikke ferdig med saken {item.job.label} innen "
                    f"{timeout:g} sekunder og ble stoppet.",
                    stderr=run.stderr_text(),
                )
            else:
                left.append(item)
        if left:
            missing.append(left)
    return missing


@contextlib.contextmanager
def _workdir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="saksgen-pdf-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)



def _finish(produced: Path, job: PdfJob) -> SaksgenError | None:
    try:
        data = finish(produced.read_bytes(), job)
    except ToolFailed as exc:
        return exc
    except (pikepdf.PdfError, ValueError, KeyError) as exc:
        return ToolFailed(
            f"PDF-en LibreOffice laget for saken {job.label} kan ikke leses: {exc}"
        )
    try:
        write_bytes(job.target, data)
    except SaksgenError as exc:
        return exc
    return None
