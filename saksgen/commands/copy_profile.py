"""``saksgen maler --kopier PROFIL [--som NY-ID]``: a built-in profile into ``maler/`` for editing."""

from __future__ import annotations

import shutil
from pathlib import Path

from saksgen.commands.scaffold import get_profile
from saksgen.errors import UsageError
from saksgen.load.profiles import PROFILE_ID

SHARED = ("sakliste.docx", "protokoll.docx")


def copy_profile(root: Path, name: str, new_id: str | None) -> list[str]:
    """Copy ``profil.yaml`` and every Word template the profile uses; never overwrite."""
    profile = get_profile(root, name)
    target_id = new_id or name
    if not PROFILE_ID.match(target_id):
        raise UsageError(f"profil-id «{target_id}» kan bare ha a–z, 0–9 og bindestrek")
    target = root / "maler" / target_id
    if target.exists():
        raise UsageError(f"maler/{target_id} finnes allerede; velg en annen --som, eller slett mappen")
    files = [profile.folder / "profil.yaml", profile.template]
    files += [p for p in (profile.shared_template(n) for n in SHARED) if p.is_file()]
    staging = root / "maler" / f".{target_id}.kopi"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        for src in files:
            shutil.copyfile(src, staging / src.name)
        # One rename: the folder appears whole or not at all.
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [f"maler/{target_id}/{src.name}" for src in files]
