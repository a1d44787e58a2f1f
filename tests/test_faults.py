"""Faults on the build path (missing or hanging tools, unwritable output, Ctrl+C) and resource
limits: each gives a clear Norwegian error and exit 1, and earlier outputs stay intact."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pikepdf
import pytest
from click.testing import Result

import saksgen.convert.soffice
import saksgen.write
from saksgen.load.document import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES
from saksgen.validate.files import MAX_ATTACHMENT_BYTES, MAX_IMAGE_BYTES
from saksgen.validate.values import MAX_SECTION_CHARS
from tests.conftest import MINIMAL_CASE, pdf_text, write_case

HAS_SOFFICE = shutil.which("soffice") is not None or shutil.which("libreoffice") is not None
needs_soffice = pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice er ikke installert")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    write_case(root, "sak.yaml", MINIMAL_CASE)
    # Temporary work folders go here, so the tests can see that none is left behind.
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmpdir))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return root


def text_of(result: Result) -> str:
    return result.output + (result.stderr or "")


def assert_clean(result: Result, repo: Path) -> None:
    text = text_of(result)
    assert "Traceback" not in text and "intern feil" not in text, text
    leftovers = [p for p in repo.rglob("*") if p.name.startswith(saksgen.write.TEMP_PREFIX)]
    assert not leftovers, leftovers
    work = list(Path(tempfile.tempdir or "/nonexistent").glob("saksgen-*"))
    assert not work, f"midlertidige mapper ble liggende: {work}"


def edit_case(repo: Path, new: str = "Vurderingen er endret.") -> None:
    path = repo / "saker" / "sak.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Vurderingen.", new), encoding="utf-8")


# --- missing and hanging tools ----------------------------------------------------------------


def test_pandoc_missing(repo: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAKSGEN_PANDOC", "/nonexistent/pandoc")
    result = run(repo, "build", "saker/sak.yaml", "--format", "docx")
    assert result.exit_code == 1, text_of(result)
    assert "kan ikke starte pandoc (/nonexistent/pandoc)" in result.stderr
    assert "[mangler-verktøy]" in result.stderr
    assert not list(repo.rglob("*.docx"))
    assert_clean(result, repo)


def test_libreoffice_missing(repo: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAKSGEN_SOFFICE", "/nonexistent/soffice")
    result = run(repo, "build", "saker/sak.yaml")
    assert result.exit_code == 1, text_of(result)
    err = result.stderr
    assert "saker/sak.yaml" in err and "/nonexistent/soffice" in err and "LibreOffice" in err, err
    docx.Document(str(repo / "output" / "sak.docx"))  # the DOCX is still written, and whole
    assert not list(repo.rglob("*.pdf"))
    assert_clean(result, repo)


def test_libreoffice_hanging_is_stopped(
    repo: Path, tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAKSGEN_PDF_TIDSAVBRUDD", "1.5")
    pids = tmp_path / "pids"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\necho $$ >> {pids}\nexec sleep 600\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("SAKSGEN_SOFFICE", str(fake))
    start = time.monotonic()
    result = run(repo, "build", "saker/sak.yaml")
    assert time.monotonic() - start < 30
    assert result.exit_code == 1, text_of(result)
    assert "saker/sak.yaml" in result.stderr and "ble stoppet" in result.stderr, result.stderr
    assert (repo / "output" / "sak.docx").exists()
    assert not list(repo.rglob("*.pdf"))
    started = pids.read_text().split()
    assert started  # the fake LibreOffice ran: the loop below checks a real process
    for pid in started:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(int(pid), os.WNOHANG)
        with pytest.raises(ProcessLookupError):
            os.kill(int(pid), 0)  # no LibreOffice left behind
    assert_clean(result, repo)


# --- unwritable output ------------------------------------------------------------------------


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """A folder nobody can write in. chmod does not stop root; the immutable flag does."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("kjører som root og kan ikke sette chattr +i her")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_read_only_output_folder(repo: Path, run: Callable[..., Result]) -> None:
    first = run(repo, "build", "saker/sak.yaml", "--format", "docx")
    assert first.exit_code == 0, text_of(first)
    out = repo / "output" / "sak.docx"
    before = out.read_bytes()
    edit_case(repo)
    with read_only(repo / "output"):
        result = run(repo, "build", "saker/sak.yaml", "--format", "docx")
    assert result.exit_code == 1, text_of(result)
    assert "[skrivefeil]" in result.stderr and "mangler skrivetilgang" in result.stderr, result.stderr
    assert out.read_bytes() == before
    assert_clean(result, repo)


