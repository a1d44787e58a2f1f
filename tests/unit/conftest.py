"""The unit layer never starts LibreOffice, pandoc or Ghostscript: any attempt fails loudly."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator

import pytest

FORBIDDEN = ("soffice", "libreoffice", "pandoc", "gs", "ghostscript")


def _program(args: object, executable: object) -> str:
    first = executable or (args if isinstance(args, (str, bytes, os.PathLike)) else next(iter(args), ""))  # type: ignore[call-overload]
    name = os.path.basename(os.fsdecode(first)).split()[0] if first else ""
    return name


class _GuardedPopen(subprocess.Popen):  # type: ignore[type-arg]
    def __init__(self, args: object, *rest: object, **kwargs: object) -> None:
        name = _program(args, kwargs.get("executable"))
        if name.split(".")[0] in FORBIDDEN:
            raise AssertionError(f"a unit test tried to start {name!r}; put it in the end-to-end layer")
        super().__init__(args, *rest, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def no_external_tools(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(subprocess, "Popen", _GuardedPopen)
    yield
