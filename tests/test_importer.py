"""saksgen importer end to end, with the real pandoc (and LibreOffice for the round trip's
build): every example case comes back from its built DOCX; a paper typed in another tool becomes
a case that check accepts; tracked changes, comments, no headings and bad input."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import Result

from saksgen.render.pandoc import pandoc_path
from tests.conftest import REPO, copy_examples, invoke

EXAMPLES = sorted(p.stem for p in (REPO / "saker").glob("*.yaml"))
PRINTED = ("møte", "tittel", "fra", "saksbehandler", "dato", "unntatt_offentlighet")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = copy_examples(tmp_path_factory.mktemp("imp") / "repo")
    result = invoke(repo, "build", "saker", "--format", "docx", "-o", "ut")
    assert result.exit_code == 0, result.output + result.stderr
    return repo


def _norm(text: str, imported: bool) -> str:
    """Section text compared whitespace aside, with references reduced to a token (the DOCX
    prints them as their text: "figur 1", "sak 33/24")."""
    if imported:
        text = re.sub(r"avsnittet «\[[^\]]*\]\([^)]*\)»", "REF", text)
        text = re.sub(r"(\b[Ff]igur|\b[Tt]abell|\b[Vv]edlegg|\S*[Ss]ak) \d+(?:[/-]\d+)?", "REF", text)
        text = re.sub(r"^: ", "Table: ", text, flags=re.M)
    else:
        text = re.sub(r"@[A-Za-z]+:[\wæøå-]+", "REF", text)
    text = re.sub(r"\{#[^}]*\}", "", text)  # labels and image attributes
    text = re.sub(r"\]\(figurer/[^)]+\)", "](FIGUR)", text)  # images get the case's own names
    text = re.sub(r"^>", "", text, flags=re.M)  # a quote's continuation lines
    text = re.sub(r"\[\^[^\]]+\]", "[^]", text)  # footnote names
    text = re.sub(r"-{3,}", "-", text)  # table rule widths
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("case", EXAMPLES)
def test_round_trip(built: Path, case: str) -> None:
    original = yaml.safe_load((built / "saker" / f"{case}.yaml").read_text(encoding="utf-8"))
    target = built / "tilbake"
    target.mkdir(exist_ok=True)
    shutil.copytree(built / "maler", target / "maler", dirs_exist_ok=True)
    result = invoke(target, "importer", str(built / "ut" / f"{case}.docx"), "--id", case)
    assert result.exit_code == 0, result.output + result.stderr
    assert "advarsel" not in result.stderr, result.stderr
    back = yaml.safe_load((target / "saker" / f"{case}.yaml").read_text(encoding="utf-8"))
    for key in PRINTED:
        assert back.get(key) == original.get(key), key
    keys = [
        k
        for k in original
        if k not in PRINTED and k not in ("sakstype", "presenteres_av", "offentlig_tittel")
    ]
    assert [k for k in back if k in keys or k not in (*PRINTED, "saksnummer")] == keys
    for key in keys:
        if key == "vedlegg":
            assert [v["tittel"] for v in back[key]] == [v["tittel"] for v in original[key]]
        elif key == "konklusjon":
            assert [_norm(x, True) for x in back[key]] == [_norm(x, False) for x in original[key]]
        else:
            assert _norm(back[key], True) == _norm(original[key], False), key
    if case == "felles-loggplattform":
        image = re.search(r"\]\((figurer/[^)]+)\)", back["vurdering"])
        assert (
            image
            and (target / image.group(1)).read_bytes() == (REPO / "figurer/loggplattform.png").read_bytes()
        )


def _pandoc_docx(markdown: str, out: Path) -> Path:
    subprocess.run(
        [pandoc_path(), "--from=markdown", "--to=docx", "-o", str(out)],
        input=markdown.encode(),
        check=True,
    )
    return out


OTHER_TOOL = """\
| | |
|---|---|
| Til : | RHF IKT/fagdirektørmøtet |
| Fra : | Helse Nord RHF |
| Dato : | 14. august 2024 |
| Unntatt offentlighet: | Nei |

IKT/fagdirektørmøte - Sak XX/24

Felles løsning for digital timebestilling

**Hva saken omhandler i korte trekk**

Møtet bes støtte at regionene samordner innføringen av digital timebestilling.

**Bakgrunn for saken:**

