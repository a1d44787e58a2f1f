"""Every word saksgen writes into a document itself, one table per målform.

Code never spells a generated word: it asks the table, ``texts_for(malform)("unntatt_merking",
hjemmel="offl. § 13")``. ``bokmal.TEXTS`` and ``nynorsk.TEXTS`` hold the same keys (a unit test
guards it); a profile may override single texts (``tekster:`` in profil.yaml).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

from saksgen.texts import bokmal, nynorsk

MALFORMER: dict[str, Mapping[str, str]] = {"bokmål": bokmal.TEXTS, "nynorsk": nynorsk.TEXTS}
# The ASCII spelling accepted wherever a målform is written (``malform: bokmal``).
ASCII = {"bokmal": "bokmål", "nynorsk": "nynorsk"}
LANG = {"bokmål": "nb-NO", "nynorsk": "nn-NO"}
KEYS = tuple(bokmal.TEXTS)


def normalise(malform: str) -> str | None:
    """``bokmål``/``bokmal``/``nynorsk`` -> the canonical name; None when unknown."""
    name = malform.strip().lower()
    return name if name in MALFORMER else ASCII.get(name)


class Texts:
    """The texts of one målform, with a profile's overrides on top."""

    def __init__(self, malform: str, overrides: Mapping[str, str] | None = None) -> None:
        self.malform = malform
        self.lang = LANG[malform]
        self._table = MappingProxyType({**MALFORMER[malform], **(overrides or {})})

    def __call__(self, key: str, **values: object) -> str:
        text = self._table[key]
        return text.format(**values) if values else text

    def as_dict(self) -> dict[str, str]:
        """For templates: ``{{ tekst.til }}``. Texts with fields stay unformatted."""
        return dict(self._table)


@lru_cache(maxsize=64)
def _cached(malform: str, overrides: tuple[tuple[str, str], ...]) -> Texts:
    return Texts(malform, dict(overrides))


def texts_for(malform: str = "bokmål", overrides: Mapping[str, str] | None = None) -> Texts:
    return _cached(malform, tuple(sorted((overrides or {}).items())))
