"""Reading a .docx safely: container checks, size and zip-bomb limits, tracked changes and
comments, then pandoc's docx reader to its JSON AST (images extracted to a folder)."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from saksgen.diagnostics import Location
from saksgen.errors import SaksgenError, ToolFailed, ToolMissing, ToolTimeout
from saksgen.render.pandoc import pandoc_path

MAX_FILE = 50 * 1024 * 1024
MAX_UNPACKED = 200 * 1024 * 1024
MAX_RATIO = 200  # a zip entry inflating more than this is a zip bomb, not a paper
TIMEOUT = 120.0
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CHANGE = re.compile(rb"<w:(ins|del|moveFrom|moveTo)\b")
_COMMENT = re.compile(rb"<w:comment\b[^>]*>(.*?)</w:comment>", re.S)
_TEXT = re.compile(rb"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")


class ImportFailed(SaksgenError):
    """The Word file cannot be imported; located at the file."""

    code = "import-feil"


class TrackedChanges(ImportFailed):
    code = "sporede-endringer"


class TooLarge(ImportFailed):
    code = "for-stor"


@dataclass
class DocxInfo:
    comments: list[str] = field(default_factory=list)
    tracked_changes: int = 0


def check_container(path: Path, display: str) -> DocxInfo:
    """Refuse what is not a readable, reasonably sized DOCX before pandoc sees it."""
    where = Location(display)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        raise ImportFailed("filen finnes ikke eller kan ikke leses", where) from None
    if size > MAX_FILE:
        raise TooLarge(
            f"filen er {size // (1024 * 1024)} MB; grensen er {MAX_FILE // (1024 * 1024)} MB", where
        )
    if head == OLE_MAGIC:
        raise ImportFailed(
            "filen er kryptert (passordbeskyttet) eller en gammel .doc-fil; fjern passordet eller "
            "lagre den som .docx i Word",
            where,
        )
    if not head.startswith(b"PK"):
        raise ImportFailed("filen er ikke en Word-fil (.docx)", where)
    try:
        with zipfile.ZipFile(path) as zf:
            members = {i.filename: i for i in zf.infolist()}
            if "word/document.xml" not in members:
                raise ImportFailed("filen er en zip-fil, men ikke et Word-dokument (.docx)", where)
            total = sum(i.file_size for i in members.values())
            if total > MAX_UNPACKED or any(
                i.file_size > MAX_RATIO * max(i.compress_size, 1) and i.file_size > 1024 * 1024
                for i in members.values()
            ):
                raise TooLarge("innholdet pakker seg ut til mer enn grensen (zip-bombe?)", where)
            document = zf.read("word/document.xml")
            comments = zf.read("word/comments.xml") if "word/comments.xml" in members else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, KeyError) as exc:
        raise ImportFailed(f"Word-filen er skadet og kan ikke leses ({type(exc).__name__})", where) from None
    info = DocxInfo(tracked_changes=len(_CHANGE.findall(document)))
    for m in _COMMENT.finditer(comments):
        text = b"".join(_TEXT.findall(m.group(1))).decode("utf-8", "replace").strip()
        info.comments.append(text)
    return info


def read_ast(path: Path, display: str, media_dir: Path, accept_changes: bool) -> dict[str, Any]:
    """pandoc's JSON AST of the document; images are extracted under ``media_dir``."""
    args = [
        pandoc_path(),
        "--from=docx",
        "--to=json",
        f"--track-changes={'accept' if accept_changes else 'reject'}",
        f"--extract-media={media_dir}",
        str(path),
    ]
    try:
        proc = subprocess.run(args, capture_output=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise ToolTimeout(f"pandoc brukte mer enn {TIMEOUT:.0f} sekunder på {display}") from None
    except OSError:
        raise ToolMissing(f"kan ikke starte pandoc ({args[0]})") from None
    if proc.returncode != 0:
        raise ImportFailed(
            "Word-filen er skadet og kan ikke leses av pandoc: "
            + proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:][0]
            if proc.stderr.strip()
            else "Word-filen er skadet og kan ikke leses av pandoc",
            Location(display),
        )
    try:
        data: dict[str, Any] = json.loads(proc.stdout)
    except ValueError:
        raise ToolFailed("pandoc ga ugyldig JSON", proc.stderr.decode("utf-8", "replace")) from None
    return data


_MARKDOWN = (
    "markdown-raw_html-raw_attribute-bracketed_spans-native_spans-native_divs-"
    "grid_tables-multiline_tables-simple_tables-smart-header_attributes-link_attributes"
)


def write_markdown(blocks: list[Any], api: list[int]) -> str:
    """One section's blocks as pandoc Markdown (its footnotes at its own end)."""
    if not blocks:
        return ""
    doc = {"pandoc-api-version": api, "meta": {}, "blocks": blocks}
    args = [pandoc_path(), "--from=json", f"--to={_MARKDOWN}", "--wrap=none"]
    try:
        proc = subprocess.run(
            args, input=json.dumps(doc).encode(), capture_output=True, timeout=TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        raise ToolTimeout(f"pandoc brukte mer enn {TIMEOUT:.0f} sekunder") from None
    except OSError:
        raise ToolMissing(f"kan ikke starte pandoc ({args[0]})") from None
    if proc.returncode != 0:
        raise ToolFailed("pandoc kunne ikke skrive Markdown", proc.stderr.decode("utf-8", "replace"))
    return proc.stdout.decode("utf-8").strip()
