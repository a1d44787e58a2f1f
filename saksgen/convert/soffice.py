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

The PDFs LibreOffice writes are not reproducible (clock dates in /Info, XMP and the ICC profile,
a random trailer /ID, a /DocChecksum). ``_finish`` fixes each of these with pikepdf and sets the
metadata from the case, then writes the result atomically.

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
import datetime
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import pikepdf

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

PRODUCER_FALLBACK = "LibreOffice"
CREATOR = "saksgen"
DOC_LANG = "nb-NO"

# The PDF/A identification LibreOffice must have written; we copy it, never invent it.
_NS_PDFAID = "http://www.aiim.org/pdfa/ns/id/"


@dataclass(frozen=True)
class PdfJob:
    docx: Path  # the DOCX exactly as written to output/
    target: Path  # final PDF path (written atomically)
    title: str  # document title for PDF metadata (/Title and XMP dc:title)
    author: str  # for /Author and dc:creator
    subject: str  # e.g. case number "Sak 32/24"
    date: datetime.date  # the case date: every date in the PDF comes from this, never the clock
    label: str  # user-facing name for error messages, e.g. "saker/x.yaml" or the case id


@dataclass
class PdfResult:
    job: PdfJob
    error: SaksgenError | None  # None = success


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


# --------------------------------------------------------------------------------------------
# Post-processing: metadata and reproducibility


def _finish(produced: Path, job: PdfJob) -> SaksgenError | None:
    try:
        data = _postprocess(produced, job)
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


def pdf_date(date: datetime.date) -> str:
    """A PDF date string at midnight UTC of ``date`` (the case's or meeting's date)."""
    return f"D:{date:%Y%m%d}000000+00'00'"


# Characters XML 1.0 does not allow; the XMP packet must stay well-formed whatever the title holds.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value: str) -> str:
    return escape(_XML_INVALID.sub("", value))


def _xmp_date(date: datetime.date) -> str:
    return f"{date:%Y-%m-%d}T00:00:00+00:00"


def _postprocess(path: Path, job: PdfJob) -> bytes:
    with pikepdf.open(path, attempt_recovery=False) as pdf:
        root = pdf.Root
        # Tagging must come from LibreOffice; faking an empty structure tree would be a lie to
        # screen readers and to PDF/A-2a-minded validators.
        marked = root.get("/MarkInfo")
        if "/StructTreeRoot" not in root or marked is None or not bool(marked.get("/Marked", False)):
            raise ToolFailed(f"LibreOffice laget ikke en tagget PDF for saken {job.label}.")
        part, conformance = _pdfa_identification(pdf)
        if (part, conformance.upper()) != ("2", "B"):
            got = f"PDF/A-{part}{conformance.lower()}" if part else "vanlig PDF"
            raise ToolFailed(
                f"LibreOffice laget ikke PDF/A-2b for saken {job.label} (fikk {got}); "
                "saksgen trenger LibreOffice 7.4 eller nyere."
            )

        if not str(root.get("/Lang", "")).strip():
            root.Lang = pikepdf.String(DOC_LANG)
        prefs = root.get("/ViewerPreferences")
        if not isinstance(prefs, pikepdf.Dictionary):
            prefs = root.ViewerPreferences = pikepdf.Dictionary()
        prefs.DisplayDocTitle = True

        old_info = pdf.trailer.get("/Info")
        producer = str(old_info.get("/Producer", PRODUCER_FALLBACK)) if old_info else PRODUCER_FALLBACK
        info = pikepdf.Dictionary(
            Title=pikepdf.String(job.title),
            Creator=pikepdf.String(CREATOR),
            Producer=pikepdf.String(producer),
            CreationDate=pikepdf.String(pdf_date(job.date)),
            ModDate=pikepdf.String(pdf_date(job.date)),
        )
        if job.author:
            info.Author = pikepdf.String(job.author)
        if job.subject:
            info.Subject = pikepdf.String(job.subject)
        pdf.trailer.Info = pdf.make_indirect(info)

        root.Metadata = pdf.make_stream(
            _xmp_packet(job, producer, part, conformance),
            Type=pikepdf.Name.Metadata,
            Subtype=pikepdf.Name.XML,
        )
        _fix_output_intents(pdf, job.date)
        _fix_tabs(pdf)

        # LibreOffice's MD5 of the document; it covers the clock dates, so it differs each run.
        if "/DocChecksum" in pdf.trailer:
            del pdf.trailer["/DocChecksum"]

        # Trailer /ID. qpdf's deterministic_id only recomputes the second element (the "this
        # version" ID) from the written bytes and keeps the first (the permanent ID) from the
        # trailer, where LibreOffice put an MD5 of the clock. So the permanent ID is derived from
        # what the document is made of: the DOCX bytes and the metadata of the job.
        permanent = _permanent_id(job)
        pdf.trailer.ID = pikepdf.Array([pikepdf.String(permanent), pikepdf.String(permanent)])

        out = io.BytesIO()
        pdf.save(
            out,
            deterministic_id=True,
            # Would rewrite our XMP packet; our packet carries no pdf:PDFVersion anyway.
            fix_metadata_version=False,
            preserve_pdfa=True,
            # PDF/A-2 (PDF 1.7 based) allows object and cross-reference streams: smaller files.
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            compress_streams=True,
        )
        return out.getvalue()


def _permanent_id(job: PdfJob) -> bytes:
    digest = hashlib.sha256(b"saksgen-pdf\0")
    digest.update(job.docx.read_bytes())
    for part in (job.title, job.author, job.subject, job.date.isoformat()):
        digest.update(b"\0" + part.encode("utf-8"))
    return digest.digest()[:16]


