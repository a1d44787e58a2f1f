"""The parts of profil.yaml that Part II added: ``målform``, ``tekster:``, ``felt:`` and
headings per målform. Read by load/profiles.py."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from saksgen.diagnostics import Collector
from saksgen.load import keys
from saksgen.load.document import Document
from saksgen.texts import KEYS as TEXT_KEYS
from saksgen.texts import normalise

_FIELD_KEYS = ["nøkkel", "etikett", "påkrevd", "type", "veiledning"]
FIELD_KINDS = ("tekst", "dato")
# Keys a case file has already (validate/fields.py CASE_FIELDS); a profile field may not reuse one.
# Spelt here, not imported, because validate imports load and not the other way round.
BUILTIN_CASE_KEYS = (
    "møte",
    "tittel",
    "id",
    "saksnummer",
    "sakstype",
    "til",
    "fra",
    "saksbehandler",
    "dato",
    "unntatt_offentlighet",
    "offentlig_tittel",
    "presenteres_av",
    "målform",
    # names the paper template already receives (saksgen/templates/variables.py)
    "tekst",
    "unntatt",
    "unntatt_merking",
    "sakslinje",
    "motenavn",
    "innhold",
    "felt",
    "vedlegg",
)


@dataclass(frozen=True)
class FieldDef:
    """A header field of the profile's own (``felt:``): cases fill it, templates print it."""

    key: str
    label: str
    required: bool
    kind: str  # tekst | dato
    guidance: str = ""


def list_of_maps(
    doc: Document, f: keys.Fields, name: str, diag: Collector
) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    value = f.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        diag.error(f.loc(name), "feil-type", f"«{name}» skal være en liste")
        return []
    out = []
    for i, item in enumerate(value):
        path = (*f.vpath(name), i)
        if not isinstance(item, dict):
            diag.error(doc.loc(path), "feil-type", f"element {i + 1} i «{name}» skal ha nøkler")
            continue
        out.append((path, item))
    return out


def read_malform(f: keys.Fields, diag: Collector) -> str | None:
    """``målform:`` of a profile or case: the canonical name, None when absent or unknown."""
    if "målform" not in f:
        return None
    raw = keys.text(f, "målform", diag)
    if raw is None:
        return None
    name = normalise(raw)
    if name is None:
        diag.error(
            f.loc("målform"),
            "ukjent-målform",
            f"ukjent målform «{raw}»",
            "skriv bokmål eller nynorsk",
        )
    return name


def malform_of(f: keys.Fields, diag: Collector) -> str:
    return read_malform(f, diag) or "bokmål"


def text_overrides(doc: Document, f: keys.Fields, diag: Collector) -> tuple[tuple[str, str], ...]:
    value = f.get("tekster")
    if value is None:
        return ()
    if not isinstance(value, dict):
        diag.error(f.loc("tekster"), "feil-type", "«tekster» skal ha nøkler (til: …, fra: …)")
        return ()
    out = []
    for key, text in value.items():
        path = (*f.vpath("tekster"), key)
        if key not in TEXT_KEYS:
            hint = keys.closest(str(key), list(TEXT_KEYS))
            diag.error(
                doc.loc(path, key=True),
                "ukjent-tekst",
                f"ukjent tekstnøkkel «{key}» under «tekster»",
                f"mente du «{hint}»?" if hint else "se README for tekstnøklene",
            )
            continue
        if not isinstance(text, str):
            diag.error(doc.loc(path), "feil-type", f"teksten «{key}» skal være tekst")
            continue
        out.append((str(key), text))
    return tuple(out)


def read_fields_of_profile(
    doc: Document, f: keys.Fields, diag: Collector, section_keys: list[str]
) -> tuple[FieldDef, ...]:
    result: list[FieldDef] = []
    taken = {keys.fold(k): "et innebygd felt" for k in BUILTIN_CASE_KEYS}
    taken.update({keys.fold(k): "et avsnitt" for k in section_keys})
    for path, item in list_of_maps(doc, f, "felt", diag):
        s = keys.normalise(doc, path, item, _FIELD_KEYS, diag)
        key = keys.text(s, "nøkkel", diag, required=True)
        label = keys.text(s, "etikett", diag) or key
        kind = keys.text(s, "type", diag) or "tekst"
        if kind not in FIELD_KINDS:
            diag.error(s.loc("type"), "ugyldig-verdi", f"ukjent felttype «{kind}»", "bruk tekst eller dato")
        required = s.get("påkrevd", False)
        if not isinstance(required, bool):
            diag.error(s.loc("påkrevd"), "feil-type", "«påkrevd» skal være true eller false")
            required = False
        if not key or not label:
            continue
        if not re.match(r"^[^\W\d][\w]*$", key):
            diag.error(
                s.loc("nøkkel"),
                "ugyldig-id",
                f"feltnøkkelen «{key}» kan bare ha bokstaver, tall og _",
                "malen skriver den ut som {{ nøkkel }}",
            )
            continue
        clash = taken.get(keys.fold(key))
        if clash:
            diag.error(
                s.loc("nøkkel"),
                "dobbelt-felt",
                f"feltet «{key}» er allerede {clash}",
                "gi feltet et annet navn",
            )
            continue
        taken[keys.fold(key)] = "deklarert over i «felt»"
        guidance = keys.text(s, "veiledning", diag, one_line=False) or ""
        result.append(FieldDef(key, label, required, kind, guidance))
    return tuple(result)


def headings(
    doc: Document, s: keys.Fields, diag: Collector, malform: str
) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """``overskrift:`` is a string, or one heading per målform ``{bokmål: …, nynorsk: …}``."""
    value = s.get("overskrift")
    if not isinstance(value, dict):
        return keys.text(s, "overskrift", diag, required=True), ()
    per: dict[str, str] = {}
    for name, text in value.items():
        path = (*s.vpath("overskrift"), name)
        canonical = normalise(str(name))
        if canonical is None:
            diag.error(
                doc.loc(path, key=True),
                "ukjent-målform",
                f"ukjent målform «{name}» i «overskrift»",
                "skriv bokmål eller nynorsk",
            )
        elif not isinstance(text, str) or not text.strip():
            diag.error(doc.loc(path), "feil-type", f"overskriften for {canonical} skal være tekst")
        else:
            per[canonical] = text.strip()
    if not per:
        if value == {}:
            diag.error(s.loc("overskrift"), "mangler-felt", "«overskrift» er tom")
        return None, ()
    heading = per.get(malform) or next(iter(per.values()))
    return heading, tuple(sorted(per.items()))
