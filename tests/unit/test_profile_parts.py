"""profil.yaml's målform, tekster:, felt:, headings per målform and the konklusjon default."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from saksgen.diagnostics import Collector
from saksgen.load.profiles import BUILTIN_DIR, load_profiles
from saksgen.texts import nynorsk

BASE = """\
navn: Styringsgruppe
{extra}
seksjoner:
  - {{nøkkel: sammendrag, overskrift: {{bokmål: Sammendrag, nynorsk: Samandrag}}, påkrevd: true}}
  - {{nøkkel: konklusjon, overskrift: Forslag til konklusjon, påkrevd: true}}
"""


def _profile(tmp_path: Path, extra: str) -> tuple[dict, Collector]:
    folder = tmp_path / "maler" / "sg"
    folder.mkdir(parents=True)
    (folder / "profil.yaml").write_text(BASE.format(extra=extra), encoding="utf-8")
    shutil.copyfile(BUILTIN_DIR / "ad-mote" / "mal.docx", folder / "mal.docx")
    diag = Collector()
    return load_profiles(tmp_path, diag), diag


def test_defaults_and_headings_per_malform(tmp_path: Path) -> None:
    profiles, diag = _profile(tmp_path, "målform: nynorsk")
    assert diag.items == []
    sg = profiles["sg"]
    assert sg.malform == "nynorsk" and sg.texts("fra") == "Frå"
    assert sg.texts_in("bokmål")("fra") == "Fra"
    assert sg.sections[0].heading == "Samandrag"
    assert sg.sections[0].heading_for("bokmål") == "Sammendrag"
    assert sg.section("konklusjon").kind == "liste"  # a list unless the profile says type: tekst


def test_builtin_profiles_ship_the_contract_nynorsk_headings() -> None:
    profiles = load_profiles(Path("/nonexistent"), Collector())
    ikt = {s.key: s.heading_for("nynorsk") for s in profiles["ikt-fagdirektormote"].sections}
    assert ikt["sammendrag"] == "Kva saka handlar om i korte trekk"
    assert ikt["særskilte_forhold"] == "Særskilde forhold som bør belysast"
    assert ikt["omdømme"] == "Omdøme"
    assert ikt["avsjekkpunkt"] == "Behov for framtidige avsjekkpunkt i RHF IKT-direktørmøtet"
    ad = {s.key: s.heading_for("nynorsk") for s in profiles["ad-mote"].sections}
    assert ad["avsjekkpunkt"] == "Behov for framtidige avsjekkpunkt i AD-møtet"
    assert profiles["ad-mote"].line(5, 2024) == "AD-møte – Sak 05-2024"


def test_text_overrides(tmp_path: Path) -> None:
    profiles, diag = _profile(tmp_path, "tekster:\n  saksbehandler: Kontaktperson")
    assert diag.items == []
    assert profiles["sg"].texts("saksbehandler") == "Kontaktperson"
    assert profiles["sg"].texts_in("nynorsk")("saksbehandler") == "Kontaktperson"
    assert profiles["sg"].texts_in("nynorsk")("fra") == nynorsk.TEXTS["fra"]


def test_own_fields(tmp_path: Path) -> None:
    extra = (
        "felt:\n"
        "  - {nøkkel: arkivreferanse, etikett: Arkivsak}\n"
        "  - {nøkkel: møtedato, etikett: Møtedato, type: dato, påkrevd: true}"
    )
    profiles, diag = _profile(tmp_path, extra)
    assert diag.items == []
    fields = profiles["sg"].fields
    assert [(f.key, f.label, f.kind, f.required) for f in fields] == [
        ("arkivreferanse", "Arkivsak", "tekst", False),
        ("møtedato", "Møtedato", "dato", True),
    ]


@pytest.mark.parametrize(
    ("extra", "code", "where", "words"),
    [
        ("målform: nynorks", "ukjent-målform", "2:10", "«nynorks»"),
        ("malform: svensk", "ukjent-målform", "2:10", "«svensk»"),
        ("tekster:\n  saksbehandlr: Kontakt", "ukjent-tekst", "3:3", "mente du «saksbehandler»?"),
        (
            "felt:\n  - {nøkkel: arkiv}\n  - {nøkkel: arkiv}",
            "dobbelt-felt",
            "4:14",
            "«arkiv»",
        ),
        ("felt:\n  - {nøkkel: saksbehandler}", "dobbelt-felt", "3:14", "innebygd"),
        ("felt:\n  - {nøkkel: sammendrag}", "dobbelt-felt", "3:14", "avsnitt"),
        ("felt:\n  - {nøkkel: x, type: tall}", "ugyldig-verdi", "3:23", "felttype"),
    ],
)
def test_bad_profile_input_is_located(tmp_path: Path, extra: str, code: str, where: str, words: str) -> None:
    profiles, diag = _profile(tmp_path, extra)
    [d] = diag.items
    assert d.code == code and d.severity == "feil"
    assert str(d.location) == f"maler/sg/profil.yaml:{where}"
    assert words in d.message + " " + (d.hint or "")
    assert "sg" not in profiles  # a broken profile is not used half-read
