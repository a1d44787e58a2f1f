"""The pure agenda rules: grouping by sakstype, numbering within a meeting, the series start."""

from __future__ import annotations

from saksgen.diagnostics import Location
from saksgen.model import MeetingItem
from saksgen.resolve.numbering import number_items, order_items, series_start


def _case(case_id: str, line: int = 1, number: tuple[int, int] | None = None) -> MeetingItem:
    return MeetingItem(None, case_id, None, None, None, Location("m.yaml", line, 5), explicit_number=number)


def _free(title: str, *, sakstype: str | None = None, numbered: bool = True) -> MeetingItem:
    kind = "standard" if title.startswith("std:") else "punkt"
    return MeetingItem(
        None,
        None,
        title,
        None,
        None,
        Location("m.yaml", 1, 5),
        kind=kind,
        sakstype=sakstype,
        numbered=numbered,
    )


TYPES = {"b1": "beslutning", "b2": "beslutning", "o1": "orientering", "d1": "diskusjon"}


def _names(items: list[MeetingItem]) -> list[tuple[str | None, str | None]]:
    return [(i.case_id or i.title, i.group) for i in items]


def test_without_groups_the_file_order_stands() -> None:
    items = [_case("o1"), _case("b1"), _free("Lunsj", numbered=False)]
    assert order_items(items, (), TYPES, "beslutning") == items


def test_groups_in_profile_order_untyped_items_keep_their_neighbours() -> None:
    items = [
        _free("std:innkalling"),
        _case("o1"),
        _free("Lunsj", numbered=False),  # follows o1 into its group
        _case("b1"),
        _case("d1"),
        _case("b2"),
        _free("Referatsaker", sakstype="orientering"),
        _free("std:eventuelt"),  # after the last typed item: stays at the bottom
    ]
    ordered = order_items(items, ("beslutning", "orientering"), TYPES, "beslutning")
    assert _names(ordered) == [
        ("std:innkalling", None),
        ("b1", "beslutning"),
        ("b2", "beslutning"),
        ("o1", "orientering"),
        ("Lunsj", "orientering"),
        ("Referatsaker", "orientering"),
        ("d1", "diskusjon"),  # not listed in grupper: after the listed groups, still headed
        ("std:eventuelt", None),
    ]


def test_a_failed_case_is_grouped_by_the_default_sakstype() -> None:
    ordered = order_items([_case("o1"), _case("ukjent")], ("beslutning", "orientering"), TYPES, "beslutning")
    assert _names(ordered) == [("ukjent", "beslutning"), ("o1", "orientering")]


def test_numbering_explicit_wins_unnumbered_rows_skip_and_clashes_are_found() -> None:
    items = [
        _free("std:innkalling"),
        _case("b1", line=5),
        _free("Lunsj", numbered=False),
        _case("b2", number=(40, 24)),
        _case("o1"),
        _case("d1", line=9, number=(31, 24)),
    ]
    numbered, clashes = number_items(items, 30, 24)
    assert [i.number for i in numbered] == [(30, 24), (31, 24), None, (40, 24), (41, 24), (31, 24)]
    assert [(c.case_id, where.line) for c, where in clashes] == [("d1", 5)]


def test_a_number_of_another_year_does_not_move_the_count() -> None:
    numbered, clashes = number_items([_case("b1", number=(90, 23)), _case("b2")], 7, 24)
    assert [i.number for i in numbered] == [(90, 23), (7, 24)] and not clashes


def test_series_start_runs_on_within_the_year() -> None:
    assert series_start([], 2024) == 1
    assert series_start([(30, 2024), (34, 2024), (99, 2023), None], 2024) == 35
    assert series_start([(12, 2023)], 2024) == 1
