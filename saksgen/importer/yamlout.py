"""The case file as YAML text: header fields first, then the sections as block literals, in
the profile's order, so the file reads like one written by hand."""

from __future__ import annotations

import json
import re
from typing import Any

_PLAIN = re.compile(r"^[A-Za-zÆØÅæøå0-9][^:#\n\"'{}\[\],&*!|>%@`]*$")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"}


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text  # an ISO date stays a YAML date
    if (
        _PLAIN.match(text)
        and text.lower() not in _RESERVED
        and text == text.strip()
        and not re.fullmatch(r"[\d.:eE+-]+", text)
    ):
        return text
    return json.dumps(text, ensure_ascii=False)


def block(key: str, text: str, indent: str = "") -> list[str]:
    """``key: |`` and the text, indented; an indentation indicator when it starts with spaces."""
    lines = text.rstrip("\n").split("\n")
    marker = "|2" if lines and lines[0].startswith(" ") else "|"
    out = [f"{indent}{key}: {marker}"]
    out += [f"{indent}  {line}" if line.strip() else "" for line in lines]
    return out


def item(text: str, indent: str = "  ") -> list[str]:
    if "\n" in text:
        lines = text.rstrip("\n").split("\n")
        return [f"{indent}- |"] + [f"{indent}    {line}" if line.strip() else "" for line in lines]
    return [f"{indent}- {scalar(text)}"]


def case_yaml(fields: dict[str, Any], sections: list[tuple[str, Any]]) -> str:
    lines = [f"{key}: {scalar(value)}" for key, value in fields.items()]
    for key, value in sections:
        lines.append("")
        if isinstance(value, str):
            lines += block(key, value)
        elif key == "vedlegg":
            lines.append(f"{key}:" if value else f"{key}: []")
            for entry in value:
                first = True
                for k, v in entry.items():
                    lines.append(f"  {'- ' if first else '  '}{k}: {scalar(v)}")
                    first = False
        else:
            lines.append(f"{key}:")
            for entry in value:
                lines += item(entry)
    return "\n".join(lines) + "\n"
