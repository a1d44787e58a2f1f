"""One exception hierarchy for everything saksgen reports to a user.

Every error knows its exit code and how to show itself in Norwegian, with a location when it has
one. The CLI catches ``SaksgenError`` and nothing else reaches the user as a traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from saksgen.diagnostics import Diagnostic, Location

EXIT_OK = 0
EXIT_CONTENT = 1
EXIT_USAGE = 2


class SaksgenError(Exception):
    """Base class. ``message`` is Norwegian and user-facing."""

    exit_code = EXIT_CONTENT
    code = "feil"

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def format(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}feil: {self.message} [{self.code}]"


class UsageError(SaksgenError):
    """Wrong command-line usage (unknown profile name on the command line, bad option)."""

    exit_code = EXIT_USAGE
    code = "bruk"


class ContentErrors(SaksgenError):
    """The input has one or more errors; carries every diagnostic of the run."""

    code = "innhold"

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        n = sum(1 for d in diagnostics if d.severity == "feil")
        super().__init__(f"{n} feil i inndata")
        self.diagnostics = diagnostics

    def format(self) -> str:
        return "\n".join(d.format_text() for d in self.diagnostics) or super().format()


class ToolMissing(SaksgenError):
    """An external program (pandoc, LibreOffice) cannot be started."""

    code = "mangler-verktøy"


class ToolFailed(SaksgenError):
    """An external program ran but failed; keeps its stderr for the user."""

    code = "verktøy-feilet"

    def __init__(self, message: str, stderr: str = "", location: Location | None = None) -> None:
        super().__init__(message, location)
        self.stderr = stderr

    def format(self) -> str:
        text = super().format()
        tail = self.stderr.strip()
        if tail:
            tail = "\n".join(tail.splitlines()[-15:])
            text += "\n" + "\n".join("    " + line for line in tail.splitlines())
        return text


class ToolTimeout(ToolFailed):
    """An external program did not finish in time and was stopped."""

    code = "tidsavbrudd"


class OutputError(SaksgenError):
    """An output file or folder cannot be written."""

    code = "skrivefeil"


class Interrupted(SaksgenError):
    """The user pressed Ctrl+C; temporary files are already cleaned up."""

    code = "avbrutt"
