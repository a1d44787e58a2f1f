"""The texts tables: the same keys and the same fields in every målform."""

import string

import pytest

from saksgen.texts import KEYS, MALFORMER, normalise, texts_for


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@pytest.mark.parametrize("malform", sorted(MALFORMER))
def test_same_keys_and_fields(malform: str) -> None:
    table = MALFORMER[malform]
    assert tuple(table) == KEYS
    for key in KEYS:
        assert _fields(table[key]) == _fields(MALFORMER["bokmål"][key]), key


def test_lookup_formats_and_overrides() -> None:
    assert texts_for("nynorsk")("unntatt_merking", hjemmel="offl. § 13") == (
        "Unnateke offentlegheit, jf. offl. § 13"
    )
    assert texts_for("bokmål", {"til": "Mottaker"})("til") == "Mottaker"
    assert texts_for("bokmål")("til") == "Til"
    assert texts_for("nynorsk").lang == "nn-NO"


def test_normalise() -> None:
    assert normalise("bokmal") == "bokmål"
    assert normalise("Nynorsk") == "nynorsk"
    assert normalise("riksmål") is None
