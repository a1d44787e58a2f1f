"""Watch mode's dependency mapping (changed file -> outputs to rebuild), without LibreOffice."""

from __future__ import annotations

from pathlib import Path

from saksgen.commands.watch import affected, inputs, is_noise
from saksgen.diagnostics import Collector
from saksgen.plan.outputs import plan_papers
from saksgen.resolve.project import gather
from tests.conftest import copy_examples


def _deps(repo: Path) -> dict[Path, set[Path]]:
    project = gather(repo, ["saker/kurve-status.yaml", "moter/ikt-fagdirektormote-2024-06.yaml"], Collector())
    return inputs(plan_papers(project, repo / "output", False, set()))


def test_a_case_file_maps_to_its_papers_and_its_meetings_pack(tmp_path: Path) -> None:
    repo = copy_examples(tmp_path / "repo")
    deps = _deps(repo)
    out = repo / "output"
    folder = out / "ikt-fagdirektormote-2024-06"
    assert affected(deps, [repo / "saker" / "kurve-status.yaml"]) == {out / "kurve-status.pdf"}
    hit = affected(deps, [repo / "saker" / "felles-loggplattform.yaml"])
    assert folder / "32-felles-loggplattform.pdf" in hit and folder / "saksdokumenter.pdf" in hit
    assert out / "kurve-status.pdf" not in hit and folder / "33-kodeverk-forvaltning.pdf" not in hit


def test_the_meeting_file_maps_to_every_paper_agenda_and_pack(tmp_path: Path) -> None:
    repo = copy_examples(tmp_path / "repo")
    folder = repo / "output" / "ikt-fagdirektormote-2024-06"
    hit = affected(_deps(repo), [repo / "moter" / "ikt-fagdirektormote-2024-06.yaml"])
    assert {p.name for p in hit} >= {"sakliste.pdf", "saksdokumenter.pdf", "32-felles-loggplattform.pdf"}
    assert all(p.parent == folder for p in hit)


def test_unrelated_files_and_lock_files_map_to_nothing(tmp_path: Path) -> None:
    repo = copy_examples(tmp_path / "repo")
    deps = _deps(repo)
    assert affected(deps, [repo / "saker" / "ki-retningslinjer.yaml"]) == set()
    assert affected(deps, [repo / "saker" / "~$rve-status.yaml"]) == set()
    assert is_noise(Path("maler/x/~$mal.docx")) and is_noise(Path(".~lock.mal.docx#"))
    assert not is_noise(Path("maler/x/mal.docx"))
