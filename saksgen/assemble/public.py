"""The public set. An exempt case keeps its number and public title in the public agenda, marked
with its legal basis; its paper, its attachments and anything naming it are left out of
``offentlig/``. A non-exempt paper with an exempt attachment gets its own public variant in which
the attachment's title is replaced by the marking."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from saksgen.plan.outputs import MeetingPlan, Paper, Plan, paper_stem
from saksgen.resolve.project import Project
from saksgen.write import write_bytes

if TYPE_CHECKING:
    from saksgen.state import BuildOptions, BuildState


def warn_public_titles(project: Project, plan: Plan, state: BuildState) -> None:
    """An exempt case without offentlig_tittel shows its real title in the public agenda; the
    law allows that, but the title itself is often what is sensitive."""
    for mp in plan.meetings:
        for item in mp.meeting.items:
            case = project.cases.get(item.case_id) if item.case_id else None
            if case is not None and case.exempt and not case.public_title:
                state.diag.warning(
                    case.source.loc(("tittel",)),
                    "mangler-offentlig-tittel",
                    f"saken «{case.id}» er unntatt offentlighet, men tittelen vises i den "
                    "offentlige sakslisten",
                    "sett «offentlig_tittel» hvis tittelen ikke kan vises",
                )


_PAPER_FILE = re.compile(r"^\d{2,}-[a-z0-9-]+\.(?:docx|pdf)$")


def prune(project: Project, plan: Plan, opts: BuildOptions, state: BuildState) -> None:
    """Remove outputs a meeting no longer has: papers renumbered or taken off the agenda, and
    anything in offentlig/ that is no longer public. A public folder must never keep a paper
    that has since become exempt, so without --offentlig the old public set is removed whole."""
    for mp in plan.meetings:
        meeting = mp.meeting
        listed = {paper_stem(i.case_number, i.case_id) for i in meeting.items if i.case_id}
        _remove_unexpected(mp.folder, listed, state)
        public = mp.folder / "offentlig"
        if not public.is_dir():
            continue
        if not opts.public:
            shutil.rmtree(public, ignore_errors=True)
            continue
        allowed = {p.pdf_path.stem for p in mp.public_papers}
        _remove_unexpected(public, allowed, state)


def _remove_unexpected(folder: Path, stems: set[str], state: BuildState) -> None:
    if not folder.is_dir():
        return
    for f in folder.iterdir():
        if f.is_file() and _PAPER_FILE.match(f.name) and f.stem not in stems:
            f.unlink()
            state.removed.append(f)


def copy_public_papers(plan: Plan, state: BuildState, opts: BuildOptions) -> None:
    """Public papers identical to the members' version are copied, not built twice."""
    for mp in plan.meetings:
        for paper in mp.public_papers:
            if paper.public:
                continue
            target = mp.folder / "offentlig"
            for src in ([paper.docx_path] if opts.docx else []) + ([paper.pdf_path] if opts.pdf else []):
                if src.exists():
                    dst = target / src.name
                    if not dst.exists() or dst.read_bytes() != src.read_bytes():
                        write_bytes(dst, src.read_bytes())
                        state.written.append(dst)


def public_source(paper: Paper, mp: MeetingPlan) -> Paper:
    """In the public pack, a paper's PDF is the one in offentlig/ (variant or copy)."""
    copy = mp.folder / "offentlig" / paper.pdf_path.name
    if copy.exists():
        return Paper(paper.case, paper.meeting, paper.number, paper.docx_path, copy, True)
    return paper
