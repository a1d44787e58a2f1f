"""Bad-input corpus: every file of tests/corpus/ through ``saksgen check`` and
``saksgen build --format docx``, each alone in a fresh copy of the corpus repository.

tests/corpus/expected.yaml says, per file, which diagnostics must appear where (and which files
are valid and must build). Whatever the input: no traceback, no "intern feil", no output for a
failing case, nothing written outside the output folder.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result

from saksgen.load.document import MAX_FILE_BYTES
from saksgen.validate.files import MAX_ATTACHMENT_BYTES, MAX_IMAGE_BYTES
from saksgen.validate.values import MAX_SECTION_CHARS
from tests.conftest import MINIMAL_CASE, docx_text

CORPUS = Path(__file__).parent / "corpus"
MANIFEST: dict[str, dict[str, Any]] = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))
HELPER_DIRS = ("figurer", "vedlegg")
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

TINY_PNG = (CORPUS / "figurer" / "liten.png").read_bytes()
TINY_PDF = (CORPUS / "vedlegg" / "ekte.pdf").read_bytes()


# --- files made at test time ------------------------------------------------------------------


def _gen_ikke_utf8() -> bytes:
    text = MINIMAL_CASE.replace("  Vurderingen.", "  Vurderingen på norsk.")
    return text.encode("utf-8").replace("på".encode(), b"p\xe5")  # Latin-1 "å"


def _gen_dyp_nosting_krasj() -> bytes:
    # 60 000 levels: libyaml's recursive composer used to crash the interpreter (segfault).
    return ("x: " + "[" * 60_000 + "]" * 60_000 + "\n" + MINIMAL_CASE).encode()


def _gen_mange_verdier() -> bytes:
    return (MINIMAL_CASE + "vedlegg:\n" + "  - a\n" * 25_000).encode()


def _big_section(size: int) -> str:
    line = "  " + "Lang tekst om saken. " * 4 + "\n"
    return line * (size // len(line) + 1)


def _gen_for_stor_fil() -> bytes:
    body = _big_section(MAX_FILE_BYTES + 1024 * 1024)  # several MB
    return MINIMAL_CASE.replace("  Vurderingen.\n", body).encode()


def _gen_stort_avsnitt() -> bytes:
    body = _big_section(MAX_SECTION_CHARS + 64 * 1024)  # over the section limit, under the file limit
    return MINIMAL_CASE.replace("  Vurderingen.\n", body).encode()


def _gen_stort_gyldig_avsnitt() -> bytes:
    body = "".join(
        f"  Avsnitt {i} om saken med litt mer tekst. Avsnitt {i} slutter her.\n\n" for i in range(1000)
    )
    return MINIMAL_CASE.replace("  Vurderingen.\n", body).encode()


GENERATORS: dict[str, Callable[[], bytes]] = {
    "ikke-utf8": _gen_ikke_utf8,
    "dyp-nosting-krasj": _gen_dyp_nosting_krasj,
    "mange-verdier": _gen_mange_verdier,
    "for-stor-fil": _gen_for_stor_fil,
    "stort-avsnitt": _gen_stort_avsnitt,
    "stort-gyldig-avsnitt": _gen_stort_gyldig_avsnitt,
}


def _sparse(path: Path, head: bytes, size: int) -> None:
    """A file of ``size`` bytes that costs no disk space (and no time) to make."""
    with path.open("wb") as fh:
        fh.write(head)
        fh.truncate(size)


def _setup(kind: str, repo: Path, outside: Path) -> None:
    if kind == "uleselig":
        path = repo / "figurer" / "uleselig.png"
        path.write_bytes(TINY_PNG)
        path.chmod(0)
    elif kind == "stort-bilde":
        _sparse(repo / "figurer" / "stort.png", TINY_PNG[:8], MAX_IMAGE_BYTES + 1)
    elif kind == "stort-vedlegg":
        _sparse(repo / "vedlegg" / "stort.pdf", b"%PDF-1.4\n", MAX_ATTACHMENT_BYTES + 1)
    elif kind == "fil-utenfor":
        (repo.parent / "utenfor.png").write_bytes(TINY_PNG)
    elif kind == "symlenke-ut":
        secret = outside / "hemmelig.pdf"
        secret.write_bytes(TINY_PDF)
        (repo / "vedlegg" / "lenke.pdf").symlink_to(secret)
    else:  # pragma: no cover - manifest typo
        raise AssertionError(f"ukjent oppsett {kind}")


def make_repo(tmp_path: Path, name: str, entry: dict[str, Any]) -> Path:
    repo = tmp_path / "repo"
    outside = tmp_path / "utenfor"
    outside.mkdir()
    for d in HELPER_DIRS:
        shutil.copytree(CORPUS / d, repo / d)
    (repo / "saker").mkdir()
    (repo / "moter").mkdir()
    target = repo / name
    if "generer" in entry:
        target.write_bytes(GENERATORS[entry["generer"]]())
    else:
        shutil.copyfile(CORPUS / name, target)
    for extra in entry.get("med", []):
        shutil.copyfile(CORPUS / extra, repo / extra)
    if "oppsett" in entry:
        _setup(entry["oppsett"], repo, outside)
    return repo


# --- assertions -------------------------------------------------------------------------------


def snapshot(root: Path) -> dict[str, tuple[int, int, int]]:
    """Every path under ``root`` with size, mtime and mode (symlinks not followed). A folder's
    own size and mtime change with its entries, which are recorded themselves."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for n in dirnames:
            p = Path(dirpath) / n
            out[p.relative_to(root).as_posix()] = (0, 0, p.lstat().st_mode)
        for n in filenames:
            p = Path(dirpath) / n
            st = p.lstat()
            out[p.relative_to(root).as_posix()] = (st.st_size, st.st_mtime_ns, st.st_mode)
    return out


