"""The incremental-build record: for each output, the hash of everything it was made from.

An output whose recorded key matches and whose files still exist is not built again. Keys are
stored per output path relative to the output folder, so a moved repository keeps its cache.

Every output is recorded the moment it is written, so a build that is interrupted (Ctrl+C, kill,
a crash) keeps what it finished. Rewriting the whole record after each of 2,000 outputs would
cost O(n) each time; instead each record is one line appended to a journal
(``.saksgen-cache.jsonl``) next to the snapshot (``.saksgen-cache.json``). Loading reads the
snapshot, then replays the journal; ``save`` at the end of a build writes a new snapshot
(atomically) and removes the journal. A process killed while appending leaves at most a torn last
line, which is ignored: that one output is simply built again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path

from saksgen.write import write_bytes

CACHE_FILE = ".saksgen-cache.json"
JOURNAL_FILE = ".saksgen-cache.jsonl"


class BuildCache:
    """``salt`` (the fingerprint of saksgen's own code) is mixed into every key, so a new
    version of saksgen rebuilds everything."""

    def __init__(self, outdir: Path, *, salt: str = "", disabled: bool = False) -> None:
        self.outdir = outdir
        self.salt = salt
        self.disabled = disabled
        self._torn = False  # the journal does not end with a line break
        try:
            data = json.loads((outdir / CACHE_FILE).read_text(encoding="utf-8"))
            self.keys: dict[str, str] = data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            self.keys = {}
        self._replay()

    def _replay(self) -> None:
        try:
            text = (self.outdir / JOURNAL_FILE).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return
        self._torn = bool(text) and not text.endswith("\n")
        for line in text.splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # a line torn by a kill: that output is built again
            if isinstance(entry, list) and len(entry) == 2 and all(isinstance(v, str) for v in entry):
                self.keys[entry[0]] = entry[1]

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
        """Call right after ``path`` was written (each output on its own: a DOCX-only build must
        not vouch for an older PDF). Appends one line to the journal: O(1), kept by the operating
        system even if this process is killed the next moment."""
        if not key:
            return
        name, salted = self._name(path), self._salted(key)
        self.keys[name] = salted
        line = json.dumps([name, salted], ensure_ascii=False) + "\n"
        try:
            # Opened per record: no handle is left open when a build is interrupted, and the
            # line reaches the operating system (which keeps it if we are killed) at once.
            with open(self.outdir / JOURNAL_FILE, "a", encoding="utf-8") as journal:
                journal.write("\n" + line if self._torn else line)  # never glue onto a torn line
            self._torn = False
        except OSError:
            pass  # the output itself was written; it is only rebuilt next time

    def save(self) -> None:
        """Compact: the snapshot gets everything, then the journal goes. Killed in between, the
        journal is replayed over a snapshot that already holds its entries: no harm."""
        write_bytes(self.outdir / CACHE_FILE, json.dumps(self.keys, indent=1, sort_keys=True).encode())
        with contextlib.suppress(FileNotFoundError):
            (self.outdir / JOURNAL_FILE).unlink()
        self._torn = False
