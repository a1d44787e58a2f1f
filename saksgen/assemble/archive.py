"""The archive export of a meeting (``arkiv.json``, Noark 5 names): the meeting folder, its items
and every file in it, with checksums. Written last, after every file it lists exists.

``archive_record`` builds the record from the files on disk and needs no LibreOffice; every
systemID is a UUID derived from ids (``system_id``), so rebuilds and other machines agree.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from saksgen.load.profiles import StandingItem
from saksgen.model import Case, Meeting, MeetingItem
from saksgen.plan.outputs import paper_stem
from saksgen.render.protokoll import adopted_points
from saksgen.resolve.project import Project
from saksgen.write import deferred_interrupts, ensure_dir, write_bytes

if TYPE_CHECKING:
    from saksgen.plan.outputs import Plan
    from saksgen.state import BuildOptions, BuildState

# Fixed forever: changing it changes every systemID ever handed to an archive.
NAMESPACE = uuid.UUID("6f1c8e2a-4d3b-5a7e-9c10-5a6b7367656e")
ARCHIVE_NAME = "arkiv.json"
ATTACHMENT_DIR = "vedlegg"


def system_id(*parts: str) -> str:
    """A UUID (version 5) from ids: the same ids give the same systemID on every machine."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


@dataclass(frozen=True)
class Listed:
    """One file the export lists: where it is (relative to the export's folder), what it is."""

    fil: str
    dokumenttype: str
    hoveddokument: bool
    tittel: str
    offentlig_tittel: str
    moetesak: str | None  # the item's id, or None for the meeting's own documents
    doc_id: str
    hjemmel: str | None
    source: Path | None = None  # an attachment: copied to ``fil`` from here
    own_pdf: bool = True  # made by saksgen (its PDF/A claim is ours to read)


def pdf_format(path: Path) -> str:
    """ "PDF/A-2b" when the file claims it (saksgen's finish step only claims what LibreOffice
    produced as PDF/A, and a pack without conformance carries no claim), else "PDF"."""
    import pikepdf

    try:
        with pikepdf.open(path) as pdf:
            if "/Metadata" not in pdf.Root:
                return "PDF"
            meta = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
            ns = "{http://www.aiim.org/pdfa/ns/id/}"
            part, conf = str(meta.get(ns + "part", "")), str(meta.get(ns + "conformance", ""))
    except pikepdf.PdfError:
        return "PDF"
    return f"PDF/A-{part}{conf.lower()}" if part and conf else "PDF"


def _file_format(path: Path, own_pdf: bool) -> str:
    if path.suffix.lower() == ".pdf":
        return pdf_format(path) if own_pdf else "PDF"
    return path.suffix.lstrip(".").upper() or "ukjent"


def _skjerming(hjemmel: str | None) -> dict[str, str] | None:
    return {"tilgangsrestriksjon": "UO", "skjermingshjemmel": hjemmel} if hjemmel else None


def _public_title(case: Case) -> str:
    return case.public_title or (case.texts("unntatt_offentlighet") if case.exempt else case.title)


def listed_files(project: Project, meeting: Meeting, public: bool, folder: Path) -> list[Listed]:
    """Every file of the export, in a stable order: agenda, protokoll, pack, then each case's
    paper and attachments. The public export leaves out exempt papers and attachments."""
    texts = meeting.texts
    out = [
        Listed(
            "sakliste.pdf", "Saksliste", True, texts("sakliste"), texts("sakliste"), None, "sakliste", None
        )
    ]
    if meeting.protokoll is not None:
        name = texts("protokoll")
        out.append(Listed("protokoll.pdf", "Møteprotokoll", True, name, name, None, "protokoll", None))
    pack = folder / "saksdokumenter.pdf"
    if pack.is_file():
        name = texts("saksdokumenter")
        out.append(Listed(pack.name, "Saksdokumenter", True, name, name, None, "saksdokumenter", None))
    for item in meeting.items:
        case = project.cases.get(item.case_id) if item.case_id else None
        if case is None or (public and case.exempt):
            continue
        stem = paper_stem(item.case_number, case.id)
        title = case.title if not public else _public_title(case)
        out.append(
            Listed(
                f"{stem}.pdf",
                "Saksframlegg",
                True,
                title,
                _public_title(case),
                case.id,
                "saksframlegg",
                case.exempt,
            )
        )
        for a in case.attachments:
            if a.file is None or (public and a.exempt):
                continue
            hjemmel = a.exempt or case.exempt
            fil = f"{ATTACHMENT_DIR}/{stem}-vedlegg-{a.number}{a.file.suffix.lower()}"
            label = texts("pakke_vedlegg", nr=a.number, tittel=a.title)
            public_label = (
                texts("pakke_vedlegg", nr=a.number, tittel=texts("unntatt_offentlighet"))
                if hjemmel
                else label
            )
            out.append(
                Listed(
                    fil,
                    "Vedlegg",
                    False,
                    label,
                    public_label,
                    case.id,
                    f"vedlegg-{a.number}",
                    hjemmel,
                    a.file,
                    False,
                )
            )
    return out


