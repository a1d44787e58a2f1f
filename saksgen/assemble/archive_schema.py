"""The JSON Schema of ``arkiv.json`` (``saksgen schema --arkiv``): Noark 5 names, DESIGN §14."""

from __future__ import annotations

from typing import Any

_UUID = {"type": "string", "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"}
_TEXT = {"type": "string", "minLength": 1}
_SKJERMING = {
    "anyOf": [
        {"type": "null"},
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["tilgangsrestriksjon", "skjermingshjemmel"],
            "properties": {"tilgangsrestriksjon": {"const": "UO"}, "skjermingshjemmel": _TEXT},
        },
    ]
}


def _object(properties: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "description": description,
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }


def arkiv_schema() -> dict[str, Any]:
    moetemappe = _object(
        {
            "systemID": _UUID,
            "utvalg": _TEXT,
            "moetedato": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
            "moetested": {"type": ["string", "null"]},
            "tittel": _TEXT,
        },
        "møtet (Noark 5 møtemappe)",
    )
    moetesak = _object(
        {
            "systemID": _UUID,
            "moetesaksaar": {"type": "integer"},
            "moetesakssekvensnummer": {"type": "integer", "minimum": 1},
            "saksnummer": _TEXT,
            "tittel": _TEXT,
            "offentligTittel": _TEXT,
            "sakstype": {"enum": ["beslutning", "orientering", "diskusjon"]},
            "skjerming": _SKJERMING,
            "vedtak": {"anyOf": [{"type": "null"}, {"type": "array", "items": _TEXT}]},
        },
        "en sak i møtet (Noark 5 møtesaksregistrering)",
    )
    dokument = _object(
        {
            "systemID": _UUID,
            "moetesak": {"anyOf": [{"type": "null"}, _UUID]},
            "dokumenttype": {
                "enum": ["Saksframlegg", "Saksliste", "Møteprotokoll", "Vedlegg", "Saksdokumenter"]
            },
            "tilknyttetRegistreringSom": {"enum": ["Hoveddokument", "Vedlegg"]},
            "tittel": _TEXT,
            "offentligTittel": _TEXT,
            "fil": {"type": "string", "pattern": "^(?!/)(?!.*\\.\\./)[^\\\\]+$"},
            "format": _TEXT,
            "sjekksum": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "sjekksumAlgoritme": {"const": "SHA-256"},
            "filstoerrelse": {"type": "integer", "minimum": 0},
            "skjerming": _SKJERMING,
        },
        "en fil i møtemappen (Noark 5 dokumentbeskrivelse og dokumentobjekt)",
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "saksgen arkiv.json",
        "description": "Arkivuttrekk for ett møte, med navn fra Noark 5",
        **_object(
            {
                "moetemappe": moetemappe,
                "moetesaker": {"type": "array", "items": moetesak},
                "dokumenter": {"type": "array", "items": dokument},
            },
            "arkivuttrekk for ett møte",
        ),
    }
