"""The fields of each mapping a user writes, as one table: the case header, the meeting, an agenda
item, an attachment.

The table drives validation (``read_fields``), ``saksgen schema``, ``saksgen ny`` and the field
lists in the README (a test keeps them in step). Sections are not here: they come from the
profile.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from saksgen.diagnostics import Collector
from saksgen.load import keys
from saksgen.load.document import Document
from saksgen.load.profiles import SAKSTYPER, Profile, read_malform
from saksgen.validate.values import (
    file_id,
    not_placeholder,
    parse_date,
    parse_exemption,
    parse_id,
    parse_number,
    resolve_profile,
)

Kind = Literal[
    "profil",
    "tekst",
    "dato",
    "id",
    "fil-id",
    "saksnummer",
    "sakstype",
    "hjemmel",
    "heltall",
    "liste",
    "målform",
    "ja-nei",
]


@dataclass(frozen=True)
class Field:
    key: str
    kind: Kind
    description: str  # Norwegian; schema and README
    required: bool = False
    example: str = ""  # as written in YAML; README and ``saksgen ny``
    scaffold: str | None = None  # the value ``saksgen ny`` writes ({profil}, {tittel}, {i_dag}, {sakstype})
    no_placeholder: bool = False  # "[fylles inn]" counts as missing


CASE_FIELDS: tuple[Field, ...] = (
    Field("møte", "profil", "møtetype (profil)", True, "ikt-fagdirektormote", scaffold="{profil}"),
    Field(
        "tittel",
        "tekst",
        "sakens tittel",
        True,
        "Felles plattform for sikkerhetslogging",
        scaffold="{tittel}",
        no_placeholder=True,
    ),
    Field(
        "id", "fil-id", "sakens id; standard er filnavnet (a–z, 0–9 og bindestrek)", example="loggplattform"
    ),
    Field("saksnummer", "saksnummer", "saksnummeret; settes vanligvis av møtefilen", example="32/24"),
    Field(
        "sakstype",
        "sakstype",
        "beslutning, orientering eller diskusjon (standard fra profilen)",
        example="beslutning",
        scaffold="{sakstype}",
    ),
    Field("til", "tekst", "mottaker; standard fra profilen", example="RHF IKT/fagdirektørmøtet"),
    Field(
        "fra",
        "tekst",
        "avsender",
        True,
        "Helse Midt-Norge RHF",
        scaffold='"[fylles inn: Helse XX RHF]"',
        no_placeholder=True,
    ),
    Field("saksbehandler", "tekst", "saksbehandlerens navn", example="Kari Nordmann", scaffold="null"),
    Field(
        "dato",
        "dato",
        "sakens dato (ÅÅÅÅ-MM-DD), skrives ut som «6. mars 2024»",
        True,
        "2024-05-28",
        scaffold="{i_dag}",
    ),
    Field(
        "unntatt_offentlighet",
        "hjemmel",
        "false, eller hjemmelen for unntak fra offentlighet",
        example="false",
        scaffold="false",
    ),
    Field("offentlig_tittel", "tekst", "nøytral tittel til offentlige lister når tittelen er unntatt"),
    Field("presenteres_av", "tekst", "hvem som legger frem saken (til sakslisten)", example="Kari Nordmann"),
    Field(
        "målform",
        "målform",
        "bokmål eller nynorsk for dette saksfremlegget; standard fra profilen",
        example="nynorsk",
    ),
)

MEETING_FIELDS: tuple[Field, ...] = (
    Field("møte", "profil", "møtetype (profil)", True, "ikt-fagdirektormote"),
    Field("dato", "dato", "møtedato (ÅÅÅÅ-MM-DD)", True, "2024-06-12"),
    Field("tid", "tekst", "tidspunkt", example='"09:30–14:30"'),
    Field("sted", "tekst", "møtested", example="Gardermoen"),
    Field(
        "første_saksnummer", "heltall", "første saksnummer i møtet; numrene løper gjennom året", example="30"
    ),
    Field("saker", "liste", "sakene i rekkefølge: en saks-id, eller nøkler (sak:, tid:, …)", True),
    Field("id", "fil-id", "møtets id; standard er filnavnet"),
    Field("protokoll", "liste", "utfallet av møtet (møteleder:, referent:, tilstede:, saker:, …)"),
)

PROTOKOLL_FIELDS: tuple[Field, ...] = (
    Field("møteleder", "tekst", "hvem som ledet møtet", example="Anne Hansen"),
    Field("referent", "tekst", "hvem som skrev protokollen", example="Per Olsen"),
    Field("tilstede", "liste", "navnene på dem som var til stede", example="[Anne Hansen (Helse Nord RHF)]"),
    Field(
        "forfall",
        "liste",
        "navnene på dem som hadde meldt forfall",
        example="[Kari Berg (Helse Sør-Øst RHF)]",
    ),
    Field(
        "andre", "liste", "andre som deltok (sekretariat, innledere)", example="[Per Olsen (sekretariatet)]"
    ),
    Field("saker", "liste", "utfallet per sak: saks-id eller standardsakens id, med vedtak:, votering:, …"),
)

PROTOKOLL_ITEM_FIELDS: tuple[Field, ...] = (
    Field("vedtak", "liste", "«som-foreslått», eller punktene slik de ble vedtatt", example="som-foreslått"),
    Field("votering", "tekst", "stemmegivningen", example="enstemmig"),
    Field("protokolltilførsel", "tekst", "tilførsel til protokollen (Markdown)"),
    Field("referat", "tekst", "referat fra saken (Markdown), for saker uten forslag til vedtak"),
)

MEETING_ITEM_FIELDS: tuple[Field, ...] = (
    Field(
        "sak",
        "tekst",
        "saks-id (filnavnet i saker/) eller en standardsak; uten «sak» er punktet bare en tittel",
        example="portefoljestyring",
    ),
    Field(
        "tittel",
        "tekst",
        "egen tittel på en standardsak, eller et punkt uten saksdokument (Referatsaker, Lunsj)",
        example="Referatsaker",
    ),
    Field("tid", "tekst", "tidspunkt for saken", example='"10:30–11:00"'),
    Field("presenteres_av", "tekst", "hvem som legger frem saken", example="Ola Nordmann"),
    Field("saksnummer", "saksnummer", "eget saksnummer; vinner over nummereringen", example="35/24"),
    Field(
        "nummer",
        "ja-nei",
        "false gir en rad uten saksnummer (Lunsj); ikke for saker med saksfil",
        example="false",
    ),
    Field(
        "sakstype",
        "sakstype",
        "gruppen et punkt uten saksfil står i når sakslisten er gruppert",
        example="orientering",
    ),
)

ATTACHMENT_FIELDS: tuple[Field, ...] = (
    Field("id", "id", "for henvisninger: @vedlegg:<id>", example="mandat"),
    Field("tittel", "tekst", "vedleggets tittel", True, "Mandat for arbeidsgruppen"),
    Field(
        "fil",
        "tekst",
        "sti til filen; PDF-vedlegg legges inn i saksdokumentene",
        example="vedlegg/mandat.pdf",
    ),
    Field(
        "unntatt_offentlighet",
        "hjemmel",
        "false, eller hjemmelen; et vedlegg kan være unntatt alene",
        example="false",
    ),
)

TABLES: Mapping[str, tuple[Field, ...]] = {
    "sak": CASE_FIELDS,
    "møte": MEETING_FIELDS,
    "møtesak": MEETING_ITEM_FIELDS,
    "vedlegg": ATTACHMENT_FIELDS,
    "protokoll": PROTOKOLL_FIELDS,
    "protokollsak": PROTOKOLL_ITEM_FIELDS,
}


def key_names(table: tuple[Field, ...]) -> list[str]:
    return [f.key for f in table]


def read_fields(
    doc: Document,
    f: keys.Fields,
    table: tuple[Field, ...],
    diag: Collector,
    *,
    profiles: Mapping[str, Profile] | None = None,
    year: int | None = None,
) -> dict[str, Any]:
    """Every field of ``table`` read from ``f`` as its kind says; a value is None when absent or
    wrong (and then reported). Case numbers take their default year from the ``dato`` field, or
    from ``year`` when the table has none (an agenda item)."""
    out: dict[str, Any] = {}
    for field in table:
        if field.kind != "saksnummer":
            out[field.key] = _read(doc, f, field, diag, profiles or {})
    date = out.get("dato")
    default_year = date.year if date else (year or 2000)
    for field in table:
        if field.kind == "saksnummer":
            out[field.key] = parse_number(f, field.key, default_year, diag)
    return out


def _read(
    doc: Document, f: keys.Fields, field: Field, diag: Collector, profiles: Mapping[str, Profile]
) -> Any:
    name, kind = field.key, field.kind
    if kind == "profil":
        return resolve_profile(doc, f, profiles, diag)
    if kind == "dato":
        return parse_date(doc, f, name, diag)
    if kind == "hjemmel":
        return parse_exemption(f, name, diag)
    if kind == "id":
        return parse_id(f, name, diag)
    if kind == "fil-id":
        return file_id(doc, f, diag)
    if kind == "heltall":
        return f.get(name)  # range rules are the caller's (e.g. første_saksnummer ≥ 1)
    if kind == "liste":
        return f.get(name)
    if kind == "målform":
        return read_malform(f, diag)
    if kind == "ja-nei":
        value = f.get(name)
        if value is not None and not isinstance(value, bool):
            diag.error(f.loc(name), "feil-type", f"«{name}» skal være true eller false")
            return None
        return value
    value = keys.text(f, name, diag, required=field.required)
    if kind == "sakstype" and value is not None and value not in SAKSTYPER:
        diag.error(
            f.loc(name),
            "ugyldig-verdi",
            f"ukjent sakstype «{value}»",
            "bruk beslutning, orientering eller diskusjon",
        )
    if field.no_placeholder:
        return not_placeholder(f, name, value, diag)
    return value


def readme_tables() -> str:
    """The README's field lists, between their markers (``python -m saksgen.validate.fields``)."""
    titles = {
        "sak": "Saksfil",
        "møte": "Møtefil",
        "møtesak": "En sak i «saker:» i møtefilen",
        "vedlegg": "Et vedlegg i «vedlegg:»",
        "protokoll": "«protokoll:» i møtefilen",
        "protokollsak": "En sak i «protokoll: saker:»",
    }
    out = []
    for name, table in TABLES.items():
        out += [f"**{titles[name]}**", "", "| felt | påkrevd | betyr | eksempel |", "|---|---|---|---|"]
        for f in table:
            example = f"`{f.example}`" if f.example else ""
            out.append(f"| `{f.key}` | {'ja' if f.required else ''} | {f.description} | {example} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(readme_tables(), end="")
