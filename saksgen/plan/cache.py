"""The incremental-build record: for each output, the hash of everything it was made from.

An output whose recorded key matches and whose files still exist is not built again. Keys are
stored per output path relative to the output folder, so a moved repository keeps its cache.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from saksgen.write import write_bytes

CACHE_FILE = ".saksgen-cache.json"


class BuildCache:
    """``salt`` (the fingerprint of saksgen's own code) is mixed into every key, so a new
    version of saksgen rebuilds everything."""

    def __init__(self, outdir: Path, *, salt: str = "", disabled: bool = False) -> None:
        self.outdir = outdir
        self.salt = salt
        self.disabled = disabled
        try:
            data = json.loads((outdir / CACHE_FILE).read_text(encoding="utf-8"))
            self.keys: dict[str, str] = data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            self.keys = {}

    def _name(self, path: Path) -> str:
        try:
            return path.relative_to(self.outdir).as_posix()
        except ValueError:
            return str(path)

    def _salted(self, key: str) -> str:
        return hashlib.sha256((self.salt + key).encode()).hexdigest()

    def fresh(self, outputs: list[Path], key: str) -> bool:
        """True when every output exists and was last written from inputs with this key."""
        if self.disabled or not key:
            return False
        salted = self._salted(key)
        return all(self.keys.get(self._name(p)) == salted and p.exists() for p in outputs)

    def record(self, path: Path, key: str) -> None:
        """Call after ``path`` was written (each output on its own: a DOCX-only build must not
        vouch for an older PDF)."""
        if key:
            self.keys[self._name(path)] = self._salted(key)

    def save(self) -> None:
        write_bytes(self.outdir / CACHE_FILE, json.dumps(self.keys, indent=1, sort_keys=True).encode())
