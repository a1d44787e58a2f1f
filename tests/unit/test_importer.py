"""saksgen importer's pure parts: header lines, dates, exemptions, case lines, heading matching,
the YAML writer (no pandoc)."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from saksgen.importer.header import parse_case_line, parse_date, parse_exemption, split_header_line
from saksgen.importer.headings import SectionInfo, heading_forms, match_heading
from saksgen.importer.yamlout import case_yaml


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Til: RHF IKT/fagdirektørmøtet", ("til", "RHF IKT/fagdirektørmøtet")),
        ("Fra : Helse Vest RHF", ("fra", "Helse Vest RHF")),
        ("Frå:\tHelse Vest RHF", ("fra", "Helse Vest RHF")),
        ("Dato :\t6. mars 2024", ("dato", "6. mars 2024")),
        ("Sakshandsamar: Kari Nordmann", ("saksbehandler", "Kari Nordmann")),
        ("Saksbehandler\tKari Nordmann", ("saksbehandler", "Kari Nordmann")),
        ("Unntatt offentlighet: Nei", ("unntatt_offentlighet", "Nei")),
        ("Unnateke offentlegheit: Ja, jf. offl. § 13", ("unntatt_offentlighet", "Ja, jf. offl. § 13")),
    ],
)
def test_header_lines(line: str, expected: tuple[str, str]) -> None:
    assert split_header_line(line) == expected


@pytest.mark.parametrize("line", ["Bakgrunn: det var en gang", "Vurdering", "Tilbud: 3 kr", ""])
def test_not_header_lines(line: str) -> None:
    assert split_header_line(line) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("6. mars 2024", dt.date(2024, 3, 6)),
        ("06.03.2024", dt.date(2024, 3, 6)),
        ("2024-03-06", dt.date(2024, 3, 6)),
        ("18. desember 2020", dt.date(2020, 12, 18)),
        ("1. sep. 2024", dt.date(2024, 9, 1)),
        ("[f.eks. 6. mars 2024]", dt.date(2024, 3, 6)),
    ],
)
def test_dates(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31. februar 2024", "snart", "6. smarsj 2024", ""])
def test_bad_dates(text: str) -> None:
    assert parse_date(text) is None


def test_exemption() -> None:
    assert parse_exemption("Nei") is False
    assert parse_exemption("Nei [angi paragraf hvis aktuelt]") is False
    assert parse_exemption("Ja, jf. offl. § 23 første ledd") == "offl. § 23 første ledd"
    assert parse_exemption("Ja") is None


def test_case_line() -> None:
    assert parse_case_line("IKT/fagdirektørmøte - Sak 32/24") == ("IKT/fagdirektørmøte", "32/24")
    assert parse_case_line("AD-møte - Sak 05-2024") == ("AD-møte", "5-2024")
    assert parse_case_line("IKT/fagdirektørmøte - Sak XX/24 [fylles inn]") == ("IKT/fagdirektørmøte", None)
    assert parse_case_line("Forslag om felles sak") is None


SECTIONS = (
    SectionInfo(
        "sammendrag",
        ("Hva saken omhandler i korte trekk", "Kva saka handlar om i korte trekk"),
        True,
        "tekst",
    ),
    SectionInfo("bakgrunn", ("Bakgrunn for saken", "Bakgrunn for saka"), True, "tekst"),
    SectionInfo("omdømme", ("Omdømme", "Omdøme"), True, "tekst"),
    SectionInfo("konklusjon", ("Forslag til konklusjon",), True, "liste"),
)


@pytest.mark.parametrize(
    "heading, key",
    [
        ("Hva saken omhandler i korte trekk", "sammendrag"),
        ("Kva saka handlar om i korte trekk", "sammendrag"),
        ("Hva saken omhandler kort", "sammendrag"),
        ("BAKGRUNN FOR SAKEN", "bakgrunn"),
        ("Bakgrunn for saka", "bakgrunn"),
        ("Omdøme", "omdømme"),
        ("Forslag til konklusjon:", "konklusjon"),
        ("Forslag til konklusjonen", "konklusjon"),
        ("Økonomiske konsekvenser", None),
        ("Tidsplan", None),
    ],
)
def test_heading_matching(heading: str, key: str | None) -> None:
    assert match_heading(heading, SECTIONS) == key


def test_heading_forms() -> None:
    assert heading_forms("Vurdering") == ("Vurdering",)
    assert heading_forms({"bokmål": "Omdømme", "nynorsk": "Omdøme"}) == ("Omdømme", "Omdøme")
    assert heading_forms(None) == ()


def test_yaml_round_trips() -> None:
    text = case_yaml(
        {"møte": "x", "tittel": 'Tittel: med "kolon"', "dato": "2024-03-06", "unntatt_offentlighet": False},
        [
            ("bakgrunn", "  innrykket kode\n\nOg *mer*: tekst\n"),
            ("konklusjon", ["Punkt: én", "yes"]),
            ("vedlegg", [{"tittel": "Mandat"}]),
        ],
    )
    data = yaml.safe_load(text)
    assert data["tittel"] == 'Tittel: med "kolon"'
    assert data["dato"] == dt.date(2024, 3, 6)
    assert data["bakgrunn"] == "  innrykket kode\n\nOg *mer*: tekst\n"
    assert data["konklusjon"] == ["Punkt: én", "yes"]
    assert data["vedlegg"] == [{"tittel": "Mandat"}]