@pytest.mark.parametrize("args", [["-o", "utdata/ny"], ["-o", "utdata"]])
def test_output_folder_is_a_file(repo: Path, run: Callable[..., Result], args: list[str]) -> None:
    (repo / "utdata").write_text("en fil, ikke en mappe\n", encoding="utf-8")
    result = run(repo, "build", "saker/sak.yaml", "--format", "docx", *args)
    assert result.exit_code in (1, 2), text_of(result)
    err = result.stderr
    assert "utdata" in err and "feil:" in err, err
    for english in ("Directory", "is a file", "Not a directory", "Errno"):
        assert english not in err, err
    assert (repo / "utdata").read_text(encoding="utf-8") == "en fil, ikke en mappe\n"
    assert_clean(result, repo)


# --- Ctrl+C -----------------------------------------------------------------------------------


def _interrupt(*args: object, **kwargs: object) -> None:
    raise KeyboardInterrupt


class _OsReplaceInterrupted:
    """``os`` for saksgen.write, whose rename is interrupted: Ctrl+C in the middle of writing."""

    def __getattr__(self, name: str) -> object:
        return getattr(os, name)

    replace = staticmethod(_interrupt)


@pytest.mark.parametrize("where", ["render", "write"])
def test_ctrl_c_leaves_earlier_outputs_and_no_temporaries(
    repo: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    first = run(repo, "build", "saker/sak.yaml", "--format", "docx")
    assert first.exit_code == 0, text_of(first)
    out = repo / "output" / "sak.docx"
    before = out.read_bytes()
    edit_case(repo)
    if where == "render":
        monkeypatch.setattr("saksgen.render.papers.render_template", _interrupt)
    else:
        monkeypatch.setattr(saksgen.write, "os", _OsReplaceInterrupted())
    result = run(repo, "build", "saker/sak.yaml", "--format", "docx")
    assert result.exit_code == 1, text_of(result)
    assert "avbrutt" in result.stderr, result.stderr
    assert out.read_bytes() == before
    assert sorted(p.name for p in (repo / "output").iterdir() if p.suffix == ".docx") == ["sak.docx"]
    assert_clean(result, repo)


# --- an earlier good PDF survives a failed rebuild --------------------------------------------


@needs_soffice
def test_good_pdf_stays_byte_identical_when_a_rebuild_fails(
    repo: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = run(repo, "build", "saker/sak.yaml")
    assert first.exit_code == 0, text_of(first)
    pdf, docx_path = repo / "output" / "sak.pdf", repo / "output" / "sak.docx"
    good_pdf, good_docx = pdf.read_bytes(), docx_path.read_bytes()

    # 1. the case gets a content error: nothing is touched
    case = repo / "saker" / "sak.yaml"
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("dato: 2024-03-06", "dato: 2024-02-30"), encoding="utf-8")
    broken = run(repo, "build", "saker/sak.yaml")
    assert broken.exit_code == 1 and "[ugyldig-dato]" in broken.stderr
    assert pdf.read_bytes() == good_pdf and docx_path.read_bytes() == good_docx

    # 2. the case is fine but LibreOffice is missing: the old PDF stays as it was
    case.write_text(text.replace("Vurderingen.", "Vurderingen er endret."), encoding="utf-8")
    monkeypatch.setenv("SAKSGEN_SOFFICE", "/nonexistent/soffice")
    no_lo = run(repo, "build", "saker/sak.yaml")
    assert no_lo.exit_code == 1
    assert pdf.read_bytes() == good_pdf
    assert_clean(no_lo, repo)

    # 3. LibreOffice is back: the stale PDF is not mistaken for an up-to-date one
    monkeypatch.delenv("SAKSGEN_SOFFICE")
    again = run(repo, "build", "saker/sak.yaml")
    assert again.exit_code == 0, text_of(again)
    assert pdf.read_bytes() != good_pdf


# --- resource limits: refused before any heavy work -------------------------------------------


def _sparse(path: Path, head: bytes, size: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        fh.write(head)
        fh.truncate(size)


def _big_lines(size: int) -> str:
    line = "  " + "Lang tekst. " * 8 + "\n"
    return line * (size // len(line) + 1)


def _limit_file(repo: Path) -> str:
    write_case(repo, "sak.yaml", MINIMAL_CASE.replace("  Vurderingen.\n", _big_lines(MAX_FILE_BYTES)))
    return "saker/sak.yaml:1:1"


def _limit_section(repo: Path) -> str:
    write_case(
        repo, "sak.yaml", MINIMAL_CASE.replace("  Vurderingen.\n", _big_lines(MAX_SECTION_CHARS + 64 * 1024))
    )
    return "saker/sak.yaml:9:12"


def _limit_image(repo: Path) -> str:
    _sparse(repo / "figurer" / "stor.png", b"\x89PNG\r\n\x1a\n", MAX_IMAGE_BYTES + 1)
    write_case(repo, "sak.yaml", MINIMAL_CASE.replace("  Vurderingen.", "  ![Stor](figurer/stor.png)"))
    return "saker/sak.yaml:10:11"


def _limit_attachment(repo: Path) -> str:
    _sparse(repo / "vedlegg" / "stor.pdf", b"%PDF-1.7\n", MAX_ATTACHMENT_BYTES + 1)
    write_case(repo, "sak.yaml", MINIMAL_CASE + "vedlegg:\n  - tittel: Stor\n    fil: vedlegg/stor.pdf\n")
    return "saker/sak.yaml:19:10"


def _limit_nodes(repo: Path) -> str:
    write_case(repo, "sak.yaml", MINIMAL_CASE + "vedlegg:\n" + "  - a\n" * (MAX_NODES + 10))
    return "saker/sak.yaml:20005:5"


def _limit_depth(repo: Path) -> str:
    write_case(repo, "sak.yaml", MINIMAL_CASE + "x: " + "[" * 100_000 + "]" * 100_000 + "\n")
    return f"saker/sak.yaml:17:{4 + MAX_DEPTH - 1}"  # the top mapping is level 1


@pytest.mark.parametrize(
    "make",
    [_limit_file, _limit_section, _limit_image, _limit_attachment, _limit_nodes, _limit_depth],
    ids=["fil", "avsnitt", "bilde", "vedlegg", "verdier", "nosting"],
)
def test_limits_are_refused_before_heavy_work(
    repo: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch, make: Callable[[Path], str]
) -> None:
    started: list[str] = []

    def no_pandoc(*args: object, **kwargs: object) -> None:
        started.append("pandoc")
        raise AssertionError("pandoc skal ikke startes")

    monkeypatch.setattr("saksgen.render.pandoc.pandoc_path", no_pandoc)
    monkeypatch.setattr("saksgen.render.papers.PandocBatch", no_pandoc)
    where = make(repo)
    for command in (["check", "saker/sak.yaml"], ["build", "saker/sak.yaml", "--format", "docx"]):
        result = run(repo, *command)
        assert result.exit_code == 1, text_of(result)
        lines = [line for line in text_of(result).splitlines() if line.startswith(where + ": feil: ")]
        assert lines and lines[0].endswith("[for-stor]"), text_of(result)
        assert_clean(result, repo)
    assert not started
    assert not (repo / "output").exists()


# --- a paper LibreOffice fails to convert: its agenda row says "ettersendes" ------------------

MARKER = "PDFFEILMARKOR"  # in one case's body only: the agenda (titles) never contains it

FAKE_UNO_PYTHON = """\
#!/usr/bin/python3
# Plays the system Python for saksgen's kept LibreOffice: runs the REAL uno_worker.py (argv[1:])
# and passes its lines through, except that a DOCX whose text holds the marker is refused here,
# as LibreOffice refuses a document it cannot convert.
import json, subprocess, sys, zipfile

MARKER, LOG = {marker!r}, {log!r}
worker = subprocess.Popen(["/usr/bin/python3", *sys.argv[1:]], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, text=True, bufsize=1)
first = worker.stdout.readline()  # {{"ready": true}} (or why the worker could not start)
sys.stdout.write(first)
sys.stdout.flush()
if not json.loads(first or "{{}}").get("ready"):
    sys.exit(worker.wait())
while True:
    line = sys.stdin.readline()
    if not line:
        break
    request = json.loads(line)
    with zipfile.ZipFile(request["in"]) as docx:
        refuse = MARKER in docx.read("word/document.xml").decode("utf-8")
    with open(LOG, "a", encoding="utf-8") as log:
        log.write(("refused " if refuse else "converted ") + request["out"] + "\\n")
    if refuse:
        answer = json.dumps({{"ok": False, "error": "IOException: (prøve) kunne ikke eksporteres"}}) + "\\n"
    else:
        worker.stdin.write(line)
        worker.stdin.flush()
        answer = worker.stdout.readline()
        if not answer:
            break  # the worker died: so does its stand-in, as the real one would
    sys.stdout.write(answer)
    sys.stdout.flush()
worker.stdin.close()
sys.exit(worker.wait())
"""


def _uris(path: Path) -> set[str]:
    with pikepdf.open(path) as pdf:
        return {
            str(a.A.URI)
            for page in pdf.pages
            for a in page.get("/Annots", [])
            if a.get("/Subtype") == "/Link" and "/A" in a and "/URI" in a.A
        }


def _processes_naming(folder: Path) -> list[str]:
    """Processes whose command line names ``folder`` (LibreOffice's profile, the workers' args)."""
    needles = (str(folder).encode(), folder.as_uri().encode())
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and entry.name != str(os.getpid()):
            with contextlib.suppress(OSError):
                cmdline = (entry / "cmdline").read_bytes()
                if any(n in cmdline for n in needles):
                    shown = cmdline.replace(b"\0", b" ").decode(errors="replace")
                    found.append(f"{entry.name}: {shown}")
    return found


@needs_soffice
@pytest.mark.skipif(not Path("/usr/bin/python3").is_file(), reason="ingen /usr/bin/python3 (python3-uno)")
def test_paper_libreoffice_cannot_convert_is_marked_ettersendes_in_the_agenda(
    repo: Path, tmp_path: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    """LibreOffice (the real one, behind a stand-in for its Python that refuses one document)
    fails one paper of a meeting: the agenda, first made as if every paper would be, is made
    again with that case's row and title kept, marked "Saksdokumentene ettersendes" and not
    linked; the pack is left out unless --ufullstendig-pakke; no LibreOffice is left running.
    Once the paper converts, the agenda links both papers again."""
    log = tmp_path / "uno.log"
    fake = tmp_path / "uno-python"
    fake.write_text(FAKE_UNO_PYTHON.format(marker=MARKER, log=str(log)), encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("SAKSGEN_UNO_PYTHON", str(fake))
    title = "Saken som ikke blir PDF"
    failing = write_case(
        repo,
        "feiler.yaml",
        MINIMAL_CASE.replace("En enkel testsak", title).replace("Vurderingen.", f"Vurderingen {MARKER}."),
    )
    (repo / "moter").mkdir()
    (repo / "moter" / "mote.yaml").write_text(
        "møte: ikt-fagdirektormote\ndato: 2024-06-12\nsaker:\n  - sak\n  - feiler\n", encoding="utf-8"
    )
    folder = repo / "output" / "mote"
    agenda, pack = folder / "sakliste.pdf", folder / "saksdokumenter.pdf"
    work = Path(tempfile.tempdir or "/nonexistent")  # the repo fixture's temp folder

    result = run(repo, "build", "moter/mote.yaml")
    err = result.stderr
    assert result.exit_code == 1, text_of(result)
    line = next((x for x in err.splitlines() if "[pdf-feilet]" in x), "")
    assert line.startswith("saker/feiler.yaml:") and ": feil: " in line, err
    assert "(LibreOffice: IOException: (prøve) kunne ikke eksporteres)" in line, line  # its reason
    # Through the stand-in: the agenda and the good paper converted, the marked paper refused,
    # then the agenda once more (a second convert call: .../c2/out/...).
    answers = [line.split()[0] for line in log.read_text(encoding="utf-8").splitlines()]
    assert sorted(answers) == ["converted"] * 3 + ["refused"], answers
    assert "/c2/out/" in log.read_text(encoding="utf-8").splitlines()[-1]
    assert (
        "mote/saksdokumenter.pdf er ikke laget fordi noen saker feilet" in err
        and "[ufullstendig-pakke]" in err
    )
    assert not pack.exists()
    assert (folder / "03-sak.pdf").is_file() and not (folder / "04-feiler.pdf").exists()
    text = " ".join(pdf_text(agenda).split())
    assert title in text and "Saksdokumentene ettersendes" in text, text
    assert MARKER not in text
    assert _uris(agenda) == {"03-sak.pdf"}
    assert _processes_naming(work) == []
    assert_clean(result, repo)

    partial = run(repo, "build", "moter/mote.yaml", "--ufullstendig-pakke")
    assert partial.exit_code == 1 and "[pdf-feilet]" in partial.stderr, text_of(partial)
    assert "[ufullstendig-pakke]" not in partial.stderr
    with pikepdf.open(pack) as pdf, pdf.open_outline() as outline:
        assert [item.title for item in outline.root] == ["Sakliste", "Sak 03/24 En enkel testsak"]
    assert "Saksdokumentene ettersendes" in " ".join(pdf_text(pack).split())
    assert _uris(agenda) == {"03-sak.pdf"}
    assert _processes_naming(work) == []
    assert_clean(partial, repo)

    failing.write_text(failing.read_text(encoding="utf-8").replace(f" {MARKER}", ""), encoding="utf-8")
    fixed = run(repo, "build", "moter/mote.yaml")
    assert fixed.exit_code == 0, text_of(fixed)
    assert (folder / "04-feiler.pdf").is_file() and pack.is_file()
    text = " ".join(pdf_text(agenda).split())
    assert title in text and "ettersendes" not in text, text
    assert _uris(agenda) == {"03-sak.pdf", "04-feiler.pdf"}
    assert _processes_naming(work) == []
    assert_clean(fixed, repo)
