"""saksgen.convert.soffice against the real LibreOffice: PDF/A-2b, tags, metadata, reproducibility, batching,
and the fault paths (timeout, crash, missing program, corrupt input, Ctrl+C).

Real conversions are shared through module-scoped fixtures; only the fault tests use fake soffice
scripts. Every test runs with a private XDG_CACHE_HOME so the profile template cache is the test's.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import stat
import subprocess
import tempfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from saksgen.convert import batch as batching
from saksgen.convert import soffice as pdf
from saksgen.convert.batch import PdfJob, PdfResult, convert
from saksgen.errors import ToolFailed, ToolMissing, ToolTimeout

DATE = datetime.date(2024, 3, 6)
HEADINGS = ["Økonomi og bemanning", "Årsrapport for sykehusene", "Særskilte tiltak"]
XMP_NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}


def make_docx(path: Path, heading: str) -> Path:
    """A small case paper: Heading 1, body text with æøå, document language nb-NO via styles."""
    doc = Document()
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "nb-NO")
    lang.set(qn("w:eastAsia"), "nb-NO")
    doc.add_heading(heading, level=1)
    doc.add_paragraph("Blåbærsyltetøy, ærfugl og øyer: styret får en orientering om æøå og ÆØÅ.")
    doc.add_heading("Forslag til vedtak", level=2)
    doc.add_paragraph("Styret tar saken til orientering.")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def job_for(docx: Path, target: Path, n: int) -> PdfJob:
    return PdfJob(
        docx=docx,
        target=target,
        title=f"Sak {n}/24 {HEADINGS[n % 3]}",
        author="Helse Midt-Norge RHF",
        subject=f"Sak {n}/24",
        date=DATE,
        label=f"saker/sak{n}.yaml",
    )


def write_script(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def counting_wrapper(folder: Path) -> tuple[Path, Path]:
    """A soffice that logs every start to a file and then runs the real LibreOffice."""
    real = pdf.find_soffice()
    log = folder / "starts.log"
    script = write_script(folder / "soffice-wrapper", f'echo "$*" >> "{log}"\nexec "{real}" "$@"')
    return script, log


def conversions(log: Path) -> int:
    """Number of conversion processes started (the one-off profile-template run not counted)."""
    if not log.exists():
        return 0
    return sum("--convert-to" in line for line in log.read_text(encoding="utf-8").splitlines())


@pytest.fixture(scope="module")
def private_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Private cache (profile template) and temp dir, so leftovers can be checked."""
    root = tmp_path_factory.mktemp("env")
    (root / "cache").mkdir()
    (root / "tmp").mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(root / "cache"))
        mp.delenv(pdf.SOFFICE_ENV, raising=False)
        mp.setattr(tempfile, "tempdir", str(root / "tmp"))
        yield root


@dataclass
class Batch:
    jobs: list[PdfJob]
    results: list[PdfResult]
    log: Path
    tmp: Path


@pytest.fixture(scope="module")
def batch(private_env: Path, tmp_path_factory: pytest.TempPathFactory) -> Batch:
    """Three documents in one convert() call, two of them with the same file stem."""
    root = tmp_path_factory.mktemp("batch")
    sources = [
        make_docx(root / "a" / "sak.docx", HEADINGS[0]),
        make_docx(root / "b" / "sak.docx", HEADINGS[1]),  # same stem: staging must keep them apart
        make_docx(root / "c" / "annen.docx", HEADINGS[2]),
    ]
    jobs = [job_for(src, root / "output" / f"{n:02d}-sak.pdf", n) for n, src in enumerate(sources)]
    wrapper, log = counting_wrapper(root)
    results = convert(jobs, soffice=str(wrapper))
    return Batch(jobs, results, log, private_env / "tmp")


@pytest.fixture(scope="module")
def first(batch: Batch) -> Iterator[pikepdf.Pdf]:
    with pikepdf.open(batch.jobs[0].target) as doc:
        yield doc


def test_batch_succeeds_with_one_libreoffice_process(batch: Batch) -> None:
    assert [r.error for r in batch.results] == [None, None, None]
    assert [r.job for r in batch.results] == batch.jobs
    assert conversions(batch.log) == 1
    for job in batch.jobs:
        assert job.target.read_bytes().startswith(b"%PDF-")
    # Only the targets in the output folder, nothing left in the temp dir.
    assert sorted(p.name for p in batch.jobs[0].target.parent.iterdir()) == [
        "00-sak.pdf",
        "01-sak.pdf",
        "02-sak.pdf",
    ]
    assert list(batch.tmp.iterdir()) == []


def test_each_pdf_has_its_own_document(batch: Batch) -> None:
    for job, heading in zip(batch.jobs, HEADINGS, strict=True):
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(job.target), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert heading in text
        assert "Blåbærsyltetøy" in text


