"""YAML -> plain Python data plus a table of positions, so every later diagnostic can name
``path:line:col``.

We compose nodes ourselves instead of calling ``safe_load``: that keeps positions, catches
duplicate keys (which PyYAML silently overwrites), refuses anchors/aliases (the billion-laughs
bomb expands only when constructed, and case files have no use for them) and refuses tags.
Dates are kept as strings here; validation parses them with Norwegian error messages.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from saksgen.diagnostics import Collector, Location
from saksgen.load.yaml_messages import char_at, translate, yaml_hint

try:  # libyaml is much faster; fall back to pure Python where it is not built.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the platform's PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 2 * 1024 * 1024
"""A case or meeting file larger than this is refused before parsing (documented in README)."""

MAX_NODES = 20_000

MAX_DEPTH = 50
"""Nesting deeper than this is refused before composing: libyaml's composer recurses in C and
crashes the interpreter (segmentation fault) at a few ten thousand levels; a case needs four."""

# Characters YAML refuses and XML cannot carry. They are removed with a warning rather than
# failing the parse: they arrive by copy-paste from other programs and are never intended.
_UNPRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

KeyPath = tuple[Hashable, ...]
"""Where a value stands in a YAML file: the keys and list indexes from the top (not a file path)."""


@dataclass
class Document:
    """One loaded YAML file: its data and where each key and value stands."""

    path: Path
    display: str
    data: Any
    lines: list[str] = field(default_factory=list)
    value_pos: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    key_pos: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    # (style, line, col) of scalar values, to locate characters inside block text
    scalar_info: dict[KeyPath, tuple[str | None, int, int]] = field(default_factory=dict)
    # source text of scalars YAML resolved to numbers or booleans
    raw: dict[KeyPath, str] = field(default_factory=dict)

    def as_text(self, path: KeyPath, value: Any) -> str:
        """A scalar used as text, exactly as it was written."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return self.raw.get(tuple(path), str(value))
        return str(value)

    def loc(self, path: KeyPath = (), *, key: bool = False) -> Location:
        """Location of a value (or of its key) by its path; falls back to the nearest parent."""
        table = self.key_pos if key else self.value_pos
        p = tuple(path)
        while p:
            if p in table:
                line, col = table[p]
                return Location(self.display, line + 1, col + 1)
            if key and p in self.value_pos:
                line, col = self.value_pos[p]
                return Location(self.display, line + 1, col + 1)
            p = p[:-1]
        return Location(self.display, 1, 1)

    def text_loc(self, path: KeyPath, offset: int) -> Location:
        """Location of character ``offset`` inside the string value at ``path``.

        Exact for literal block scalars (``|``), which is how section text is written; for
        single-line scalars it is exact too; for folded text it is the start of the value.
        """
        info = self.scalar_info.get(tuple(path))
        value = self.value_at(path)
        if info is None or not isinstance(value, str):
            return self.loc(path)
        style, line, col = info
        before = value[:offset]
        row = before.count("\n")
        col_in_row = offset - (before.rfind("\n") + 1)
        if style == "|":
            content_line = line + 1 + row
            indent = self._block_indent(line + 1)
            return Location(self.display, content_line + 1, indent + col_in_row + 1)
        if "\n" not in value:
            quote = 1 if style in ("'", '"') else 0
            return Location(self.display, line + 1, col + quote + col_in_row + 1)
        return Location(self.display, line + 1, col + 1)

    def _block_indent(self, first_line: int) -> int:
        for text in self.lines[first_line:]:
            if text.strip():
                return len(text) - len(text.lstrip(" "))
        return 0

    def value_at(self, path: KeyPath) -> Any:
        """The loaded value at ``path``, or None when nothing stands there."""
        cur = self.data
        for part in path:
            try:
                cur = cur[part]
            except (KeyError, IndexError, TypeError):
                return None
        return cur


