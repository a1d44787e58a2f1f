"""Structural checks of images and PDFs (saksgen/validate/filecheck.py): bytes in, verdict out.

No pandoc, no LibreOffice. Pillow and pikepdf (runtime dependencies) make the test files.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from saksgen.validate import filecheck
from saksgen.validate.filecheck import MAX_IMAGE_PIXELS, check_image, check_pdf

REPO = Path(__file__).resolve().parents[2]


def _image(fmt: str, mode: str = "RGB", size: tuple[int, int] = (37, 23), **save: object) -> bytes:
    buf = io.BytesIO()
    im = Image.new(mode, size)
    bands = len(im.getbands())
    im.putpixel((3, 4), 200 if bands == 1 else (200, 10, 10, 255)[:bands])
    im.save(buf, fmt, **save)
    return buf.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png(width: int, height: int, idat: bytes, *, depth: int = 8, colour: int = 0) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def code(problem: object) -> str | None:
    return getattr(problem, "code", None)


# --- PNG ---------------------------------------------------------------------------------------

GOOD_PNGS = {
    "rgb": _image("PNG"),
    "grey": _image("PNG", "L"),
    "palette": _image("PNG", "P"),
    "rgba": _image("PNG", "RGBA"),
    "1-bit": _image("PNG", "1"),
    "16-bit": _image("PNG", "I;16"),
    "interlaced": _image("PNG", "RGB", (37, 23), interlace=1),
    "example": (REPO / "figurer" / "loggplattform.png").read_bytes(),
}


@pytest.mark.parametrize("name", sorted(GOOD_PNGS))
def test_good_png(name: str) -> None:
    assert check_image(GOOD_PNGS[name], "png") is None


def test_every_truncation_of_a_png_is_damaged() -> None:
    data = GOOD_PNGS["rgb"]
    for cut in range(8, len(data)):
        assert code(check_image(data[:cut], "png")) == "skadet-fil", cut


def test_a_flipped_bit_in_a_critical_chunk_is_damaged() -> None:
    data = GOOD_PNGS["palette"]
    for i in range(8, len(data)):
        flipped = bytearray(data)
        flipped[i] ^= 0x01
        assert code(check_image(bytes(flipped), "png")) == "skadet-fil", i


def test_a_damaged_ancillary_chunk_is_ignored_as_decoders_do() -> None:
    data = GOOD_PNGS["rgb"]
    text = _chunk(b"tEXt", b"Comment\0hei")
    bad = bytearray(text)
    bad[-1] ^= 0xFF  # its CRC
    at = data.index(b"IDAT") - 4
    assert check_image(data[:at] + bytes(bad) + data[at:], "png") is None


def test_png_with_too_little_image_data() -> None:
    short = _png(100, 100, zlib.compress(b"\0" * 101 * 50))  # half the rows
    assert code(check_image(short, "png")) == "skadet-fil"
    assert "ufullstendige" in check_image(short, "png").message  # type: ignore[union-attr]


def test_large_png_is_inflated_up_to_the_budget() -> None:
    rows = b"\0" + b"\x80" * 3000  # filter byte + one grey row
    whole = _png(3000, 3000, zlib.compress(rows * 3000))  # 9 MB of image data
    assert check_image(whole, "png") is None
    short = _png(3000, 3000, zlib.compress(rows * 500))  # 1.5 MB: less than the budget
    assert code(check_image(short, "png")) == "skadet-fil"


def test_png_with_corrupt_zlib_data() -> None:
    assert code(check_image(_png(4, 4, b"not zlib at all"), "png")) == "skadet-fil"


def test_palette_png_without_palette() -> None:
    assert code(check_image(_png(4, 4, zlib.compress(b"\0\0\0" * 4), colour=3), "png")) == "skadet-fil"


def test_png_pixel_limit() -> None:
    side = int(MAX_IMAGE_PIXELS**0.5)
    at_limit = _png(side, side, b"")  # the header alone is judged first
    assert code(check_image(at_limit, "png")) == "skadet-fil"  # not for-stor: within the limit
    bomb = _png(100_000, 100_000, zlib.compress(b"\0" * 1000), depth=1)
    problem = check_image(bomb, "png")
    assert code(problem) == "for-stor"
    assert "100000 × 100000" in problem.message  # type: ignore[union-attr]


def test_png_whose_data_inflates_far_beyond_its_size_is_not_inflated_to_the_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inflated = []
    real = zlib.decompressobj

    class Counting:
        def __init__(self) -> None:
            self.inner = real()

        def decompress(self, data: bytes, max_length: int = 0) -> bytes:
            out = self.inner.decompress(data, max_length)
            inflated.append(len(out))
            return out

        def __getattr__(self, name: str) -> object:
            return getattr(self.inner, name)

    monkeypatch.setattr(filecheck.zlib, "decompressobj", Counting)
    bomb = _png(1, 1, zlib.compress(b"\0" * 50_000_000, 9))  # ~50 KB -> 50 MB
    assert check_image(bomb, "png") is None  # extra data is ignored by decoders
    assert sum(inflated) <= 2 * 1024 * 1024  # one bounded step, not 50 MB


# --- JPEG and GIF ------------------------------------------------------------------------------

GOOD_JPEGS = {
    "baseline": _image("JPEG"),
    "grey": _image("JPEG", "L"),
    "progressive": _image("JPEG", "RGB", (64, 48), progressive=True),
    "exif": _image("JPEG", "RGB", (16, 16), exif=Image.Exif()),
}


@pytest.mark.parametrize("name", sorted(GOOD_JPEGS))
def test_good_jpeg(name: str) -> None:
    assert check_image(GOOD_JPEGS[name], "jpeg") is None


def test_every_truncation_of_a_jpeg_is_damaged() -> None:
    data = GOOD_JPEGS["progressive"]
    for cut in range(2, len(data) - 1):
        assert code(check_image(data[:cut], "jpeg")) == "skadet-fil", cut


def test_jpeg_with_junk_after_eoi_is_accepted() -> None:
    assert check_image(GOOD_JPEGS["baseline"] + b"\0" * 100, "jpeg") is None


def test_jpeg_pixel_limit() -> None:
    data = bytearray(GOOD_JPEGS["baseline"])
    sof = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, 60_000, 60_000)
    assert code(check_image(bytes(data), "jpeg")) == "for-stor"
    struct.pack_into(">HH", data, sof + 5, 0, 16)
    assert code(check_image(bytes(data), "jpeg")) == "skadet-fil"


def test_gif() -> None:
    data = _image("GIF", "P")
    assert check_image(data, "gif") is None
    assert check_image(data[:-1], "gif") is None  # a missing trailer byte is tolerated
    for cut in range(6, len(data) - 2):
        assert code(check_image(data[:cut], "gif")) == "skadet-fil", cut
    bomb = bytearray(data)
    struct.pack_into("<HH", bomb, 6, 65_535, 65_535)
    assert code(check_image(bytes(bomb), "gif")) == "for-stor"


# --- PDF ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdf")
    src = pikepdf.open(REPO / "vedlegg" / "kartlegging-logg.pdf")
    variants: dict[str, dict[str, object]] = {
        "plain": {},
        "object-streams": {"object_stream_mode": pikepdf.ObjectStreamMode.generate},
        "linearised": {"linearize": True},
        "owner-password": {"encryption": pikepdf.Encryption(owner="o", user="")},
        "user-password": {"encryption": pikepdf.Encryption(owner="o", user="u")},
        "aes-256-xref-stream": {
            "encryption": pikepdf.Encryption(owner="o", user="u", R=6),
            "object_stream_mode": pikepdf.ObjectStreamMode.generate,
        },
        "linearised-encrypted": {"linearize": True, "encryption": pikepdf.Encryption(owner="o")},
    }
    out = {}
    for name, options in variants.items():
        path = folder / f"{name}.pdf"
        src.save(path, **options)  # type: ignore[arg-type]
        out[name] = path
    for example in (REPO / "vedlegg").glob("*.pdf"):
        out[f"example-{example.stem}"] = example
    return out


def _verdict(path: Path) -> str | None:
    return code(check_pdf(path, path.stat().st_size))


@pytest.mark.parametrize("name", ["plain", "object-streams", "linearised"])
def test_good_pdf(pdfs: dict[str, Path], name: str) -> None:
    assert _verdict(pdfs[name]) is None


def test_bundled_attachments_are_good(pdfs: dict[str, Path]) -> None:
    examples = [n for n in pdfs if n.startswith("example-")]
    assert len(examples) >= 4
    assert all(_verdict(pdfs[n]) is None for n in examples)


@pytest.mark.parametrize(
    "name", ["owner-password", "user-password", "aes-256-xref-stream", "linearised-encrypted"]
)
def test_encrypted_pdf(pdfs: dict[str, Path], name: str) -> None:
    assert _verdict(pdfs[name]) == "kryptert-pdf"


@pytest.mark.parametrize("name", ["plain", "object-streams", "linearised", "owner-password"])
def test_truncated_pdf(pdfs: dict[str, Path], name: str, tmp_path: Path) -> None:
    data = pdfs[name].read_bytes()
    for cut in (8, 30, 200, len(data) // 2, len(data) - 20):
        part = tmp_path / "avkortet.pdf"
        part.write_bytes(data[: len(data) - cut])
        assert _verdict(part) == "skadet-fil", cut


def test_pdf_structure(pdfs: dict[str, Path], tmp_path: Path) -> None:
    data = pdfs["plain"].read_bytes()
    path = tmp_path / "x.pdf"

    def verdict(content: bytes) -> str | None:
        path.write_bytes(content)
        return _verdict(path)

    assert verdict(data + b"\r\n\0\0<html>junk from a mail gateway</html>\n") is None
    assert verdict(b"%PDF-1.7\n" + bytes(range(256)) * 4 + b"\n%%EOF\n") == "skadet-fil"
    at = data.rindex(b"startxref")
    assert verdict(data[:at] + b"startxref\n99999999\n%%EOF\n") == "skadet-fil"  # past the end
    # An offset that misses the table (some writers miscount) is repaired by readers: accepted,
    # and an /Encrypt in the trailer near the end is still seen.
    assert verdict(data[:at] + b"startxref\n3\n%%EOF\n") is None
    encrypted = pdfs["owner-password"].read_bytes()
    at = encrypted.rindex(b"startxref")
    assert verdict(encrypted[:at] + b"startxref\n3\n%%EOF\n") == "kryptert-pdf"
