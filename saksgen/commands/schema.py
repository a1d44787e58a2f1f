"""JSON Schema of the case file, generated from the profiles (for editors' autocompletion)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from saksgen.commands.scaffold import get_profile, profiles_or_fail
from saksgen.ids import ID_PATTERN
from saksgen.load.profiles import SAKSTYPER, Profile
from saksgen.validate.fields import ATTACHMENT_FIELDS, CASE_FIELDS, Field

_EXEMPT = {
    "anyOf": [{"const": False}, {"type": "string", "pattern": "[Oo]ffl\\.?\\s*§+\\s*\\d+"}],
}
_ID = {"type": "string", "pattern": ID_PATTERN.pattern}
_TEXT = {"type": ["string", "number"]}


def _field_schema(field: Field, profiles: list[Profile]) -> dict[str, Any]:
    """One row of the field table as JSON Schema."""
    kinds: dict[str, dict[str, Any]] = {
        "profil": {"enum": sorted(p.id for p in profiles)},
        "tekst": {"type": ["string", "number"]} if field.required else {"type": ["string", "number", "null"]},
        "dato": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
        "id": _ID,
        "fil-id": _ID,
        "saksnummer": {"type": ["string", "integer"]},
        "sakstype": {"enum": sorted(SAKSTYPER)},
        "hjemmel": _EXEMPT,
        "heltall": {"type": "integer", "minimum": 1},
        "liste": {"type": "array"},
        "målform": {"enum": ["bokmål", "bokmal", "nynorsk"]},
        "ja-nei": {"type": "boolean"},
    }
    return {**kinds[field.kind], "description": field.description}


def _header(profiles: list[Profile]) -> dict[str, Any]:
    props = {f.key: _field_schema(f, profiles) for f in CASE_FIELDS}
    for p in profiles:  # the profiles' own header fields (``felt:``)
        for d in p.fields:
            kind: dict[str, Any] = (
                {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"}
                if d.kind == "dato"
                else {"type": ["string", "number", "null"]}
            )
            props.setdefault(
                d.key, {**kind, "description": d.label + (f" — {d.guidance}" if d.guidance else "")}
            )
    return props


def _attachment(profiles: list[Profile]) -> dict[str, Any]:
    item = {
        "type": "object",
        "additionalProperties": False,
        "required": [f.key for f in ATTACHMENT_FIELDS if f.required],
        "properties": {f.key: _field_schema(f, profiles) for f in ATTACHMENT_FIELDS},
    }
    return {"type": "array", "items": {"anyOf": [{"type": "string"}, item]}}


def _ascii(key: str) -> str:
    from saksgen.load.keys import fold

    return fold(key)


def _required(keys: list[str]) -> list[dict[str, Any]]:
    """Each key is required in its Norwegian or its ASCII spelling (``omdømme``/``omdomme``)."""
    out: list[dict[str, Any]] = []
    for key in keys:
        spellings = sorted({key, _ascii(key)})
        if len(spellings) == 1:
            out.append({"required": spellings})
        else:
            out.append({"oneOf": [{"required": [k]} for k in spellings]})  # not both
    return out


def _profile_rules(profile: Profile, all_keys: set[str]) -> dict[str, Any]:
    """For a file of this profile: its required sections, and no sections of other profiles."""
    own = {s.key for s in profile.sections}
    foreign = sorted({k for k in all_keys - own} | {_ascii(k) for k in all_keys - own})
    required = [s.key for s in profile.sections if s.required] + [d.key for d in profile.fields if d.required]
    rules: dict[str, Any] = {"allOf": _required(required)}
    if foreign:
        rules["properties"] = dict.fromkeys(foreign, False)
    return rules


def case_schema(profiles: list[Profile]) -> dict[str, Any]:
    props = _header(profiles)
    header_keys = set(props)
    for p in profiles:
        for s in p.sections:
            if s.kind == "liste":
                schema: dict[str, Any] = {"type": "array", "items": _TEXT, "minItems": 1}
            elif s.kind == "vedlegg":
                schema = _attachment(profiles)
            else:
                schema = {"type": ["string", "number", "null"]}
            props.setdefault(
                s.key, {**schema, "description": s.heading + (f" — {s.guidance}" if s.guidance else "")}
            )
    section_keys = set(props) - header_keys
    for key in list(props):  # ASCII spellings are the same keys
        if _ascii(key) != key:
            props[_ascii(key)] = props[key]
    rules = _required([f.key for f in CASE_FIELDS if f.required])
    if len(profiles) == 1:
        rules.append(_profile_rules(profiles[0], section_keys))
    else:
        for p in profiles:  # the required sections depend on the file's «møte:»
            rules.append(
                {
                    "if": {
                        "anyOf": [
                            {"required": [k], "properties": {k: {"const": p.id}}} for k in ("møte", "mote")
                        ]
                    },
                    "then": _profile_rules(p, section_keys),
                }
            )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "saksgen saksfil" + (f" ({profiles[0].name})" if len(profiles) == 1 else ""),
        "type": "object",
        "additionalProperties": False,
        "allOf": rules,
        "properties": props,
    }


def schema_json(root: Path, profile_name: str | None) -> str:
    if profile_name:
        profiles = [get_profile(root, profile_name)]
    else:
        profiles = sorted(profiles_or_fail(root).values(), key=lambda p: p.id)
    return json.dumps(case_schema(profiles), ensure_ascii=False, indent=2)


def arkiv_json() -> str:
    """The JSON Schema every arkiv.json is valid against."""
    from saksgen.assemble.archive_schema import arkiv_schema

    return json.dumps(arkiv_schema(), ensure_ascii=False, indent=2)