def test_pdfa_2b_identification(first: pikepdf.Pdf) -> None:
    meta = first.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
    assert meta[f"{{{XMP_NS['pdfaid']}}}part"] == "2"
    assert meta[f"{{{XMP_NS['pdfaid']}}}conformance"] == "B"
    # PDF/A: the XMP stream must stay unfiltered; no encryption.
    assert "/Filter" not in first.Root.Metadata.stream_dict
    assert not first.is_encrypted
    assert "/OutputIntents" in first.Root


def test_tagged_with_language_and_outline(first: pikepdf.Pdf) -> None:
    assert "/StructTreeRoot" in first.Root
    assert bool(first.Root.MarkInfo.Marked) is True
    assert str(first.Root.Lang).startswith("nb")
    assert bool(first.Root.ViewerPreferences.DisplayDocTitle) is True
    assert "/Outlines" in first.Root
    with first.open_outline() as outline:
        titles = [item.title for item in outline.root]
        assert HEADINGS[0] in titles
        top = outline.root[titles.index(HEADINGS[0])]
        assert [child.title for child in top.children] == ["Forslag til vedtak"]


def test_info_and_xmp_agree(batch: Batch, first: pikepdf.Pdf) -> None:
    job = batch.jobs[0]
    info = first.docinfo
    assert str(info.Title) == job.title
    assert str(info.Author) == job.author
    assert str(info.Subject) == job.subject
    assert str(info.Creator) == "saksgen"
    assert str(info.CreationDate) == str(info.ModDate) == "D:20240306000000+00'00'"
    meta = first.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
    assert meta["dc:title"] == job.title
    assert meta["dc:creator"] == [job.author]
    assert meta["dc:description"] == job.subject
    assert meta["pdf:Producer"] == str(info.Producer)
    assert meta["xmp:CreatorTool"] == "saksgen"
    for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
        assert meta[key] == "2024-03-06T00:00:00+00:00"
    raw = first.Root.Metadata.read_bytes().decode("utf-8")
    assert f'<rdf:li xml:lang="x-default">{job.title}</rdf:li>' in raw
    assert f'<rdf:li xml:lang="nb-NO">{job.title}</rdf:li>' in raw
    assert "/DocChecksum" not in first.trailer


def test_icc_profile_dated_from_the_case(first: pikepdf.Pdf) -> None:
    icc = first.Root.OutputIntents[0].DestOutputProfile.read_bytes()
    assert icc[36:40] == b"acsp"
    fields = [int.from_bytes(icc[i : i + 2], "big") for i in range(24, 36, 2)]
    assert fields == [2024, 3, 6, 0, 0, 0]


def test_all_fonts_embedded(batch: Batch) -> None:
    out = subprocess.run(
        ["pdffonts", str(batch.jobs[0].target)], capture_output=True, text=True, check=True
    ).stdout
    rows = out.splitlines()[2:]
    assert rows, out
    for row in rows:
        # columns: name type encoding emb sub uni object ID; type may contain spaces
        assert row.split()[-5] == "yes", row


def test_same_input_gives_byte_identical_pdf(batch: Batch, tmp_path: Path) -> None:
    """A second run, alone rather than in a batch of three, a while later: identical bytes."""
    job = batch.jobs[1]
    again = dataclasses.replace(job, target=tmp_path / "again.pdf")
    time.sleep(1.1)  # LibreOffice's clock dates have one-second resolution
    [result] = convert([again])
    assert result.error is None
    assert again.target.read_bytes() == job.target.read_bytes()


# ---------------------------------------------------------------------------------------------
# Faults


@pytest.fixture
def fault_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(pdf.SOFFICE_ENV, raising=False)
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    return tmp_path


def fake_job(root: Path, n: int) -> PdfJob:
    # The fake programs never read the DOCX, but convert() checks it is a ZIP first.
    docx = root / f"sak{n}.docx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    return job_for(docx, root / "output" / f"sak{n}.pdf", n)


def assert_gone(pid: int) -> None:
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_timeout_kills_libreoffice_and_keeps_old_target(fault_env: Path) -> None:
    pids = fault_env / "pids"
    slow = write_script(fault_env / "slow-soffice", f'echo $$ >> "{pids}"\nexec sleep 60')
    jobs = [fake_job(fault_env, 1), fake_job(fault_env, 2)]
    jobs[0].target.parent.mkdir()
    jobs[0].target.write_bytes(b"%PDF- old good file")

    started = time.monotonic()
    results = convert(jobs, timeout=1.0, soffice=str(slow))
    assert time.monotonic() - started < 10

    assert len(results) == 2
    for result in results:
        assert isinstance(result.error, ToolTimeout)
        assert result.job.label in result.error.message
        assert "sekunder" in result.error.message
    assert jobs[0].target.read_bytes() == b"%PDF- old good file"
    assert not jobs[1].target.exists()
    assert [p.name for p in jobs[0].target.parent.iterdir()] == ["sak1.pdf"]
    started_pids = pids.read_text().split()
    assert started_pids  # the fake LibreOffice really ran, so the loop below checks something
    for pid in started_pids:
        assert_gone(int(pid))
    assert list((fault_env / "tmp").iterdir()) == []


