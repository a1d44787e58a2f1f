"""Cross-references that survive Word: SEQ captions inside bookmarks, REF fields with correct
cached results, and the same numbers in LibreOffice's PDF (which recalculates every field, as
Word does on "update fields")."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from tests.conftest import MINIMAL_CASE, invoke, pdf_text, write_case

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

CASE = (
    MINIMAL_CASE.replace(
        "Vurderingen.",
        """Innledning: se @fig:c, @fig:a og @Fig:b, og @tab:y før @tab:x.

  ![Alfa](figurer/a.png){#fig:a}

  Mellomtekst om @vedlegg:to og @Vedlegg:en.

  ![Beta](figurer/b.png){#fig:b}

  | a | b |
  |---|---|
  | 1 | 2 |

  Table: Ekstabell {#tab:x}

  ![Gamma](figurer/c.png){#fig:c}

  | c | d |
  |---|---|
  | 3 | 4 |

  Table: Ypsilontabell {#tab:y}

  Se også @avsnitt:bakgrunn og @Avsnitt:omdomme.""",
    )
    + """vedlegg:
  - id: en
    tittel: Første vedlegg
  - id: to
    tittel: Andre vedlegg
"""
)


def make_repo(root: Path, text: str = CASE) -> Path:
    (root / "figurer").mkdir(parents=True)
    for name, colour in (("a", "red"), ("b", "green"), ("c", "blue")):
        Image.new("RGB", (40, 20), colour).save(root / "figurer" / f"{name}.png")
    write_case(root, "ref.yaml", text)
    return root


def fields(docx: Path) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """(instruction, cached result) of every complex field, and bookmark name -> its text."""
    with zipfile.ZipFile(docx) as z:
        body = etree.fromstring(z.read("word/document.xml"))
    found: list[tuple[str, str]] = []
    bookmarks: dict[str, str] = {}
    open_marks: dict[str, list[str]] = {}
    state, instr, result = None, "", ""
    for node in body.iter():
        if node.tag == f"{W}bookmarkStart":
            open_marks[node.get(f"{W}id")] = [node.get(f"{W}name"), ""]
        elif node.tag == f"{W}bookmarkEnd" and node.get(f"{W}id") in open_marks:
            name, text = open_marks.pop(node.get(f"{W}id"))
            bookmarks[name] = text
        elif node.tag == f"{W}fldChar":
            kind = node.get(f"{W}fldCharType")
            if kind == "begin":
                state, instr, result = "instr", "", ""
            elif kind == "separate":
                state = "result"
            elif kind == "end":
                found.append((" ".join(instr.split()), result))
                state = None
        elif node.tag == f"{W}instrText" and state == "instr":
            instr += node.text or ""
        elif node.tag == f"{W}t":
            if state == "result":
                result += node.text or ""
            for mark in open_marks.values():
                mark[1] += node.text or ""
    return found, bookmarks


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = make_repo(tmp_path_factory.mktemp("ref") / "repo")
    result = invoke(repo, "build", "saker/ref.yaml")
    assert result.exit_code == 0, result.stderr
    return repo / "output"


def test_cached_results_are_the_right_numbers(built: Path) -> None:
    found, bookmarks = fields(built / "ref.docx")
    seqs = [(i, r) for i, r in found if i.startswith("SEQ")]
    assert seqs == [
        ("SEQ Figur \\* ARABIC", "1"),
        ("SEQ Figur \\* ARABIC", "2"),
        ("SEQ Tabell \\* ARABIC", "1"),
        ("SEQ Figur \\* ARABIC", "3"),
        ("SEQ Tabell \\* ARABIC", "2"),
        ("SEQ Vedlegg \\* ARABIC", "1"),
        ("SEQ Vedlegg \\* ARABIC", "2"),
    ]
    refs = [(i.split()[1], r) for i, r in found if i.startswith("REF")]
    # Every REF's cached result equals the text of the bookmark it points at (what Word shows
    # after "update fields"), and the bookmarks exist.
    for name, cached in refs:
        assert bookmarks[name] == cached
    assert [r for _, r in refs] == ["3", "1", "2", "2", "1", "2", "1", "Bakgrunn for saken", "Omdømme"]


def test_docx_text_and_pdf_agree(built: Path) -> None:
    import docx

    text = "\n".join(p.text for p in docx.Document(str(built / "ref.docx")).paragraphs)
    pdf = " ".join(pdf_text(built / "ref.pdf", "-raw").split())
    expected = (
        "se figur 3, figur 1 og Figur 2, og tabell 2 før tabell 1",
        "Mellomtekst om vedlegg 2 og Vedlegg 1",
        "Se også avsnittet «Bakgrunn for saken» og Avsnittet «Omdømme»",
        "Figur 1: Alfa",
        "Figur 2: Beta",
        "Figur 3: Gamma",
        "Tabell 1: Ekstabell",
        "Tabell 2: Ypsilontabell",
        "Vedlegg 1: Første vedlegg",
        "Vedlegg 2: Andre vedlegg",
    )
    for phrase in expected:
        assert phrase in " ".join(text.split()), phrase
        assert phrase in pdf, phrase
    assert "Error: Reference source not found" not in pdf
    assert not re.search(r"Feil!|Fant ikke referansekilden", pdf)


def test_bookmark_ids_and_names_unique(built: Path) -> None:
    with zipfile.ZipFile(built / "ref.docx") as z:
        body = etree.fromstring(z.read("word/document.xml"))
    starts = list(body.iter(f"{W}bookmarkStart"))
    ends = list(body.iter(f"{W}bookmarkEnd"))
    ids = [b.get(f"{W}id") for b in starts]
    names = [b.get(f"{W}name") for b in starts]
    assert len(ids) == len(set(ids)) and len(names) == len(set(names))
    assert sorted(ids) == sorted(e.get(f"{W}id") for e in ends)
    assert all(re.fullmatch(r"_?[A-Za-z][A-Za-z0-9_]{0,39}", n) for n in names)


def test_bookmark_names_unique_across_a_pack(built_examples: Path) -> None:
    names: list[str] = []
    for docx_file in sorted((built_examples / "output" / "ikt-fagdirektormote-2024-06").glob("*.docx")):
        with zipfile.ZipFile(docx_file) as z:
            body = etree.fromstring(z.read("word/document.xml"))
        names += [
            b.get(f"{W}name")
            for b in body.iter(f"{W}bookmarkStart")
            if b.get(f"{W}name", "").startswith("_Ref")
        ]
    assert names and len(names) == len(set(names))


def test_reordering_figures_moves_every_reference(tmp_path: Path) -> None:
    swapped = (
        CASE.replace("![Alfa](figurer/a.png){#fig:a}", "@@A@@")
        .replace("![Beta](figurer/b.png){#fig:b}", "![Alfa](figurer/a.png){#fig:a}")
        .replace("@@A@@", "![Beta](figurer/b.png){#fig:b}")
    )
    repo = make_repo(tmp_path / "repo", swapped)
    result = invoke(repo, "build", "saker/ref.yaml")
    assert result.exit_code == 0, result.stderr
    pdf = " ".join(pdf_text(repo / "output" / "ref.pdf", "-raw").split())
    assert "se figur 3, figur 2 og Figur 1" in pdf
    assert "Figur 1: Beta" in pdf and "Figur 2: Alfa" in pdf


def test_reference_to_a_case_defined_later_and_unnumbered(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_case(repo, "a-first.yaml", MINIMAL_CASE.replace("Bakgrunnen.", "Se @sak:z-last og @Sak:z-last."))
    write_case(repo, "z-last.yaml", MINIMAL_CASE.replace("tittel: En enkel testsak", "tittel: Siste sak"))
    result = invoke(repo, "build", "saker/a-first.yaml", "--format", "docx")
    assert result.exit_code == 0
    assert re.search(r"saker/a-first\.yaml:\d+:\d+: advarsel: .*\[sak-uten-nummer\]", result.stderr)
    import docx

    text = "\n".join(p.text for p in docx.Document(str(repo / "output" / "a-first.docx")).paragraphs)
    assert "Se sak XX/24 og Sak XX/24." in text


@pytest.mark.parametrize(
    "ref", ["@fig:nope", "@tab:nope", "@vedlegg:nope", "@avsnitt:nope", "@sak:nope", "@avsnitt:prosess"]
)
def test_dangling_references_fail_build_and_check(tmp_path: Path, ref: str) -> None:
    repo = make_repo(tmp_path / "repo", MINIMAL_CASE.replace("Bakgrunnen.", f"Bakgrunnen {ref}."))
    for command in (["check"], ["build", "--format", "docx"]):
        result = invoke(repo, *command, "saker/ref.yaml")
        assert result.exit_code == 1
        out = result.output + result.stderr
        line = MINIMAL_CASE.splitlines().index("  Bakgrunnen.") + 1
        assert f"saker/ref.yaml:{line}:14: feil:" in out and "[ukjent-referanse]" in out
    assert not (repo / "output" / "ref.docx").exists()


def test_duplicate_labels_are_errors(tmp_path: Path) -> None:
    text = CASE.replace("{#fig:b}", "{#fig:a}")
    repo = make_repo(tmp_path / "repo", text)
    result = invoke(repo, "check", "saker/ref.yaml")
    assert result.exit_code == 1 and "[dobbel-etikett]" in result.output
