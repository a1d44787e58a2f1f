"""Snapshot tests: each ``check --format`` renders a fixed set of diagnostics exactly as committed.

Update the snapshots after an intended change with ``SAKSGEN_UPDATE_SNAPSHOTS=1 python -m pytest
tests/unit/test_formats.py`` and review the diff of ``tests/unit/snapshots/``.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import pytest

from saksgen.diagnostics import Diagnostic, Location
from saksgen.diagnostics.formats import FORMATS

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE = os.environ.get("SAKSGEN_UPDATE_SNAPSHOTS") == "1"

DIAGS = [
    Diagnostic(
        "feil",
        "mangler-avsnitt",
        "mangler påkrevd avsnitt «Vurdering» (vurdering)",
        Location("saker/a.yaml", 14, 3),
    ),
    Diagnostic(
        "advarsel",
        "anførselstegn",
        "verdien står i Words anførselstegn: ”offl. § 13”, 100 % & <w:p>",
        Location("saker/b, c.yaml", 2, 1),
        "fjern «”» rundt verdien",
    ),
    Diagnostic("feil", "ukjent-sak", "saken «x» finnes ikke\nandre linje", None),
]
CHECKED = ["moter/m.yaml", "saker/a.yaml", "saker/b, c.yaml"]


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_format_snapshot(name: str) -> None:
    module = importlib.import_module(f"saksgen.diagnostics.formats.{FORMATS[name]}")
    got = module.render(DIAGS, CHECKED)
    path = SNAPSHOTS / f"check.{name}.txt"
    if UPDATE or not path.exists():
        path.write_text(got, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"snapshot {path.name} was missing and has been written; review and commit it")
    assert got == path.read_text(encoding="utf-8"), f"set SAKSGEN_UPDATE_SNAPSHOTS=1 to accept ({path.name})"