class _Builder:
    def __init__(self, doc: Document, diag: Collector) -> None:
        self.doc = doc
        self.diag = diag
        self.seen: set[int] = set()
        self.count = 0
        self.failed = False
        self.scalar_loader = _Loader("")  # only used for its resolver/constructors

    def loc(self, node: yaml.Node) -> Location:
        return Location(self.doc.display, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: KeyPath) -> Any:
        if id(node) in self.seen:
            # An alias shares its anchor's node, so point at the key that uses it.
            self.diag.error(
                self.doc.loc(path, key=True),
                "yaml-alias",
                "ankere og aliaser (&navn / *navn) støttes ikke i saksfiler",
                "skriv verdien ut der den skal brukes",
            )
            self.failed = True
            return None
        self.seen.add(id(node))
        self.count += 1
        if self.count > MAX_NODES:
            if not self.failed:
                self.diag.error(self.loc(node), "for-stor", f"filen har over {MAX_NODES} verdier")
            self.failed = True
            return None
        self.doc.value_pos[path] = (node.start_mark.line, node.start_mark.column)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                self._bad_tag(node)
                return None
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)  # the composer makes no other kind
        return self._scalar(node, path)

    def _bad_tag(self, node: yaml.Node) -> None:
        self.diag.error(
            self.loc(node),
            "yaml-tagg",
            f"YAML-taggen {node.tag} støttes ikke",
            "fjern taggen (det som starter med !)",
        )
        self.failed = True

    def _mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[str, Any] | None:
        if node.tag != "tag:yaml.org,2002:map":
            self._bad_tag(node)
            return None
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.diag.error(self.loc(key_node), "feil-type", "en nøkkel må være et enkelt ord")
                self.failed = True
                continue
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.diag.error(self.loc(key_node), "yaml-alias", "sammenslåing med << støttes ikke")
                self.failed = True
                continue
            key = str(key_node.value)
            if key in result:
                first = self.doc.key_pos[(*path, key)]
                self.diag.error(
                    self.loc(key_node),
                    "dobbel-nøkkel",
                    f"nøkkelen «{key}» står to ganger (første gang på linje {first[0] + 1})",
                    "slett eller slå sammen den ene",
                )
                continue
            self.doc.key_pos[(*path, key)] = (key_node.start_mark.line, key_node.start_mark.column)
            result[key] = self.build(value_node, (*path, key))
        return result

    def _scalar(self, node: yaml.ScalarNode, path: KeyPath) -> Any:
        self.doc.scalar_info[path] = (node.style, node.start_mark.line, node.start_mark.column)
        tag = node.tag
        if tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"):
            return self._printable(node)
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and ":" in node.value:
            return str(node.value)  # YAML 1.1 base 60: "tid: 10:30" is a time, not 630
        if tag in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
            # Kept as written too: a number used as text ("tittel: 1.10") must not become "1.1".
            self.doc.raw[path] = str(node.value)
            try:
                return self.scalar_loader.construct_object(node, deep=True)
            except (yaml.YAMLError, ValueError, TypeError, OverflowError):  # a user typo, e.g. 2024-02-30
                return str(node.value)
        if tag in ("tag:yaml.org,2002:value", "tag:yaml.org,2002:merge"):
            return str(node.value)  # a plain "=" or "<<" as a value is just text
        self._bad_tag(node)
        return None

    def _printable(self, node: yaml.ScalarNode) -> str:
        """Escapes in double-quoted text ("\\0", "\\x01", "\\ud800") can still produce characters
        XML cannot carry; they would corrupt the DOCX (e.g. its core properties)."""
        value = str(node.value)
        if not _UNPRINTABLE.search(value):
            return value
        count = len(_UNPRINTABLE.findall(value))
        first = _UNPRINTABLE.search(value)
        assert first is not None
        self.diag.warning(
            self.loc(node),
            "kontrolltegn",
            f"{count} ugyldig(e) kontrolltegn (f.eks. U+{ord(first.group()):04X}) er fjernet",
            "fjern escape-koden (\\0, \\x.., \\u....) fra teksten",
        )
        return _UNPRINTABLE.sub("", value)


def _too_deep(text: str) -> yaml.Mark | None:
    """Where nesting first exceeds MAX_DEPTH, or None.

    Each level needs an opening bracket or one more column of indentation/indicators, so the
    event pass (iterative in libyaml, cheap) only runs for files that could be that deep.
    """
    if text.count("[") + text.count("{") <= MAX_DEPTH and not re.search(
        rf"^[ \t?:-]{{{MAX_DEPTH}}}", text, re.M
    ):
        return None
    try:
        return _first_too_deep(text, _Loader)
    except yaml.YAMLError:
        # Newer libyaml has a nesting limit of its own (around 1,000) that its scanner hits
        # before it hands us the 51st level. The pure-Python parser has none, so ask it where
        # our limit is crossed; a real syntax error is reported later by the normal load.
        try:
            return _first_too_deep(text, yaml.SafeLoader)
        except yaml.YAMLError:
            return None


