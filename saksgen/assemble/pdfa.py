"""Attachments on their way into the pack: PDF/A-conformant as they are, or converted with
Ghostscript, or reported so the pack drops its PDF/A claim (never a false claim).

Conversions are cached by the attachment's content hash under the output folder, so a rebuild
does not run Ghostscript again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pikepdf

from saksgen.errors import ToolFailed, ToolMissing

GS_INSTALL_HINT = "Installer Ghostscript (Debian/Ubuntu: sudo apt-get install ghostscript)."
CACHE_FOLDER = ".saksgen-pdfa"
_NS_PDFAID = "http://www.aiim.org/pdfa/ns/id/"
_GS_TIMEOUT = 120
GS_ENV = "SAKSGEN_GS"  # an explicit Ghostscript program, never silently replaced


def _font_embedded(font: pikepdf.Object) -> bool:
    if font.get("/Subtype") == pikepdf.Name.Type3:
        return True  # glyphs are content streams inside the font itself
    for descendant in font.get("/DescendantFonts", []):
        if not _font_embedded(descendant):
            return False
    if "/DescendantFonts" in font:
        return True
    desc = font.get("/FontDescriptor")
    if not isinstance(desc, pikepdf.Dictionary):
        return False
    return any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def _resources_fonts_embedded(resources: pikepdf.Object | None, seen: set[tuple[int, int]]) -> bool:
    if not isinstance(resources, pikepdf.Dictionary):
        return True
    for font in resources.get("/Font", {}).values():
        if not _font_embedded(font):
            return False
    for xobj in resources.get("/XObject", {}).values():
        if isinstance(xobj, pikepdf.Stream) and xobj.get("/Subtype") == pikepdf.Name.Form:
            if xobj.objgen in seen:
                continue
            seen.add(xobj.objgen)
            if not _resources_fonts_embedded(xobj.get("/Resources"), seen):
                return False
    return True


def fonts_embedded(pdf: pikepdf.Pdf) -> bool:
    """Every font the pages (and their forms and annotation appearances) use is embedded."""
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        if not _resources_fonts_embedded(page.obj.get("/Resources"), seen):
            return False
        for annot in page.obj.get("/Annots", []):
            ap = annot.get("/AP")
            normal = ap.get("/N") if isinstance(ap, pikepdf.Dictionary) else None
            if isinstance(normal, pikepdf.Stream) and not _resources_fonts_embedded(
                normal.get("/Resources"), seen
            ):
                return False
    return True


def pdfa_part(pdf: pikepdf.Pdf) -> str:
    """The PDF/A part the file claims in its XMP ("" when none)."""
    if "/Metadata" not in pdf.Root:
        return ""
    try:
        meta = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
        return str(meta.get(f"{{{_NS_PDFAID}}}part", ""))
    except (pikepdf.PdfError, ValueError):
        return ""


def is_conformant(path: Path) -> bool:
    """Good enough to enter a PDF/A-2b pack unchanged: claims PDF/A-2 or -3 (-1 is a subset),
    and every font is embedded."""
    with pikepdf.open(path) as pdf:
        return pdfa_part(pdf) in ("1", "2", "3") and fonts_embedded(pdf)


def ghostscript() -> str:
    named = os.environ.get(GS_ENV)
    gs = shutil.which(named) if named else shutil.which("gs")
    if gs is None:
        if named:
            raise ToolMissing(f"fant ikke Ghostscript-programmet {named} ({GS_ENV}). {GS_INSTALL_HINT}")
        raise ToolMissing(
            f"fant ikke Ghostscript (gs), som trengs for å gjøre vedlegg om til PDF/A. {GS_INSTALL_HINT}"
        )
    return gs


def convert(source: Path, target: Path) -> None:
    """Ghostscript's PDF/A-2b conversion of ``source`` into ``target``.

    ToolMissing when gs cannot run; ToolFailed (with its stderr) when it ran and failed or made
    something that still is not conformant. Policy 2: abort rather than silently drop content.
    """
    gs = ghostscript()
    cmd = [
        gs,
        "-q",
        "-dSAFER",
        "-dBATCH",
        "-dNOPAUSE",
        "-dNOOUTERSAVE",
        "-sDEVICE=pdfwrite",
        "-dPDFA=2",
        "-dPDFACompatibilityPolicy=2",
        "-sColorConversionStrategy=RGB",
        "-dEmbedAllFonts=true",
        f"-sOutputFile={target}",
        str(source),
    ]
    try:
        done = subprocess.run(
            cmd, capture_output=True, timeout=_GS_TIMEOUT, check=False, stdin=subprocess.DEVNULL
        )
    except OSError as exc:
        raise ToolMissing(f"kunne ikke starte Ghostscript ({exc.strerror}). {GS_INSTALL_HINT}") from None
    except subprocess.TimeoutExpired:
        target.unlink(missing_ok=True)
        raise ToolFailed(f"Ghostscript brukte mer enn {_GS_TIMEOUT} sekunder på {source.name}") from None
    stderr = (done.stderr or b"").decode("utf-8", "replace") + (done.stdout or b"").decode("utf-8", "replace")
    if done.returncode != 0 or not target.is_file():
        target.unlink(missing_ok=True)
        raise ToolFailed(f"Ghostscript kunne ikke gjøre {source.name} om til PDF/A", stderr)
    try:
        ok = is_conformant(target)
    except (pikepdf.PdfError, OSError):
        ok = False
    if not ok:
        target.unlink(missing_ok=True)
        raise ToolFailed(f"Ghostscript laget ikke en PDF/A med innebygde skrifter av {source.name}", stderr)


def conformant_copy(source: Path, cache_dir: Path) -> Path:
    """``source`` itself when conformant, else its cached Ghostscript conversion.

    Raises ToolMissing / ToolFailed as :func:`convert` does; nothing half written is left in
    the cache (the conversion is written to a temporary name and renamed).
    """
    if is_conformant(source):
        return source
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    cached = cache_dir / f"{digest}.pdf"
    if cached.is_file():
        return cached
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = cache_dir / f".{digest}.tmp.pdf"
    convert(source, tmp)
    tmp.replace(cached)
    return cached


class EarlyConversions:
    """Attachments' conversions started before the pack needs them.

    A meeting's attachments are known once the build is planned, but the pack is assembled
    last, after the last paper's PDF: Ghostscript run there (about 0.1 s a file) lengthens the
    build by its whole time. Started early, in one background thread, it runs while pandoc and
    LibreOffice work and the pack finds the cached conversion. ``copy`` answers as
    ``conformant_copy`` does (the same errors, raised where the pack asks), waiting for a
    conversion under way. Use as a context manager: ``close`` waits for the one Ghostscript
    that may be running and drops those not started (an interrupted build leaves nothing half
    written: ``conformant_copy`` renames only a finished conversion into the cache).
    """

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._started: dict[tuple[Path, Path], Future[Path]] = {}

    def start(self, sources: Iterable[tuple[Path, Path]]) -> None:
        """``sources``: (attachment, cache folder) pairs, converted in this order."""
        for key in sources:
            if key in self._started:
                continue
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="saksgen-gs")
            self._started[key] = self._pool.submit(conformant_copy, *key)

    def copy(self, source: Path, cache_dir: Path) -> Path:
        started = self._started.pop((source, cache_dir), None)
        return started.result() if started is not None else conformant_copy(source, cache_dir)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._started.clear()

    def __enter__(self) -> EarlyConversions:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
