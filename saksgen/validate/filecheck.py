"""Structural checks of image and PDF files, without the rendering stack.

``check`` must catch a file that would break or silently spoil a build: a truncated or corrupt
PNG, JPEG or GIF, an image whose header claims more pixels than any case paper needs (a
decompression bomb: a few kilobytes that expand to gigabytes in LibreOffice), and an attachment
PDF that is truncated, has no cross-reference table, or is encrypted. Everything here works on the
bytes with the standard library (zlib, re): Pillow costs ~35 ms to import and pikepdf belongs to
the build, and neither is needed to answer "is this file whole?".

Each function returns None for a good file or a ``Problem`` (a code and a Norwegian message
without the file name; the caller names the file and the location).
"""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path
from typing import BinaryIO, NamedTuple

MAX_IMAGE_PIXELS = 50_000_000
"""An image above 50 megapixels (e.g. 8000 × 6250) is refused (documented in README)."""

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# PNG colour type -> (channels, allowed bit depths)
_PNG_COLOUR = {
    0: (1, (1, 2, 4, 8, 16)),
    2: (3, (8, 16)),
    3: (1, (1, 2, 4, 8)),
    4: (2, (8, 16)),
    6: (4, (8, 16)),
}
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
_INFLATE_STEP = 1 << 20  # decompress IDAT in bounded steps: memory stays small for any file
_INFLATE_BUDGET = 2 << 20
"""Image data is inflated and counted up to this many bytes (a figure of ~0.5 megapixels in full;
the start of larger ones, whose chunks are still checked whole by their CRCs): check stays fast."""

# JPEG start-of-frame markers (baseline, progressive, lossless, arithmetic): not C4, C8, CC.
_JPEG_SOF = frozenset((0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF))
_JPEG_STANDALONE = frozenset((0x01, *range(0xD0, 0xD8)))  # TEM, RST0-7: no length field
# The end of entropy-coded data: 0xFF followed by anything but stuffing (00), RST or fill (FF).
_JPEG_NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")

_PDF_TAIL = 1024  # readers look for %%EOF and startxref within the last KiB
_PDF_WINDOW = 64 * 1024  # how much of a trailer or xref dictionary is read at most
_STARTXREF = re.compile(rb"startxref\s+(\d+)")
_XREF_OBJECT = re.compile(rb"\s*\d+\s+\d+\s+obj\b")
_PDF_BODY = re.compile(rb"\bobj\b|\bendobj\b|\bstream\b|\bxref\b|<<|>>")
_ENCRYPT = re.compile(rb"/Encrypt(?![A-Za-z0-9])")

_DAMAGED_IMAGE_HINT = "åpne bildet i et bildeprogram og lagre det på nytt som PNG"
_DAMAGED_PDF_HINT = (
    "filen er trolig ufullstendig lastet ned eller kopiert; hent den på nytt "
    "eller eksporter dokumentet som PDF igjen"
)


class Problem(NamedTuple):
    code: str  # skadet-fil | for-stor | kryptert-pdf
    message: str  # Norwegian, e.g. "er avkortet (slutter før IEND)"; the caller adds the name
    hint: str | None = None


def _damaged(what: str, hint: str = _DAMAGED_IMAGE_HINT) -> Problem:
    return Problem("skadet-fil", f"er skadet: {what}", hint)


def _pixels(width: int, height: int) -> Problem | None:
    if width * height > MAX_IMAGE_PIXELS:
        return Problem(
            "for-stor",
            f"er {width} × {height} piksler ({width * height / 1e6:.0f} megapiksler); grensen er "
            f"{MAX_IMAGE_PIXELS // 1_000_000} megapiksler",
            "skaler bildet ned (en side i et saksfremlegg trenger sjelden over 3000 piksler i bredden)",
        )
    return None


# --- images ------------------------------------------------------------------------------------


def check_image(data: bytes, kind: str) -> Problem | None:
    """``kind`` is what the magic bytes said: png | jpeg | gif."""
    if kind == "png":
        return check_png(data)
    if kind == "jpeg":
        return check_jpeg(data)
    if kind == "gif":
        return check_gif(data)
    return None