def _first_too_deep(text: str, loader: Any) -> yaml.Mark | None:
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark: yaml.Mark = event.start_mark  # type: ignore[assignment]  # libyaml's Mark has the same fields
                return mark
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def _decode(raw: bytes, display: str, diag: Collector) -> str | None:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a BOM is harmless; editors on Windows add it
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        diag.error(
            Location(display, line, col),
            "ugyldig-tegnkoding",
            f"filen er ikke gyldig UTF-8 (byte 0x{raw[exc.start]:02x})",
            "lagre filen som UTF-8 i redigeringsprogrammet",
        )
        return None


def _strip_unprintable(text: str, display: str, diag: Collector) -> str:
    first = _UNPRINTABLE.search(text)
    if not first:
        return text
    before = text[: first.start()]
    line = before.count("\n") + 1
    col = first.start() - (before.rfind("\n") + 1) + 1
    count = len(_UNPRINTABLE.findall(text))
    diag.warning(
        Location(display, line, col),
        "kontrolltegn",
        f"{count} ugyldig(e) kontrolltegn (f.eks. U+{ord(first.group()):04X}) er fjernet",
        "tegnet kommer ofte fra innliming fra et annet program",
    )
    return _UNPRINTABLE.sub("", text)


def load_yaml(path: Path, display: str, diag: Collector) -> Document | None:
    """Load one YAML file. Returns None (with diagnostics) when nothing usable came out."""
    top = Location(display, 1, 1)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            diag.error(
                top,
                "for-stor",
                f"filen er {size / 1024 / 1024:.1f} MiB; grensen er {MAX_FILE_BYTES // 1024 // 1024} MiB",
                "flytt store tekster til et vedlegg",
            )
            return None
        raw = path.read_bytes()
    except IsADirectoryError:
        diag.error(top, "mangler-fil", "er en mappe, ikke en fil")
        return None
    except OSError as exc:
        diag.error(top, "mangler-fil", f"kan ikke lese filen: {exc.strerror}")
        return None
    text = _decode(raw, display, diag)
    if text is None:
        return None
    text = _strip_unprintable(text, display, diag)
    doc = Document(path=path, display=display, data=None, lines=text.splitlines())
    try:
        deep = _too_deep(text)
        if deep is not None:
            diag.error(
                Location(display, deep.line + 1, deep.column + 1),
                "for-stor",
                f"filen er nøstet mer enn {MAX_DEPTH} nivåer dypt",
            )
            return None
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark and exc.context_mark and mark.index >= len(text.rstrip()):
            # The parser ran to the end of the file (an unclosed quote or bracket): point at
            # where the unfinished value starts, not at the end of the file.
            mark = exc.context_mark
        loc = Location(display, mark.line + 1, mark.column + 1) if mark else top
        problem = translate(exc.problem or exc.context or "ukjent feil")
        if mark and char_at(text, mark.line, mark.column) == "\t":
            problem = "tabulatortegn kan ikke brukes til innrykk"
        diag.error(loc, "yaml-syntaks", f"ugyldig YAML: {problem}", yaml_hint(text, exc))
        return None
    except yaml.YAMLError as exc:  # e.g. ReaderError
        diag.error(top, "yaml-syntaks", f"ugyldig YAML: {translate(str(exc))}")
        return None
    except RecursionError:
        diag.error(top, "for-stor", "filen er nøstet for dypt")
        return None
    if len(nodes) > 1:
        second = nodes[1]
        diag.error(
            Location(display, second.start_mark.line + 1, second.start_mark.column + 1),
            "yaml-syntaks",
            "filen har flere YAML-dokumenter (---); bare ett er tillatt",
        )
        return None
    if not nodes or nodes[0] is None:
        diag.error(top, "tom-fil", "filen er tom")
        return None
    builder = _Builder(doc, diag)
    try:
        doc.data = builder.build(nodes[0], ())
    except RecursionError:
        diag.error(top, "for-stor", "filen er nøstet for dypt")
        return None
    if builder.failed:
        return None
    return doc
