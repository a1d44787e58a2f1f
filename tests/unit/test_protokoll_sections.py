"""The protokoll's body sections (what render.lua gets) and its texts, without pandoc."""

from __future__ import annotations

import json
from pathlib import Path

from saksgen.render.protokoll import item_sections, template_context
from saksgen.texts import texts_for
from tests.unit.test_archive import PROTOKOLL, SECRET, _project


def test_members_and_public_sections(tmp_path: Path) -> None:
    project = _project(tmp_path, PROTOKOLL)
    meeting = project.meetings["mote"]
    members = item_sections(project, meeting, False)
    lists = [s["items"] for s in members if s["kind"] == "liste"]
    assert lists == [[f"Vedtak om {SECRET}"], ["Møtet tar saken til orientering."]]
    assert [s["heading"] for s in members if s["heading"]][:3] == [
        "Sak 01/24 Godkjenning av innkalling og saksliste",
        "Sak 02/24 Godkjenning av protokoll fra forrige møte",
        f"Sak 03/24 {SECRET}",
    ]
    public = item_sections(project, meeting, True)
    assert SECRET not in json.dumps(public, ensure_ascii=False)
    exempt = next(s for s in public if s["heading"] == "Sak 03/24 Nøytral tittel")
    assert exempt["text"] == "Unntatt offentlighet, jf. offl. § 14"
    assert [s["items"] for s in public if s["kind"] == "liste"] == [["Møtet tar saken til orientering."]]
    context = template_context(meeting, True)
    assert context["tittel"] == "Protokoll fra RHF IKT/fagdirektørmøte 12. juni 2024"
    assert context["moteleder"] == "Anne" and context["offentlig"] is True


def test_nynorsk_protokoll_words() -> None:
    nn = texts_for("nynorsk")
    assert nn("protokoll_tittel", navn="AD-møtet", dato="1. mai 2024") == "Protokoll frå AD-møtet 1. mai 2024"
    assert nn("unntatt_merking", hjemmel="offl. § 14") == "Unnateke offentlegheit, jf. offl. § 14"
