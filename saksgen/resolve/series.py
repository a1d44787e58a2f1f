"""Numbers across a meeting series: every meeting of one profile, in date order.

A meeting without ``første_saksnummer`` runs on from the earlier meetings of its series in that
year. The same printed number on two meetings of a series is an error (``dobbelt-saksnummer``,
reported at the later meeting, naming both places), so the earlier meeting still builds. A case
on two meetings is a warning (``sak-i-flere-moter``); references to it use the number of its
latest meeting (date, then file path: deterministic).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from pathlib import Path

from saksgen.diagnostics import Collector, Location
from saksgen.model import Case, Meeting, MeetingItem
from saksgen.resolve.numbering import number_items, order_items, series_start


def meeting_order(meeting: Meeting) -> tuple[object, ...]:
    """Series order: date, then the file (two meetings on one day are ordered by their path)."""
    return (meeting.date, meeting.display, meeting.id)


def resolve_series(
    meetings: Mapping[str, Meeting],
    cases: Mapping[str, Case],
    case_types: Mapping[str, str],
    diag_for: Callable[[Path], Collector],
) -> dict[str, Meeting]:
    """Every meeting grouped and numbered; diagnostics go to the collector of the meeting file
    they are located in. ``case_types`` holds the sakstype of every case, also failed ones."""
    out: dict[str, Meeting] = {}
    series: dict[str, list[Meeting]] = {}
    for meeting in meetings.values():
        series.setdefault(meeting.profile.id, []).append(meeting)
    for members in series.values():
        used: dict[tuple[int, int], tuple[MeetingItem, Meeting]] = {}
        on: dict[str, list[tuple[MeetingItem, Meeting]]] = {}
        for meeting in sorted(members, key=meeting_order):
            numbered = _number_meeting(meeting, case_types, list(used), diag_for)
            out[meeting.id] = numbered
            diag = diag_for(meeting.source.path)
            for item in numbered.items:
                if item.number is None:
                    continue
                before = used.get(item.number)
                if before is not None and before[1].id != meeting.id and not _same_case(before[0], item):
                    _report_clash(diag, numbered, item, *before)
                used.setdefault(item.number, (item, numbered))
                if item.case_id:
                    on.setdefault(item.case_id, []).append((item, numbered))
            _warn_number_mismatch(numbered, cases, diag)
        for case_id, places in on.items():
            _warn_several_meetings(case_id, places, diag_for)
    return out


def _number_meeting(
    meeting: Meeting,
    case_types: Mapping[str, str],
    earlier: list[tuple[int, int]],
    diag_for: Callable[[Path], Collector],
) -> Meeting:
    profile = meeting.profile
    year = meeting.date.year
    ordered = order_items(meeting.items, profile.agenda_groups, case_types, profile.default_sakstype)
    first = meeting.first_number or series_start(earlier, year)
    items, clashes = number_items(ordered, first, year)
    diag = diag_for(meeting.source.path)
    for item, where in clashes:
        assert item.number is not None
        diag.error(
            item.number_location or item.location,
            "dobbelt-saksnummer",
            f"saksnummer {profile.number(*item.number)} er brukt to ganger (også på linje {where.line})",
        )
    return dataclasses.replace(meeting, items=tuple(items))


def _same_case(a: MeetingItem, b: MeetingItem) -> bool:
    """A case that keeps its number on the next meeting (``saksnummer:`` again) is no clash."""
    return a.case_id is not None and a.case_id == b.case_id


def _where(item: MeetingItem) -> Location:
    return item.number_location or item.location


def _report_clash(
    diag: Collector, meeting: Meeting, item: MeetingItem, first: MeetingItem, other: Meeting
) -> None:
    assert item.number is not None
    printed = meeting.profile.number(*item.number)
    diag.error(
        _where(item),
        "dobbelt-saksnummer",
        f"saksnummer {printed} er brukt i to møter i samme serie: {_where(first)} og {_where(item)}",
        "gi det senere møtet et annet «første_saksnummer», eller fjern det så numrene løper videre",
    )


def _warn_number_mismatch(meeting: Meeting, cases: Mapping[str, Case], diag: Collector) -> None:
    profile = meeting.profile
    for item in meeting.items:
        case = cases.get(item.case_id) if item.case_id else None
        if case is None or item.number is None or not case.explicit_number:
            continue
        if case.explicit_number != item.number:
            diag.warning(
                item.location,
                "saksnummer-avvik",
                f"saken «{case.id}» har {profile.number(*case.explicit_number)} i saksfilen, men får "
                f"{profile.number(*item.number)} i dette møtet",
                "fjern «saksnummer» fra saksfilen, eller sett det samme nummeret her",
            )


def _warn_several_meetings(
    case_id: str, places: list[tuple[MeetingItem, Meeting]], diag_for: Callable[[Path], Collector]
) -> None:
    if len(places) < 2:
        return
    last_item, last = places[-1]
    assert last_item.number is not None
    latest = last.profile.number(*last_item.number)
    for n, (item, meeting) in enumerate(places[1:], start=1):
        first_item, first = places[n - 1]
        assert first_item.number is not None
        diag_for(meeting.source.path).warning(
            item.location,
            "sak-i-flere-moter",
            f"saken «{case_id}» står også på et tidligere møte ({first_item.location}, "
            f"{first.profile.number(*first_item.number)}); henvisninger til saken bruker "
            f"nummeret fra det siste møtet ({latest})",
            "ta saken ut av det ene møtet hvis den ikke skal behandles to ganger",
        )
