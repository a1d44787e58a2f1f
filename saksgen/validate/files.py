"""Files a case points at (images, attachments): inside the repository, present, readable, of the
right kind and size. Checked at validation time so ``check`` catches them without building."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from saksgen.diagnostics import Collector, Location
from saksgen.validate.filecheck import Problem, check_image, check_pdf

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024

_IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg", b"GIF87a": "gif", b"GIF89a": "gif"}


def image_kind(head: bytes) -> str | None:
    for magic, kind in _IMAGE_MAGIC.items():
        if head.startswith(magic):
            return kind
    return None


def is_pdf(head: bytes) -> bool:
    # The PDF header may be preceded by junk bytes; readers accept it within the first 1 KiB.
    return b"%PDF-" in head[:1024]


# (root, raw, kind) -> (resolved path or None, diagnostics without location). Many cases use the
# same figure or attachment; each file is resolved, opened and sniffed once per run.
_Verdict = tuple[Path | None, tuple[tuple[str, str, str, str | None], ...]]
_cache: dict[tuple[Path, str, str], _Verdict] = {}


def reset_cache() -> None:
    """Forget earlier runs' findings: files may have changed. Called at the start of a run."""
    _cache.clear()


def check_file(root: Path, raw: str, loc: Location, kind: str, diag: Collector) -> Path | None:
    """Resolve ``raw`` (relative to the repository root) and check it. ``kind``: bilde|vedlegg."""
    key = (root, raw, kind)
    verdict = _cache.get(key)
    if verdict is None:
        found = Collector()
        path = _check_file(root, raw, loc, kind, found)
        verdict = (path, tuple((d.severity, d.code, d.message, d.hint) for d in found.items))
        _cache[key] = verdict
    for severity, code, message, hint in verdict[1]:
        report = diag.error if severity == "feil" else diag.warning
        report(loc, code, message, hint)
    return verdict[0]


def _check_file(root: Path, raw: str, loc: Location, kind: str, diag: Collector) -> Path | None:
    noun = "bildet" if kind == "bilde" else "vedlegget"
    if "://" in raw or raw.startswith(("data:", "mailto:")):
        diag.error(
            loc,
            "ekstern-fil",
            f"{noun} «{raw}» er en nettadresse; bare lokale filer kan brukes",
            "last ned filen og legg den under figurer/ eller vedlegg/",
        )
        return None
    if "\x00" in raw:
        diag.error(loc, "mangler-fil", f"ugyldig filnavn for {noun}")
        return None
    rel = Path(raw)
    if rel.is_absolute():
        diag.error(
            loc,
            "fil-utenfor-repo",
            f"{noun} «{raw}» er en absolutt sti",
            "bruk en sti relativt til repositoriet, f.eks. figurer/bilde.png",
        )
        return None
    root_resolved = root.resolve()
    try:
        resolved = (root / rel).resolve()
    except (OSError, RuntimeError):
        diag.error(loc, "mangler-fil", f"finner ikke {noun} «{raw}»")
        return None
    if not resolved.is_relative_to(root_resolved):
        diag.error(
            loc,
            "fil-utenfor-repo",
            f"{noun} «{raw}» ligger utenfor repositoriet",
            "legg filen under figurer/ eller vedlegg/ i repositoriet",
        )
        return None
    if not resolved.exists():
        diag.error(
            loc,
            "mangler-fil",
            f"finner ikke {noun} «{raw}»",
            "stien leses relativt til repositoriets rotmappe (der saksgen kjøres), f.eks. "
            + ("figurer/bilde.png" if kind == "bilde" else "vedlegg/mandat.pdf"),
        )
        return None
    if not resolved.is_file():
        diag.error(loc, "mangler-fil", f"{noun} «{raw}» er ikke en fil")
        return None
    limit = MAX_IMAGE_BYTES if kind == "bilde" else MAX_ATTACHMENT_BYTES
    try:
        size = resolved.stat().st_size
        with resolved.open("rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        diag.error(loc, "mangler-fil", f"kan ikke lese {noun} «{raw}»: {exc.strerror}")
        return None
    if size > limit:
        diag.error(
            loc,
            "for-stor",
            f"{noun} «{raw}» er {size / 1024 / 1024:.1f} MiB; grensen er {limit // 1024 // 1024} MiB",
        )
        return None
    if kind == "bilde":
        image = image_kind(head)
        if image is None:
            diag.error(
                loc,
                "feil-filtype",
                f"«{raw}» er ikke et PNG-, JPEG- eller GIF-bilde",
                "eksporter bildet som PNG",
            )
            return None
        ok = _content_ok(lambda: check_image(resolved.read_bytes(), image), loc, noun, raw, diag)
        return resolved if ok else None
    if is_pdf(head):
        if not _content_ok(lambda: check_pdf(resolved, size), loc, noun, raw, diag):
            return None
    else:
        if resolved.suffix.lower() == ".pdf":
            diag.error(
                loc,
                "ikke-pdf",
                f"vedlegget «{raw}» heter .pdf, men er ikke en PDF-fil",
                "eksporter dokumentet som PDF på nytt (Fil > Lagre som > PDF)",
            )
            return None
        diag.warning(
            loc,
            "vedlegg-ikke-pdf",
            f"vedlegget «{raw}» er ikke en PDF og blir ikke lagt inn i saksdokumentene",
            "lagre vedlegget som PDF",
        )
    return resolved


def _content_ok(
    inspect: Callable[[], Problem | None], loc: Location, noun: str, raw: str, diag: Collector
) -> bool:
    """Run one content check; a damaged or unreadable file is reported where it is named."""
    try:
        problem = inspect()
    except OSError as exc:
        diag.error(loc, "mangler-fil", f"kan ikke lese {noun} «{raw}»: {exc.strerror}")
        return False
    if problem is not None:
        diag.error(loc, problem.code, f"{noun} «{raw}» {problem.message}", problem.hint)
        return False
    return True
