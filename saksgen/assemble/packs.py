"""The combined pack of each meeting (members' and public): its parts, its cache key, its build."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from saksgen.model import Attachment, Case
from saksgen.norsk import format_date
from saksgen.plan.outputs import MeetingPlan, Paper, Plan
from saksgen.render.context import bookmark
from saksgen.resolve.project import Project
from saksgen.validate.files import is_pdf

if TYPE_CHECKING:
    from saksgen.plan.cache import BuildCache
    from saksgen.state import BuildOptions, BuildState

from saksgen.assemble.pack import PackError, PackMeta, PackPart, build_pack
from saksgen.assemble.pdfa import CACHE_FOLDER, EarlyConversions
from saksgen.assemble.public import public_source
from saksgen.errors import ToolFailed, ToolMissing


def _pdf_attachments(case: Case, public: bool) -> list[Attachment]:
    """The case's attachments that enter a pack as PDF pages (the public pack: not exempt ones)."""
    found = []
    for a in case.attachments:
        if a.file is None or (public and a.exempt):
            continue
        with a.file.open("rb") as fh:
            if is_pdf(fh.read(1024)):
                found.append(a)
    return found


def start_conversions(plan: Plan, conversions: EarlyConversions) -> None:
    """Start converting the attachments every pack of ``plan`` will take (see EarlyConversions).
    Files that cannot be read are left to the pack, which reports them."""
    sources = []
    for mp in plan.meetings:
        cache_dir = mp.folder.parent / CACHE_FOLDER
        for paper in mp.papers:
            try:
                attachments = _pdf_attachments(paper.case, public=False)
            except OSError:
                continue
            sources += [(a.file, cache_dir) for a in attachments if a.file is not None]
    conversions.start(sources)


def _attachment_bookmarks(case: Case) -> dict[int, str]:
    return {a.number: bookmark(case, "vedlegg", str(a.number)) for a in case.attachments}


def _pack_parts(
    project: Project,
    mp: MeetingPlan,
    papers: list[Paper],
    public: bool,
    agenda_pdf: Path | None,
    state: BuildState,
    refused: set[Path],
    conversions: EarlyConversions,
) -> tuple[list[PackPart], bool]:
    """The parts, and whether all of them are PDF/A (attachments converted where needed)."""
    meeting = mp.meeting
    profile = meeting.profile
    texts = meeting.texts
    sakliste = texts("sakliste")
    parts = [PackPart(sakliste, agenda_pdf, sakliste, own_footer=True)] if agenda_pdf else []
    pdfa = True
    cache_dir = mp.folder.parent / CACHE_FOLDER
    for paper in papers:
        case = paper.case
        number = profile.number(*paper.number) if paper.number else ""
        part = PackPart(
            f"{number} {case.title}",
            paper.pdf_path,
            number,
            link_name=paper.pdf_path.name,
            own_footer=True,
            attachment_bookmarks=_attachment_bookmarks(case),
        )
        for a in _pdf_attachments(case, public):
            assert a.file is not None
            try:
                source = a.file if a.file in refused else conversions.copy(a.file, cache_dir)
            except (ToolMissing, ToolFailed) as exc:
                refused.add(a.file)
                detail = exc.message
                if isinstance(exc, ToolFailed) and exc.stderr.strip():
                    detail += ": " + exc.stderr.strip().splitlines()[-1]
                state.diag.warning(
                    a.location,
                    "vedlegg-ikke-pdfa",
                    f"{a.file_display or a.file.name} kunne ikke gjøres om til PDF/A ({detail}); "
                    "saksdokumentene lages uten PDF/A-merking",
                )
                source = a.file
            if source == a.file and a.file in refused:
                pdfa = False
            marking = case.texts("unntatt_merking", hjemmel=a.exempt) if a.exempt and not public else ""
            part.children.append(
                PackPart(
                    texts("pakke_vedlegg", nr=a.number, tittel=a.title),
                    source,
                    f"{number} – {texts('ref_vedlegg')} {a.number}",
                    marking=marking,
                    attachment_number=a.number,
                )
            )
        parts.append(part)
    return parts, pdfa


def _pack_key(parts: list[PackPart]) -> str:
    h = hashlib.sha256()
    for part in parts:
        for p in [part, *part.children]:
            h.update(p.title.encode() + p.stamp.encode() + p.marking.encode() + p.pdf.read_bytes())
    return h.hexdigest()


def assemble_packs(
    project: Project,
    plan: Plan,
    opts: BuildOptions,
    state: BuildState,
    cache: BuildCache,
    conversions: EarlyConversions | None = None,
) -> None:
    """``conversions``: the attachments' conversions the build started early, if any."""
    conversions = conversions or EarlyConversions()
    refused: set[Path] = set()  # attachments Ghostscript could not make PDF/A (warned once)
    for mp in plan.meetings:
        meeting = mp.meeting
        variants = [(False, mp.papers, mp.folder)]
        if opts.public:
            variants.append((True, mp.public_papers, mp.folder / "offentlig"))
        for public, papers, folder in variants:
            target = folder / "saksdokumenter.pdf"
            name = target.relative_to(mp.folder.parent)
            # A PDF that failed in this build may still exist from an earlier one; it is stale.
            missing = [p for p in papers if p.label in state.failed or not p.pdf_path.is_file()]
            agenda: Path | None = folder / "sakliste.pdf"
            if meeting.display in state.failed or not (agenda and agenda.is_file()):
                agenda = None
            if (missing or agenda is None or not mp.complete) and not opts.partial_pack:
                why = "sakslisten ikke ble laget" if agenda is None else "noen saker feilet"
                state.diag.error(
                    meeting.source.loc(),
                    "ufullstendig-pakke",
                    f"{name} er ikke laget fordi {why}",
                    "rett feilene, eller bruk --ufullstendig-pakke for å lage den likevel",
                )
                continue
            papers = [p for p in papers if p not in missing]
            pub_papers = [p for p in papers if not (public and p.case.exempt)]
            source_papers = [public_source(p, mp) if public else p for p in pub_papers]
            parts, pdfa = _pack_parts(project, mp, source_papers, public, agenda, state, refused, conversions)
            if not parts:
                state.diag.error(
                    meeting.source.loc(),
                    "ufullstendig-pakke",
                    f"{name} er ikke laget fordi ingen av delene ble laget",
                )
                continue
            key = _pack_key(parts) + ("-pdfa" if pdfa else "")
            if cache.fresh([target], key):
                state.skipped.append(target)
                continue
            texts = meeting.texts
            title = texts("pakke_tittel", navn=meeting.profile.name, dato=format_date(meeting.date))
            if public:
                title += " " + texts("offentlig_versjon")
            meta = PackMeta(
                title=title,
                author=meeting.profile.name,
                date=meeting.date,
                lang=texts.lang,
                page_text=lambda side, sider, t=texts: t("pakke_side", side=side, sider=sider),  # type: ignore[misc]
                pdfa=pdfa,
            )
            try:
                build_pack(parts, target, meta)
            except PackError as exc:
                state.failed.append(str(target))
                state.diag.error(meeting.source.loc(), exc.code, exc.message)
                continue
            cache.record(target, key)
            state.written.append(target)
