"""``saksgen ny`` and ``saksgen maler``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from saksgen.diagnostics import Collector
from saksgen.load.profiles import load_profiles
from tests.conftest import copy_examples

PROFILES = ["ikt-fagdirektormote", "ad-mote"]


def _profile(name: str):
    return load_profiles(Path("/nonexistent"), Collector())[name]


@pytest.mark.parametrize("profil", PROFILES)
def test_new_case_fails_check_until_filled_in(profil: str, tmp_path: Path, run) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    result = run(repo, "ny", profil, "--tittel", 'Felles «plattform»: "test"', "--id", "ny-sak")
    assert result.exit_code == 0, result.output
    assert result.stdout == "skrev saker/ny-sak.yaml\n"
    path = repo / "saker" / "ny-sak.yaml"
    text = path.read_text(encoding="utf-8")

    # Every section of the profile, in order, with its heading and guidance as comments.
    profile = _profile(profil)
    positions = [text.index(f"\n{s.key}:") for s in profile.sections]
    assert positions == sorted(positions)
    for s in profile.sections:
        mark = "påkrevd" if s.required else "valgfri"
        assert f"# --- {s.heading} ({mark}) ---" in text
        if s.guidance:
            assert f"# {s.guidance.splitlines()[0]}" in text
    data = yaml.safe_load(text)
    assert data["møte"] == profil
    assert data["tittel"] == 'Felles «plattform»: "test"'

    check = run(repo, "check", "--format", "json")
    assert check.exit_code == 1
    report = json.loads(check.stdout)
    found = {(d["kode"], d["melding"].split("«")[1].split("»")[0]) for d in report["diagnostikk"]}
    required = {s for s in profile.sections if s.required}
    for s in required:
        assert ("tom-avsnitt", s.heading) in found, s.key
    assert ("mangler-felt", "fra") in found
    # optional sections left as placeholders are simply left out, not errors
    assert {code for code, _ in found} == {"tom-avsnitt", "mangler-felt"}

    # Filling in the placeholders makes it pass.
    filled = text.replace('"[fylles inn: Helse XX RHF]"', "Helse Vest RHF")
    filled = filled.replace("  [fylles inn]", "  Skrevet ut.").replace('"[fylles inn]"', "Vedtak.")
    path.write_text(filled, encoding="utf-8")
    done = run(repo, "check")
    assert done.exit_code == 0, done.stdout
    assert done.stdout == "1 fil kontrollert: 0 feil, 0 advarsler\n"


def test_new_case_without_title_or_id(tmp_path: Path, run) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    result = run(repo, "ny", "ad-mote", "--tittel", "Økt bruk av skytjenester i Helse Sør-Øst")
    assert result.exit_code == 0, result.output
    assert (repo / "saker" / "okt-bruk-av-skytjenester-i-helse-sor-ost.yaml").is_file()

    untitled = run(repo, "ny", "ad-mote")
    assert untitled.exit_code == 0
    check = run(repo, "check", "saker/ny-sak.yaml")
    assert check.exit_code == 1
    assert "feltet «tittel» er bare plassholdertekst [mangler-felt]" in check.stdout


def test_new_case_usage_errors(tmp_path: Path, run) -> None:
    repo = copy_examples(tmp_path / "repo", only=("saker",))
    unknown = run(repo, "ny", "styret", "--id", "x")
    assert unknown.exit_code == 2
    assert "ukjent møtetype «styret»" in unknown.stderr

    bad_id = run(repo, "ny", "ad-mote", "--id", "Min_Sak")
    assert bad_id.exit_code == 2
    assert "[bruk]" in bad_id.stderr

    before = (repo / "saker" / "ki-retningslinjer.yaml").read_bytes()
    exists = run(repo, "ny", "ad-mote", "--id", "ki-retningslinjer")
    assert exists.exit_code == 2
    assert "finnes allerede" in exists.stderr
    assert (repo / "saker" / "ki-retningslinjer.yaml").read_bytes() == before

    assert run(repo, "ny").exit_code == 2  # PROFIL is required


def test_maler_lists_both_profiles(tmp_path: Path, run) -> None:
    result = run(tmp_path, "maler")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert re.search(r"^ad-mote: AD-møte ", out, re.M)
    assert re.search(r"^ikt-fagdirektormote: RHF IKT/fagdirektørmøte ", out, re.M)
    blocks = {b.split(":", 1)[0]: b for b in out.strip().split("\n\n")}
    assert set(blocks) == set(PROFILES)
    for name in PROFILES:
        for s in _profile(name).sections:
            flag = "påkrevd" if s.required else "valgfri"
            assert re.search(
                rf"^  - {re.escape(s.key)}\s+{re.escape(s.heading)}  \({flag}\)$", blocks[name], re.M
            ), (name, s.key)
    assert "risiko" in blocks["ad-mote"] and "risiko" not in blocks["ikt-fagdirektormote"]
    assert "Sak 32/24" in blocks["ikt-fagdirektormote"] and "Sak 32-2024" in blocks["ad-mote"]


def test_maler_includes_local_profiles(tmp_path: Path, run) -> None:
    folder = tmp_path / "maler" / "styringsgruppe"
    folder.mkdir(parents=True)
    (folder / "profil.yaml").write_text(
        "navn: Styringsgruppe\nseksjoner:\n  - {nøkkel: sammendrag, overskrift: Sammendrag, påkrevd: true}\n",
        encoding="utf-8",
    )
    (folder / "mal.docx").write_bytes(b"")
    result = run(tmp_path, "maler")
    assert result.exit_code == 0, result.output
    assert "styringsgruppe: Styringsgruppe  (maler/styringsgruppe/profil.yaml)" in result.stdout
    assert "  - sammendrag           Sammendrag  (påkrevd)" in result.stdout