DIAG_LINE = re.compile(
    r"^(?P<path>[^:\s]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>feil|advarsel): "
    r".+ \[(?P<code>[a-zæøå-]+)\]$"
)


def no_crash(result: Result) -> None:
    text = result.output + (result.stderr or "")
    assert result.exception is None or isinstance(result.exception, SystemExit), text
    assert "Traceback" not in text, text
    assert "intern feil" not in text and "intern-feil" not in text, text


def diagnostics(result: Result) -> set[tuple[str, int, int, str, str]]:
    found = set()
    for line in (result.output + (result.stderr or "")).splitlines():
        m = DIAG_LINE.match(line)
        if m:
            found.add((m["path"], int(m["line"]), int(m["col"]), m["sev"], m["code"]))
    return found


def expected(name: str, entry: dict[str, Any]) -> list[tuple[str, int, int, str, str]]:
    out = []
    for spec in entry.get("forventet", []):
        where, sev, code = spec.split()
        line, col = where.split(":")
        out.append((name, int(line), int(col), sev, code))
    return out


def assert_reports(result: Result, name: str, entry: dict[str, Any], what: str) -> None:
    got = diagnostics(result)
    text = result.output + (result.stderr or "")
    for want in expected(name, entry):
        assert want in got, f"{what}: mangler {want}\n{text}"
    want_exit = entry.get("exit", 1)
    assert result.exit_code == want_exit, f"{what}: exit {result.exit_code}\n{text}"
    if want_exit == 0:
        assert not any(d[3] == "feil" for d in got), text
    if "hint" in entry:
        assert entry["hint"] in text, text


ENTRIES = sorted(MANIFEST)


def test_manifest_covers_the_corpus() -> None:
    files = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file())
    cases = [f for f in files if f.startswith(("saker/", "moter/"))]
    assert set(cases) <= set(MANIFEST), set(cases) - set(MANIFEST)
    generated = {n for n, e in MANIFEST.items() if "generer" in e}
    assert set(MANIFEST) - generated <= set(cases)
    assert len(files) >= 45, len(files)
    for name in MANIFEST:
        assert expected(name, MANIFEST[name]) or MANIFEST[name].get("exit") == 0, name


@pytest.mark.parametrize("name", ENTRIES)
def test_corpus_file(name: str, tmp_path: Path, run: Callable[..., Result]) -> None:
    entry = MANIFEST[name]
    repo = make_repo(tmp_path, name, entry)
    skip_diag = entry.get("rot") == "hopp" and IS_ROOT  # chmod 000 does not stop root
    before = snapshot(tmp_path)

    check = run(repo, "check", name)
    no_crash(check)
    if not skip_diag:
        assert_reports(check, name, entry, "check")
    assert snapshot(tmp_path) == before, "check skrev filer"

    build = run(repo, "build", name, "--format", "docx")
    no_crash(build)
    after = snapshot(tmp_path)
    changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    outside = sorted(p for p in changed if p != "repo/output" and not p.startswith("repo/output/"))
    assert not outside, f"bygging skrev utenfor output/: {outside}"
    leftovers = [p for p in after if ".saksgen-tmp-" in p]
    assert not leftovers, leftovers
    if skip_diag:
        return
    assert_reports(build, name, entry, "build")
    outputs = sorted(p for p in after if p.endswith((".docx", ".pdf")) and p.startswith("repo/output/"))
    if entry.get("exit", 1) == 0 and name.startswith("moter/"):
        folder = f"repo/output/{Path(name).stem}/"
        assert f"{folder}sakliste.docx" in outputs, outputs
        assert all(p.startswith(folder) for p in outputs), outputs
    elif entry.get("exit", 1) == 0:
        docx = repo / "output" / (Path(name).stem + ".docx")
        assert [p for p in outputs] == [f"repo/output/{docx.name}"]
        text = docx_text(docx)
        for literal in entry.get("tekst", []):
            assert literal in text, f"{literal!r} mangler i\n{text}"
        for absent in entry.get("ikke_tekst", []):
            assert absent not in text
    else:
        assert not outputs, f"en sak med feil ga utdata: {outputs}"
