"""A progress bar on a terminal; silent in CI and when output is piped."""

from __future__ import annotations

import os
import sys
from types import TracebackType


class Progress:
    def __init__(self, total: int) -> None:
        self.total = max(total, 1)
        self.done = 0
        self.enabled = (
            total > 1
            and sys.stderr.isatty()
            and not os.environ.get("CI")
            and not os.environ.get("SAKSGEN_QUIET")
        )

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.enabled:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()

    def advance(self, n: int, what: str = "") -> None:
        self.done = min(self.total, self.done + n)
        if not self.enabled or n <= 0:
            return
        width = 30
        filled = int(width * self.done / self.total)
        bar = "█" * filled + "░" * (width - filled)
        sys.stderr.write(f"\r[{bar}] {self.done}/{self.total} {what:<10}")
        sys.stderr.flush()