def test_crashing_libreoffice_gives_tool_failed_with_stderr(fault_env: Path) -> None:
    broken = write_script(fault_env / "broken-soffice", 'echo "kaboom: segfault i soffice.bin" >&2\nexit 1')
    jobs = [fake_job(fault_env, 1)]
    [result] = convert(jobs, soffice=str(broken))
    assert isinstance(result.error, ToolFailed)
    assert not isinstance(result.error, ToolTimeout)
    assert "saker/sak1.yaml" in result.error.message
    assert "kaboom" in result.error.stderr
    assert "kaboom" in result.error.format()
    assert not jobs[0].target.exists()
    assert list((fault_env / "tmp").iterdir()) == []


def test_missing_soffice(fault_env: Path) -> None:
    [result] = convert([fake_job(fault_env, 1)], soffice=str(fault_env / "finnes-ikke" / "soffice"))
    assert isinstance(result.error, ToolMissing)
    assert "apt-get install libreoffice-writer-nogui" in result.error.message


def test_missing_soffice_from_environment(fault_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(pdf.SOFFICE_ENV, str(fault_env / "nope"))
    with pytest.raises(ToolMissing, match=pdf.SOFFICE_ENV):
        pdf.find_soffice()


def test_no_jobs_needs_no_libreoffice(fault_env: Path) -> None:
    assert convert([], soffice=str(fault_env / "nope")) == []


def test_corrupt_documents_fail_alone(fault_env: Path) -> None:
    """Garbage bytes and a DOCX LibreOffice cannot load fail; the good ones still convert."""
    good1 = make_docx(fault_env / "god1.docx", HEADINGS[0])
    garbage = fault_env / "søppel.docx"
    garbage.write_bytes(os.urandom(4096))
    unloadable = fault_env / "ødelagt.docx"
    with zipfile.ZipFile(good1) as src, zipfile.ZipFile(unloadable, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, b"<w:document><broken" if item.filename == "word/document.xml" else data)
    good2 = make_docx(fault_env / "god2.docx", HEADINGS[1])
    sources = [good1, garbage, unloadable, good2]
    jobs = [job_for(src, fault_env / "output" / f"{n}.pdf", n) for n, src in enumerate(sources)]
    wrapper, log = counting_wrapper(fault_env)

    results = convert(jobs, soffice=str(wrapper))

    assert results[0].error is None and results[3].error is None
    assert jobs[0].target.is_file() and jobs[3].target.is_file()
    for bad in (results[1], results[2]):
        assert isinstance(bad.error, ToolFailed)
        assert bad.job.label in bad.error.message
        assert not bad.job.target.exists()
    assert "skadet" in results[1].error.message  # caught before LibreOffice
    # LibreOffice's own words are kept for the user (not asserted: they change between releases)
    assert results[2].error.stderr.strip()
    # One batch, plus one retry for the document LibreOffice could not load.
    assert conversions(log) == 2
    assert list((fault_env / "tmp").iterdir()) == []


def test_ctrl_c_kills_libreoffice_and_cleans_up(fault_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pids = fault_env / "pids"
    slow = write_script(
        fault_env / "slow-soffice",
        f'case "$*" in *--convert-to*) echo $$ >> "{pids}";; *) exit 1;; esac\nexec sleep 60',
    )

    def interrupted(self: object, run: object) -> None:
        deadline = time.monotonic() + 10
        # The shell creates the file before its echo writes the pid: wait for the whole line.
        while not (pids.exists() and pids.read_text().endswith("\n")) and time.monotonic() < deadline:
            time.sleep(0.01)
        raise KeyboardInterrupt

    monkeypatch.setattr(batching._Scheduler, "_watch", interrupted)
    job = fake_job(fault_env, 1)
    with pytest.raises(KeyboardInterrupt):
        convert([job], soffice=str(slow))
    assert_gone(int(pids.read_text().split()[0]))
    assert not job.target.exists()
    assert list((fault_env / "tmp").iterdir()) == []


def test_auto_shards() -> None:
    assert batching._auto_shards(1) == 1
    assert batching._auto_shards(batching.SHARD_THRESHOLD - 1) == 1
    cpus = len(os.sched_getaffinity(0))
    assert batching._auto_shards(batching.SHARD_THRESHOLD) == (2 if cpus >= 2 else 1)


def test_two_shards_give_the_same_bytes(batch: Batch, tmp_path: Path) -> None:
    """Sharding changes which documents share a process; the output must not change."""
    jobs = [dataclasses.replace(j, target=tmp_path / j.target.name) for j in batch.jobs]
    wrapper, log = counting_wrapper(tmp_path)
    results = convert(jobs, shards=2, soffice=str(wrapper))
    assert [r.error for r in results] == [None, None, None]
    assert conversions(log) == 2
    for new, old in zip(jobs, batch.jobs, strict=True):
        assert new.target.read_bytes() == old.target.read_bytes()


def test_soffice_is_found() -> None:
    """find_soffice names a program that really is LibreOffice (not merely a file that exists)."""
    import subprocess

    found = pdf.find_soffice()
    version = subprocess.run([found, "--version"], capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("LibreOffice "), version
