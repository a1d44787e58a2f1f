"""The archive export without LibreOffice: systemIDs derived from ids, and the record built from
the files in a meeting folder (dummy bytes stand in for the PDFs), checked against its schema."""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path

import jsonschema
import pytest

from saksgen.assemble.archive import NAMESPACE, archive_record, listed_files, system_id
from saksgen.assemble.archive_schema import arkiv_schema
from saksgen.diagnostics import Collector
from saksgen.resolve.project import Project, gather
from tests.conftest import MINIMAL_CASE, REPO, write_case

SECRET = "Hemmeligtittel4410"


def test_system_id_is_uuid5_of_the_ids() -> None:
    a = system_id("ikt-fagdirektormote", "mote", "sak")
    assert a == system_id("ikt-fagdirektormote", "mote", "sak")
    assert a == str(uuid.uuid5(NAMESPACE, "ikt-fagdirektormote/mote/sak"))
    assert uuid.UUID(a).version == 5
    assert a != system_id("ikt-fagdirektormote", "mote", "sak2")
    assert a != system_id("ad-mote", "mote", "sak")
    # The namespace is a contract: changing it changes every ID handed to an archive.
    assert system_id("ikt-fagdirektormote", "mote") == "e5e62c7c-832b-50d7-b0ad-0e7ebcb27c53"
    assert str(NAMESPACE) == "6f1c8e2a-4d3b-5a7e-9c10-5a6b7367656e"


def _project(tmp_path: Path, protokoll: str = "") -> Project:
    repo = tmp_path / "repo"
    exempt = MINIMAL_CASE.replace(
        "tittel: En enkel testsak",
        f"tittel: {SECRET}\noffentlig_tittel: Nøytral tittel\nunntatt_offentlighet: offl. § 14",
    )
    write_case(repo, "hemmelig.yaml", exempt)
    (repo / "vedlegg").mkdir()
    pdf = (REPO / "vedlegg" / "forhandlingsrom.pdf").read_bytes()
    (repo / "vedlegg" / "a.pdf").write_bytes(pdf)
    (repo / "vedlegg" / "b.pdf").write_bytes(pdf)
    write_case(
        repo,
        "apen.yaml",
        MINIMAL_CASE
        + "vedlegg:\n"
        + f"  - {{tittel: Unntatt {SECRET}, fil: vedlegg/a.pdf, unntatt_offentlighet: offl. § 14}}\n"
        + "  - {tittel: Åpent vedlegg, fil: vedlegg/b.pdf}\n",
    )
    (repo / "moter").mkdir()
    (repo / "moter" / "mote.yaml").write_text(
        "møte: ikt-fagdirektormote\ndato: 2024-06-12\nsted: Bodø\nsaker: [hemmelig, apen]\n" + protokoll,
        encoding="utf-8",
    )
    diag = Collector()
    project = gather(repo, ["moter/mote.yaml"], diag)
    assert not diag.errors, [d.format_text() for d in diag.errors]
    return project


PROTOKOLL = f"""protokoll:
  møteleder: Anne
  saker:
    hemmelig: {{vedtak: [Vedtak om {SECRET}]}}
    apen: {{vedtak: som-foreslått, votering: enstemmig}}
"""


@pytest.mark.parametrize("public", [False, True])
def test_record_from_the_folder(tmp_path: Path, public: bool) -> None:
    project = _project(tmp_path, PROTOKOLL)
    meeting = project.meetings["mote"]
    folder = tmp_path / "out" / ("offentlig" if public else "")
    files = listed_files(project, meeting, public, folder)
    for i, f in enumerate(files):
        (folder / f.fil).parent.mkdir(parents=True, exist_ok=True)
        (folder / f.fil).write_bytes(f"fil {i}".encode())
    record = archive_record(project, meeting, public, folder)
    jsonschema.validate(record, arkiv_schema())
    types = [d["dokumenttype"] for d in record["dokumenter"]]
    text = json.dumps(record, ensure_ascii=False)
    if public:
        assert SECRET not in text
        assert types == ["Saksliste", "Møteprotokoll", "Saksframlegg", "Vedlegg"]
        exempt = next(s for s in record["moetesaker"] if s["skjerming"])
        assert exempt["tittel"] == "Nøytral tittel" and exempt["vedtak"] is None
    else:
        assert SECRET in text
        assert types == ["Saksliste", "Møteprotokoll", "Saksframlegg", "Saksframlegg", "Vedlegg", "Vedlegg"]
        exempt = next(s for s in record["moetesaker"] if s["skjerming"])
        assert exempt["vedtak"] == [f"Vedtak om {SECRET}"]
        apen = next(s for s in record["moetesaker"] if s["saksnummer"].endswith("04/24"))
        assert apen["vedtak"] == ["Møtet tar saken til orientering."]
    assert exempt["skjerming"] == {"tilgangsrestriksjon": "UO", "skjermingshjemmel": "offl. § 14"}
    for d in record["dokumenter"]:
        data = (folder / d["fil"]).read_bytes()
        assert d["sjekksum"] == hashlib.sha256(data).hexdigest() and d["filstoerrelse"] == len(data)
        assert d["format"] == "PDF"  # dummy bytes are no PDF/A: never a false claim
    case_ids = {s["systemID"] for s in record["moetesaker"]}
    assert all(d["moetesak"] in case_ids for d in record["dokumenter"] if d["moetesak"])
    # Derived, not random: the same record again, and the meeting's id from its ids.
    assert archive_record(project, meeting, public, folder) == record
    assert record["moetemappe"]["systemID"] == system_id("ikt-fagdirektormote", "mote")


def test_without_protokoll_no_minutes_and_no_vedtak(tmp_path: Path) -> None:
    project = _project(tmp_path)
    meeting = project.meetings["mote"]
    files = listed_files(project, meeting, False, tmp_path)
    assert "Møteprotokoll" not in [f.dokumenttype for f in files]
    for f in files:
        (tmp_path / f.fil).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / f.fil).write_bytes(b"x")
    record = archive_record(project, meeting, False, tmp_path)
    assert all(s["vedtak"] is None for s in record["moetesaker"])
