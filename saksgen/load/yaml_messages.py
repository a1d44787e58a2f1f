"""The YAML parser's English messages in Norwegian, with a hint where the cause is typical.

Parsers word their messages differently from release to release (PyYAML and libyaml differ);
unknown wording falls back to a general Norwegian message, so no user ever reads English.
"""

from __future__ import annotations

import yaml

_TRANSLATIONS = [
    ("found character '\\t' that cannot start any token", "tabulatortegn kan ikke brukes til innrykk"),
    ("found a tab character", "tabulatortegn kan ikke brukes til innrykk"),
    # PyYAML says "... here", libyaml "... in this context"
    ("mapping values are not allowed", "kolon på feil sted"),
    ("could not find expected ':'", "forventet «:» etter nøkkelen"),
    ("found undefined alias", "ukjent alias"),
    ("expected <block end>, but found", "feil innrykk (sjekk at linjene står under hverandre)"),
    ("found unexpected end of stream", "filen slutter midt i en verdi"),
    ("found unknown escape character", "ukjent escape-tegn i tekst med doble anførselstegn"),
    ("did not find expected key", "fant ikke forventet nøkkel (sjekk innrykket)"),
    ("did not find expected '-' indicator", "forventet «-» i listen (sjekk innrykket)"),
    ("found character that cannot start any token", "tegn som ikke kan starte en verdi"),
    ("did not find expected node content", "mangler verdi"),
    ("found duplicate anchor", "samme anker brukt to ganger"),
    ("did not find expected ',' or ']'", "fant ikke «,» eller «]» (en liste i [ ] er ikke lukket)"),
    ("did not find expected ',' or '}'", "fant ikke «,» eller «}» (en { } er ikke lukket)"),
    ("found unexpected ':'", "uventet «:» (sett teksten i anførselstegn)"),
    (
        "found a tab character where an indentation space is expected",
        "tabulatortegn kan ikke brukes til innrykk",
    ),
    (
        "found invalid Unicode character escape code",
        "ugyldig \\u- eller \\x-kode i tekst med doble anførselstegn",
    ),
    (
        "did not find expected hexdecimal number",
        "ugyldig \\u- eller \\x-kode i tekst med doble anførselstegn",
    ),
    ("found unexpected end of stream", "filen slutter midt i en verdi"),
    ("found unexpected document indicator", "«---» eller «...» midt i en verdi"),
    ("did not find expected comment or line break", "uventet tekst etter verdien"),
    ("block sequence entries are not allowed", "«- » kan ikke stå her (sjekk innrykket)"),
    ("block mapping entries are not allowed", "nøkkel kan ikke stå her (sjekk innrykket)"),
    ("mapping keys are not allowed", "nøkkel kan ikke stå her (sjekk innrykket)"),
    ("did not find expected <document start>", "uventet innhold (sjekk innrykket)"),
    ("did not find expected key", "fant ikke forventet nøkkel (sjekk innrykket)"),
    ("found undefined tag handle", "ukjent YAML-tagg"),
    ("did not find expected tag URI", "ugyldig YAML-tagg"),
    ("did not find URI escaped octet", "ugyldig YAML-tagg"),
    ("found unexpected end of", "filen slutter midt i en verdi"),
    ("found unexpected ']'", "uventet «]»"),
    ("found unexpected '}'", "uventet «}»"),
    ("found incompatible YAML document", "ukjent YAML-versjon"),
    ("found duplicate %", "direktivet står to ganger"),
    ("found unknown escape character", "ukjent escape-tegn i tekst med doble anførselstegn"),
    ("did not find expected alphabetic or numeric character", "ugyldig tegn i anker eller alias"),
    ("did not find expected whitespace or line break", "mangler mellomrom etter tegnet"),
    ("did not find expected '!'", "ugyldig YAML-tagg"),
    ("found a comment without whitespace", "# må ha mellomrom foran"),
    ("control characters are not allowed", "filen inneholder kontrolltegn"),
    ("invalid leading UTF-8 octet", "filen er ikke gyldig UTF-8"),
    ("invalid trailing UTF-8 octet", "filen er ikke gyldig UTF-8"),
    ("invalid Unicode character", "ugyldig tegn"),
    ("expected a single document", "filen har flere YAML-dokumenter (---); bare ett er tillatt"),
    ("while scanning", "feil i en verdi"),
    ("while parsing", "feil i strukturen"),
]


def translate(problem: str) -> str:
    for english, norsk in _TRANSLATIONS:
        if problem.startswith(english):
            return norsk
    # Never show the parser's English; the location still says where the problem is.
    return "feil i YAML-syntaksen"


def char_at(text: str, line: int, col: int) -> str:
    lines = text.split("\n")
    if 0 <= line < len(lines) and 0 <= col < len(lines[line]):
        return lines[line][col]
    return ""


def yaml_hint(text: str, exc: yaml.MarkedYAMLError) -> str | None:
    mark = exc.problem_mark or exc.context_mark
    lines = text.split("\n")
    line = lines[mark.line] if mark and 0 <= mark.line < len(lines) else ""
    if "\t" in line:
        return "bruk mellomrom, ikke tabulator, til innrykk"
    if (exc.problem or "").startswith("mapping values"):
        return (
            "tekst som inneholder «: » må stå i anførselstegn eller som blokk med «|»; "
            "sjekk også at nøkkelen ikke har for mye innrykk"
        )
    return None