def _pdfa_identification(pdf: pikepdf.Pdf) -> tuple[str, str]:
    """Read pdfaid:part and pdfaid:conformance from LibreOffice's XMP."""
    if "/Metadata" not in pdf.Root:
        return ("", "")
    meta = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
    part = str(meta.get(f"{{{_NS_PDFAID}}}part", ""))
    conformance = str(meta.get(f"{{{_NS_PDFAID}}}conformance", ""))
    return part, conformance


def _xmp_packet(job: PdfJob, producer: str, part: str, conformance: str) -> bytes:
    """The XMP packet, written out in full so that every byte is ours and stable.

    Mirrors /Info as PDF/A requires: dc:title <-> /Title, dc:creator <-> /Author,
    dc:description <-> /Subject, xmp:CreatorTool <-> /Creator, pdf:Producer <-> /Producer,
    xmp:CreateDate/ModifyDate <-> /CreationDate and /ModDate.
    """
    title = _xml_text(job.title)
    date = _xmp_date(job.date)
    lines = [
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
        f'  <rdf:Description rdf:about="" xmlns:pdfaid="{_NS_PDFAID}">',
        f"   <pdfaid:part>{_xml_text(part)}</pdfaid:part>",
        f"   <pdfaid:conformance>{_xml_text(conformance)}</pdfaid:conformance>",
        "  </rdf:Description>",
        '  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">',
        "   <dc:format>application/pdf</dc:format>",
        "   <dc:title><rdf:Alt>",
        f'    <rdf:li xml:lang="x-default">{title}</rdf:li>',
        f'    <rdf:li xml:lang="{DOC_LANG}">{title}</rdf:li>',
        "   </rdf:Alt></dc:title>",
    ]
    if job.author:
        author = _xml_text(job.author)
        lines.append(f"   <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>")
    if job.subject:
        lines.append(
            "   <dc:description><rdf:Alt>"
            f'<rdf:li xml:lang="x-default">{_xml_text(job.subject)}</rdf:li>'
            "</rdf:Alt></dc:description>"
        )
    lines += [
        f"   <dc:language><rdf:Bag><rdf:li>{DOC_LANG}</rdf:li></rdf:Bag></dc:language>",
        "  </rdf:Description>",
        '  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">',
        f"   <pdf:Producer>{_xml_text(producer)}</pdf:Producer>",
        "  </rdf:Description>",
        '  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">',
        f"   <xmp:CreatorTool>{CREATOR}</xmp:CreatorTool>",
        f"   <xmp:CreateDate>{date}</xmp:CreateDate>",
        f"   <xmp:ModifyDate>{date}</xmp:ModifyDate>",
        f"   <xmp:MetadataDate>{date}</xmp:MetadataDate>",
        "  </rdf:Description>",
        " </rdf:RDF>",
        "</x:xmpmeta>",
    ]
    # Padding lets editors update the packet in place, as the XMP spec recommends.
    padding = (" " * 99 + "\n") * 20
    return ("\n".join(lines) + "\n" + padding + '<?xpacket end="w"?>').encode("utf-8")


def _fix_tabs(pdf: pikepdf.Pdf) -> None:
    """Repair LibreOffice 7.4's ``/Tabs (S)`` on pages with links: the PDF spec wants a name.

    A string there is a syntax error for PDF/A validators; the tab order it means is kept.
    """
    for page in pdf.pages:
        tabs = page.obj.get("/Tabs")
        if isinstance(tabs, pikepdf.String):
            if str(tabs) in ("R", "C", "S"):
                page.obj.Tabs = pikepdf.Name("/" + str(tabs))
            else:
                del page.obj["/Tabs"]


def _fix_output_intents(pdf: pikepdf.Pdf, date: datetime.date) -> None:
    """Give the embedded ICC profile(s) a creation date from the case instead of the clock.

    LibreOffice generates its sRGB profile with lcms at export time, so the ICC header's
    date-time field (bytes 24-35: six big-endian uint16) holds the current time. Everything
    else in the profile is left untouched; if the header carries a profile ID (bytes 84-99, an
    MD5 over the profile with flags, intent and ID zeroed) it is recomputed so it stays valid.
    """
    intents = pdf.Root.get("/OutputIntents")
    if not isinstance(intents, pikepdf.Array):
        return
    seen: set[tuple[int, int]] = set()
    for intent in intents:
        profile = intent.get("/DestOutputProfile") if isinstance(intent, pikepdf.Dictionary) else None
        if not isinstance(profile, pikepdf.Stream) or profile.objgen in seen:
            continue
        seen.add(profile.objgen)
        data = bytearray(profile.read_bytes())
        if len(data) < 128 or data[36:40] != b"acsp":
            continue  # not an ICC profile we understand; leave it alone
        stamp = b"".join(v.to_bytes(2, "big") for v in (date.year, date.month, date.day, 0, 0, 0))
        if data[24:36] == stamp:
            continue
        data[24:36] = stamp
        if any(data[84:100]):
            scratch = bytearray(data)
            scratch[44:48] = b"\0\0\0\0"  # profile flags
            scratch[64:68] = b"\0\0\0\0"  # rendering intent
            scratch[84:100] = b"\0" * 16  # profile ID
            data[84:100] = hashlib.md5(bytes(scratch)).digest()
        # Leaves /N and other keys as they are; qpdf recompresses it with Flate on save.
        profile.write(bytes(data))
