"""Målform, own fields and templates owned by their users, built for real (pandoc, LibreOffice)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pikepdf
import pytest
from click.testing import Result

from tests.conftest import copy_examples, pdf_text

NYNORSK_CASE = """\
møte: {profil}
målform: nynorsk
tittel: Regional avtale om skyss til dialyse
fra: Helse Vest RHF
saksbehandler: Ingrid Haugland
dato: 2024-05-30
unntatt_offentlighet: "offl. § 23 første ledd"
{extra}
sammendrag: |
  Møtet får ei orientering om forhandlingane, sjå @avsnitt:vurdering og @vedlegg:utkast.
bakgrunn: |
  Avtalen gjeld skyss for pasientar som får dialyse tre gonger i veka.
vurdering: |
  Prisane er samla i @tab:prisar, og ruta er vist i @Fig:rute.

  | Rute | Pris |
  |------|-----:|
  | A    |  100 |

  Table: Prisar per tur {{#tab:prisar}}

  ![Ruta til sjukehuset](figurer/loggplattform.png){{#fig:rute}}
budsjett: |
  Ingen nye kostnader.
omdømme: |
  Ingen verknad.
konklusjon:
  - Møtet tek orienteringa til etterretning.
vedlegg:
  - id: utkast
    tittel: Utkast til avtale
"""

# Words saksgen writes itself in bokmål; none may be left in a nynorsk paper or agenda.
BOKMAL = (
    "Fra:",
    "Saksbehandler",
    "Unntatt offentlighet",
    "Hva saken",
    "Bakgrunn for saken",
    "Særskilte forhold",
    "Omdømme",
    "fremtidige",
)


def _repo(tmp_path: Path, run: Callable[..., Result], extra: str = "") -> Path:
    repo = copy_examples(tmp_path / "repo", only=("figurer",))
    result = run(repo, "maler", "--kopier", "ikt-fagdirektormote", "--som", "helse-vest")
    assert result.exit_code == 0, result.output
    profile = repo / "maler" / "helse-vest" / "profil.yaml"
    profile.write_text(profile.read_text(encoding="utf-8") + "målform: nynorsk\n", encoding="utf-8")
    (repo / "saker").mkdir()
    (repo / "saker" / "dialyse.yaml").write_text(
        NYNORSK_CASE.format(profil="helse-vest", extra=extra), encoding="utf-8"
    )
    (repo / "moter").mkdir()
    (repo / "moter" / "vest.yaml").write_text(
        "møte: helse-vest\ndato: 2024-06-12\nførste_saksnummer: 30\nsaker:\n  - dialyse\n", encoding="utf-8"
    )
    return repo


def _lang(path: Path) -> tuple[str, str]:
    with zipfile.ZipFile(path) as z:
        core = z.read("docProps/core.xml").decode()
        styles = z.read("word/styles.xml").decode()
    dc = re.search(r"<dc:language>([^<]*)<", core)
    w = re.search(r'<w:lang [^>]*w:val="([^"]+)"', styles)
    assert dc and w
    return dc.group(1), w.group(1)


def test_nynorsk_paper_and_agenda_have_no_bokmal_word_of_saksgen(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    repo = _repo(tmp_path, run)
    result = run(repo, "build", "moter/vest.yaml")
    assert result.exit_code == 0, result.output + result.stderr
    folder = repo / "output" / "vest"
    paper = folder / "32-dialyse.pdf"
    text = pdf_text(paper)
    for word in BOKMAL:
        assert word not in text, word
    for word in (
        "Frå:",
        "Sakshandsamar:",
        "Unnateke offentlegheit:",
        "Ja, jf. offl. § 23 første ledd",
        "Kva saka handlar om i korte trekk",
        "Omdøme",
        "avsnittet «Vurdering»",
        "vedlegg 1",
        "tabell 1",
        "Figur 1",
        "Tabell 1: Prisar per tur",
        "Figur 1: Ruta til sjukehuset",
        "Vedlegg 1: Utkast til avtale",
        "Side 1 av 2",
        "IKT/fagdirektørmøte – Sak 32/24",
    ):
        assert word in text, word
    # Every page header carries the exemption in nynorsk; from page 2 also the case number.
    pages = text.split("\f")
    assert all("Unnateke offentlegheit, jf. offl. § 23 første ledd" in p for p in pages if p.strip())
    assert "Sak 32/24" in pages[1].splitlines()[0]
    assert _lang(folder / "32-dialyse.docx") == ("nn-NO", "nn-NO")
    with pikepdf.open(paper) as pdf, pdf.open_metadata() as meta:
        assert str(pdf.Root.Lang) == "nn-NO"
        assert "nn-NO" in str(meta.get("dc:language"))
    agenda = pdf_text(folder / "sakliste.pdf")
    assert "Unnateke offentlegheit, jf. offl. § 23 første ledd" in agenda
    assert "Unntatt offentlighet" not in agenda
    assert _lang(folder / "sakliste.docx")[0] == "nn-NO"
    with pikepdf.open(folder / "sakliste.pdf") as pdf:
        assert str(pdf.Root.Lang) == "nn-NO"


def test_restyled_template_with_an_own_field_is_rebuilt(tmp_path: Path, run: Callable[..., Result]) -> None:
    """A template owner's day: copy, restyle in Word (a font, a label moved), add Arkivsak."""
    repo = _repo(tmp_path, run, extra="arkivreferanse: 2024/1234")
    profile = repo / "maler" / "helse-vest" / "profil.yaml"
    profile.write_text(
        profile.read_text(encoding="utf-8") + "felt:\n  - {nøkkel: arkivreferanse, etikett: Arkivsak}\n",
        encoding="utf-8",
    )
    template = repo / "maler" / "helse-vest" / "mal.docx"
    d = docx.Document(str(template))
    d.styles["Normal"].font.name = "Liberation Serif"
    paras = d.paragraphs
    til = next(p for p in paras if "tekst.til" in p.text)
    dato = next(p for p in paras if "tekst.dato" in p.text)
    til._p.addprevious(dato._p)  # the date line moved to the top
    arkiv = dato.insert_paragraph_before("Arkivsak:\t{{ arkivreferanse }}", style=dato.style)
    del arkiv
    d.save(str(template))
    assert run(repo, "check").exit_code == 0
    result = run(repo, "build", "saker/dialyse.yaml", "--format", "begge")
    assert result.exit_code == 0, result.output + result.stderr
    out = docx.Document(str(repo / "output" / "dialyse.docx"))
    lines = [p.text for p in out.paragraphs if p.text.strip()]
    assert lines[:3] == ["Arkivsak:\t2024/1234", "Dato:\t30. mai 2024", "Til:\tRHF IKT/fagdirektørmøtet"]
    assert out.styles["Normal"].font.name == "Liberation Serif"
    assert "Arkivsak: 2024/1234" in " ".join(pdf_text(repo / "output" / "dialyse.pdf").split())


def _break(template: Path, old: str, new: str) -> None:
    with zipfile.ZipFile(template) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    body = parts["word/document.xml"].decode()
    assert old in body
    parts["word/document.xml"] = body.replace(old, new, 1).encode()
    with zipfile.ZipFile(template, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)


@pytest.mark.parametrize(
    ("name", "old", "new", "code"),
    [
        ("mal.docx", "{{ tittel }}", "{{ tittel", "mal-syntaks"),
        ("sakliste.docx", "{%tr endfor %}", "{%tr endfro %}", "mal-syntaks"),
        ("mal.docx", "{{ innhold }}", "{{ innhald }}", "mal-innhold"),
    ],
)
def test_broken_template_fails_check_and_build_in_norwegian(
    tmp_path: Path, run: Callable[..., Result], name: str, old: str, new: str, code: str
) -> None:
    repo = _repo(tmp_path, run)
    _break(repo / "maler" / "helse-vest" / name, old, new)
    result = run(repo, "check")
    assert result.exit_code == 1
    assert f"maler/helse-vest/{name}: feil: " in result.output and f"[{code}]" in result.output
    result = run(repo, "build", "moter/vest.yaml")
    assert result.exit_code == 1
    assert f"[{code}]" in result.stderr and "Traceback" not in result.stderr
    assert not re.search(r"unexpected|expected token|Encountered|intern-feil", result.stderr)
    broken = "32-dialyse.docx" if name == "mal.docx" else "sakliste.docx"
    assert not (repo / "output" / "vest" / broken).exists()
    assert not list((repo / "output").rglob("*.tmp*")) if (repo / "output").exists() else True


@pytest.mark.parametrize(
    ("extra", "code", "where"),
    [
        ("målform: nynorks", "ukjent-målform", "saker/dialyse.yaml:2:10"),
        ("arkivreferanse: x", "ukjent-nøkkel", "saker/dialyse.yaml:8:1"),
    ],
)
def test_bad_case_input_is_located(
    tmp_path: Path, run: Callable[..., Result], extra: str, code: str, where: str
) -> None:
    repo = _repo(tmp_path, run, extra=extra)
    if extra.startswith("målform"):
        path = repo / "saker" / "dialyse.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("målform: nynorsk\n", ""), encoding="utf-8")
        path.write_text(path.read_text(encoding="utf-8").replace("tittel:", "målform: nynorks\ntittel:", 1))
    result = run(repo, "build", "saker/dialyse.yaml")
    assert result.exit_code == 1
    assert f"{where}: feil: " in result.stderr and f"[{code}]" in result.stderr
    assert not (repo / "output" / "dialyse.docx").exists()
