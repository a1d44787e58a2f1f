"""Images pandoc extracted from the paper -> ``figurer/<id>-N.<ext>``, referenced from the text."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from saksgen.write import write_bytes


def collect(node: Any, out: list[dict[str, Any]]) -> None:
    if isinstance(node, list):
        for n in node:
            collect(n, out)
    elif isinstance(node, dict):
        if node.get("t") == "Image":
            out.append(node)
        collect(node.get("c"), out)


def plan(blocks: list[Any], media_dir: Path, root: Path, case_id: str) -> list[tuple[Path, bytes]]:
    """Point every extracted image at its place under figurer/; the files to write. An existing
    file with other content is never replaced: the next free name is used."""
    images: list[dict[str, Any]] = []
    collect(blocks, images)
    writes: list[tuple[Path, bytes]] = []
    seen: dict[str, str] = {}
    n = 0
    for image in images:
        target = image["c"][2]
        src = Path(target[0])
        if not src.is_absolute():
            src = media_dir.parent / src
        try:
            data = src.read_bytes()
        except OSError:
            continue  # a linked (not embedded) image: the reference stays as written
        digest = hashlib.sha256(data).hexdigest()
        if digest not in seen:
            while True:
                n += 1
                rel = f"figurer/{case_id}-{n}{src.suffix.lower() or '.png'}"
                dest = root / rel
                if not dest.exists() or dest.read_bytes() == data:
                    break
            seen[digest] = rel
            writes.append((dest, data))
        image["c"][2] = [seen[digest], target[1]]
    return writes


def write(writes: list[tuple[Path, bytes]]) -> None:
    for dest, data in writes:
        if not (dest.exists() and dest.read_bytes() == data):
            write_bytes(dest, data)
