"""A meeting in one command: numbering, agenda, numbered papers, combined pack, public set,
incremental rebuilds. Real pandoc and LibreOffice; the outputs are opened and inspected."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import docx
import pikepdf
import pytest

from tests.conftest import MINIMAL_CASE, copy_examples, docx_text, invoke, pdf_text, write_case

MARKER = "Hemmeligmarkor7731"


def outline(path: Path) -> list[tuple[str, list[str]]]:
    with pikepdf.open(path) as pdf, pdf.open_outline() as o:
        return [(item.title, [c.title for c in item.children]) for item in o.root]


def pages(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def test_numbers_and_agenda(built_examples: Path) -> None:
    folder = built_examples / "output" / "ikt-fagdirektormote-2024-06"
    names = sorted(p.name for p in folder.iterdir() if p.is_file())
    assert names == [
        "32-felles-loggplattform.docx",
        "32-felles-loggplattform.pdf",
        "33-kodeverk-forvaltning.docx",
        "33-kodeverk-forvaltning.pdf",
        "34-pasientreiser-vest.docx",
        "34-pasientreiser-vest.pdf",
        "arkiv.json",
        "protokoll.docx",
        "protokoll.pdf",
        "sakliste.docx",
        "sakliste.pdf",
        "saksdokumenter.pdf",
    ]
    assert "IKT/fagdirektørmøte – Sak 33/24" in docx_text(folder / "33-kodeverk-forvaltning.docx")
    table = docx.Document(str(folder / "sakliste.docx")).tables[0]
    rows = [[c.text.strip() for c in row.cells] for row in table.rows][1:]
    assert [r[0] for r in rows] == [
        "Sak 30/24",
        "Sak 31/24",
        "Sak 32/24",
        "Sak 33/24",
        "Sak 34/24",
        "Sak 35/24",
    ]
    assert rows[0][2] == "Godkjenning av innkalling og saksliste"
    assert rows[2][1:] == [
        "B",
        "Etablering av felles plattform for sikkerhetslogging i spesialisthelsetjenesten",
        "10:00–10:45",
        "Ingrid Solberg",
    ]
    assert rows[3][1] == "O" and rows[3][4] == "Magnus Eide"
    assert rows[4][2] == "Felles løysing for digital timebestilling til pasientreiser"  # nynorsk
    assert rows[5][2] == "Eventuelt"
    agenda = pdf_text(folder / "sakliste.pdf")
    assert "12. juni 2024" in agenda and "Gardermoen" in agenda


def test_exempt_case_marked_in_agenda(built_examples: Path) -> None:
    folder = built_examples / "output" / "ad-mote-2024-06"
    text = docx_text(folder / "sakliste.docx") + "\n".join(
        c.text for row in docx.Document(str(folder / "sakliste.docx")).tables[0].rows for c in row.cells
    )
    assert "Forhandlingsmandat for ny rammeavtale om bildediagnostikk" in text
    assert "Unntatt offentlighet, jf. offl. § 23 første ledd" in text
    public = folder / "offentlig" / "sakliste.docx"
    cells = [c.text for row in docx.Document(str(public)).tables[0].rows for c in row.cells]
    assert any("Rammeavtale om bildediagnostikk" in c for c in cells)
    assert not any("Forhandlingsmandat" in c for c in cells)
    assert any("Unntatt offentlighet, jf. offl. § 23 første ledd" in c for c in cells)


def test_pack_bookmarks_pages_stamps_and_links(built_examples: Path) -> None:
    folder = built_examples / "output" / "ikt-fagdirektormote-2024-06"
    pack = folder / "saksdokumenter.pdf"
    assert outline(pack) == [
        ("Sakliste", []),
        (
            "Sak 32/24 Etablering av felles plattform for sikkerhetslogging i spesialisthelsetjenesten",
            [
                # the paper's own headings (issue 13: nested outline), then its attachments
                "Hva saken omhandler i korte trekk",
                "Bakgrunn for saken",
                "Særskilte forhold som bør belyses",
                "Prosess",
                "Vurdering",
                "Budsjettmessige forhold",
                "Omdømme",
                "Behov for fremtidige avsjekkpunkt i RHF IKT-direktørmøte",
                "Forslag til konklusjon",
                "Vedlegg",
                "Vedlegg 1: Utkast til mandat for konseptvalgutredningen",
                "Vedlegg 2: Kartlegging av dagens løsninger for logginnsamling",
            ],
        ),
        (
            "Sak 33/24 Status for felles forvaltning av kodeverk og terminologi",
            [
                "Hva saken omhandler i korte trekk",
                "Bakgrunn for saken",
                "Vurdering",
                "Budsjettmessige forhold",
                "Omdømme",
                "Forslag til konklusjon",
            ],
        ),
        (
            "Sak 34/24 Felles løysing for digital timebestilling til pasientreiser",
            [
                "Kva saka handlar om i korte trekk",
                "Bakgrunn for saka",
                "Vurdering",
                "Budsjettmessige forhold",
                "Omdøme",
                "Forslag til konklusjon",
                "Vedlegg",
            ],
        ),
    ]
    repo = built_examples
    parts = [
        folder / "sakliste.pdf",
        folder / "32-felles-loggplattform.pdf",
        repo / "vedlegg" / "mandat-loggplattform.pdf",
        repo / "vedlegg" / "kartlegging-logg.pdf",
        folder / "33-kodeverk-forvaltning.pdf",
        folder / "34-pasientreiser-vest.pdf",
    ]
    total = sum(pages(p) for p in parts)
    assert pages(pack) == total
    for n in range(1, total + 1):  # every page its own running number
        assert f"Saksdokumenter side {n} av {total}" in pdf_text(pack, "-f", str(n), "-l", str(n))
    last = pdf_text(pack, "-f", str(total), "-l", str(total))
    assert "Sak 34/24" in last
    first_paper = pages(parts[0]) + 1
    assert "Sak 32/24" in pdf_text(pack, "-f", str(first_paper), "-l", str(first_paper))
    # Links from the agenda and from @sak references jump inside the pack.
    with pikepdf.open(pack) as pdf:
        page_objs = [p.obj.objgen for p in pdf.pages]
        agenda_links = [a for a in pdf.pages[0].get("/Annots", []) if "/Dest" in a]
        assert {page_objs.index(a.Dest[0].objgen) for a in agenda_links} >= {
            first_paper - 1,
            total - pages(parts[5]) - pages(parts[4]),
            total - pages(parts[5]),
        }
        assert not any(
            "/URI" in a.get("/A", {})
            for p in pdf.pages
            for a in p.get("/Annots", [])
            if str(a.get("/A", {}).get("/URI", "")).endswith(".pdf")
        )


def _leak_repo(tmp_path: Path) -> Path:
    repo = copy_examples(tmp_path / "repo", only=("figurer", "vedlegg"))
    (repo / "vedlegg" / f"{MARKER.lower()}.pdf").write_bytes(
        (repo / "vedlegg" / "forhandlingsrom.pdf").read_bytes()
    )
    exempt = MINIMAL_CASE.replace(
        "tittel: En enkel testsak",
        f"tittel: Hemmelig sak {MARKER}\n"
        "offentlig_tittel: Offentlig tittel\n"
        "unntatt_offentlighet: offl. § 14",
    )
    exempt = exempt.replace("Vurderingen.", f"Vurderingen nevner {MARKER}.")
    write_case(repo, f"{MARKER.lower()}.yaml", exempt)
    open_case = MINIMAL_CASE + (
        "vedlegg:\n"
        f"  - tittel: Unntatt vedlegg {MARKER}\n"
        f"    fil: vedlegg/{MARKER.lower()}.pdf\n"
        "    unntatt_offentlighet: offl. § 14\n"
        "  - tittel: Åpent vedlegg\n"
        "    fil: vedlegg/mandat-loggplattform.pdf\n"
    ).replace("Bakgrunnen.", f"Bakgrunnen, se @sak:{MARKER.lower()} og @vedlegg:x.")
    open_case = open_case.replace("  - tittel: Unntatt vedlegg", "  - id: x\n    tittel: Unntatt vedlegg")
    write_case(repo, "apen.yaml", open_case)
    (repo / "moter").mkdir()
    (repo / "moter" / "mote.yaml").write_text(
        f"møte: ikt-fagdirektormote\ndato: 2024-06-12\nsaker:\n  - {MARKER.lower()}\n  - apen\n",
        encoding="utf-8",
    )
    return repo


def _public_strings(folder: Path) -> list[tuple[str, str]]:
    """Every text a public file exposes: name, visible text, XML parts, metadata, bookmarks."""
    found = []
    for f in sorted(folder.rglob("*")):
        if not f.is_file():
            continue
        found.append((f.name, f.name))
        if f.suffix == ".json":
            found.append((f.name, f.read_text(encoding="utf-8")))
        if f.suffix == ".docx":
            with zipfile.ZipFile(f) as z:
                for name in z.namelist():
                    found.append((f"{f.name}:{name}", z.read(name).decode("utf-8", "replace")))
        if f.suffix == ".pdf":
            found.append((f"{f.name}:text", pdf_text(f)))
            with pikepdf.open(f) as pdf:
                meta = pdf.Root.get("/Metadata")
                found.append((f"{f.name}:xmp", meta.read_bytes().decode("utf-8", "replace") if meta else ""))
                found.append((f"{f.name}:info", repr({k: str(v) for k, v in pdf.docinfo.items()})))
                with pdf.open_outline() as o:
                    titles = [i.title for i in o.root] + [c.title for i in o.root for c in i.children]
                found.append((f"{f.name}:outline", "\n".join(titles)))
                for obj in pdf.objects:
                    if isinstance(obj, pikepdf.Dictionary) and "/URI" in obj:
                        found.append((f"{f.name}:uri", str(obj.URI)))
    return found


def test_public_set_leaks_nothing(tmp_path: Path) -> None:
    repo = _leak_repo(tmp_path)
    with (repo / "moter" / "mote.yaml").open("a", encoding="utf-8") as fh:
        fh.write(
            "protokoll:\n  møteleder: Anne Hansen\n  saker:\n"
            f"    {MARKER.lower()}:\n      vedtak: [Vedtak om {MARKER}]\n"
            f"      protokolltilførsel: Tilførsel om {MARKER}.\n"
            "    apen: {vedtak: som-foreslått}\n"
        )
    result = invoke(repo, "build", "moter/mote.yaml", "--offentlig")
    assert result.exit_code == 0, result.stderr
    folder = repo / "output" / "mote"
    # The members' version has it all ...
    assert MARKER in pdf_text(folder / "saksdokumenter.pdf")
    assert MARKER in pdf_text(folder / "protokoll.pdf") and MARKER in (folder / "arkiv.json").read_text()
    # ... the public version nothing of it.
    public = folder / "offentlig"
    names = sorted(p.name for p in public.iterdir())
    assert names == [
        "04-apen.docx",
        "04-apen.pdf",
        "arkiv.json",
        "protokoll.docx",
        "protokoll.pdf",
        "sakliste.docx",
        "sakliste.pdf",
        "saksdokumenter.pdf",
        "vedlegg",
    ]
    assert sorted(p.name for p in (public / "vedlegg").iterdir()) == ["04-apen-vedlegg-2.pdf"]
    strings = _public_strings(public)
    assert len(strings) > 20
    leaks = [where for where, text in strings if MARKER.lower() in text.lower()]
    assert leaks == []
    agenda = "\n".join(text for where, text in strings if where == "sakliste.pdf:text")
    assert "Offentlig tittel" in agenda and "Unntatt offentlighet, jf. offl. § 14" in agenda
    minutes = " ".join("\n".join(t for w, t in strings if w == "protokoll.pdf:text").split())
    assert "Sak 03/24 Offentlig tittel Unntatt offentlighet, jf. offl. § 14" in minutes
    assert "Møtet tar saken til orientering." in minutes
    arkiv = json.loads((public / "arkiv.json").read_text(encoding="utf-8"))
    assert [d["fil"] for d in arkiv["dokumenter"] if d["dokumenttype"] == "Vedlegg"] == [
        "vedlegg/04-apen-vedlegg-2.pdf"
    ]
    apen = "\n".join(text for where, text in strings if where == "04-apen.pdf:text")
    assert "Vedlegg 1: Unntatt offentlighet, jf. offl. § 14" in apen
    assert [t for t in outline(public / "saksdokumenter.pdf")[1][1] if t.startswith("Vedlegg ")] == [
        "Vedlegg 2: Åpent vedlegg"
    ]


def test_pack_is_reproducible(tmp_path: Path) -> None:
    packs = []
    for name in ("a", "b"):
        repo = copy_examples(tmp_path / name)
        assert invoke(repo, "build", "moter/ikt-fagdirektormote-2024-06.yaml").exit_code == 0
        packs.append((repo / "output" / "ikt-fagdirektormote-2024-06" / "saksdokumenter.pdf").read_bytes())
    assert packs[0] == packs[1]


def test_noop_rebuild_and_change_detection(tmp_path: Path) -> None:
    repo = copy_examples(tmp_path / "repo")
    first = invoke(repo, "build", "moter/ikt-fagdirektormote-2024-06.yaml")
    assert first.exit_code == 0, first.stderr
    folder = repo / "output" / "ikt-fagdirektormote-2024-06"
    stamp = {p: p.stat().st_mtime_ns for p in folder.iterdir()}
    again = invoke(repo, "build", "moter/ikt-fagdirektormote-2024-06.yaml")
    assert again.exit_code == 0 and "0 filer skrevet" in again.stderr
    assert {p: p.stat().st_mtime_ns for p in folder.iterdir()} == stamp
    case = repo / "saker" / "kodeverk-forvaltning.yaml"
    case.write_text(
        case.read_text(encoding="utf-8").replace("etter planen", "som planlagt"), encoding="utf-8"
    )
    third = invoke(repo, "build", "moter/ikt-fagdirektormote-2024-06.yaml")
    assert third.exit_code == 0
    changed = {p.name for p in folder.iterdir() if stamp.get(p) != p.stat().st_mtime_ns}
    # arkiv.json lists the checksums of the changed files; the protokoll does not change.
    assert changed == {
        "33-kodeverk-forvaltning.docx",
        "33-kodeverk-forvaltning.pdf",
        "saksdokumenter.pdf",
        "arkiv.json",
    }


@pytest.mark.parametrize(
    "entry,code",
    [
        ("  - finnes-ikke\n", "ukjent-sak"),
        ("  - ki-retningslinjer\n", "feil-møtetype"),
        ("  - sak: kodeverk-forvaltning\n    saksnummer: 32/24\n", "dobbelt-saksnummer"),
    ],
)
def test_bad_meetings_are_located(tmp_path: Path, entry: str, code: str) -> None:
    repo = copy_examples(tmp_path / "repo")
    path = repo / "moter" / "feil.yaml"
    path.write_text(
        "møte: ikt-fagdirektormote\ndato: 2024-06-12\nførste_saksnummer: 30\nsaker:\n"
        "  - felles-loggplattform\n" + entry,
        encoding="utf-8",
    )
    result = invoke(repo, "build", "moter/feil.yaml")
    assert result.exit_code == 1
    assert re.search(r"^moter/feil\.yaml:[67]:\d+: feil: ", result.stderr, re.M)
    assert f"[{code}]" in result.stderr
    assert not (repo / "output" / "feil" / "saksdokumenter.pdf").exists()


def test_renumbering_rebuilds_papers_that_refer_to_the_moved_case(tmp_path: Path) -> None:
    repo = copy_examples(tmp_path / "repo")
    meeting = repo / "moter" / "ikt-fagdirektormote-2024-06.yaml"
    assert invoke(repo, "build", "saker/felles-loggplattform.yaml").exit_code == 0
    paper = repo / "output" / "felles-loggplattform.docx"
    assert "sak 33/24" in docx_text(paper)
    meeting.write_text(
        meeting.read_text(encoding="utf-8").replace("første_saksnummer: 30", "første_saksnummer: 50"),
        encoding="utf-8",
    )
    assert invoke(repo, "build", "saker/felles-loggplattform.yaml").exit_code == 0
    assert "sak 53/24" in docx_text(paper) and "Sak 52/24" in docx_text(paper)


def test_one_broken_case_does_not_stop_the_others(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    for i in range(1, 6):
        text = MINIMAL_CASE if i != 3 else MINIMAL_CASE.replace("dato: 2024-03-06", "dato: 2024-02-30")
        write_case(repo, f"sak-{i}.yaml", text)
    (repo / "moter").mkdir()
    (repo / "moter" / "mote.yaml").write_text(
        "møte: ikt-fagdirektormote\ndato: 2024-06-12\nsaker: [sak-1, sak-2, sak-3, sak-4, sak-5]\n",
        encoding="utf-8",
    )
    result = invoke(repo, "build", "moter/mote.yaml")
    assert result.exit_code == 1
    assert "saker/sak-3.yaml:4:7: feil:" in result.stderr and "[ugyldig-dato]" in result.stderr
    folder = repo / "output" / "mote"
    built = sorted(p.name for p in folder.glob("*.pdf"))
    assert built == ["03-sak-1.pdf", "04-sak-2.pdf", "06-sak-4.pdf", "07-sak-5.pdf", "sakliste.pdf"]
    assert "[ufullstendig-pakke]" in result.stderr
    partial = invoke(repo, "build", "moter/mote.yaml", "--ufullstendig-pakke")
    assert partial.exit_code == 1 and (folder / "saksdokumenter.pdf").exists()
    assert [t for t, _ in outline(folder / "saksdokumenter.pdf")][1:] == [
        "Sak 03/24 En enkel testsak",
        "Sak 04/24 En enkel testsak",
        "Sak 06/24 En enkel testsak",
        "Sak 07/24 En enkel testsak",
    ]


def test_stale_outputs_are_removed_and_pdf_follows_docx_only_builds(tmp_path: Path) -> None:
    repo = copy_examples(tmp_path / "repo")
    assert invoke(repo, "build", "moter/ad-mote-2024-06.yaml", "--offentlig").exit_code == 0
    folder = repo / "output" / "ad-mote-2024-06"
    assert (folder / "offentlig" / "43-ki-retningslinjer.pdf").exists()
    case = repo / "saker" / "ki-retningslinjer.yaml"
    case.write_text(
        case.read_text(encoding="utf-8").replace(
            "unntatt_offentlighet: false", "unntatt_offentlighet: offl. § 14"
        ),
        encoding="utf-8",
    )
    meeting = repo / "moter" / "ad-mote-2024-06.yaml"
    meeting.write_text(
        meeting.read_text(encoding="utf-8").replace("første_saksnummer: 41", "første_saksnummer: 51"),
        encoding="utf-8",
    )
    assert invoke(repo, "build", "moter/ad-mote-2024-06.yaml", "--offentlig").exit_code == 0
    # The case became exempt: its public copy is gone; the renumbered papers replace the old.
    assert sorted(p.name for p in (folder / "offentlig").iterdir()) == [
        "arkiv.json",
        "sakliste.docx",
        "sakliste.pdf",
        "saksdokumenter.pdf",
    ]
    assert sorted(p.name for p in folder.glob("*-*.pdf")) == [
        "53-ki-retningslinjer.pdf",
        "54-avtale-bildediagnostikk.pdf",
    ]
    # Without --offentlig an old public set is not left behind to go stale.
    assert invoke(repo, "build", "moter/ad-mote-2024-06.yaml").exit_code == 0
    assert not (folder / "offentlig").exists()
    # A DOCX-only build does not vouch for the older PDF.
    case.write_text(
        case.read_text(encoding="utf-8").replace("Tiltakene dekkes", "Tiltakene finansieres"),
        encoding="utf-8",
    )
    assert invoke(repo, "build", "saker/ki-retningslinjer.yaml", "--format", "docx").exit_code == 0
    assert invoke(repo, "build", "saker/ki-retningslinjer.yaml", "--format", "pdf").exit_code == 0
    assert "Tiltakene finansieres" in pdf_text(repo / "output" / "ki-retningslinjer.pdf")


def test_warnings_for_numbers_and_public_titles(tmp_path: Path) -> None:
    repo = _leak_repo(tmp_path)
    case = repo / "saker" / "apen.yaml"
    case.write_text(
        case.read_text(encoding="utf-8").replace("dato: 2024-03-06", "dato: 2024-03-06\nsaksnummer: 9/24"),
        encoding="utf-8",
    )
    exempt = repo / "saker" / f"{MARKER.lower()}.yaml"
    exempt.write_text(
        exempt.read_text(encoding="utf-8").replace("offentlig_tittel: Offentlig tittel\n", ""),
        encoding="utf-8",
    )
    result = invoke(repo, "build", "moter/mote.yaml", "--offentlig", "--format", "docx")
    assert result.exit_code == 0, result.stderr
    assert re.search(
        r"^moter/mote\.yaml:5:5: advarsel: .*Sak 09/24.*Sak 04/24.*\[saksnummer-avvik\]", result.stderr, re.M
    ), result.stderr
    assert re.search(
        rf"^saker/{MARKER.lower()}\.yaml:2:9: advarsel: .*\[mangler-offentlig-tittel\]", result.stderr, re.M
    ), result.stderr
