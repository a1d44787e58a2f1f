"""Property-based tests (hypothesis): no input makes saksgen crash, every diagnostic is located,
and text written in a section comes out of the DOCX as written.

Profiles: ``HYPOTHESIS_PROFILE=ci`` (the default when ``CI`` is set) is derandomized, so CI runs
the same examples every time; ``dev`` is random with the example database. Example counts are
kept modest: the whole file runs in well under a minute on two cores.
"""

from __future__ import annotations

import os
import re
import string
import tempfile
from pathlib import Path

import docx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saksgen.commands.check import run_check
from tests.conftest import MINIMAL_CASE, invoke

settings.register_profile("ci", derandomize=True, deadline=None, database=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

DIAG = re.compile(r"^[^:]+:\d+:\d+: (feil|advarsel): .+ \[[a-zæøå-]+\]$")
SUMMARY = re.compile(r"^\d+ (fil|filer) kontrollert: \d+ feil, \d+ (advarsel|advarsler)$")
HINT = re.compile(r"^    hint: .+$")

BASE = yaml.safe_load(MINIMAL_CASE)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    for d in ("saker", "moter", "figurer", "vedlegg"):
        (root / d).mkdir()
    return root


def check_bytes(repo: Path, data: bytes, folder: str = "saker") -> tuple[str, int]:
    for d in ("saker", "moter"):
        for old in (repo / d).iterdir():
            old.unlink()
    target = repo / folder / "fuzz.yaml"
    target.write_bytes(data)
    return run_check(repo, [f"{folder}/fuzz.yaml"], "text", False)


def assert_located(out: str, code: int) -> None:
    lines = out.splitlines()
    assert lines and SUMMARY.match(lines[-1]), out
    for line in lines[:-1]:
        assert DIAG.match(line) or HINT.match(line), f"ikke en lokalisert diagnostikk: {line!r}"
    assert code in (0, 1)
    if code == 0:
        assert ": feil: " not in out


# --- (a) any bytes as a case file ------------------------------------------------------------

YAMLISH = st.text(
    alphabet=st.sampled_from(list(":-[]{}&*!|>'\"%@`#,?~\n\t  \\") + list("abcæø01")), max_size=200
)


@st.composite
def mutated_case(draw: st.DrawFn) -> bytes:
    """MINIMAL_CASE with a few random byte insertions, deletions or replacements."""
    data = bytearray(MINIMAL_CASE.encode())
    for _ in range(draw(st.integers(1, 4))):
        pos = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["insert", "delete", "replace"]))
        chunk = draw(st.binary(min_size=1, max_size=8) | YAMLISH.map(lambda s: s.encode()))
        if op == "insert":
            data[pos:pos] = chunk
        elif op == "delete":
            del data[pos : pos + len(chunk)]
        else:
            data[pos : pos + len(chunk)] = chunk
    return bytes(data)


ANY_BYTES = st.binary(max_size=400) | YAMLISH.map(lambda s: s.encode()) | mutated_case()


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=ANY_BYTES, meeting=st.booleans())
def test_any_bytes_give_located_diagnostics(repo: Path, data: bytes, meeting: bool) -> None:
    out, code = check_bytes(repo, data, "moter" if meeting else "saker")
    assert_located(out, code)


# --- (b) structured fuzz: a valid case with random values --------------------------------------

NASTY_TEXT = st.lists(
    st.characters(codec="utf-8", exclude_categories=("Cs",))
    | st.sampled_from(
        [
            "{{",
            "}}",
            "{%",
            "%}",
            "<w:p>",
            "</w:t>",
            "&amp;",
            "@",
            "@fig:x",
            "@sak:",
            "[^1]",
            "*",
            "_",
            "#",
            "|",
            "`",
            "\\",
            "\x00",
            "\x0b",
            "\x1b",
            "\ufffe",
            "]]>",
            "![a](b)",
            "[fylles inn]",
            "TODO",
            "\n",
            "\n\n- ",
            "\n1. ",
        ]
    ),
    max_size=30,
).map("".join)
LEAF = NASTY_TEXT | st.integers(-(10**6), 10**20) | st.booleans() | st.none() | st.floats()
VALUES = st.recursive(
    LEAF,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(NASTY_TEXT, inner, max_size=3),
    max_leaves=6,
)
FIELDS = [
    *BASE,
    "id",
    "saksnummer",
    "sakstype",
    "til",
    "saksbehandler",
    "unntatt_offentlighet",
    "offentlig_tittel",
    "presenteres_av",
    "særskilte_forhold",
    "prosess",
    "avsjekkpunkt",
    "vedlegg",
    "risiko",
]