def _png_raw_size(width: int, height: int, bits_per_pixel: int, interlaced: bool) -> int:
    """Bytes of filtered scanlines the IDAT stream must inflate to."""

    def rows(w: int, h: int) -> int:
        return 0 if w == 0 or h == 0 else h * (1 + (w * bits_per_pixel + 7) // 8)

    if not interlaced:
        return rows(width, height)
    return sum(
        rows(
            (width - x0 + dx - 1) // dx if width > x0 else 0,
            (height - y0 + dy - 1) // dy if height > y0 else 0,
        )
        for x0, y0, dx, dy in _ADAM7
    )


def check_png(data: bytes) -> Problem | None:
    """Signature, IHDR first and sane, every chunk whole with a correct CRC, PLTE where needed,
    IDAT inflating to exactly the image's size, IEND present."""
    if not data.startswith(_PNG_SIGNATURE):
        return _damaged("mangler PNG-signaturen")
    pos = len(_PNG_SIGNATURE)
    size = len(data)
    expected = budget = 0
    seen_plte = False
    colour = -1
    inflater: zlib._Decompress | None = None
    inflated = 0
    while True:
        if pos + 8 > size:
            return _damaged("filen er avkortet (slutter før IEND-blokken)")
        length, ctype = struct.unpack_from(">I4s", data, pos)
        if length > 0x7FFFFFFF:
            return _damaged(f"ugyldig blokklengde ved byte {pos}")
        end = pos + 12 + length
        if end > size:
            return _damaged("filen er avkortet (siste blokk er ufullstendig)")
        body = data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack_from(">I", data, pos + 8 + length)
        if zlib.crc32(ctype + body) != crc and not ctype[0] & 0x20:
            # A critical chunk (upper-case first letter) is an error; a damaged ancillary one
            # (text, colour profile, …) is dropped by decoders, as libpng does.
            name = ctype.decode("latin-1") if ctype.isalpha() else "?"
            return _damaged(f"kontrollsummen for blokken {name} ved byte {pos} stemmer ikke")
        if pos == len(_PNG_SIGNATURE):
            if ctype != b"IHDR" or length != 13:
                return _damaged("første blokk er ikke IHDR")
            width, height, depth, colour, compression, filtering, interlace = struct.unpack(">IIBBBBB", body)
            if not 0 < width <= 0x7FFFFFFF or not 0 < height <= 0x7FFFFFFF:
                return _damaged(f"ugyldig størrelse {width} × {height}")
            if (
                colour not in _PNG_COLOUR
                or depth not in _PNG_COLOUR[colour][1]
                or compression
                or filtering
                or interlace > 1
            ):
                return _damaged("ugyldig bildehode (IHDR)")
            too_big = _pixels(width, height)
            if too_big:
                return too_big
            expected = _png_raw_size(width, height, depth * _PNG_COLOUR[colour][0], interlace == 1)
            budget = min(expected, _INFLATE_BUDGET)
        elif ctype == b"PLTE":
            seen_plte = True
        elif ctype == b"IDAT":
            if colour == 3 and not seen_plte:
                return _damaged("mangler fargepalett (PLTE) før bildedataene")
            if inflater is None:
                inflater = zlib.decompressobj()
            if not inflater.eof and inflated <= budget:
                try:
                    pending = body
                    while pending and not inflater.eof and inflated <= budget:
                        inflated += len(inflater.decompress(pending, _INFLATE_STEP))
                        pending = inflater.unconsumed_tail
                except zlib.error:
                    return _damaged("bildedataene (IDAT) kan ikke pakkes ut")
        elif ctype == b"IEND":
            break
        pos = end
    if inflater is None:
        return _damaged("mangler bildedata (IDAT)")
    if inflated < budget:  # all of a small image's data, at least the budget of a large one's
        # Flush what zlib still holds (a stream may end without its final block being asked for).
        if not inflater.eof:
            try:
                while inflated < budget and not inflater.eof:
                    chunk = inflater.decompress(inflater.unconsumed_tail, _INFLATE_STEP)
                    if not chunk:
                        break
                    inflated += len(chunk)
            except zlib.error:
                return _damaged("bildedataene (IDAT) kan ikke pakkes ut")
        if inflated < budget:
            return _damaged("bildedataene er ufullstendige (filen er trolig avkortet)")
    # More data than the size needs is ignored by decoders; it is not inflated any further here,
    # nor is a large image's data past the budget.
    return None


def check_jpeg(data: bytes) -> Problem | None:
    """SOI, a walk over the segments to a frame header (SOF, for the size) and the scans, EOI."""
    if not data.startswith(b"\xff\xd8"):
        return _damaged("mangler JPEG-starten (SOI)")
    size = len(data)
    pos = 2
    frame = False
    scan = False
    while True:
        if pos >= size:
            return _damaged("filen er avkortet (slutter før EOI-merket)")
        if data[pos] != 0xFF:
            # Extraneous bytes between segments: decoders skip them (libjpeg warns); so do we.
            nxt = data.find(b"\xff", pos)
            if nxt < 0:
                return _damaged("filen er avkortet (slutter før EOI-merket)")
            pos = nxt
        while pos < size and data[pos] == 0xFF:
            pos += 1  # fill bytes
        if pos >= size:
            return _damaged("filen er avkortet (slutter før EOI-merket)")
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # EOI
            break
        if marker in _JPEG_STANDALONE:
            continue
        if marker == 0xD8 or marker == 0x00:
            return _damaged(f"uventet merke ved byte {pos - 2}")
        if pos + 2 > size:
            return _damaged("filen er avkortet (ufullstendig segment)")
        (length,) = struct.unpack_from(">H", data, pos)
        if length < 2 or pos + length > size:
            return _damaged("filen er avkortet (ufullstendig segment)")
        if marker in _JPEG_SOF:
            if length < 8:
                return _damaged("ugyldig bildehode (SOF)")
            height, width = struct.unpack_from(">HH", data, pos + 3)
            if width == 0 or height == 0:
                return _damaged(f"ugyldig størrelse {width} × {height}")
            too_big = _pixels(width, height)
            if too_big:
                return too_big
            frame = True
        pos += length
        if marker == 0xDA:  # SOS: entropy-coded data runs to the next real marker
            if not frame:
                return _damaged("bildedata før bildehodet (SOF)")
            scan = True
            m = _JPEG_NEXT_MARKER.search(data, pos)
            if m is None:
                return _damaged("filen er avkortet (bildedataene slutter før EOI-merket)")
            pos = m.start()
    if not (frame and scan):
        return _damaged("mangler bildehode eller bildedata")
    return None


def _gif_sub_blocks(data: bytes, pos: int) -> int:
    """Skip a run of data sub-blocks; -1 when the file ends inside it."""
    size = len(data)
    while pos < size:
        n = data[pos]
        pos += 1 + n
        if n == 0:
            return pos if pos <= size else -1
    return -1


def check_gif(data: bytes) -> Problem | None:
    """Header, logical screen and every block up to the trailer."""
    size = len(data)
    if size < 13:
        return _damaged("filen er avkortet")
    width, height, flags = struct.unpack_from("<HHB", data, 6)
    too_big = _pixels(width, height)
    if too_big:
        return too_big
    pos = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    images = 0
    while True:
        if pos >= size:
            if images:
                return None  # the trailer byte is missing; every decoder accepts that
            return _damaged("filen er avkortet (mangler bildedata)")
        block = data[pos]
        if block == 0x3B:  # trailer
            break
        if block == 0x21:  # extension: label, then sub-blocks
            pos = _gif_sub_blocks(data, pos + 2)
        elif block == 0x2C:  # image descriptor
            if pos + 10 > size:
                return _damaged("filen er avkortet (ufullstendig bilde)")
            w, h, iflags = struct.unpack_from("<HHB", data, pos + 5)
            too_big = _pixels(w, h)
            if too_big:
                return too_big
            pos += 10 + (3 << ((iflags & 7) + 1) if iflags & 0x80 else 0)
            pos = _gif_sub_blocks(data, pos + 1)  # after the LZW minimum code size
            images += 1
        else:
            return _damaged(f"ukjent blokk ved byte {pos}")
        if pos < 0:
            return _damaged("filen er avkortet (ufullstendig bilde)")
    if not images:
        return _damaged("mangler bildedata")
    return None


# --- PDF ---------------------------------------------------------------------------------------


def _read_at(fh: BinaryIO, offset: int, n: int) -> bytes:
    fh.seek(offset)
    return fh.read(n)


def check_pdf(path: Path, size: int) -> Problem | None:
    """A light structural check: %%EOF at the end (not truncated), a startxref that points at a
    cross-reference table or stream inside the file, and no /Encrypt in its trailer.

    Reads at most a few KiB at the end and at the cross-reference offset, whatever the size.
    """
    with path.open("rb") as fh:
        tail = _read_at(fh, max(0, size - _PDF_TAIL), _PDF_TAIL)
        eof = tail.rfind(b"%%EOF")
        if eof < 0 or _PDF_BODY.search(tail, eof):
            # No end marker, or PDF objects after the last one (a linearised file cut short
            # still has the first page's %%EOF): truncated. Other junk after %%EOF is tolerated.
            return _damaged("slutter uten «%%EOF»; filen er avkortet", _DAMAGED_PDF_HINT)
        starts = list(_STARTXREF.finditer(tail, 0, eof))
        if not starts:
            return _damaged("mangler kryssreferansetabellen (startxref)", _DAMAGED_PDF_HINT)
        offset = int(starts[-1].group(1))
        if offset >= size:
            return _damaged(
                "kryssreferansetabellen peker utenfor filen (filen er trolig avkortet)", _DAMAGED_PDF_HINT
            )
        window = _read_at(fh, offset, _PDF_WINDOW)
        trailer = _trailer_dictionary(fh, offset, window)
        if trailer is None:
            # The offset is off (some writers miscount); readers then rebuild the table, so look
            # for the last trailer near the end instead of refusing the file.
            start = max(0, size - _PDF_WINDOW)
            near_end = _read_at(fh, start, _PDF_WINDOW)
            at = near_end.rfind(b"trailer")
            if at < 0:
                return _damaged("kryssreferansetabellen er ødelagt", _DAMAGED_PDF_HINT)
            trailer = _until(near_end[at:], (b"startxref", b"%%EOF"))
    if _ENCRYPT.search(trailer):
        return Problem(
            "kryptert-pdf",
            "er kryptert eller passordbeskyttet og kan ikke legges inn i "
            "saksdokumentene (PDF/A tillater ikke kryptering)",
            "lagre PDF-en på nytt uten passord og beskyttelse (f.eks. Skriv ut > Lagre som PDF)",
        )
    return None


def _until(text: bytes, stops: tuple[bytes, ...]) -> bytes:
    ends = [i for i in (text.find(s, 1) for s in stops) if i > 0]
    return text[: min(ends)] if ends else text


def _trailer_dictionary(fh: BinaryIO, offset: int, window: bytes) -> bytes | None:
    """The dictionary that holds the trailer entries (/Root, /Encrypt, …) for the table at
    ``offset``: after ``trailer`` for a classic table, the stream dictionary of an xref stream.
    None when ``offset`` points at neither."""
    body = window.lstrip()
    if body.startswith(b"xref"):
        # A classic table: fixed 20-byte lines, possibly long; read on until "trailer".
        read = offset + len(window)
        chunk = window
        for _ in range(256):  # at most 16 MiB of table (~800,000 objects)
            at = chunk.find(b"trailer")
            if at >= 0:
                return _until(chunk[at:], (b"startxref", b"%%EOF", b"xref"))
            more = _read_at(fh, read, _PDF_WINDOW)
            if not more:
                return None
            chunk = chunk[-16:] + more
            read += len(more)
        return None
    if _XREF_OBJECT.match(window):
        return _until(window, (b"stream", b"endobj"))
    return None
