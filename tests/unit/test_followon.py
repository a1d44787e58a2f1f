"""No false follow-on errors: a case that fails validation still exists, so the meetings that
list it and the cases that refer to it (``@sak:``) are not told it "finnes ikke"; its own errors
are what the run reports. A case that truly does not exist is still an error."""

from __future__ import annotations

import json
from pathlib import Path

from saksgen.commands.check import run_check
from tests.conftest import MINIMAL_CASE, REPO

ROOT_FIG = REPO / "figurer" / "loggplattform.png"

Found = list[tuple[str, str, int, int]]

REFERS = MINIMAL_CASE.replace("  Vurderingen.\n", "  Se @sak:b og @sak:c.\n")
NO_TITLE = MINIMAL_CASE.replace("tittel: En enkel testsak\n", "")
MEETING = "møte: ikt-fagdirektormote\ndato: 2024-06-12\nsaker: [a, b, c]\n"


def repo(tmp_path: Path, cases: dict[str, str], meeting: str | None = MEETING) -> Path:
    (tmp_path / "saker").mkdir(parents=True, exist_ok=True)
    for name, text in cases.items():
        path = tmp_path / "saker" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if meeting is not None:
        (tmp_path / "moter").mkdir(exist_ok=True)
        (tmp_path / "moter" / "m.yaml").write_text(meeting, encoding="utf-8")
    return tmp_path


def check(root: Path, *paths: str) -> tuple[Found, int]:
    out, code = run_check(root, list(paths), "json", False)
    report = json.loads(out)
    found = sorted((d["kode"], d["fil"], d["linje"], d["kolonne"]) for d in report["diagnostikk"])
    return found, code


def test_a_broken_case_fails_alone(tmp_path: Path) -> None:
    root = repo(tmp_path, {"a.yaml": REFERS, "b.yaml": NO_TITLE, "c.yaml": MINIMAL_CASE})
    found, code = check(root)
    assert code == 1
    assert found == [("mangler-felt", "saker/b.yaml", 1, 1)]  # nothing on a, c or the meeting


def test_checking_the_neighbour_shows_the_real_cause(tmp_path: Path) -> None:
    """``check saker/a.yaml``: a refers to b, which cannot be numbered or named until its own
    error is fixed; that error is reported (located in b), not a false one in a."""
    root = repo(tmp_path, {"a.yaml": REFERS, "b.yaml": NO_TITLE, "c.yaml": MINIMAL_CASE})
    found, code = check(root, "saker/a.yaml")
    assert code == 1
    assert found == [("mangler-felt", "saker/b.yaml", 1, 1)]
    found, code = check(root, "saker/c.yaml")  # c has nothing to do with b
    assert (found, code) == ([], 0)


def test_broken_yaml_and_an_own_id(tmp_path: Path) -> None:
    root = repo(
        tmp_path,
        {
            "a.yaml": REFERS,
            "b-fil.yaml": NO_TITLE.replace("fra: Helse Vest RHF\n", "fra: Helse Vest RHF\nid: b\n"),
            "arkiv/c.yaml": MINIMAL_CASE.replace("fra: Helse Vest RHF", "fra: [ikke lukket"),
        },
    )
    found, code = check(root)
    assert code == 1
    assert [f[:2] for f in found] == [
        ("mangler-felt", "saker/b-fil.yaml"),
        ("yaml-syntaks", "saker/arkiv/c.yaml"),
    ]


def test_a_case_that_does_not_exist_is_still_an_error(tmp_path: Path) -> None:
    root = repo(tmp_path, {"a.yaml": REFERS, "b.yaml": MINIMAL_CASE})
    found, code = check(root)
    assert code == 1
    assert found == [("ukjent-referanse", "saker/a.yaml", 10, 16), ("ukjent-sak", "moter/m.yaml", 3, 15)]


def test_the_id_a_broken_file_claims_is_not_a_second_case(tmp_path: Path) -> None:
    """A broken file whose id is already taken by a valid case does not hide the valid one."""
    root = repo(
        tmp_path,
        {
            "a.yaml": REFERS,
            "b.yaml": MINIMAL_CASE,
            "c.yaml": MINIMAL_CASE,
            "x.yaml": NO_TITLE.replace("fra: Helse Vest RHF\n", "fra: X\nid: b\n"),
        },
        meeting=None,
    )
    found, code = check(root, "saker/a.yaml")
    assert (found, code) == (
        [("sak-uten-nummer", "saker/a.yaml", 10, 6), ("sak-uten-nummer", "saker/a.yaml", 10, 16)],
        0,
    )


def test_empty_caption_figure_label_is_an_error_in_check(tmp_path: Path) -> None:
    """pandoc numbers only an image with a caption; check must not pass what build fails."""
    (tmp_path / "saker").mkdir()
    (tmp_path / "figurer").mkdir()
    (tmp_path / "figurer" / "a.png").write_bytes((ROOT_FIG).read_bytes())
    case = MINIMAL_CASE.replace("  Vurderingen.\n", "  Se @fig:a.\n\n  ![](figurer/a.png){#fig:a}\n")
    (tmp_path / "saker" / "x.yaml").write_text(case, encoding="utf-8")
    text, code = run_check(tmp_path, [], "text", False)
    assert code == 1
    assert "[ugyldig-etikett]" in text and "bildetekst" in text
