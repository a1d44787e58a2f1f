"""The agenda (sakliste) like the real ones, and numbers across a meeting series. Real builds
(pandoc, LibreOffice); the DOCX is opened with python-docx, the PDF with pdftotext and pikepdf."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pikepdf

from tests.conftest import MINIMAL_CASE, copy_examples, docx_text, invoke, pdf_text, write_case

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
KI = "Felles retningslinjer for bruk av kunstig intelligens i de regionale helseforetakene"
MANDAT = "Forhandlingsmandat for ny rammeavtale om bildediagnostikk"


def _rows(path: Path) -> list[list[str]]:
    """The agenda table below its header row, a spanned cell (a group heading) once."""
    table = docx.Document(str(path)).tables[0]
    return [_cells(row) for row in table.rows[1:]]


def _cells(row: object) -> list[str]:
    seen: dict[object, str] = {}
    for c in row.cells:  # type: ignore[attr-defined]
        seen.setdefault(c._tc, c.text.strip())
    return list(seen.values())


def _uris(path: Path) -> list[str]:
    with pikepdf.open(path) as pdf:
        return [
            str(a.A.URI) for page in pdf.pages for a in page.get("/Annots", []) if "/A" in a and "/URI" in a.A
        ]


def test_grouped_agenda_with_standard_free_and_unnumbered_items(built_examples: Path) -> None:
    folder = built_examples / "output" / "ad-mote-2024-06"
    rows = _rows(folder / "sakliste.docx")
    assert [r[0] for r in rows] == [
        "Sak 41-2024",
        "Sak 42-2024",
        "Beslutningssaker",
        "Sak 43-2024",
        "Sak 44-2024",
        "",  # Lunsj: a row without a number, kept next to the case before it
        "Orienteringssaker",
        "Sak 45-2024",
        "Sak 46-2024",
    ]
    # The standard item takes its own title and time.
    assert rows[1][1:4] == ["B", "Godkjenning av protokoll fra AD-møtet 22. mai 2024", "10:05–10:15"]
    assert rows[5][1:4] == ["", "Lunsj", "11:30–12:00"]
    assert rows[7][1:3] == ["O", "Referatsaker"]
    assert rows[8][1:3] == ["D", "Eventuelt"]
    text = pdf_text(folder / "sakliste.pdf")
    order = [text.index(s) for s in ("Godkjenning av protokoll", "Beslutningssaker", KI[:30], "Lunsj")]
    assert order == sorted(order)
    assert text.index("Orienteringssaker") < text.index("Referatsaker") < text.index("Eventuelt")
    # Only the papers' cases got files; the free items have none.
    assert sorted(p.name for p in folder.glob("4*-*.pdf")) == [
        "43-ki-retningslinjer.pdf",
        "44-avtale-bildediagnostikk.pdf",
    ]


def test_numbers_never_wrap_and_the_agenda_has_a_heading(built_examples: Path) -> None:
    path = built_examples / "output" / "ad-mote-2024-06" / "sakliste.docx"
    document = docx.Document(str(path))
    heading = document.paragraphs[0]
    assert heading.style.name == "Heading 1" and heading.text == "Sakliste"
    for row in document.tables[0].rows[1:]:
        first = row.cells[0]
        if first.text.startswith("Sak "):
            assert first._tc.tcPr.find(f"{W}noWrap") is not None
    lines = pdf_text(path.with_suffix(".pdf")).splitlines()
    for nr in range(41, 47):
        assert any(f"Sak {nr}-2024" in line for line in lines), nr
    assert not any(re.search(r"Sak \d+-\s*$", line) for line in lines)
    with pikepdf.open(path.with_suffix(".pdf")) as pdf:
        kids = pdf.Root.StructTreeRoot.K
        document_elem = kids[0] if isinstance(kids, pikepdf.Array) else kids
        assert str(document_elem.K[0].S) == "/H1"


def test_members_agenda_links_exempt_cases_and_the_public_one_does_not(built_examples: Path) -> None:
    folder = built_examples / "output" / "ad-mote-2024-06"
    members = set(_uris(folder / "sakliste.pdf"))
    assert members == {"43-ki-retningslinjer.pdf", "44-avtale-bildediagnostikk.pdf"}
    public = set(_uris(folder / "offentlig" / "sakliste.pdf"))
    assert public == {"43-ki-retningslinjer.pdf"}
    with zipfile.ZipFile(folder / "offentlig" / "sakliste.docx") as z:
        assert b"44-avtale" not in z.read("word/_rels/document.xml.rels")


def test_public_agenda_metadata_title(built_examples: Path) -> None:
    folder = built_examples / "output" / "ad-mote-2024-06"
    for path, title in (
        (folder / "sakliste.pdf", "Sakliste – AD-møte 19. juni 2024"),
        (folder / "offentlig" / "sakliste.pdf", "Sakliste – AD-møte 19. juni 2024 (offentlig versjon)"),
    ):
        with pikepdf.open(path) as pdf:
            assert str(pdf.docinfo["/Title"]) == title
            assert pdf.open_metadata()["dc:title"] == title
        assert docx.Document(str(path.with_suffix(".docx"))).core_properties.title == title


def _meeting(repo: Path, name: str, text: str) -> Path:
    path = repo / "moter" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_failed_case_keeps_row_and_title(tmp_path: Path) -> None:
    repo = copy_examples(tmp_path / "repo", only=("figurer", "vedlegg"))
    write_case(repo, "god.yaml", MINIMAL_CASE)
    write_case(
        repo,
        "brutt.yaml",
        MINIMAL_CASE.replace("En enkel testsak", "Den brutte saken").replace("fra: Helse Vest RHF\n", ""),
    )
    _meeting(repo, "mote.yaml", "møte: ikt-fagdirektormote\ndato: 2024-06-12\nsaker:\n  - god\n  - brutt\n")
    result = invoke(repo, "build", "moter/mote.yaml", "--ufullstendig-pakke")
    assert result.exit_code == 1 and "saker/brutt.yaml" in result.stderr
    agenda = repo / "output" / "mote" / "sakliste.docx"
    rows = _rows(agenda)
    failed = next(r for r in rows if "Den brutte saken" in r[2])
    assert failed[0] == "Sak 04/24" and "Saksdokumentene ettersendes" in failed[2]
    assert "[saken har feil" not in pdf_text(agenda.with_suffix(".pdf"))
    assert "Saksdokumentene ettersendes" in pdf_text(agenda.with_suffix(".pdf"))
    assert _uris(agenda.with_suffix(".pdf")) == ["03-god.pdf"]


def _series_repo(tmp_path: Path) -> Path:
    repo = copy_examples(tmp_path / "repo", only=("figurer", "vedlegg"))
    for name in ("a", "b", "c"):
        write_case(repo, f"{name}.yaml", MINIMAL_CASE.replace("En enkel testsak", f"Sak {name.upper()}"))
    return repo


def test_same_number_in_two_meetings_of_a_series_fails_check(tmp_path: Path) -> None:
    repo = _series_repo(tmp_path)
    _meeting(
        repo,
        "juni.yaml",
        "møte: ikt-fagdirektormote\ndato: 2024-06-12\nførste_saksnummer: 30\nsaker:\n  - a\n",
    )
    _meeting(
        repo,
        "sept.yaml",
        "møte: ikt-fagdirektormote\ndato: 2024-09-12\nsaker:\n  - b\n  - sak: c\n    saksnummer: 32/24\n",
    )
    result = invoke(repo, "check")
    assert result.exit_code == 1
    line = next(x for x in (result.stdout + result.stderr).splitlines() if "[dobbelt-saksnummer]" in x)
    # juni: 30, 31 standing, a = 32; sept runs on from 34 and c takes 32 explicitly.
    assert line.startswith("moter/sept.yaml:6:17: feil: saksnummer Sak 32/24 er brukt i to møter")
    assert "moter/juni.yaml:5:5" in line and "moter/sept.yaml:6:17" in line
    # The earlier meeting still builds; the clashing one does not.
    build = invoke(repo, "build", "moter/")
    assert build.exit_code == 1
    assert (repo / "output" / "juni" / "32-a.pdf").exists()
    assert not (repo / "output" / "sept").exists()


def test_numbers_run_on_through_the_series(tmp_path: Path) -> None:
    repo = _series_repo(tmp_path)
    _meeting(
        repo,
        "juni.yaml",
        "møte: ikt-fagdirektormote\ndato: 2024-06-12\nførste_saksnummer: 30\nsaker:\n  - a\n",
    )
    _meeting(repo, "sept.yaml", "møte: ikt-fagdirektormote\ndato: 2024-09-12\nsaker:\n  - b\n")
    assert invoke(repo, "build", "moter/", "--format", "docx").exit_code == 0
    # juni uses 30–33 (two standing items first, eventuelt last): september starts at 34.
    assert [r[0] for r in _rows(repo / "output" / "sept" / "sakliste.docx")] == [
        "Sak 34/24",
        "Sak 35/24",
        "Sak 36/24",
        "Sak 37/24",
    ]


def test_case_on_two_meetings_warns_and_references_use_the_latest(tmp_path: Path) -> None:
    repo = _series_repo(tmp_path)
    write_case(repo, "c.yaml", MINIMAL_CASE.replace("Bakgrunnen.", "Se @sak:a."))
    _meeting(
        repo,
        "juni.yaml",
        "møte: ikt-fagdirektormote\ndato: 2024-06-12\nførste_saksnummer: 30\nsaker:\n  - a\n",
    )
    _meeting(
        repo,
        "sept.yaml",
        "møte: ikt-fagdirektormote\ndato: 2024-09-12\nførste_saksnummer: 50\nsaker:\n  - b\n  - a\n",
    )
    result = invoke(repo, "check")
    assert result.exit_code == 0
    warning = next(x for x in (result.stdout + result.stderr).splitlines() if "[sak-i-flere-moter]" in x)
    assert warning.startswith("moter/sept.yaml:6:5: advarsel: saken «a» står også på")
    assert "moter/juni.yaml:5:5" in warning and "Sak 53/24" in warning
    assert invoke(repo, "build", "saker/c.yaml", "--format", "docx").exit_code == 0
    assert "Se sak 53/24." in docx_text(repo / "output" / "c.docx")


def test_bad_items_and_groups_are_located(tmp_path: Path) -> None:
    repo = _series_repo(tmp_path)
    _meeting(
        repo,
        "mote.yaml",
        "møte: ikt-fagdirektormote\n"
        "dato: 2024-06-12\n"
        "saker:\n"
        "  - sak: a\n"
        "    tittel: Egen tittel\n"
        "  - sak: b\n"
        "    nummer: false\n"
        "  - titel: Referatsaker\n"
        "  - tittel: Lunsj\n"
        "    nummer: nei\n"
        "  - tittel: Pause\n"
        "    nummer: false\n"
        "    saksnummer: 40\n",
    )
    profile = repo / "maler" / "gruppert"
    profile.mkdir(parents=True)
    src = Path(__file__).resolve().parent.parent / "saksgen" / "maler" / "ikt-fagdirektormote"
    (profile / "mal.docx").write_bytes((src / "mal.docx").read_bytes())
    (profile / "profil.yaml").write_text(
        (src / "profil.yaml").read_text(encoding="utf-8")
        + "sakliste: {grupper: [beslutning, orienteringer]}\n",
        encoding="utf-8",
    )
    result = invoke(repo, "check", "moter")
    out = result.stdout + result.stderr
    assert result.exit_code == 1
    assert "moter/mote.yaml:5:5: feil: «tittel» kan ikke brukes på saken «a»" in out
    assert "moter/mote.yaml:7:5: feil: saken «b» har en saksfil og skal ha saksnummer" in out
    assert re.search(
        r"moter/mote\.yaml:8:5: feil: .*«titel».*\[ukjent-nøkkel\]\n\s+hint: mente du «tittel»", out
    )
    assert "moter/mote.yaml:10:13: feil: «nummer» skal være true eller false [feil-type]" in out
    assert "moter/mote.yaml:12:13: feil: «nummer: false» og «saksnummer»" in out
    assert re.search(
        r"maler/gruppert/profil\.yaml:\d+:\d+: feil: gruppen «orienteringer» er ingen sakstype "
        r"\[ugyldig-verdi\]\n\s+hint: mente du «orientering»",
        out,
    )
