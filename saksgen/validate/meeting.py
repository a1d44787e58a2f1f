"""A meeting file -> ``Meeting``: its agenda items, numbered with the profile's standing items."""

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
    first = 1 if v["første_saksnummer"] is None else v["første_saksnummer"]
    if isinstance(first, bool) or not isinstance(first, int) or first < 1:
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
    year = date.year
    entries: list[dict[str, Any]] = []
    seen_cases: dict[str, Location] = {}
    for i, raw in enumerate(raw_items):
        path = (*f.vpath("saker"), i)
        loc = doc.loc(path)
        if isinstance(raw, str):
            item = keys.Fields(doc, path, {"sak": raw}, {})
        elif isinstance(raw, dict):
            item = keys.normalise(doc, path, raw, key_names(MEETING_ITEM_FIELDS), diag)
        else:
            diag.error(loc, "feil-type", f"sak {i + 1} skal være en saks-id eller nøkler (sak:, tid:)")
            continue
        iv = read_fields(doc, item, MEETING_ITEM_FIELDS, diag, year=year)
        case_id = iv["sak"]
        if case_id is None:
            continue
        if case_id in seen_cases:
            diag.error(
                loc,
                "dobbel-id",
                f"saken «{case_id}» står to ganger i sakslisten "
                f"(første gang på linje {seen_cases[case_id].line})",
            )
            continue
        seen_cases[case_id] = loc
        if case_id not in cases:
            close = keys.closest(case_id, cases)
            diag.error(
                loc,
                "ukjent-sak",
                f"saken «{case_id}» finnes ikke i saker/",
                f"mente du «{close}»?" if close else None,
            )
            continue
        case = cases[case_id]
        if case is not None and case.profile.id != profile.id:
            diag.error(
                loc,
                "feil-møtetype",
                f"saken «{case_id}» er skrevet for «{case.profile.id}», ikke «{profile.id}»",
                f"endre «møte:» i {case.display} eller flytt saken til riktig møte",
            )
            continue
        number_loc = item.loc("saksnummer") if "saksnummer" in item else loc
        number = iv["saksnummer"]
        if number is not None:
            check_item_number_year(number_loc, number, date, profile, diag)
        entries.append(
            {
                "case": case_id,
                "loc": loc,
                "number_loc": number_loc,
                "number": number,
                "time": iv["tid"],
                "presenter": iv["presenteres_av"] or (case.presenter if case else None),
            }
        )
    items = _number_items(profile, entries, first, year, doc, diag)
    for numbered in items:
        case = cases.get(numbered.case_id) if numbered.case_id else None
        if case is not None and case.explicit_number and case.explicit_number != numbered.number:
            own = profile.number(*case.explicit_number)
            diag.warning(
                numbered.location,
                "saksnummer-avvik",
                f"saken «{case.id}» har {own} i saksfilen, men får "
                f"{profile.number(*numbered.number)} i dette møtet",
                "fjern «saksnummer» fra saksfilen, eller sett det samme nummeret her",
            )
    protokoll = validate_protokoll(doc, f, profile, items, cases, diag)
    return Meeting(ident, doc, profile, date, time, place, tuple(items), protokoll)


def _number_items(
    profile: Profile,
    entries: list[dict[str, Any]],
    first: int,
    year: int,
    doc: Document,
    diag: Collector,
) -> list[MeetingItem]:
    """Standing items first/last, cases between; explicit numbers win, the rest run on."""
    loc = doc.loc()
    rows: list[dict[str, Any]] = [
        {"standing": s.title, "loc": loc, "number": None} for s in profile.standing if s.first
    ]
    rows += entries
    rows += [{"standing": s.title, "loc": loc, "number": None} for s in profile.standing if not s.first]
    items: list[MeetingItem] = []
    used: dict[tuple[int, int], Location] = {}
    next_nr = first
    for row in rows:
        number = row["number"] or (next_nr, year)
        if number in used:
            diag.error(
                row.get("number_loc", row["loc"]),
                "dobbelt-saksnummer",
                f"saksnummer {profile.number(*number)} er brukt to ganger "
                f"(også på linje {used[number].line})",
            )
        used[number] = row["loc"]
        if number[1] == year:
            next_nr = max(next_nr, number[0] + 1)
        items.append(
            MeetingItem(
                number,
                row.get("case"),
                row.get("standing"),
                row.get("time"),
                row.get("presenter"),
                row["loc"],
            )
        )
    return items