@st.composite
def fuzzed_case(draw: st.DrawFn) -> dict[str, object]:
    case: dict[str, object] = dict(BASE)
    for key in draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=4, unique=True)):
        case[key] = draw(VALUES)
    return case


def dump(case: dict[str, object]) -> bytes:
    return yaml.safe_dump(case, allow_unicode=True, sort_keys=False).encode("utf-8")


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=fuzzed_case())
def test_random_field_values_never_crash_check(repo: Path, case: dict[str, object]) -> None:
    out, code = check_bytes(repo, dump(case))
    assert_located(out, code)


@settings(max_examples=4)
@given(cases=st.lists(fuzzed_case(), min_size=8, max_size=8))
def test_random_field_values_never_crash_build(cases: list[dict[str, object]]) -> None:
    """Eight random cases in one build (pandoc starts once): no crash, and every case that
    checks clean gives a DOCX python-docx can open."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "saker").mkdir()
        for i, case in enumerate(cases):
            case.pop("id", None)  # file stems are the ids: no collisions
            (root / "saker" / f"sak-{i}.yaml").write_bytes(dump(case))
        result = invoke(root, "build", "saker", "--format", "docx")
        text = result.output + result.stderr
        assert "Traceback" not in text and "intern feil" not in text, text
        assert result.exit_code in (0, 1), text
        failed = {m for m in re.findall(r"^saker/(sak-\d+)\.yaml:\d+:\d+: feil:", result.stderr, re.M)}
        for i in range(len(cases)):
            out = root / "output" / f"sak-{i}.docx"
            assert out.exists() == (f"sak-{i}" not in failed), text
            if out.exists():
                docx.Document(str(out))


# --- (c) round trip: section text comes out of the DOCX as written -----------------------------

# Markdown would interpret ASCII punctuation (emphasis, links, lists, smart quotes, entities),
# so each such character is backslash-escaped, which pandoc's Markdown defines as "this
# character, literally". <, >, {, }, & and % are left raw: case text is data, and raw HTML/XML,
# Jinja and entities-to-be must come through as written (';' stays escaped, so '&' never
# starts an entity).
RAW_OK = set("<>{}%&")
ESCAPE = {c: "\\" + c for c in string.punctuation if c not in RAW_OK}
PRINTABLE = st.text(
    alphabet=st.characters(
        codec="utf-8",
        include_characters=" ",
        exclude_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"),
    ),
    min_size=1,
    max_size=40,
) | st.text(
    alphabet=st.sampled_from([*string.punctuation, " ", "æ", "Ø", "€", "漢"]), min_size=1, max_size=40
)


def markdown_literal(text: str) -> str:
    return "".join(ESCAPE.get(c, c) for c in text)


def visible(text: str) -> str:
    return " ".join(text.split())


@settings(max_examples=5)
@given(texts=st.lists(PRINTABLE, min_size=20, max_size=20))
def test_section_text_round_trips_into_docx(texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "saker").mkdir()
        for i, text in enumerate(texts):
            case = dict(BASE)
            # A word first: the text alone may be a placeholder ("…", "[x]") or a list marker.
            case["vurdering"] = f"Tekst{i} " + markdown_literal(text)
            (root / "saker" / f"sak-{i}.yaml").write_bytes(dump(case))
        result = invoke(root, "build", "saker", "--format", "docx")
        assert result.exit_code == 0, result.output + result.stderr
        for i, text in enumerate(texts):
            paragraphs = [
                visible(p.text) for p in docx.Document(str(root / "output" / f"sak-{i}.docx")).paragraphs
            ]
            want = visible(f"Tekst{i} " + text)
            assert want in paragraphs, (text, [p for p in paragraphs if p.startswith(f"Tekst{i}")])
