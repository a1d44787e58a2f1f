"""The keys of each kind of mapping a user writes: case header, meeting, agenda item, attachment."""

from __future__ import annotations

CASE_HEADER_KEYS = [
    "møte", "tittel", "id", "saksnummer", "sakstype", "til", "fra", "saksbehandler", "dato",
    "unntatt_offentlighet", "offentlig_tittel", "presenteres_av",
]
MEETING_KEYS = ["møte", "dato", "tid", "sted", "første_saksnummer", "saker", "id"]
MEETING_ITEM_KEYS = ["sak", "tid", "presenteres_av", "saksnummer"]
ATTACHMENT_KEYS = ["id", "tittel", "fil", "unntatt_offentlighet"]