def archive_record(project: Project, meeting: Meeting, public: bool, folder: Path) -> dict[str, Any]:
    """The export as a JSON-ready dict, from the files in ``folder`` (which must all exist)."""
    profile = meeting.profile
    base = (profile.id, meeting.id)
    standing = {s.id: s for s in profile.standing}
    saker = []
    for item in meeting.items:
        ident = item.protokoll_id
        if not ident or item.number is None:
            continue
        case = project.cases.get(item.case_id) if item.case_id else None
        hjemmel = case.exempt if case else None
        title = case.title if case else item.display_title(meeting.texts)
        public_title = _public_title(case) if case else title
        vedtak = adopted_points(project, meeting, ident)
        if public and hjemmel:
            title, vedtak = public_title, None
        saker.append(
            {
                "systemID": system_id(*base, ident),
                "moetesaksaar": item.number[1],
                "moetesakssekvensnummer": item.number[0],
                "saksnummer": profile.number(*item.number),
                "tittel": title,
                "offentligTittel": public_title,
                "sakstype": case.sakstype if case else _standing_sakstype(item, standing),
                "skjerming": _skjerming(hjemmel),
                "vedtak": vedtak,
            }
        )
    dokumenter = []
    for f in listed_files(project, meeting, public, folder):
        path = folder / f.fil
        data = path.read_bytes()
        dokumenter.append(
            {
                "systemID": system_id(*base, f.moetesak or "-", f.doc_id),
                "moetesak": system_id(*base, f.moetesak) if f.moetesak else None,
                "dokumenttype": f.dokumenttype,
                "tilknyttetRegistreringSom": "Hoveddokument" if f.hoveddokument else "Vedlegg",
                "tittel": f.tittel,
                "offentligTittel": f.offentlig_tittel,
                "fil": f.fil,
                "format": _file_format(path, f.own_pdf),
                "sjekksum": hashlib.sha256(data).hexdigest(),
                "sjekksumAlgoritme": "SHA-256",
                "filstoerrelse": len(data),
                "skjerming": _skjerming(f.hjemmel),
            }
        )
    return {
        "moetemappe": {
            "systemID": system_id(*base),
            "utvalg": profile.name,
            "moetedato": meeting.date.isoformat(),
            "moetested": meeting.place,
            "tittel": f"{profile.name} {meeting.date.isoformat()}",
        },
        "moetesaker": saker,
        "dokumenter": dokumenter,
    }


def _copy_attachments(files: list[Listed], folder: Path, state: BuildState) -> None:
    """Copy the attachments in, and remove any other file from vedlegg/ (an attachment that has
    become exempt must not stay in the public folder)."""
    wanted = {f.fil for f in files if f.source is not None}
    target_dir = folder / ATTACHMENT_DIR
    if target_dir.is_dir():
        for old in target_dir.iterdir():
            if old.is_file() and f"{ATTACHMENT_DIR}/{old.name}" not in wanted:
                old.unlink()
                state.removed.append(old)
    for f in files:
        if f.source is None:
            continue
        data = f.source.read_bytes()
        dst = folder / f.fil
        if not dst.is_file() or dst.read_bytes() != data:
            ensure_dir(dst.parent)
            write_bytes(dst, data)
            state.written.append(dst)
    if target_dir.is_dir() and not any(target_dir.iterdir()):
        target_dir.rmdir()


def write_archives(project: Project, plan: Plan, opts: BuildOptions, state: BuildState) -> None:
    """Each meeting's arkiv.json (and offentlig/arkiv.json), once every file it lists exists."""
    if not opts.pdf:
        return  # the export lists PDFs; a DOCX-only build has none
    for mp in plan.meetings:
        meeting = mp.meeting
        for public in (False, True) if opts.public else (False,):
            folder = mp.folder / "offentlig" if public else mp.folder
            target = folder / ARCHIVE_NAME
            files = listed_files(project, meeting, public, folder)
            _copy_attachments(files, folder, state)
            failed = set(state.failed)
            missing = [
                f.fil for f in files if not (folder / f.fil).is_file() or str(folder / f.fil) in failed
            ]
            if missing or not mp.complete or any(p.label in failed for p in mp.papers):
                if target.exists():
                    target.unlink()  # an old export would list stale files
                    state.removed.append(target)
                what = ", ".join(missing[:3]) if missing else "saker som feilet"
                state.diag.error(
                    meeting.source.loc(),
                    "ufullstendig-arkiv",
                    f"{target.relative_to(mp.folder.parent)} er ikke skrevet fordi filer mangler: {what}",
                    "rett feilene over og bygg på nytt",
                )
                continue
            data = (
                json.dumps(archive_record(project, meeting, public, folder), ensure_ascii=False, indent=2)
                + "\n"
            ).encode()
            if target.is_file() and target.read_bytes() == data:
                state.skipped.append(target)
                continue
            with deferred_interrupts():
                write_bytes(target, data)
                state.written.append(target)


def _standing_sakstype(item: MeetingItem, standing: dict[str, StandingItem]) -> str:
    if item.sakstype:
        return item.sakstype
    known = standing.get(item.standing_id or "")
    return known.sakstype if known else "orientering"
