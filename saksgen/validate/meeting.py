"""A meeting file -> ``Meeting``: its agenda items in file order, with the profile's standing items.

An item is a case (``sak:`` naming a case file), a standing item (``sak:`` naming one of the
profile's ``standardsaker``, which may take its own title, time and presenter), or a free item
(``tittel:`` alone: "Referatsaker"; with ``nummer: false`` a row without a number: "Lunsj").
Grouping and numbering need the whole series and happen in resolve/series.py.
"""

from __future__ import annotations

from typing import Any

from saksgen.diagnostics import Collector, Location
from saksgen.load import keys
from saksgen.load.document import Document
from saksgen.load.profiles import Profile
from saksgen.model import Case, Meeting, MeetingItem
from saksgen.validate.fields import MEETING_FIELDS, MEETING_ITEM_FIELDS, key_names, read_fields
from saksgen.validate.mistakes import check_item_number_year, check_scalars
from saksgen.validate.protokoll import validate_protokoll

_CASE_ONLY_FROM_FILE = {
    "tittel": "tittelen står i saksfilen",
    "sakstype": "sakstypen står i saksfilen",
}


def validate_meeting(
    doc: Document, profiles: dict[str, Profile], cases: dict[str, Case | None], diag: Collector
) -> Meeting | None:
    """``cases`` maps every known case id to its Case (None when the case failed validation)."""
    if not isinstance(doc.data, dict):
        diag.error(doc.loc(), "feil-type", "en møtefil skal bestå av nøkler (møte:, dato:, saker:)")
        return None
    check_scalars(doc, diag)
    f = keys.normalise(doc, (), doc.data, key_names(MEETING_FIELDS), diag)
    v = read_fields(doc, f, MEETING_FIELDS, diag, profiles=profiles)
    profile, date, time, place, ident = v["møte"], v["dato"], v["tid"], v["sted"], v["id"]
    first = v["første_saksnummer"]
    if first is not None and (isinstance(first, bool) or not isinstance(first, int) or first < 1):
        diag.error(f.loc("første_saksnummer"), "feil-type", "«første_saksnummer» skal være et heltall fra 1")
        first = 1
    raw_items = v["saker"]
    if raw_items is None:
        diag.error(f.loc(), "mangler-felt", "mangler påkrevd felt «saker»")
        raw_items = []
    elif not isinstance(raw_items, list):
        diag.error(f.loc("saker"), "feil-type", "«saker» skal være en liste med saks-id-er")
        raw_items = []
    if profile is None or date is None or ident is None:
        return None
    standing = {s.id: s for s in profile.standing}
    items: list[MeetingItem] = []
    seen: dict[str, Location] = {}
    for i, raw in enumerate(raw_items):
        path = (*f.vpath("saker"), i)
        loc = doc.loc(path)
        if isinstance(raw, str):
            fields = keys.Fields(doc, path, {"sak": raw}, {})
        elif isinstance(raw, dict):
            fields = keys.normalise(doc, path, raw, key_names(MEETING_ITEM_FIELDS), diag)
        else:
            diag.error(loc, "feil-type", f"sak {i + 1} skal være en saks-id eller nøkler (sak:, tid:)")
            continue
        iv = read_fields(doc, fields, MEETING_ITEM_FIELDS, diag, year=date.year)
        ref, title = iv["sak"], iv["tittel"]
        numbered = iv["nummer"] is not False
        if ref is None and title is None:
            if "sak" not in fields and "tittel" not in fields:
                diag.error(loc, "mangler-felt", f"sak {i + 1} mangler «sak» (en saks-id) eller «tittel»")
            continue
        number_loc = fields.loc("saksnummer") if "saksnummer" in fields else loc
        number = iv["saksnummer"]
        if number is not None:
            check_item_number_year(number_loc, number, date, profile, diag)
            if not numbered:
                diag.error(
                    fields.loc("nummer"),
                    "ugyldig-kombinasjon",
                    "«nummer: false» og «saksnummer» kan ikke stå på samme punkt",
                    "fjern det ene",
                )
        common: dict[str, Any] = {
            "time": iv["tid"],
            "location": loc,
            "explicit_number": number,
            "numbered": numbered,
            "number_location": number_loc,
        }
        if ref is not None and ref in seen:
            diag.error(
                loc,
                "dobbel-id",
                f"saken «{ref}» står to ganger i sakslisten (første gang på linje {seen[ref].line})",
            )
            continue
        if ref is not None:
            seen[ref] = loc
        if ref is not None and ref in standing:
            s = standing[ref]
            items.append(
                MeetingItem(
                    None,
                    None,
                    title or s.title or None,
                    presenter=iv["presenteres_av"],
                    kind="standard",
                    sakstype=iv["sakstype"],
                    standing_id=s.id,
                    **common,
                )
            )
            continue
        if ref is None:
            items.append(
                MeetingItem(
                    None,
                    None,
                    title,
                    presenter=iv["presenteres_av"],
                    kind="punkt",
                    sakstype=iv["sakstype"],
                    **common,
                )
            )
            continue
        case = _case_item(doc, fields, ref, profile, cases, numbered, diag)
        if case is False:
            continue
        presenter = iv["presenteres_av"] or (case.presenter if isinstance(case, Case) else None)
        items.append(MeetingItem(None, ref, None, presenter=presenter, **common))
    listed = {i.standing_id for i in items if i.standing_id}
    loc = doc.loc()

    def auto(first_place: bool) -> list[MeetingItem]:
        return [
            MeetingItem(None, None, s.title or None, None, None, loc, kind="standard", standing_id=s.id)
            for s in profile.standing
            if s.first == first_place and s.id not in listed
        ]

    agenda = (*auto(True), *items, *auto(False))
    protokoll = validate_protokoll(doc, f, profile, list(agenda), cases, diag)
    return Meeting(ident, doc, profile, date, time, place, agenda, protokoll=protokoll, first_number=first)


def _case_item(
    doc: Document,
    fields: keys.Fields,
    ref: str,
    profile: Profile,
    cases: dict[str, Case | None],
    numbered: bool,
    diag: Collector,
) -> Case | bool | None:
    """The case an item names (None when it exists but failed validation), or False when the
    item cannot stand on the agenda."""
    loc = fields.loc()
    for key, why in _CASE_ONLY_FROM_FILE.items():
        if key in fields:
            diag.error(
                fields.loc(key, key=True),
                "ugyldig-kombinasjon",
                f"«{key}» kan ikke brukes på saken «{ref}», som har en saksfil: {why}",
                f"endre «{key}» i saksfilen, eller fjern «sak:» for et punkt uten saksdokument",
            )
    if not numbered:
        diag.error(
            fields.loc("nummer", key=True),
            "ugyldig-kombinasjon",
            f"saken «{ref}» har en saksfil og skal ha saksnummer; «nummer: false» er for punkter "
            "uten saksdokument (Lunsj)",
            "fjern «nummer: false»",
        )
    if ref not in cases:
        close = keys.closest(ref, [*cases, *(s.id for s in profile.standing)])
        diag.error(
            loc,
            "ukjent-sak",
            f"saken «{ref}» finnes ikke i saker/",
            f"mente du «{close}»?" if close else "skriv «tittel:» for et punkt uten saksdokument",
        )
        return False
    case = cases[ref]
    if case is not None and case.profile.id != profile.id:
        diag.error(
            loc,
            "feil-møtetype",
            f"saken «{ref}» er skrevet for «{case.profile.id}», ikke «{profile.id}»",
            f"endre «møte:» i {case.display} eller flytt saken til riktig møte",
        )
        return False
    return case
