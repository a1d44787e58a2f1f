"""Attachments' Ghostscript conversions started ahead of the pack (assemble/pdfa.EarlyConversions):
the pack gets the same answer conformant_copy gives, errors included, and a conversion that
has not started when the build ends is dropped without leaving a file behind."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from saksgen.assemble.pdfa import EarlyConversions, conformant_copy, is_conformant
from saksgen.errors import ToolMissing

REPO = Path(__file__).resolve().parents[1]
ATTACHMENT = REPO / "vedlegg" / "mandat-loggplattform.pdf"  # not PDF/A: fonts not embedded

pytestmark = pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript (gs) er ikke installert")


def test_conversion_runs_before_the_pack_asks(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with EarlyConversions() as early:
        early.start([(ATTACHMENT, cache)])
        deadline = time.monotonic() + 60
        while not list(cache.glob("*.pdf")) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [p.name for p in cache.glob("*.pdf")]  # made in the background, no one waiting
        got = early.copy(ATTACHMENT, cache)
    assert got.parent == cache and is_conformant(got)
    assert got == conformant_copy(ATTACHMENT, cache)
    assert not list(cache.glob(".*.tmp.pdf"))


def test_error_is_raised_where_the_pack_asks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAKSGEN_GS", "/finnes/ikke/gs")
    with EarlyConversions() as early:
        early.start([(ATTACHMENT, tmp_path)])
        with pytest.raises(ToolMissing, match="Ghostscript"):
            early.copy(ATTACHMENT, tmp_path)


def test_not_started_conversions_are_dropped_at_close(tmp_path: Path) -> None:
    copies = []
    for i in range(4):
        copy = tmp_path / f"v{i}.pdf"
        copy.write_bytes(ATTACHMENT.read_bytes() + f"\n% {i}\n".encode())  # a hash of its own
        copies.append(copy)
    early = EarlyConversions()
    early.start([(c, tmp_path / "cache") for c in copies])
    early.close()  # waits for the one running, cancels the rest
    made = list((tmp_path / "cache").glob("*.pdf"))
    assert len(made) < len(copies)
    assert all(is_conformant(p) for p in made)
    assert not list((tmp_path / "cache").glob(".*.tmp.pdf"))
    # Asked after close: converted then, as without early conversions.
    assert is_conformant(early.copy(copies[-1], tmp_path / "cache"))
