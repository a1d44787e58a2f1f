"""LibreOffice itself: finding it, its profile, and one ``soffice --convert-to`` process.

Which documents go to which process, streaming the PDFs as they appear, the per-document time
limit and the retries after a crash live in ``convert.batch``.

Every LibreOffice process gets its own profile directory (``-env:UserInstallation``): two
LibreOffice processes sharing a profile would hand their work to each other or refuse to start,
and other people may run LibreOffice on the same machine. The profile is a copy of a cached,
pre-initialised template, which is measurably faster than an empty profile and keeps every run
independent of what earlier runs wrote into their profiles.

Measurements (Debian 12, 2 cores, LibreOffice 7.4.7, simple 1-page DOCX files; medians):
profile strategies, one document: empty new profile 1.23 s; copy of a cached template 1.07 s (the
copy itself takes ~15 ms); reusing one profile directory 1.12 s (not isolated).
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
from collections.abc import Sequence
from pathlib import Path

from saksgen.errors import ToolMissing

__all__ = ["MAX_DOCUMENTS", "SOFFICE_ENV", "Process", "find_soffice", "pdf_complete", "profile_template"]

SOFFICE_ENV = "SAKSGEN_SOFFICE"

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
    # Every Word bookmark also as a named destination at its place: the pack reads where a
    # paper's "Vedlegg N:" lines are from them (assemble/attachment_links.py).
    "ExportBookmarksToPDFDestination": ("boolean", "true"),
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


def profile_template(soffice: str, timeout: float) -> Path | None:
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
        scratch = Path(tempfile.mkdtemp(prefix=".lo-tmp-", dir=root))  # LibreOffice's TMPDIR
    except OSError:
        return None
    proc: subprocess.Popen[bytes] | None = None
    try:
        proc = subprocess.Popen(
            [
                soffice,
                f"-env:UserInstallation={build.as_uri()}",
                "--headless",
                "--norestore",
                "--nolockcheck",
                "--terminate_after_init",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, "TMPDIR": str(scratch)},
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
        shutil.rmtree(scratch, ignore_errors=True)


def make_profile(template: Path | None, dest: Path) -> Path:
    if template is not None:
        try:
            shutil.copytree(template, dest, ignore=shutil.ignore_patterns(".lock"), symlinks=True)
            return dest
        except OSError:
            shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir()
    return dest


# --------------------------------------------------------------------------------------------
# One LibreOffice process


def _command(soffice: str, profile: Path, outdir: Path, sources: Sequence[Path]) -> list[str]:
    return [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--nologo",
        "--nodefault",
        f"--infilter={IMPORT_FILTER}",
        "--convert-to",
        EXPORT_FILTER,
        "--outdir",
        str(outdir),
        *[str(source) for source in sources],
    ]


# LibreOffice 7.4 reads at most 253 command-line arguments after the program name and silently
# ignores the rest: ``soffice --convert-to pdf --outdir out`` over 400 files converts 246 of them
# and exits 0 (measured; with our longer option list, 242). A longer batch must be split.
MAX_ARGUMENTS = 253
MAX_DOCUMENTS = MAX_ARGUMENTS - (len(_command("soffice", Path("/p"), Path("/o"), [])) - 1)


class Process:
    """One ``soffice --convert-to`` over ``sources``, writing ``<stem>.pdf`` files into ``outdir``
    in the order of ``sources``, in its own process group and its own copy of the profile."""

    def __init__(self, soffice: str, template: Path | None, root: Path, sources: Sequence[Path]) -> None:
        self.root = root
        self.outdir = root / "out"
        self.outdir.mkdir(parents=True, exist_ok=True)
        self.stderr_path = root / "stderr.txt"
        self.started = time.monotonic()
        if len(sources) > MAX_DOCUMENTS:
            raise ValueError(f"{len(sources)} documents for one LibreOffice, at most {MAX_DOCUMENTS}")
        profile = make_profile(template, root / "profil")
        # LibreOffice keeps its own temporary files (lu*.tmp) in TMPDIR and leaves them behind
        # when it is killed after a hang or Ctrl+C: inside our folder they go with it.
        tmp = root / "tmp"
        tmp.mkdir()
        cmd = _command(soffice, profile, self.outdir, sources)
        with open(self.stderr_path, "wb") as err:
            try:
                # A new session makes LibreOffice (a shell script that starts soffice.bin) the
                # leader of its own process group, so a hang or Ctrl+C can kill all of it at once.
                self.proc: subprocess.Popen[bytes] = subprocess.Popen(
                    cmd,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=err,
                    start_new_session=True,
                    env={**os.environ, "TMPDIR": str(tmp)},
                )
            except OSError as exc:
                raise ToolMissing(
                    f"kan ikke starte LibreOffice ({soffice}): {exc.strerror or exc}. {INSTALL_HINT}"
                ) from None

    def output(self, source: Path) -> Path:
        return self.outdir / (source.stem + ".pdf")

    def exited(self) -> bool:
        return self.proc.poll() is not None

    def kill(self) -> None:
        """SIGKILL the whole process group and reap the leader.

        Also called after a normal exit: soffice (oosplash) normally takes soffice.bin with it,
        but a crashed wrapper could leave it orphaned in the group. LibreOffice gets no chance to
        clean up, which is fine: everything it owns lives in our temporary directory.
        """
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)

    def stderr_text(self) -> str:
        """LibreOffice's diagnostics, without the harmless javaldx start-up warning."""
        try:
            text = self.stderr_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(line for line in text.splitlines() if "javaldx" not in line)


def pdf_complete(path: Path) -> int:
    """The size of ``path`` if LibreOffice finished writing it, else 0 (an export still under
    way, or one that was killed, has no ``%%EOF`` at its end)."""
    try:
        size = path.stat().st_size
        if size < 64:
            return 0
        with open(path, "rb") as fh:
            fh.seek(-64, os.SEEK_END)
            return size if b"%%EOF" in fh.read() else 0
    except OSError:
        return 0
