"""Warnings for mistakes real users make (saksgen/validate/mistakes.py), through ``check``'s
collect phase: exact codes and positions, and no warning for the look-alikes that are right."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from saksgen.commands.check import run_check
from tests.conftest import MINIMAL_CASE

Found = list[tuple[str, str, int, int]]  # (code, file, line, col)


def check(tmp_path: Path, cases: dict[str, str], meetings: dict[str, str] | None = None) -> Found:
    for folder, files in (("saker", cases), ("moter", meetings or {})):
        (tmp_path / folder).mkdir(exist_ok=True)
        for name, text in files.items():
            (tmp_path / folder / name).write_text(text, encoding="utf-8")
    out, code = run_check(tmp_path, [], "json", False)
    report = json.loads(out)
    assert code == (1 if report["feil"] else 0)
    return sorted((d["kode"], d["fil"], d["linje"], d["kolonne"]) for d in report["diagnostikk"])


def section(text: str, key: str = "vurdering") -> str:
    """MINIMAL_CASE with the section ``key`` replaced by ``text`` (indented as a block); its
    first line is line 10 for vurdering."""
    old = {"vurdering": "vurdering: |\n  Vurderingen.\n"}[key]
    body = "".join(f"  {line}\n" if line else "\n" for line in text.split("\n"))
    return MINIMAL_CASE.replace(old, f"{key}: |\n{body}")


def codes(found: Found) -> set[str]:
    return {c for c, *_ in found}


# --- Word bullets --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bullets, col",
    [
        ("•\tEn\n•\tTo", 3),
        ("•En\n•To", 3),
        ("  ·\tEn", 5),
        ("\uf0b7\tEn", 3),
        ("o\tUnderpunkt", 3),
        ("–\tEn", 3),
        ("– En\n– To", 3),
    ],
)
def test_word_bullets(tmp_path: Path, bullets: str, col: int) -> None:
    found = check(tmp_path, {"a.yaml": section("Tiltak:\n\n" + bullets)})
    assert found == [("word-punkttegn", "saker/a.yaml", 12, col)]


def test_word_bullets_one_warning_per_run(tmp_path: Path) -> None:
    found = check(tmp_path, {"a.yaml": section("•\tEn\n\n•\tTo\nTekst\n•\tTre")})
    assert found == [("word-punkttegn", "saker/a.yaml", 10, 3), ("word-punkttegn", "saker/a.yaml", 14, 3)]


@pytest.mark.parametrize(
    "text",
    [
        "– dette er en tankestrek først på linjen",
        "o la la\nom saken",
        "Se `•\tkode` her.",
        "```\n•\tkode\n```",
        "- En\n- To",
    ],
)
def test_no_word_bullet_warning(tmp_path: Path, text: str) -> None:
    assert check(tmp_path, {"a.yaml": section(text)}) == []


# --- lists without a blank line before them -----------------------------------------------------


@pytest.mark.parametrize(
    "text, line, col",
    [
        ("Tiltakene er:\n- felles logg\n- felles drift", 11, 3),
        ("Tiltakene er:\n* en", 11, 3),
        ("Vi foreslår\n1. først\n2. så", 11, 3),
        ("Første avsnitt.\n\nTiltakene\ner:\n   - en\n   - to", 14, 6),
    ],
)
def test_list_without_blank_line(tmp_path: Path, text: str, line: int, col: int) -> None:
    found = check(tmp_path, {"a.yaml": section(text)})
    assert found == [("liste-uten-tom-linje", "saker/a.yaml", line, col)]


@pytest.mark.parametrize(
    "text",
    [
        "Tiltakene er:\n\n- en\n- to",  # a blank line: a real list
        "# Tiltak\n- en\n- to",  # right under a heading is fine
        "Tiltak\n------\n- en\n- to",  # a setext heading too
        "| a | b |\n|---|---|\n| 1 | 2 |\n- en\n- to",  # and under a table
        "- en\n\n  mer om en\n- to",  # a list item's second paragraph
        "- en\n  fortsatt en\n- to",  # lazy continuation inside a list
        "Møtet var den\n12. mars og ellers\nikke.",  # a date wrapped onto a line
        "Dette er bra\n- men dyrt.",  # a dash in running text
        "> Sitat\n- en\n- to",  # block quotes are left alone
        "Eksempel:\n\n```\ntekst:\n- en\n- to\n```",  # code
    ],
)
def test_no_list_warning(tmp_path: Path, text: str) -> None:
    assert check(tmp_path, {"a.yaml": section(text)}) == []


# --- conclusion points merged into one ---------------------------------------------------------


def conclusion(points: str) -> str:
    return MINIMAL_CASE.replace(
        "konklusjon:\n  - Møtet tar saken til orientering.\n", f"konklusjon:\n{points}"
    )


@pytest.mark.parametrize(
    "points, line, col",
    [
        ("  - Møtet slutter seg til forslaget.\n    - Møtet ber om en plan.\n", 17, 5),
        ("  - Første.\n  - Andre punkt\n      som fortsetter\n      - tredje\n", 19, 7),
        ("  - Første.\n    2. Andre.\n", 17, 5),
        ("  - |\n    Første.\n    - Andre.\n", 18, 5),
        ("- Første.\n  - Andre.\n", 17, 3),
    ],
)
def test_merged_conclusion_points(tmp_path: Path, points: str, line: int, col: int) -> None:
    found = check(tmp_path, {"a.yaml": conclusion(points)})
    assert found == [("sammenslåtte-punkter", "saker/a.yaml", line, col)]


@pytest.mark.parametrize(
    "points",
    [
        "  - Første.\n  - Andre.\n",
        "  - Et langt punkt som er brutt\n    over to linjer.\n",
        "  - Første.\n    # en kommentar\n  - Andre.\n",
        "  - x\n  - y\n  - Første, andre - med tankestrek\n",
        "  - Punkt - med bindestrek midt i\n",
    ],
)
def test_no_merged_points_warning(tmp_path: Path, points: str) -> None:
    assert check(tmp_path, {"a.yaml": conclusion(points)}) == []


# --- an attachment written as a bare path -----------------------------------------------------


@pytest.mark.parametrize("item", ["vedlegg/mandat.pdf", "Rapport 2023.DOCX", "vedlegg\\notat.xlsx"])
def test_bare_attachment_path(tmp_path: Path, item: str) -> None:
    found = check(tmp_path, {"a.yaml": MINIMAL_CASE + f"vedlegg:\n  - '{item}'\n"})
    assert found == [("vedlegg-uten-fil", "saker/a.yaml", 18, 5)]


@pytest.mark.parametrize("item", ["Mandat for gruppen", "Notat av 1.2.2024", "Versjon 1.0"])
def test_bare_attachment_title(tmp_path: Path, item: str) -> None:
    assert check(tmp_path, {"a.yaml": MINIMAL_CASE + f"vedlegg:\n  - {item}\n"}) == []


# --- Word's quotes around a value ------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["”offl. § 13”", "“offl. § 13”", "„offl. § 13“", "«offl. § 13»", "’offl. § 13’"]
)
def test_smart_quotes(tmp_path: Path, value: str) -> None:
    case = MINIMAL_CASE.replace("dato: 2024-03-06\n", f"dato: 2024-03-06\nunntatt_offentlighet: {value}\n")
    assert check(tmp_path, {"a.yaml": case}) == [("anførselstegn", "saker/a.yaml", 5, 23)]


def test_smart_quotes_everywhere(tmp_path: Path) -> None:
    case = MINIMAL_CASE.replace("tittel: En enkel testsak", "tittel: «En enkel testsak»") + (
        "vedlegg:\n  - tittel: ”Mandat”\n"
    )
    meeting = "møte: ikt-fagdirektormote\ndato: 2024-06-12\nsted: ”Gardermoen”\nsaker: [a]\n"
    found = check(tmp_path, {"a.yaml": case}, {"m.yaml": meeting})
    assert found == [
        ("anførselstegn", "moter/m.yaml", 3, 7),
        ("anførselstegn", "saker/a.yaml", 2, 9),
        ("anførselstegn", "saker/a.yaml", 18, 13),
    ]


@pytest.mark.parametrize(
    "value",
    [
        "'«Prosjekt X»'",  # YAML-quoted: the quotes are meant
        "Om «a» og «b»",  # quotes inside the value
        "«a» og «b»",  # two quoted parts, not one around the whole
        "”Saken",  # an opening quote alone
    ],
)
def test_no_smart_quote_warning(tmp_path: Path, value: str) -> None:
    case = MINIMAL_CASE.replace("tittel: En enkel testsak", f"tittel: {value}")
    assert check(tmp_path, {"a.yaml": case}) == []


# --- saksnummer and the meeting's year ---------------------------------------------------------------


def test_item_number_year(tmp_path: Path) -> None:
    meeting = (
        "møte: ikt-fagdirektormote\ndato: 2024-06-12\nsaker:\n"
        "  - sak: a\n    saksnummer: 35/23\n  - sak: b\n    saksnummer: 36\n"
        "  - sak: c\n    saksnummer: 37-2024\n"
    )
    found = check(
        tmp_path,
        {"a.yaml": MINIMAL_CASE, "b.yaml": MINIMAL_CASE, "c.yaml": MINIMAL_CASE},
        {"m.yaml": meeting},
    )
    assert found == [("saksnummer-år", "moter/m.yaml", 5, 17)]


def test_case_number_year(tmp_path: Path) -> None:
    on_meeting = MINIMAL_CASE.replace("dato: 2024-03-06\n", "dato: 2024-03-06\nsaksnummer: 32/23\n")
    right_year = MINIMAL_CASE.replace("dato: 2024-03-06\n", "dato: 2024-03-06\nsaksnummer: 33/24\n")
    meeting = "møte: ikt-fagdirektormote\ndato: 2024-06-12\nsaker: [a, b]\n"
    found = check(
        tmp_path, {"a.yaml": on_meeting, "b.yaml": right_year, "c.yaml": on_meeting}, {"m.yaml": meeting}
    )
    # c is on no meeting: its number is its own business; a and b also differ from the numbers
    # the meeting gives them (saksnummer-avvik, on the meeting's lines)
    assert [f for f in found if f[0] == "saksnummer-år"] == [("saksnummer-år", "saker/a.yaml", 5, 13)]
    assert codes(found) == {"saksnummer-år", "saksnummer-avvik"}


def test_the_examples_have_no_such_mistakes(tmp_path: Path) -> None:
    repo = Path(__file__).resolve().parents[2]
    out, code = run_check(repo, ["saker", "moter"], "json", True)
    assert code == 0 and json.loads(out)["diagnostikk"] == []
