"""``saksgen check``: the CI gate.

Golden tests: every folder under ``tests/fixtures/check/`` is a small case repository with the
exact expected ``--format text`` and ``--format json`` reports (``expected.txt``,
``expected.json``). Regenerate them with ``SAKSGEN_UPDATE_GOLDEN=1 pytest tests/test_check.py``
and review the diff: every ``line:col`` must point at the offending key, value or character.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_CASE, REPO, copy_examples, write_case

FIXTURES = Path(__file__).parent / "fixtures" / "check"
FIXTURE_NAMES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())

# Which codes each fixture must produce (the issue's checklist; also guards against a fixture
# silently turning clean).
EXPECTED_CODES = {
    "yaml-syntaks": {"yaml-syntaks"},
    "dobbel-nokkel": {"dobbel-nøkkel"},
    "feil-type": {"feil-type"},
    "konklusjon-ikke-liste": {"feil-type"},
    "ukjent-nokkel": {"ukjent-nøkkel"},
    "mangler-felt": {"mangler-felt"},
    "ugyldig-dato": {"ugyldig-dato"},
    "mangler-avsnitt": {"mangler-avsnitt"},
    "tom-avsnitt": {"tom-avsnitt"},
    "mangler-hjemmel": {"mangler-hjemmel"},
    "ukjent-referanse": {"ukjent-referanse"},
    "dobbel-etikett": {"dobbel-etikett"},
    "mangler-fil": {"mangler-fil"},
    "fil-utenfor-repo": {"fil-utenfor-repo"},
    "feil-filtype": {"feil-filtype"},
    "ikke-pdf": {"ikke-pdf", "vedlegg-ikke-pdf"},
    "dobbel-id": {"dobbel-id"},
    "ukjent-profil": {"ukjent-profil"},
    "ugyldig-id": {"ugyldig-id"},
    "mote": {"ukjent-sak", "feil-møtetype", "dobbelt-saksnummer"},
    "sak-uten-nummer": {"sak-uten-nummer"},
    "ren": set(),
}

GITHUB_LINE = re.compile(r"^::(error|warning) file=[^,:]+,line=\d+,col=\d+::.+ \[[\w-]+\]( \(hint: .+\))?$")
TEXT_LINE = re.compile(r"^[^:\s][^:]*:\d+:\d+: (feil|advarsel): .+ \[[\w-]+\]$")


# A YAML syntax error's message and hint come from the parser's own problem text, translated
# (saksgen/load/document.py _TRANSLATIONS); a new PyYAML or libyaml may word it differently. The
# golden reports therefore compare file, line, column, severity and code of those diagnostics,
# and test_yaml_messages_are_ours checks that whatever the parser said, the user reads Norwegian.
_YAML_SYNTAX_TEXT = re.compile(r"^(\S+: feil: ugyldig YAML: ).*( \[yaml-syntaks\])$")


def _stable_text(report: str) -> str:
    out: list[str] = []
    skip_hint = False
    for line in report.splitlines():
        if skip_hint and line.startswith("    hint: "):
            continue
        m = _YAML_SYNTAX_TEXT.match(line)
        skip_hint = bool(m)
        out.append(f"{m[1]}…{m[2]}" if m else line)
    return "\n".join(out)


def _stable_json(report: str) -> object:
    doc = json.loads(report)
    for d in doc["diagnostikk"]:
        if d["kode"] == "yaml-syntaks":
            d["melding"] = "ugyldig YAML: …" if d["melding"].startswith("ugyldig YAML: ") else d["melding"]
            d["hint"] = None
    return doc


def _update_golden() -> bool:
    return os.environ.get("SAKSGEN_UPDATE_GOLDEN", "") not in ("", "0")


def fixture_repo(name: str, tmp_path: Path) -> Path:
    """A copy of one fixture repository; runtime-only parts (symlinks) are made here."""
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / name, repo, ignore=shutil.ignore_patterns("expected.*"))
    if name == "fil-utenfor-repo":
        outside = tmp_path / "utenfor"
        outside.mkdir()
        (outside / "hemmelig.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
        (repo / "figurer" / "lenke.png").symlink_to(outside / "hemmelig.png")
    return repo


def test_fixture_list_is_complete() -> None:
    assert set(FIXTURE_NAMES) == set(EXPECTED_CODES)


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_golden(name: str, tmp_path: Path, run) -> None:
    repo = fixture_repo(name, tmp_path)
    text = run(repo, "check", "--format", "text")
    js = run(repo, "check", "--format", "json")
    assert text.stderr == "" and js.stderr == ""
    if _update_golden():
        (FIXTURES / name / "expected.txt").write_text(text.stdout, encoding="utf-8")
        (FIXTURES / name / "expected.json").write_text(js.stdout, encoding="utf-8")
    golden_text = (FIXTURES / name / "expected.txt").read_text(encoding="utf-8")
    golden_json = (FIXTURES / name / "expected.json").read_text(encoding="utf-8")
    assert _stable_text(text.stdout) == _stable_text(golden_text)
    assert _stable_json(js.stdout) == _stable_json(golden_json)

    report = json.loads(js.stdout)
    codes = {d["kode"] for d in report["diagnostikk"]}
    assert EXPECTED_CODES[name] <= codes
    if name == "ren":
        assert codes == set()
    assert text.exit_code == js.exit_code == (1 if report["feil"] else 0)
    # Every diagnostic line of the text report has path:line:col, severity and a code.
    for line in text.stdout.splitlines():
        if line.startswith("    hint: ") or line.endswith(("advarsler", "advarsel")):
            continue
        assert TEXT_LINE.match(line), line


def test_yaml_messages_are_ours(tmp_path: Path, run) -> None:
    """Whatever the installed parser says, a YAML error reads as one of our Norwegian texts."""
    from saksgen.load.yaml_messages import _TRANSLATIONS

    ours = {norsk for _, norsk in _TRANSLATIONS} | {"feil i YAML-syntaksen"}
    repo = fixture_repo("yaml-syntaks", tmp_path)
    report = json.loads(run(repo, "check", "--format", "json").stdout)
    messages = [d["melding"] for d in report["diagnostikk"] if d["kode"] == "yaml-syntaks"]
    assert len(messages) == 4
    for message in messages:
        assert message.startswith("ugyldig YAML: ") and message[len("ugyldig YAML: ") :] in ours, message


@pytest.mark.parametrize("name", [n for n in FIXTURE_NAMES if n != "ren"])
def test_golden_positions_exist(name: str) -> None:
    """Every reported line:col lies inside the file (a cheap guard on top of the review)."""
    report = json.loads((FIXTURES / name / "expected.json").read_text(encoding="utf-8"))
    for d in report["diagnostikk"]:
        path = FIXTURES / name / d["fil"]
        lines = path.read_text(encoding="utf-8").split("\n")
        assert 1 <= d["linje"] <= len(lines), d
        assert 1 <= d["kolonne"] <= max(len(lines[d["linje"] - 1]), 1), d


def test_positions_point_at_the_offender() -> None:
    """Spot checks: the character at line:col is what the message is about."""
    checks = {
        ("tom-avsnitt", "tom-avsnitt"): ["[", "X", "T", "…", "o", "["],
        ("yaml-syntaks", "yaml-syntaks"): [":", ":", "\t", "\t"],
        ("ukjent-referanse", "ukjent-referanse"): ["@"] * 7,
        ("ukjent-nokkel", "ukjent-nøkkel"): ["v", "f"],
        ("mangler-hjemmel", "mangler-hjemmel"): ["t", '"', "j"],
        ("ugyldig-dato", "ugyldig-dato"): ["2", "0"],
        ("mote", "dobbelt-saksnummer"): ["3"],
    }
    for (name, code), chars in checks.items():
        report = json.loads((FIXTURES / name / "expected.json").read_text(encoding="utf-8"))
        found = []
        for d in report["diagnostikk"]:
            if d["kode"] != code:
                continue
            lines = (FIXTURES / name / d["fil"]).read_text(encoding="utf-8").split("\n")
            found.append(lines[d["linje"] - 1][d["kolonne"] - 1])
        assert found == chars, (name, found)


# --- report formats ---------------------------------------------------------------------


@pytest.fixture
def broken_repo(tmp_path: Path) -> Path:
    """Two broken cases and a clean one."""
    repo = tmp_path / "repo"
    write_case(repo, "ren.yaml", MINIMAL_CASE)
    write_case(repo, "uten-vurdering.yaml", MINIMAL_CASE.replace("vurdering: |\n  Vurderingen.\n", ""))
    write_case(
        repo,
        "skrivefeil.yaml",
        MINIMAL_CASE.replace("dato: 2024-03-06", "dato: 2024-13-01") + "vurdring: x\n",
    )
    return repo


def test_junit_report(broken_repo: Path, run) -> None:
    result = run(broken_repo, "check", "--format", "junit")
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout)
    cases = {tc.get("name"): tc for tc in root.iter("testcase")}
    assert set(cases) == {"saker/ren.yaml", "saker/skrivefeil.yaml", "saker/uten-vurdering.yaml"}
    assert cases["saker/ren.yaml"].find("failure") is None
    failure = cases["saker/skrivefeil.yaml"].find("failure")
    assert failure is not None and failure.get("message") == "2 feil"
    assert "[ugyldig-dato]" in failure.text and "[ukjent-nøkkel]" in failure.text
    assert "mente du «vurdering»?" in failure.text
    assert cases["saker/uten-vurdering.yaml"].find("failure") is not None
    suite = root.find("testsuite")
    assert suite is not None and suite.get("failures") == "2" and suite.get("tests") == "3"


def test_junit_clean_and_warnings(tmp_path: Path, run) -> None:
    repo = fixture_repo("sak-uten-nummer", tmp_path)
    result = run(repo, "check", "--format", "junit")
    assert result.exit_code == 0
    root = ET.fromstring(result.stdout)
    assert [tc.find("failure") for tc in root.iter("testcase")] == [None, None]
    outs = [tc.findtext("system-out") for tc in root.iter("testcase")]
    assert any(o and "[sak-uten-nummer]" in o for o in outs)


def test_github_report(broken_repo: Path, run) -> None:
    result = run(broken_repo, "check", "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[-1] == "3 filer kontrollert: 3 feil, 0 advarsler"
    annotations = lines[:-1]
    assert len(annotations) == 3
    for line in annotations:
        assert GITHUB_LINE.match(line), line
    assert any(
        line.startswith("::error file=saker/skrivefeil.yaml,line=4,col=7::datoen 2024-13-01 finnes ikke")
        for line in annotations
    )
    assert (
        "::error file=saker/skrivefeil.yaml,line=17,col=1::ukjent nøkkel «vurdring» [ukjent-nøkkel] "
        "(hint: mente du «vurdering»?)" in annotations
    )


def test_github_warning_and_escaping(tmp_path: Path, run) -> None:
    repo = fixture_repo("sak-uten-nummer", tmp_path)
    result = run(repo, "check", "--format", "github")
    assert result.exit_code == 0
    first = result.stdout.splitlines()[0]
    assert first.startswith("::warning file=saker/viser.yaml,line=8,col=19::saken «annen» har ikke")
    assert "[sak-uten-nummer]" in first
    assert "\n" not in first and "%0A" not in first


def test_json_report_shape(broken_repo: Path, run) -> None:
    result = run(broken_repo, "check", "--format", "json")
    report = json.loads(result.stdout)
    assert report["filer"] == 3 and report["feil"] == 3 and report["advarsler"] == 0
    keys = {"fil", "linje", "kolonne", "alvorlighet", "kode", "melding", "hint"}
    assert all(set(d) == keys for d in report["diagnostikk"])


def test_report_to_file(broken_repo: Path, run) -> None:
    result = run(broken_repo, "check", "--format", "json", "-o", "rapport.json")
    assert result.exit_code == 1
    assert result.stdout == ""
    report = json.loads((broken_repo / "rapport.json").read_text(encoding="utf-8"))
    assert report["feil"] == 3


# --- exit codes -------------------------------------------------------------------------


def test_examples_pass(example_repo: Path, run) -> None:
    result = run(example_repo, "check")
    assert result.exit_code == 0, result.output
    assert result.stdout == "8 filer kontrollert: 0 feil, 0 advarsler\n"
    assert run(example_repo, "check", "--strict").exit_code == 0


def test_examples_pass_in_this_repository(run) -> None:
    result = run(REPO, "check", "saker", "moter")
    assert result.exit_code == 0, result.output


def test_exit_codes(broken_repo: Path, tmp_path: Path, run) -> None:
    assert run(broken_repo, "check").exit_code == 1
    assert run(broken_repo, "check", "saker/ren.yaml").exit_code == 0

    warn = fixture_repo("sak-uten-nummer", tmp_path / "w")
    assert run(warn, "check").exit_code == 0
    assert run(warn, "check", "--strict").exit_code == 1
    for fmt in ("text", "json", "junit", "github"):
        assert run(warn, "check", "--strict", "--format", fmt).exit_code == 1


def test_usage_errors(broken_repo: Path, tmp_path: Path, run) -> None:
    bad_format = run(broken_repo, "check", "--format", "xml")
    assert bad_format.exit_code == 2
    assert "[bruk]" in bad_format.stderr and "Traceback" not in bad_format.output

    missing = run(broken_repo, "check", "saker/finnes-ikke.yaml")
    assert missing.exit_code == 2
    assert "finner ikke «saker/finnes-ikke.yaml»" in missing.stderr

    empty = tmp_path / "tom"
    empty.mkdir()
    nothing = run(empty, "check")
    assert nothing.exit_code == 2
    assert "fant verken saker/ eller moter/" in nothing.stderr

    assert run(broken_repo, "check", "--ukjent-valg").exit_code == 2


def test_only_named_files_are_reported(broken_repo: Path, run) -> None:
    result = run(broken_repo, "check", "saker/uten-vurdering.yaml")
    assert result.exit_code == 1
    assert "skrivefeil" not in result.stdout
    assert result.stdout.endswith("1 fil kontrollert: 1 feil, 0 advarsler\n")


def test_twenty_broken_cases_in_one_run(tmp_path: Path, run) -> None:
    """All problems of a run are reported, not only the first."""
    repo = tmp_path / "repo"
    breakages = [
        lambda t: t.replace("vurdering: |\n  Vurderingen.\n", ""),  # mangler-avsnitt
        lambda t: t.replace("Kort sammendrag.", "[fylles inn]"),  # tom-avsnitt
        lambda t: t.replace("2024-03-06", "2024-02-30"),  # ugyldig-dato
        lambda t: t.replace("tittel: En enkel testsak\n", ""),  # mangler-felt
        lambda t: t + "vurdring: x\n",  # ukjent-nøkkel
        lambda t: t.replace("Bakgrunnen.", "Se @fig:finnes-ikke."),  # ukjent-referanse
        lambda t: t.replace("ikt-fagdirektormote", "styret"),  # ukjent-profil
        lambda t: t.replace("konklusjon:\n  - ", "konklusjon: "),  # feil-type
        lambda t: t + "unntatt_offentlighet: true\n",  # mangler-hjemmel
        lambda t: t.replace("fra: Helse Vest RHF", "fra:\n\t- x"),  # yaml-syntaks
    ]
    for i in range(20):
        write_case(repo, f"sak-{i:02d}.yaml", breakages[i % len(breakages)](MINIMAL_CASE))
    result = run(repo, "check", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["filer"] == 20
    broken = {d["fil"] for d in report["diagnostikk"] if d["alvorlighet"] == "feil"}
    assert broken == {f"saker/sak-{i:02d}.yaml" for i in range(20)}
    assert report["feil"] >= 20


def test_no_traceback_for_garbage(tmp_path: Path, run) -> None:
    repo = tmp_path / "repo"
    (repo / "saker").mkdir(parents=True)
    (repo / "saker" / "binaer.yaml").write_bytes(b"\xff\xfe\x00garbage")
    (repo / "saker" / "tom.yaml").write_text("", encoding="utf-8")
    (repo / "saker" / "alias.yaml").write_text("a: &x 1\nb: *x\n", encoding="utf-8")
    result = run(repo, "check")
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "intern-feil" not in result.output
    for code in ("ugyldig-tegnkoding", "tom-fil", "yaml-alias"):
        assert f"[{code}]" in result.stdout


# --- check does not import the rendering stack ------------------------------------------

RENDERING = ("docxtpl", "pypandoc", "pikepdf", "saksgen.render", "saksgen.convert", "saksgen.assemble")


def test_check_does_not_import_rendering(tmp_path: Path) -> None:
    repo = copy_examples(tmp_path / "repo")
    code = (
        "import sys\n"
        "from saksgen.cli import main\n"
        "try:\n"
        "    main(['check', '--format', 'json'])\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        f"bad = [m for m in {RENDERING!r} if m in sys.modules]\n"
        "print('LASTET:', ','.join(bad), 'KODE:', code, file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert "LASTET:  KODE: 0" in proc.stderr, proc.stderr
    assert json.loads(proc.stdout)["feil"] == 0


def test_pre_commit_hook_definition() -> None:
    import yaml

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "saksgen-check")
    assert hook["entry"] == "saksgen check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    pattern = re.compile(hook["files"])
    assert all(pattern.search(p) for p in ("saker/a.yaml", "moter/b.yaml", "maler/x/profil.yaml"))
    assert not pattern.search("output/a.docx") and not pattern.search("README.md")
