"""The one id pattern: case, meeting, attachment and profile ids, and the file names built from them."""

from __future__ import annotations

import re

ID = "[a-z0-9][a-z0-9-]*"
ID_PATTERN = re.compile(f"^{ID}$")
PAPER_FILE = re.compile(rf"^\d{{2,}}-{ID}\.(?:docx|pdf)$")
"""A meeting's numbered paper, ``NN-<case-id>.docx|pdf``."""


def is_id(text: str) -> bool:
    return ID_PATTERN.match(text) is not None
