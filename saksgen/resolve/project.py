"""The collect and resolve phases shared by ``build`` and ``check``.

Collect: load every case and meeting of the repository (the targets and everything they may
refer to). Validate each against its profile. Resolve: assign numbers from the meetings, then
give every @-reference its text. Only diagnostics of the requested targets (and of the cases a
requested meeting lists) are reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from saksgen.diagnostics import Collector, Location
from saksgen.errors import UsageError
from saksgen.load.document import Document, load_yaml
from saksgen.load.keys import fold
from saksgen.load.profiles import SAKSTYPER, Profile, load_profiles
from saksgen.model import Case, Meeting
from saksgen.resolve.references import CaseInfo, reference_text, report_dangling
from saksgen.resolve.series import meeting_order, resolve_series
from saksgen.templates.check import check_templates
from saksgen.validate.case import validate_case
from saksgen.validate.files import reset_cache as reset_file_cache
from saksgen.validate.meeting import validate_meeting
from saksgen.validate.mistakes import check_case_number_year

YAML_SUFFIXES = (".yaml", ".yml")
DEFAULT_TARGETS = ("saker", "moter")


@dataclass(frozen=True)
class FailedCase:
    """What the agenda may show of a case file that failed validation: its title as written, and
    whether it might be exempt (anything but an absent or ``false`` unntatt_offentlighet)."""

    title: str | None
    public_title: str | None
    maybe_exempt: bool


def _failed_case(doc: Document | None) -> tuple[FailedCase, str | None]:
    data = doc.data if doc is not None and isinstance(doc.data, dict) else {}

    def text(key: str) -> str | None:
        value = data.get(key)
        return value.strip() or None if isinstance(value, str) else None

    exempt = data.get("unntatt_offentlighet")
    sakstype = text("sakstype")
    return (
        FailedCase(text("tittel"), text("offentlig_tittel"), exempt not in (None, False)),
        sakstype if sakstype in SAKSTYPER else None,
    )


@dataclass
class Project:
    root: Path
    profiles: dict[str, Profile]
    cases: dict[str, Case] = field(default_factory=dict)
    meetings: dict[str, Meeting] = field(default_factory=dict)
    target_cases: list[str] = field(default_factory=list)
    target_meetings: list[str] = field(default_factory=list)
    files_checked: list[str] = field(default_factory=list)
    numbers: dict[str, tuple[int, int]] = field(default_factory=dict)
    # Cases whose file failed validation, as far as the agenda may show them (row and title).
    failed_cases: dict[str, FailedCase] = field(default_factory=dict)

    def number_of(self, case: Case, meeting: Meeting | None = None) -> tuple[int, int] | None:
        if meeting is not None:
            for item in meeting.items:
                if item.case_id == case.id:
                    return item.number
        return case.explicit_number or self.numbers.get(case.id)


def display_path(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def expand_targets(root: Path, paths: list[str]) -> list[Path]:
    """Files named on the command line, folders expanded to their YAML files."""
    if not paths:
        paths = [p for p in DEFAULT_TARGETS if (root / p).is_dir()]
        if not paths:
            raise UsageError("fant verken saker/ eller moter/ i denne mappen; oppgi en fil eller mappe")
    result: list[Path] = []
    for raw in paths:
        p = Path(raw)
        p = p if p.is_absolute() else root / p
        if p.is_dir():
            result += sorted(x for x in p.rglob("*") if x.suffix in YAML_SUFFIXES and x.is_file())
        elif p.exists():
            result.append(p)
        else:
            raise UsageError(f"finner ikke «{raw}»")
    return result


def _is_meeting(path: Path, data: object) -> bool:
    if isinstance(data, dict) and "saker" in data:
        return True
    return path.parent.name == "moter"


def gather(root: Path, paths: list[str], diag: Collector) -> Project:
    reset_file_cache()
    profiles = load_profiles(root, diag)
    project = Project(root, profiles)
    real: dict[Path, Path] = {}  # each file is resolved once (resolve() costs a syscall per part)

    def resolved(p: Path) -> Path:
        if p not in real:
            real[p] = p.resolve()
        return real[p]

    root_real = root.resolve()
    shown: dict[Path, str] = {}

    def display(p: Path) -> str:  # p is resolved
        if p not in shown:
            shown[p] = (
                p.relative_to(root_real).as_posix() if p.is_relative_to(root_real) else display_path(p, root)
            )
        return shown[p]

    targets = {resolved(t) for t in expand_targets(root, paths)}
    universe = set(targets)
    for folder in DEFAULT_TARGETS:
        if (root / folder).is_dir():
            universe |= {
                resolved(x) for x in (root / folder).rglob("*") if x.suffix in YAML_SUFFIXES and x.is_file()
            }
    quiet = Collector()  # problems in files nobody asked about are not reported
    per_file: dict[Path, Collector] = {}
    case_files: dict[str, Path] = {}
    meeting_docs = []
    case_docs: dict[Path, Document] = {}
    for path in sorted(universe):
        local = Collector()
        per_file[path] = local
        doc = load_yaml(path, display(path), local)
        if doc is None:
            continue
        if _is_meeting(path, doc.data):
            meeting_docs.append((path, doc))
            continue
        case_docs[path] = doc
        case = validate_case(doc, profiles, root, local)
        if case is None:
            continue
        if case.id in project.cases:
            where = (
                doc.loc(("id",))
                if isinstance(doc.data, dict) and "id" in doc.data
                else Location(display(path), 1, 1)
            )
            local.error(
                where, "dobbel-id", f"saks-id «{case.id}» er også brukt av {project.cases[case.id].display}"
            )
            continue
        project.cases[case.id] = case
        case_files[case.id] = path
    all_ids: dict[str, Case | None] = dict(project.cases)
    valid_files = set(case_files.values())
    meeting_files = {path for path, _ in meeting_docs}
    # A case file that failed validation still exists: a meeting listing it or an @sak: to it
    # is not "unknown" (that would fail its neighbours too); its own errors are reported instead.
    failed_files: dict[str, Path] = {}
    for path in sorted(universe):
        if path in valid_files or path in meeting_files:
            continue
        if path not in case_docs and path.parent.name == "moter":
            continue  # a meeting file that did not load
        ident = _intended_id(path, case_docs.get(path))
        if ident not in all_ids:
            all_ids[ident] = None
            failed_files[ident] = path
    case_types = {c.id: c.sakstype for c in project.cases.values()}
    for ident, path in failed_files.items():
        info, sakstype = _failed_case(case_docs.get(path))
        project.failed_cases[ident] = info
        if sakstype:
            case_types[ident] = sakstype
    for path, doc in meeting_docs:
        meeting = validate_meeting(doc, profiles, all_ids, per_file[path])
        if meeting is not None:
            if meeting.id in project.meetings:
                per_file[path].error(doc.loc(), "dobbel-id", f"møte-id «{meeting.id}» er brukt to ganger")
                continue
            project.meetings[meeting.id] = meeting
    project.meetings = resolve_series(project.meetings, project.cases, case_types, per_file.__getitem__)
    for meeting in project.meetings.values():
        for item in meeting.items:
            on_it = project.cases.get(item.case_id) if item.case_id else None
            if on_it is not None:
                check_case_number_year(on_it, meeting, per_file[case_files[on_it.id]])
    # Which files are reported: targets, plus the cases a targeted meeting lists.
    reported = set(targets)
    for meeting in project.meetings.values():
        if meeting.source.path.resolve() in targets:
            project.target_meetings.append(meeting.id)
            listed = {i.case_id for i in meeting.items if i.case_id}
            reported |= {
                case_files.get(c) or failed_files[c] for c in listed if c in case_files or c in failed_files
            }
    for case_id, path in case_files.items():
        if path in targets:
            project.target_cases.append(case_id)
    _assign_numbers(project)
    _resolve(project, per_file, case_files, failed_files, reported)
    # The templates of the profiles in use: a broken one is found here, not as a build failure.
    check_templates(
        {project.cases[c].profile.id: project.cases[c].profile for c in project.target_cases}.values(),
        {
            project.meetings[m].profile.id: project.meetings[m].profile for m in project.target_meetings
        }.values(),
        root,
        diag,
    )
    for path in sorted(universe):
        (diag if path in reported else quiet).extend(per_file[path].items)
        if path in reported:
            project.files_checked.append(display(path))
    return project


def _intended_id(path: Path, doc: Document | None) -> str:
    """The id a case file that failed validation meant to have: its ``id:`` if it wrote one as
    text, else the file stem."""
    if doc is not None and isinstance(doc.data, dict):
        ident = doc.data.get("id")
        if isinstance(ident, str) and ident.strip():
            return ident.strip()
    return path.stem


def _assign_numbers(project: Project) -> None:
    """A case's number outside a meeting build: its own, or the latest meeting's that lists it."""
    for meeting in sorted(project.meetings.values(), key=meeting_order):
        for item in meeting.items:
            if item.case_id and item.number is not None:
                project.numbers[item.case_id] = item.number


def _resolve(
    project: Project,
    per_file: dict[Path, Collector],
    case_files: dict[str, Path],
    failed_files: dict[str, Path],
    reported: set[Path],
) -> None:
    infos = {
        c.id: CaseInfo(c.id, c.profile.id, c.explicit_number or project.numbers.get(c.id), c.date.year)
        for c in project.cases.values()
    }
    for case in project.cases.values():
        diag = per_file[case_files[case.id]]
        labels = {(lb.kind, lb.id): lb.number for lb in case.labels}
        attachments = {a.id: a.number for a in case.attachments if a.id}
        sections = {folded: heading for folded, (_, heading) in case.headings().items()}
        for ref in case.references:
            text = reference_text(
                ref,
                labels=labels,
                attachments=attachments,
                sections=sections,
                cases=infos,
                profiles=project.profiles,
                own_profile=case.profile.id,
            )
            if text is None and ref.kind == "sak" and ref.target in failed_files:
                # The target exists but has errors of its own: report those (with the file
                # that refers to it), not a false "finnes ikke" here.
                if case_files[case.id] in reported:
                    reported.add(failed_files[ref.target])
                continue
            if text is None:
                candidates = {
                    "fig": [i for k, i in labels if k == "fig"],
                    "tab": [i for k, i in labels if k == "tab"],
                    "vedlegg": list(attachments),
                    "avsnitt": [s.key for s in case.sections],
                    "sak": list(infos),
                }[ref.kind]
                if ref.kind == "avsnitt" and any(
                    fold(s.key) == fold(ref.target) for s in case.profile.sections
                ):
                    diag.error(
                        ref.location,
                        "ukjent-referanse",
                        f"«@avsnitt:{ref.target}» viser til et avsnitt som er tomt eller utelatt",
                    )
                else:
                    report_dangling(ref, diag, candidates)
                continue
            if ref.kind == "sak" and infos[ref.target].number is None:
                diag.warning(
                    ref.location,
                    "sak-uten-nummer",
                    f"saken «{ref.target}» har ikke fått saksnummer ennå; skrives som «{text}»",
                    "nummeret kommer når saken står i en møtefil under moter/",
                )
