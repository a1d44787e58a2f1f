"""``saksgen schema [PROFIL]``: a JSON Schema that the example cases satisfy."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.conftest import MINIMAL_CASE, REPO

EXAMPLES = sorted((REPO / "saker").glob("*.yaml"))


def _plain(value: Any) -> Any:
    """yaml.safe_load's dates as ISO strings, as an editor's YAML server sees them."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def load(text: str) -> Any:
    return _plain(yaml.safe_load(text))


def schema(run, *args: str) -> dict[str, Any]:
    result = run(REPO, "schema", *args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(doc)
    return doc


def errors(doc: dict[str, Any], data: Any) -> list[str]:
    return [e.message for e in jsonschema.Draft202012Validator(doc).iter_errors(data)]


def test_examples_exist() -> None:
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_cases_validate(path: Path, run) -> None:
    data = load(path.read_text(encoding="utf-8"))
    assert errors(schema(run), data) == []
    assert errors(schema(run, data["møte"]), data) == []


def test_minimal_case_validates_for_its_profile_only(run) -> None:
    data = load(MINIMAL_CASE)
    assert errors(schema(run, "ikt-fagdirektormote"), data) == []
    assert errors(schema(run, "ad-mote"), data) != []  # møte: must be ad-mote there


def test_unknown_key_fails(run) -> None:
    data = load(MINIMAL_CASE + "vurdring: x\n")
    for args in ((), ("ikt-fagdirektormote",)):
        messages = errors(schema(run, *args), data)
        assert any("vurdring" in m for m in messages), messages


def test_ascii_spellings_validate(run) -> None:
    text = MINIMAL_CASE.replace("møte:", "mote:").replace("omdømme:", "omdomme:")
    text += "saerskilte_forhold: |\n  Ingen.\n"
    data = load(text)
    assert errors(schema(run), data) == []
    assert errors(schema(run, "ikt-fagdirektormote"), data) == []


def test_both_spellings_of_a_required_key_fail(run) -> None:
    data = load(MINIMAL_CASE + "omdomme: |\n  Også.\n")
    assert errors(schema(run, "ikt-fagdirektormote"), data) != []


@pytest.mark.parametrize("missing", ["vurdering", "omdømme", "konklusjon"])
def test_missing_required_section_fails(missing: str, run) -> None:
    data = load(MINIMAL_CASE)
    del data[missing]
    assert errors(schema(run, "ikt-fagdirektormote"), data) != []
    assert errors(schema(run), data) != []  # via the profile named in møte:


def test_section_of_another_profile_fails(run) -> None:
    data = load(MINIMAL_CASE + "risiko: |\n  Lav.\n")  # risiko is an ad-mote section
    assert errors(schema(run), data) != []
    data["møte"] = "ad-mote"
    assert errors(schema(run), data) == []


def test_exemption_needs_a_legal_basis(run) -> None:
    doc = schema(run)
    assert errors(doc, load(MINIMAL_CASE + "unntatt_offentlighet: true\n")) != []
    assert errors(doc, load(MINIMAL_CASE + 'unntatt_offentlighet: "offl. § 14"\n')) == []


def test_unknown_profile_is_a_usage_error(run) -> None:
    result = run(REPO, "schema", "styret")
    assert result.exit_code == 2
    assert "ukjent møtetype «styret»" in result.stderr
