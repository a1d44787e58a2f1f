"""After the meeting: protokoll.docx/pdf and arkiv.json from real builds (pandoc, LibreOffice),
and the protokoll's input errors. The public set's leak test is in test_meeting.py."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import docx
import jsonschema
import pikepdf
import pytest

from tests.conftest import copy_examples, invoke, pdf_text

MEETING = "ikt-fagdirektormote-2024-06"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _num_ids(path: Path) -> list[tuple[str, str]]:
    """(numId, text) of every paragraph with Word numbering."""
    out = []
    for p in docx.Document(str(path)).paragraphs:
        num = p._p.find(f"{W}pPr/{W}numPr/{W}numId")
        if num is not None:
            out.append((num.get(f"{W}val"), p.text))
    return out


def test_protokoll_content_order_and_numbering(built_examples: Path) -> None:
    folder = built_examples / "output" / MEETING
    numbered = _num_ids(folder / "protokoll.docx")
    texts = [t for _, t in numbered]
    assert texts == [
        "Innkalling og saksliste godkjennes.",
        "RHF IKT/fagdirektørmøtet slutter seg til målarkitekturen i figur 1.",
        "RHF IKT/fagdirektørmøtet ber arbeidsgruppen utarbeide en konseptvalgutredning innen desember "
        "2024, i tråd med vedlegg 1.",
        "Møtet tar orienteringen til etterretning.",
        "Arbeidsgruppen rapporterer tilbake innen 1. desember.",
        "RHF IKT/fagdirektørmøtet tek orienteringa til etterretning.",
        "Dei andre regionane melder innan 1. september om dei vil ta løysinga i bruk.",
    ]
    # Real numbering, restarted per item: each vedtak its own list.
    ids = [n for n, _ in numbered]
    assert ids[1] == ids[2] and ids[3] == ids[4] and ids[5] == ids[6]
    assert len({ids[0], ids[1], ids[3], ids[5]}) == 4
    text = pdf_text(folder / "protokoll.pdf")
    flat = " ".join(text.split())
    assert "Protokoll fra RHF IKT/fagdirektørmøte 12. juni 2024" in flat
    order = [
        "Møteleder: Ingrid Solberg",
        "Referent: Torbjørn Lie",
        "Til stede",
        "Siri Bakken (Helse Nord RHF)",
        "Forfall",
        "Jonas Dahl",
        "Andre",
        "Sak 30/24 Godkjenning av innkalling",
        "Sak 32/24 Etablering av felles plattform",
        "Vedtak:",
        "1. RHF IKT/fagdirektørmøtet slutter seg til målarkitekturen i figur 1.",
        "Votering: enstemmig",
        "Protokolltilførsel:",
        "Helse Nord RHF ba om at driftskostnadene",
        "Sak 33/24 Status for felles forvaltning",
        "2. Arbeidsgruppen rapporterer tilbake",
        "Votering: vedtatt med 3 mot 1 stemme",
        "Sak 34/24 Felles løysing for digital timebestilling",
        "1. RHF IKT/fagdirektørmøtet tek orienteringa til etterretning.",
        "Sak 35/24 Eventuelt",
        "Referat:",
        "planlagt nedetid i juli",
        "Underskrifter",
    ]
    at = 0
    for wanted in order:  # each after the one before
        found = flat.find(wanted, at)
        assert found >= 0, (wanted, flat[at : at + 200])
        at = found + len(wanted)
    assert "@fig" not in flat and "**" not in flat
    with pikepdf.open(folder / "protokoll.pdf") as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        assert "/StructTreeRoot" in pdf.Root and str(pdf.Root.Lang) == "nb-NO"
        assert str(pdf.docinfo["/Title"]).startswith("Protokoll fra RHF IKT/fagdirektørmøte")


def _check_archive(built: Path, folder: Path) -> dict:
    schema = json.loads(invoke(built, "schema", "--arkiv").stdout)
    record = json.loads((folder / "arkiv.json").read_text(encoding="utf-8"))
    jsonschema.validate(record, schema)
    for d in record["dokumenter"]:
        path = folder / d["fil"]
        assert path.is_file() and folder in path.resolve().parents
        data = path.read_bytes()
        assert d["sjekksum"] == hashlib.sha256(data).hexdigest(), d["fil"]
        assert d["filstoerrelse"] == len(data)
        with pikepdf.open(path) as pdf:
            claim = pdf.open_metadata().get("pdfaid:part")
        assert (d["format"] == "PDF/A-2b") == (claim == "2"), d["fil"]
    return record


def test_archive_export_lists_every_file(built_examples: Path) -> None:
    folder = built_examples / "output" / MEETING
    record = _check_archive(built_examples, folder)
    types = [d["dokumenttype"] for d in record["dokumenter"]]
    assert types[:3] == ["Saksliste", "Møteprotokoll", "Saksdokumenter"]
    assert types.count("Saksframlegg") == 3 and types.count("Vedlegg") == 2
    assert [s["moetesakssekvensnummer"] for s in record["moetesaker"]] == [30, 31, 32, 33, 34, 35]
    assert record["moetesaker"][0]["vedtak"] == ["Innkalling og saksliste godkjennes."]
    attachment = next(d for d in record["dokumenter"] if d["dokumenttype"] == "Vedlegg")
    assert attachment["fil"].startswith("vedlegg/") and attachment["tilknyttetRegistreringSom"] == "Vedlegg"
    assert {d["format"] for d in record["dokumenter"] if d["dokumenttype"] == "Saksframlegg"} == {"PDF/A-2b"}
    _check_archive(built_examples, folder / "offentlig")
    # A meeting without protokoll: an export without minutes, and no protokoll files.
    other = built_examples / "output" / "ad-mote-2024-06"
    assert "Møteprotokoll" not in [
        d["dokumenttype"] for d in _check_archive(built_examples, other)["dokumenter"]
    ]
    assert not (other / "protokoll.pdf").exists()


def test_system_ids_are_the_same_in_another_folder(tmp_path: Path) -> None:
    records = []
    for name in ("a", "b"):
        repo = copy_examples(tmp_path / name)
        result = invoke(repo, "build", f"moter/{MEETING}.yaml")
        assert result.exit_code == 0, result.stderr
        records.append((repo / "output" / MEETING / "arkiv.json").read_bytes())
        again = invoke(repo, "build", f"moter/{MEETING}.yaml")
        assert (
            "uendret" in again.stderr
            and (repo / "output" / MEETING / "arkiv.json").read_bytes() == records[-1]
        )
    assert records[0] == records[1]
    ids = re.findall(rb'"systemID": "([0-9a-f-]{36})"', records[0])
    assert len(ids) == len(set(ids)) > 5


BAD = [
    ("    ukjent-sak: {vedtak: som-foreslått}\n", r":\d+:5: feil: .*ukjent-sak.*\[ukjent-protokollsak\]"),
    ("    kodeverk-forvaltning: {vedtak: som-foreslått, voteringg: x}\n", r"\[ukjent-nøkkel\]\n.*votering"),
    ("    kodeverk-forvaltning: {vedtak: {a: b}}\n", r"«vedtak» skal være .*\[feil-type\]"),
    (
        "    kodeverk-forvaltning: {vedtak: [ok, [liste]]}\n",
        r"punkt 2 i «vedtak» skal være tekst.*\[feil-type\]",
    ),
    ("    eventuelt: {vedtak: som-foreslått}\n", r"«som-foreslått» for «eventuelt».*\[ugyldig-verdi\]"),
]


def _meeting(repo: Path, saker: str, head: str = "  møteleder: Anne\n") -> None:
    path = repo / "moter" / f"{MEETING}.yaml"
    text = path.read_text(encoding="utf-8").split("protokoll:")[0]
    path.write_text(text + "protokoll:\n" + head + "  saker:\n" + saker, encoding="utf-8")


@pytest.mark.parametrize(("saker", "expected"), BAD)
def test_bad_protokoll_is_located(tmp_path: Path, saker: str, expected: str) -> None:
    repo = copy_examples(tmp_path / "repo")
    _meeting(repo, "    felles-loggplattform: {vedtak: som-foreslått}\n" + saker)
    result = invoke(repo, "check", f"moter/{MEETING}.yaml")
    out = result.stdout + result.stderr
    assert result.exit_code == 1
    assert re.search(rf"^moter/{MEETING}\.yaml:\d+:\d+: feil: .*", out, re.M), out
    assert re.search(expected, out), out


def test_names_must_be_text_and_nothing_is_written(tmp_path: Path) -> None:
    repo = copy_examples(tmp_path / "repo")
    _meeting(repo, "    felles-loggplattform: {vedtak: som-foreslått}\n", "  tilstede: [Anne, [Ola, Kari]]\n")
    result = invoke(repo, "build", f"moter/{MEETING}.yaml")
    assert result.exit_code == 1
    assert re.search(
        rf"^moter/{MEETING}\.yaml:\d+:\d+: feil: navn 2 i «tilstede» skal være tekst", result.stderr, re.M
    )
    assert not (repo / "output" / MEETING).exists()


def test_missing_vedtak_is_a_warning(tmp_path: Path) -> None:
    repo = copy_examples(tmp_path / "repo")
    _meeting(repo, "    felles-loggplattform: {vedtak: som-foreslått}\n")
    result = invoke(repo, "check", f"moter/{MEETING}.yaml")
    out = result.stdout + result.stderr
    assert result.exit_code == 0, out
    assert re.search(
        rf"^moter/{MEETING}\.yaml:\d+:5: advarsel: saken «kodeverk-forvaltning» har ikke noe vedtak"
        r".*\[mangler-vedtak\]",
        out,
        re.M,
    ), out
    assert "felles-loggplattform» har ikke" not in out
