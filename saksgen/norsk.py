"""Norwegian formatting: dates, case numbers."""

from __future__ import annotations

import datetime as dt
import string
from typing import Any

MONTHS = [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
]


def format_date(day: dt.date) -> str:
    """``2024-03-06`` -> ``6. mars 2024``."""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


class _SafeFormatter(string.Formatter):
    """Profile number formats come from template owners: allow plain fields only, so a format
    string can never reach attributes or items of the values (``{nr.__class__}``)."""

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> Any:
        if not field_name or any(c in field_name for c in ".[]"):
            raise KeyError(field_name)
        return kwargs[field_name], field_name

    def format_field(self, value: Any, format_spec: str) -> Any:
        # An unassigned number prints as the placeholder "XX", whatever its format spec.
        return "XX" if value is None else super().format_field(value, format_spec)


_FORMATTER = _SafeFormatter()


def number_fields(nr: int | None, year: int) -> dict[str, Any]:
    yy = f"{year % 100:02d}"
    return {"nr": nr, "åå": yy, "aa": yy, "åååå": str(year), "aaaa": str(year)}


def format_number(template: str, nr: int | None, year: int) -> str:
    return _FORMATTER.format(template, **number_fields(nr, year))


def lower_first(text: str) -> str:
    """ "Sak 32/24" -> "sak 32/24" in running text; "SG-sak" and other acronyms stay."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def check_format(template: str) -> str | None:
    """None when ``template`` formats with a number and year; else the Norwegian problem."""
    try:
        format_number(template, 1, 2024)
        format_number(template, None, 2024)
    except (KeyError, ValueError, IndexError) as exc:
        return f"ugyldig format «{template}»: {exc}"
    return None
