"""Which profile a paper was written for, when ``--profil`` is not given: its case line, its
"Til" line and how many of its headings each profile knows."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from saksgen.importer.header import fold
from saksgen.importer.headings import SectionInfo, match_heading


def _case_line_prefix(profile: Any) -> str:
    line = profile.line(None, 2024)
    return fold(re.split(r"\bsak\b", line, flags=re.I)[0].strip(" -–"))


def choose(
    profiles: Mapping[str, Any],
    sections: Mapping[str, tuple[SectionInfo, ...]],
    meeting: str | None,
    til: str | None,
    headings: list[str],
) -> str | None:
    """The best profile id, or None when nothing points anywhere."""
    best: tuple[int, str] | None = None
    for pid in sorted(profiles):
        profile = profiles[pid]
        score = 0
        if meeting and fold(meeting) == _case_line_prefix(profile):
            score += 100
        if til and fold(til) == fold(profile.til):
            score += 50
        exact = {fold(h) for s in sections[pid] for h in s.headings}
        score += sum(3 if fold(h) in exact else 1 for h in headings if match_heading(h, sections[pid]))
        if score and (best is None or score > best[0]):
            best = (score, pid)
    return best[1] if best else None
