"""``saksgen ny`` (a new case file with every section and its guidance) and ``saksgen maler``."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from saksgen.diagnostics import Collector
from saksgen.errors import ContentErrors, UsageError
from saksgen.ids import ID_PATTERN
from saksgen.load.profiles import Profile, load_profiles
from saksgen.validate.fields import CASE_FIELDS
from saksgen.write import write_bytes


def profiles_or_fail(root: Path) -> dict[str, Profile]:
    diag = Collector()
    profiles = load_profiles(root, diag)
    if diag.errors:
        raise ContentErrors(diag.sorted())
    return profiles


def get_profile(root: Path, name: str) -> Profile:
    profiles = profiles_or_fail(root)
    if name not in profiles:
        raise UsageError(f"ukjent møtetype «{name}»; kjente: {', '.join(sorted(profiles))}")
    return profiles[name]


def _slug(title: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower().translate(table)).strip("-")
    return slug[:60].rstrip("-") or "ny-sak"


def _yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def scaffold_text(profile: Profile, title: str, today: dt.date) -> str:
    values = {
        "profil": profile.id,
        "tittel": _yaml_str(title),
        "i_dag": today.isoformat(),
        "sakstype": profile.default_sakstype,
    }
    lines = []
    for field in CASE_FIELDS:
        if field.scaffold is not None:
            line = f"{field.key}: {field.scaffold.format(**values)}"
            lines.append(f"{line:<40} # {field.description}")
    for own in profile.fields:  # the profile's own header fields (``felt:``)
        value = today.isoformat() if own.kind == "dato" and own.required else "null"
        mark = "påkrevd" if own.required else "valgfri"
        note = f"{own.label} ({mark}{', ÅÅÅÅ-MM-DD' if own.kind == 'dato' else ''})"
        lines.append(f"{f'{own.key}: {value}':<40} # {note}")
    lines.append("")
    for s in profile.sections:
        mark = "påkrevd" if s.required else "valgfri"
        lines.append(f"# --- {s.heading} ({mark}) ---")
        for g in s.guidance.splitlines() or [""]:
            if g:
                lines.append(f"# {g}")
        if s.kind == "liste":
            lines += [f"{s.key}:", '  - "[fylles inn]"']
        elif s.kind == "vedlegg":
            lines += [
                f"{s.key}: []",
                "#  - id: mandat",
                "#    tittel: Mandat",
                "#    fil: vedlegg/mandat.pdf",
            ]
        else:
            lines += [f"{s.key}: |", "  [fylles inn]"]
        lines.append("")
    return "\n".join(lines)


def new_case(root: Path, profile_name: str, title: str | None, ident: str | None) -> str:
    profile = get_profile(root, profile_name)
    ident = ident or (_slug(title) if title else "ny-sak")
    title = title or "[fylles inn: sakens tittel]"
    if not ID_PATTERN.match(ident):
        raise UsageError(f"id «{ident}» kan bare ha a–z, 0–9 og bindestrek")
    target = root / "saker" / f"{ident}.yaml"
    if target.exists():
        raise UsageError(f"saker/{ident}.yaml finnes allerede; velg en annen --id")
    write_bytes(target, scaffold_text(profile, title, dt.date.today()).encode("utf-8"))
    return f"saker/{ident}.yaml"


def describe_profiles(root: Path) -> str:
    out = []
    for profile in sorted(profiles_or_fail(root).values(), key=lambda p: p.id):
        out.append(f"{profile.id}: {profile.name}  ({profile.source})")
        out.append(
            f"  saksnummer: {profile.number(32, 2024)}, referanse: "
            f"{profile.reference(32, 2024, same_series=False)}"
        )
        for s in profile.sections:
            flag = "påkrevd" if s.required else "valgfri"
            out.append(f"  - {s.key:<20} {s.heading}  ({flag})")
        out.append("")
    return "\n".join(out)