Pasienter bestiller i dag timer på ulike måter i hver region. Se [Helsenorge](https://www.helsenorge.no).[^1]

[^1]: Tall fra første halvår 2024.

- telefon
- brev og *digital* melding

**Vurdering**

| Region | Andel digitalt |
|---|---:|
| Nord | 40 % |
| Vest | 55 % |

### Økonomiske konsekvenser

Dette skal bli en underoverskrift.

**Omdømme**

En enklere timebestilling styrker tilliten til tjenestene.

**Forslag til konklusjon:**

1. RHF IKT/fagdirektørmøtet støtter en samordnet innføring.
2. RHF IKT/fagdirektørmøtet ber om en plan innen desember 2024.

**Vedlegg:**

1. Kartlegging av dagens timebestilling
"""


def test_paper_from_another_tool(tmp_path: Path, run: Callable[..., Result]) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    docx = _pandoc_docx(OTHER_TOOL, tmp_path / "timebestilling.docx")
    result = run(repo, "importer", str(docx))
    assert result.exit_code == 0, result.stderr
    path = repo / "saker" / "felles-losning-for-digital-timebestilling.yaml"
    assert result.stdout.strip() == "skrev saker/felles-losning-for-digital-timebestilling.yaml"
    assert re.search(
        r"timebestilling\.docx: avsnitt \d+: advarsel: .*Økonomiske konsekvenser.*\[ukjent-overskrift\]",
        result.stderr,
    )
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["møte"] == "ikt-fagdirektormote"
    assert data["fra"] == "Helse Nord RHF"
    assert str(data["dato"]) == "2024-08-14"
    assert data["unntatt_offentlighet"] is False
    assert "saksnummer" not in data
    assert "[Helsenorge](https://www.helsenorge.no)" in data["bakgrunn"]
    assert "[^1]" in data["bakgrunn"] and "Tall fra første halvår 2024." in data["bakgrunn"]
    assert "*digital*" in data["bakgrunn"]
    assert "| Nord" in data["vurdering"] and "### Økonomiske konsekvenser" in data["vurdering"]
    assert data["konklusjon"][1] == "RHF IKT/fagdirektørmøtet ber om en plan innen desember 2024."
    assert data["vedlegg"] == [{"tittel": "Kartlegging av dagens timebestilling"}]
    assert data["budsjett"].strip() == "[fylles inn]"
    check = run(repo, "check", str(path))
    assert check.exit_code == 1 and "[tom-avsnitt]" in check.output and check.output.count("feil:") == 1, (
        check.output
    )
    text = path.read_text(encoding="utf-8").replace(
        "budsjett: |\n  [fylles inn]", "budsjett: |\n  Ingen nye kostnader."
    )
    path.write_text(text, encoding="utf-8")
    check = run(repo, "check", str(path))
    assert check.exit_code == 0, check.output


def test_no_headings_keeps_everything(tmp_path: Path, run: Callable[..., Result]) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    body = "\n\n".join(f"Avsnitt nummer {i} med litt tekst." for i in range(1, 8))
    docx = _pandoc_docx(
        "Fra: Helse Vest RHF\n\nDato: 1.9.2024\n\nEt notat\n\n" + body, tmp_path / "notat.docx"
    )
    result = run(repo, "importer", str(docx), "--profil", "ikt-fagdirektormote", "--id", "notat")
    assert result.exit_code == 0, result.stderr
    assert "notat.docx: avsnitt 4: advarsel: fant ingen overskrifter" in result.stderr
    data = yaml.safe_load((repo / "saker/notat.yaml").read_text(encoding="utf-8"))
    assert data["tittel"] == "Et notat"
    for i in range(1, 8):
        assert f"Avsnitt nummer {i} med litt tekst." in data["sammendrag"]


def _edit_document(
    src: Path, dst: Path, edit: Callable[[str], str], extra: dict[str, str] | None = None
) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename in (extra or {}):
                continue
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = edit(data.decode()).encode()
            zout.writestr(item, data)
        for name, text in (extra or {}).items():
            zout.writestr(name, text)
    return dst


INS = (
    '<w:ins w:id="901" w:author="Kari" w:date="2024-01-01T00:00:00Z"><w:r><w:t xml:space="preserve"> '
    "Setningen som er lagt til.</w:t></w:r></w:ins>"
)


def test_tracked_changes(built: Path, tmp_path: Path, run: Callable[..., Result]) -> None:
    src = built / "ut" / "kodeverk-forvaltning.docx"

    def add(xml: str) -> str:
        return re.sub(r"(orienterer om status[^<]*</w:t></w:r>)", r"\1" + INS, xml, count=1)

    docx = _edit_document(src, tmp_path / "endret.docx", add)
    repo = tmp_path / "repo"
    repo.mkdir()
    result = run(repo, "importer", str(docx))
    assert result.exit_code == 1
    assert "endret.docx: feil: dokumentet har 1 sporede endringer" in result.stderr
    assert "[sporede-endringer]" in result.stderr
    assert not (repo / "saker").exists()
    result = run(repo, "importer", str(docx), "--godta-endringer", "--id", "kodeverk")
    assert result.exit_code == 0, result.stderr
    assert "Setningen som er lagt til." in (repo / "saker/kodeverk.yaml").read_text(encoding="utf-8")


COMMENTS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:comment w:id="0" w:author="Ola"><w:p><w:r><w:t>Sjekk tallene her</w:t></w:r></w:p></w:comment>'
    "</w:comments>"
)


def test_comments_are_warned(built: Path, tmp_path: Path, run: Callable[..., Result]) -> None:
    docx = _edit_document(
        built / "ut" / "kodeverk-forvaltning.docx",
        tmp_path / "k.docx",
        lambda x: x,
        {"word/comments.xml": COMMENTS},
    )
    repo = tmp_path / "repo"
    repo.mkdir()
    result = run(repo, "importer", str(docx), "--id", "k")
    assert result.exit_code == 0, result.stderr
    assert (
        "k.docx: kommentar 1: advarsel: kommentaren er utelatt: «Sjekk tallene her» [word-kommentar]"
        in result.stderr
    )
    assert "Sjekk tallene" not in (repo / "saker/k.yaml").read_text(encoding="utf-8")


def _bad(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize(
    "kind, message",
    [
        ("tekst", "filen er ikke en Word-fil (.docx) [import-feil]"),
        ("kryptert", "kryptert (passordbeskyttet)"),
        ("zip", "ikke et Word-dokument"),
        ("avkortet", "Word-filen er skadet"),
        ("tom", "dokumentet har ingen tekst [import-feil]"),
        ("bombe", "[for-stor]"),
        ("finnes", "finnes ikke"),
    ],
)
def test_bad_input(built: Path, tmp_path: Path, run: Callable[..., Result], kind: str, message: str) -> None:
    good = (built / "ut" / "kodeverk-forvaltning.docx").read_bytes()
    if kind == "tekst":
        path = _bad(tmp_path, "sak.docx", b"Dette er ikke en Word-fil\n")
    elif kind == "kryptert":
        path = _bad(tmp_path, "sak.docx", bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 600)
    elif kind == "zip":
        path = _zip(tmp_path / "sak.docx", {"a.txt": b"hei"})
    elif kind == "avkortet":
        path = _bad(tmp_path, "sak.docx", good[: len(good) // 2])
    elif kind == "tom":
        path = _pandoc_docx("", tmp_path / "sak.docx")
    elif kind == "bombe":
        path = _zip(
            tmp_path / "sak.docx",
            {"word/document.xml": b"<w:document/>", "word/x.bin": b"\0" * (210 * 1024 * 1024)},
        )
    else:
        path = tmp_path / "sak.docx"
    repo = tmp_path / "repo"
    repo.mkdir()
    result = run(repo, "importer", str(path))
    assert result.exit_code in (1, 2)
    assert result.stderr.startswith(f"{path}: feil: ") and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert list(repo.iterdir()) == []


def test_existing_case_needs_force(built: Path, tmp_path: Path, run: Callable[..., Result]) -> None:
    repo = tmp_path / "repo"
    (repo / "saker").mkdir(parents=True)
    existing = repo / "saker" / "k.yaml"
    existing.write_text("gammel\n", encoding="utf-8")
    docx = built / "ut" / "kodeverk-forvaltning.docx"
    result = run(repo, "importer", str(docx), "--id", "k")
    assert result.exit_code == 2 and "saker/k.yaml finnes allerede" in result.stderr
    assert existing.read_text(encoding="utf-8") == "gammel\n"
    result = run(repo, "importer", str(docx), "--id", "k", "--tving")
    assert result.exit_code == 0 and "tittel: Status for felles forvaltning" in existing.read_text(
        encoding="utf-8"
    )
