"""JSON Schema of the case file, generated from the profiles (for editors' autocompletion)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from saksgen.profiles import Profile
from saksgen.scaffold import get_profile, profiles_or_fail

_EXEMPT = {
    "description": "false, eller hjemmelen, f.eks. «offl. § 13 jf. fvl. § 13 første ledd nr. 1»",
    "anyOf": [{"const": False}, {"type": "string", "pattern": "[Oo]ffl\\.?\\s*§+\\s*\\d+"}],
}
_TEXT = {"type": ["string", "number"]}


def _header(profiles: list[Profile]) -> dict[str, Any]:
    return {
        "møte": {"enum": sorted(p.id for p in profiles), "description": "Møtetype (profil)"},
        "tittel": {"type": "string", "minLength": 1},
        "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
        "saksnummer": {"type": ["string", "integer"]},
        "sakstype": {"enum": ["beslutning", "orientering", "diskusjon"]},
        "til": _TEXT, "fra": _TEXT, "saksbehandler": {"type": ["string", "null"]},
        "dato": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$",
                 "description": "ISO-dato, skrives ut som «6. mars 2024»"},
        "unntatt_offentlighet": _EXEMPT,
        "offentlig_tittel": {"type": ["string", "null"]},
        "presenteres_av": {"type": ["string", "null"]},
    }


def _attachment() -> dict[str, Any]:
    item = {
        "type": "object", "additionalProperties": False, "required": ["tittel"],
        "properties": {
            "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
            "tittel": {"type": "string"}, "fil": {"type": "string"},
            "unntatt_offentlighet": _EXEMPT,
        },
    }
    return {"type": "array", "items": {"anyOf": [{"type": "string"}, item]}}


def _ascii(key: str) -> str:
    from saksgen.keys import fold

    return fold(key)


def case_schema(profiles: list[Profile]) -> dict[str, Any]:
    props = _header(profiles)
    for p in profiles:
        for s in p.sections:
            if s.kind == "liste":
                schema: dict[str, Any] = {"type": "array", "items": _TEXT, "minItems": 1}
            elif s.kind == "vedlegg":
                schema = _attachment()
            else:
                schema = {"type": ["string", "null"]}
            props.setdefault(s.key, {**schema, "description": s.heading + (
                f" — {s.guidance}" if s.guidance else "")})
    for key in list(props):  # ASCII spellings are the same keys
        if _ascii(key) != key:
            props[_ascii(key)] = props[key]
    required = ["møte", "tittel", "fra", "dato"]
    if len(profiles) == 1:
        required += [s.key for s in profiles[0].sections if s.required]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "saksgen saksfil" + (f" ({profiles[0].name})" if len(profiles) == 1 else ""),
        "type": "object",
        "additionalProperties": False,
        "required": required,
        "properties": props,
    }


def schema_json(root: Path, profile_name: str | None) -> str:
    if profile_name:
        profiles = [get_profile(root, profile_name)]
    else:
        profiles = sorted(profiles_or_fail(root).values(), key=lambda p: p.id)
    return json.dumps(case_schema(profiles), ensure_ascii=False, indent=2)
