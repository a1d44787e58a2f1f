"""GitHub Actions workflow commands (``--format github``): annotations on the changed lines."""

from __future__ import annotations

from saksgen.diagnostics import Diagnostic
from saksgen.diagnostics.formats import summary_line


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render(diags: list[Diagnostic], checked: list[str]) -> str:
    """GitHub Actions workflow commands: one annotation per diagnostic."""
    lines = []
    for d in diags:
        kind = "error" if d.severity == "feil" else "warning"
        props = []
        if d.location:
            props.append(f"file={_gh_escape(d.location.path, True)}")
            if d.location.line:
                props.append(f"line={d.location.line}")
                props.append(f"col={d.location.col}")
        # The code goes in the message as in the text report, so every line reads
        # ::error file=…,line=…,col=…::… (what CI log parsers and problem matchers expect).
        message = f"{d.message} [{d.code}]" + (f" (hint: {d.hint})" if d.hint else "")
        lines.append(f"::{kind} {','.join(props)}::{_gh_escape(message)}")
    lines.append(summary_line(diags, len(checked)))
    return "\n".join(lines) + "\n"
