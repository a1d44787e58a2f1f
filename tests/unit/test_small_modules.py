"""norsk.py, ids.py and load/keys.py's suggestions."""

from __future__ import annotations

import datetime as dt

import pytest

from saksgen.ids import PAPER_FILE, is_id
from saksgen.load.keys import closest, fold
from saksgen.norsk import check_format, format_date, format_number, lower_first, upper_first


def test_format_date() -> None:
    assert format_date(dt.date(2024, 3, 6)) == "6. mars 2024"
    assert format_date(dt.date(2024, 12, 31)) == "31. desember 2024"


@pytest.mark.parametrize(
    ("template", "nr", "expected"),
    [
        ("Sak {nr:02d}/{åå}", 3, "Sak 03/24"),
        ("Sak {nr:02d}-{åååå}", 41, "Sak 41-2024"),
        ("Sak {nr:02d}/{aa}", None, "Sak XX/24"),
        ("AD-møtesak {nr:02d}-{aaaa}", None, "AD-møtesak XX-2024"),
    ],
)
def test_format_number(template: str, nr: int | None, expected: str) -> None:
    assert format_number(template, nr, 2024) == expected


@pytest.mark.parametrize("template", ["Sak {ukjent}", "Sak {nr.__class__}", "Sak {nr:02q}", "Sak {"])
def test_check_format_refuses(template: str) -> None:
    problem = check_format(template)
    assert problem is not None and template in problem


def test_check_format_accepts() -> None:
    assert check_format("Sak {nr:02d}/{åå}") is None


def test_case_and_marks() -> None:
    assert lower_first("Sak 32/24") == "sak 32/24"
    assert lower_first("SG-sak 3") == "SG-sak 3"
    assert upper_first("figur 1") == "Figur 1"


@pytest.mark.parametrize(
    ("text", "ok"),
    [("sak-1", True), ("1", True), ("-sak", False), ("Sak", False), ("s_a", False), ("", False)],
)
def test_is_id(text: str, ok: bool) -> None:
    assert is_id(text) is ok


def test_paper_file_pattern() -> None:
    assert PAPER_FILE.match("32-sak.pdf") and PAPER_FILE.match("101-sak-x.docx")
    assert not PAPER_FILE.match("3-sak.pdf") and not PAPER_FILE.match("sakliste.pdf")


def test_fold_and_closest() -> None:
    assert fold("omdømme") == "omdomme"
    assert fold("særskilte_forhold") == "saerskilte_forhold"
    keys = ["sammendrag", "bakgrunn", "vurdering", "konklusjon"]
    assert closest("vurderng", keys) == "vurdering"
    assert closest("konklusjonen", keys) == "konklusjon"
    assert closest("helt-annet", keys) is None
