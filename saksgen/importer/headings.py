"""Matching a paper's headings to a profile's sections: exact first, then the closest.

Pure functions, no pandoc. A profile heading is a string or ``{bokmål: …, nynorsk: …}``; every
form is a candidate.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from saksgen.importer.header import fold

CUTOFF = 0.75


@dataclass(frozen=True)
class SectionInfo:
    key: str
    headings: tuple[str, ...]
    required: bool
    kind: str  # tekst | liste | vedlegg


def heading_forms(value: Any) -> tuple[str, ...]:
    """A profile's ``overskrift``: a string, or a mapping per målform."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Mapping):
        return tuple(str(v) for v in value.values() if isinstance(v, str) and v)
    return ()


def match_heading(text: str, sections: Iterable[SectionInfo]) -> str | None:
    """The key of the section whose heading ``text`` is, or None."""
    wanted = fold(text)
    if not wanted:
        return None
    candidates: dict[str, str] = {}
    for s in sections:
        for h in s.headings:
            candidates.setdefault(fold(h), s.key)
    if wanted in candidates:
        return candidates[wanted]
    close = difflib.get_close_matches(wanted, list(candidates), n=1, cutoff=CUTOFF)
    return candidates[close[0]] if close else None


def profile_sections(profile: Any) -> tuple[SectionInfo, ...]:
    """The profile's sections with every målform of each heading (read from its profil.yaml,
    so the nynorsk forms count even where the loaded profile keeps one string)."""
    extra = _raw_headings(Path(profile.folder) / "profil.yaml")
    out = []
    for s in profile.sections:
        forms = list(heading_forms(getattr(s, "headings", None) or s.heading))
        for h in extra.get(s.key, ()):
            if h not in forms:
                forms.append(h)
        out.append(SectionInfo(s.key, tuple(forms), s.required, s.kind))
    return tuple(out)


def _raw_headings(path: Path) -> dict[str, tuple[str, ...]]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return {}
    out: dict[str, tuple[str, ...]] = {}
    if isinstance(data, dict):
        for item in data.get("seksjoner") or []:
            if isinstance(item, dict):
                key = item.get("nøkkel") or item.get("nokkel")
                if isinstance(key, str):
                    out[key] = heading_forms(item.get("overskrift"))
    return out
