"""``protokoll:`` in a meeting file -> ``Protokoll``: who attended and each item's outcome,
checked against the meeting's own agenda."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from saksgen.diagnostics import Collector
from saksgen.load import keys
from saksgen.load.document import Document
from saksgen.load.profiles import Profile
from saksgen.model import Case, MeetingItem, Protokoll, ProtokollEntry
from saksgen.validate.fields import PROTOKOLL_FIELDS, PROTOKOLL_ITEM_FIELDS, key_names

AS_PROPOSED = "som-foreslått"


def item_ids(profile: Profile, items: tuple[MeetingItem, ...] | list[MeetingItem]) -> list[str]:
    """The id each agenda item is known by in ``protokoll: saker:``, in agenda order: the case
    id, or the standing item's id."""
    out = []
    for item in items:
        ident = item.protokoll_id
        if ident:
            out.append(ident)
    return out


def proposed(case: Case | None) -> tuple[str, ...]:
    """The case's proposed conclusion as points (a text conclusion is one point)."""
    section = case.section("konklusjon") if case else None
    if section is None:
        return ()
    if section.items:
        return section.items
    return (section.text,) if section.text.strip() else ()


def _names(f: keys.Fields, name: str, diag: Collector) -> tuple[str, ...]:
    value = f.get(name)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]  # one name written without brackets
    if not isinstance(value, list):
        diag.error(
            f.loc(name), "feil-type", f"«{name}» skal være en liste med navn, ikke {keys.type_name(value)}"
        )
        return ()
    out = []
    for i, entry in enumerate(value):
        if isinstance(entry, bool) or not isinstance(entry, str | int | float) or not str(entry).strip():
            diag.error(
                f.doc.loc((*f.vpath(name), i)),
                "feil-type",
                f"navn {i + 1} i «{name}» skal være tekst, ikke {keys.type_name(entry)}",
            )
            continue
        out.append(" ".join(str(entry).split()))
    return tuple(out)


def _vedtak(
    f: keys.Fields, ident: str, case: Case | None, is_case: bool, diag: Collector
) -> tuple[str, ...] | None:
    value = f.get("vedtak")
    if value is None:
        return None
    if isinstance(value, str) and keys.fold(value.strip()) == keys.fold(AS_PROPOSED):
        points = proposed(case)
        if not points:
            what = (
                "saken har ikke noe forslag til konklusjon"
                if is_case
                else "standardsaken har ikke noe forslag"
            )
            diag.error(
                f.loc("vedtak"),
                "ugyldig-verdi",
                f"«{AS_PROPOSED}» for «{ident}», men {what}",
                "skriv punktene slik de ble vedtatt",
            )
            return None
        return points
    if isinstance(value, str) and value.strip():
        return (value.strip(),)
    if not isinstance(value, list) or not value:
        diag.error(
            f.loc("vedtak"),
            "feil-type",
            f"«vedtak» skal være «{AS_PROPOSED}» eller en liste med punkter, ikke {keys.type_name(value)}",
        )
        return None
    adopted: list[str] = []
    for i, point in enumerate(value):
        if isinstance(point, bool) or not isinstance(point, str | int | float) or not str(point).strip():
            diag.error(
                f.doc.loc((*f.vpath("vedtak"), i)),
                "feil-type",
                f"punkt {i + 1} i «vedtak» skal være tekst, ikke {keys.type_name(point)}",
            )
            continue
        adopted.append(str(point).strip())
    return tuple(adopted)


def validate_protokoll(
    doc: Document,
    meeting: keys.Fields,
    profile: Profile,
    items: list[MeetingItem],
    cases: Mapping[str, Case | None],
    diag: Collector,
) -> Protokoll | None:
    raw = meeting.get("protokoll")
    if raw is None:
        return None
    path = meeting.vpath("protokoll")
    if not isinstance(raw, dict):
        diag.error(
            meeting.loc("protokoll"), "feil-type", "«protokoll» skal bestå av nøkler (møteleder:, saker:, …)"
        )
        return None
    f = keys.normalise(doc, path, raw, key_names(PROTOKOLL_FIELDS), diag)
    moteleder = keys.text(f, "møteleder", diag)
    referent = keys.text(f, "referent", diag)
    names = {n: _names(f, n, diag) for n in ("tilstede", "forfall", "andre")}
    on_agenda = item_ids(profile, items)
    case_ids = {i.case_id for i in items if i.case_id}
    entries: dict[str, ProtokollEntry] = {}
    raw_items: Any = f.get("saker") or {}
    if not isinstance(raw_items, dict):
        diag.error(
            f.loc("saker"), "feil-type", "«saker» i protokollen skal bestå av nøkler: saks-id -> vedtak:, …"
        )
        raw_items = {}
    for ident, raw_entry in raw_items.items():
        epath = (*f.vpath("saker"), ident)
        ident = str(ident)
        if ident not in on_agenda:
            close = keys.closest(ident, on_agenda)
            diag.error(
                doc.loc(epath, key=True),
                "ukjent-protokollsak",
                f"«{ident}» står ikke på sakslisten til dette møtet",
                f"mente du «{close}»?" if close else None,
            )
            continue
        if raw_entry is None:
            raw_entry = {}
        if not isinstance(raw_entry, dict):
            diag.error(doc.loc(epath), "feil-type", f"«{ident}» skal bestå av nøkler (vedtak:, votering:, …)")
            continue
        e = keys.normalise(doc, epath, raw_entry, key_names(PROTOKOLL_ITEM_FIELDS), diag)
        entries[ident] = ProtokollEntry(
            vedtak=_vedtak(e, ident, cases.get(ident), ident in case_ids, diag),
            votering=keys.text(e, "votering", diag),
            tilforsel=keys.text(e, "protokolltilførsel", diag, one_line=False),
            referat=keys.text(e, "referat", diag, one_line=False),
            location=doc.loc(epath, key=True),
        )
    for item in items:
        if item.case_id and (item.case_id not in entries or entries[item.case_id].vedtak is None):
            if item.case_id in raw_items and item.case_id not in entries:
                continue  # already reported
            diag.warning(
                item.location,
                "mangler-vedtak",
                f"saken «{item.case_id}» har ikke noe vedtak i protokollen",
                f"legg til «{item.case_id}: {{vedtak: {AS_PROPOSED}}}» under «protokoll: saker:»",
            )
    return Protokoll(
        moteleder,
        referent,
        names["tilstede"],
        names["forfall"],
        names["andre"],
        entries,
        meeting.loc("protokoll", key=True),
    )
