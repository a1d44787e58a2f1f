"""The pure rules of an agenda's order and numbers: grouping by sakstype, numbering within a
meeting, and where a meeting without ``første_saksnummer`` starts in its series.

No I/O and no diagnostics here: the callers (resolve/series.py) report what these functions
find, so the rules can be tested on plain data.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence

from saksgen.diagnostics import Location
from saksgen.model import MeetingItem

# Group order for sakstypes a profile's ``grupper`` does not list (they still get a heading).
ALL_TYPES = ("beslutning", "orientering", "diskusjon")


def item_type(item: MeetingItem, case_types: Mapping[str, str], default: str) -> str | None:
    """The sakstype an item is grouped by: a case's own; a standing or free item's only when the
    meeting file gives it one (``sakstype:``), else None (it is not grouped by itself)."""
    if item.kind == "sak" and item.case_id is not None:
        return case_types.get(item.case_id, default)
    return item.sakstype


def order_items(
    items: Sequence[MeetingItem], groups: Sequence[str], case_types: Mapping[str, str], default: str
) -> list[MeetingItem]:
    """Items in group order, each knowing its group. Without groups the file order stands.

    Items with a sakstype go to its group, in file order. An item without one (a standing item,
    "Lunsj", "Referatsaker" without ``sakstype:``) stays where it is relative to its neighbours:
    before the first typed item it stays at the top, after the last one at the bottom, in
    between it follows the typed item before it into that group."""
    if not groups:
        return list(items)
    types = [item_type(i, case_types, default) for i in items]
    typed = [n for n, t in enumerate(types) if t is not None]
    if not typed:
        return list(items)
    first, last = typed[0], typed[-1]
    assigned: list[str | None] = []
    current: str | None = None
    for n, t in enumerate(types):
        if t is not None:
            current = t
        assigned.append(t if t is not None else (current if first < n < last else None))
    order = list(dict.fromkeys([*groups, *(t for t in ALL_TYPES if t in assigned)]))
    head = list(items[:first])
    tail = list(items[last + 1 :])
    body = [
        dataclasses.replace(items[n], group=g)
        for g in order
        for n in range(first, last + 1)
        if assigned[n] == g
    ]
    return head + body + tail


def series_start(earlier: Iterable[tuple[int, int] | None], year: int) -> int:
    """Where a meeting without ``første_saksnummer`` starts: after the highest number the earlier
    meetings of its series used in that year (numbers run on through the year), else 1."""
    used = [n[0] for n in earlier if n is not None and n[1] == year]
    return max(used) + 1 if used else 1


def number_items(
    items: Sequence[MeetingItem], first: int, year: int
) -> tuple[list[MeetingItem], list[tuple[MeetingItem, Location]]]:
    """Number the items in order: an explicit number wins, the others run on from ``first`` (and
    from after any explicit number of the meeting's year). Unnumbered rows get None.

    Returns the numbered items and the clashes: (item, where the number was used before)."""
    out: list[MeetingItem] = []
    clashes: list[tuple[MeetingItem, Location]] = []
    used: dict[tuple[int, int], Location] = {}
    next_nr = first
    for item in items:
        if not item.numbered:
            out.append(dataclasses.replace(item, number=None))
            continue
        number = item.explicit_number or (next_nr, year)
        numbered = dataclasses.replace(item, number=number)
        if number in used:
            clashes.append((numbered, used[number]))
        used[number] = item.location
        if number[1] == year:
            next_nr = max(next_nr, number[0] + 1)
        out.append(numbered)
    return out, clashes
