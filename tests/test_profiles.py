"""Profiles and Norwegian formatting: number formats, references, placeholders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from saksgen.diagnostics import Collector
from saksgen.load.profiles import load_profiles
from saksgen.norsk import format_date, format_number, lower_first
from tests.conftest import REPO, copy_examples, invoke, write_case


@pytest.fixture(scope="module")
def profiles() -> dict:
    diag = Collector()
    found = load_profiles(REPO, diag)
    assert not diag.items
    return found


def test_dates_in_norwegian() -> None:
    import datetime as dt

    assert format_date(dt.date(2024, 3, 6)) == "6. mars 2024"
    assert format_date(dt.date(2020, 12, 18)) == "18. desember 2020"


def test_numbers_and_references(profiles: dict) -> None:
    ikt, ad, sg = profiles["ikt-fagdirektormote"], profiles["ad-mote"], profiles["styringsgruppe"]
    assert ikt.number(32, 2024) == "Sak 32/24" and ikt.number(None, 2024) == "Sak XX/24"
    assert ikt.line(None, 2024) == "IKT/fagdirektørmøte – Sak XX/24"
    assert ad.line(5, 2024) == "AD-møte – Sak 05-2024"
    assert ikt.reference(32, 2024, same_series=True) == "sak 32/24"
    assert ad.reference(12, 2024, same_series=False) == "AD-møtesak 12-2024"
    assert ikt.reference(None, 2024, same_series=False) == "IKT/fagdirektørmøtesak XX/24"
    assert sg.reference(2, 2024, same_series=True) == "SG-sak 02/24"  # acronyms stay


def test_any_number_format_has_a_placeholder() -> None:
    assert format_number("sak {nr:03d}/{åå}", None, 2024) == "sak XX/24"
    assert format_number("{nr}-{aaaa}", 7, 2024) == "7-2024"
    assert lower_first("Sak 1") == "sak 1" and lower_first("AD-møtesak") == "AD-møtesak"


def test_format_strings_cannot_reach_attributes(tmp_path: Path) -> None:
    folder = tmp_path / "maler" / "lur"
    folder.mkdir(parents=True)
    shutil.copy(REPO / "maler" / "styringsgruppe" / "mal.docx", folder / "mal.docx")
    (folder / "profil.yaml").write_text(
        'navn: Lur\nsaksnummer: "{nr.__class__}"\nseksjoner:\n'
        "  - {nøkkel: sammendrag, overskrift: Sammendrag, påkrevd: true}\n",
        encoding="utf-8",
    )
    diag = Collector()
    assert "lur" not in load_profiles(tmp_path, diag)
    assert [d.code for d in diag.errors] == ["ugyldig-profil"]
    assert diag.errors[0].location.path == "maler/lur/profil.yaml"


@pytest.mark.parametrize("field", ["saksnummer", "plassholder", "referanse"])
def test_every_format_string_is_checked(tmp_path: Path, field: str) -> None:
    """A bad format is a located error when the profile loads (check), never a KeyError later."""
    folder = tmp_path / "maler" / "lur"
    folder.mkdir(parents=True)
    shutil.copy(REPO / "maler" / "styringsgruppe" / "mal.docx", folder / "mal.docx")
    (folder / "profil.yaml").write_text(
        f'navn: Lur\n{field}: "Sak {{ukjent}}"\nseksjoner:\n'
        "  - {nøkkel: sammendrag, overskrift: Sammendrag, påkrevd: true}\n",
        encoding="utf-8",
    )
    diag = Collector()
    assert "lur" not in load_profiles(tmp_path, diag)
    assert [(d.code, d.location.line) for d in diag.errors if d.location] == [("ugyldig-profil", 2)]


def test_broken_template_is_a_clear_error(tmp_path: Path) -> None:
    repo = copy_examples(tmp_path / "repo", only=("maler",))
    (repo / "maler" / "styringsgruppe" / "mal.docx").write_bytes(b"ikke en docx")
    write_case(repo, "sg.yaml", (REPO / "saker" / "kurve-status.yaml").read_text(encoding="utf-8"))
    result = invoke(repo, "build", "saker/sg.yaml", "--format", "docx")
    assert result.exit_code == 1
    assert "kan ikke lese Word-malen" in result.stderr and "Traceback" not in result.stderr
    assert "intern feil" not in result.stderr
    assert not (repo / "output" / "sg.docx").exists()


def test_template_body_placeholder_must_stand_alone(tmp_path: Path) -> None:
    from saksgen.render.ooxml import TemplateError, _split_template

    body = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>Før SENTINEL</w:t></w:r></w:p></w:body></w:document>"
    )
    with pytest.raises(TemplateError, match="alene"):
        _split_template({"word/document.xml": body.encode()}, "SENTINEL")
    alone = body.replace("Før SENTINEL", "SENTINEL")
    front, back, _ = _split_template({"word/document.xml": alone.encode()}, "SENTINEL")
    assert front == [] and back == []


def test_broken_agenda_template_stops_only_that_meeting(tmp_path: Path) -> None:
    repo = copy_examples(tmp_path / "repo")
    folder = repo / "maler" / "ad-mote"
    shutil.copytree(REPO / "saksgen" / "maler" / "ad-mote", folder)
    (folder / "sakliste.docx").write_bytes(b"PK ikke en docx")
    result = invoke(repo, "build", "moter/")
    assert result.exit_code == 1
    assert "moter/ad-mote-2024-06.yaml:1:1: feil:" in result.stderr and "intern feil" not in result.stderr
    assert (repo / "output" / "ikt-fagdirektormote-2024-06" / "saksdokumenter.pdf").exists()
    assert (repo / "output" / "ad-mote-2024-06" / "43-ki-retningslinjer.pdf").exists()
    assert not (repo / "output" / "ad-mote-2024-06" / "saksdokumenter.pdf").exists()
