"""Meeting-type profiles: ``maler/<profil>/profil.yaml`` + ``mal.docx``.

Built-in profiles ship inside the package; a ``maler/`` folder in the working directory adds new
ones or overrides a built-in one of the same name. A new meeting type needs no code change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from saksgen.diagnostics import Collector, Location
from saksgen.load import keys
from saksgen.load.document import Document, load_yaml
from saksgen.load.profile_parts import (
    FIELD_KINDS,
    FieldDef,
    headings,
    list_of_maps,
    malform_of,
    read_fields_of_profile,
    read_malform,
    text_overrides,
)
from saksgen.norsk import check_format, format_number, lower_first
from saksgen.texts import Texts, texts_for

__all__ = ["FIELD_KINDS", "FieldDef", "Profile", "SectionDef", "load_profiles", "read_malform"]

BUILTIN_DIR = Path(__file__).parent.parent / "maler"
SAKSTYPER = {"beslutning": "B", "orientering": "O", "diskusjon": "D"}
SECTION_KINDS = ("tekst", "liste", "vedlegg")
PROFILE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")

_PROFILE_KEYS = [
    "navn",
    "til",
    "sakslinje",
    "saksnummer",
    "plassholder",
    "referanse",
    "sakstype",
    "standardsaker",
    "seksjoner",
    "målform",
    "tekster",
    "felt",
    "sakliste",
]
_SECTION_KEYS = ["nøkkel", "overskrift", "påkrevd", "veiledning", "type"]
_STANDING_KEYS = ["id", "tittel", "sakstype", "plassering"]


@dataclass(frozen=True)
class SectionDef:
    key: str
    heading: str  # in the profile's own målform
    required: bool
    guidance: str
    kind: str  # tekst | liste | vedlegg
    headings: tuple[tuple[str, str], ...] = ()  # målform -> heading, when given per målform

    def heading_for(self, malform: str) -> str:
        return dict(self.headings).get(malform, self.heading)


@dataclass(frozen=True)
class StandingItem:
    id: str
    title: str
    sakstype: str
    first: bool  # placed before the cases (else after)


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    til: str
    case_line: str
    number_format: str
    placeholder_format: str
    reference_format: str
    default_sakstype: str
    sections: tuple[SectionDef, ...]
    standing: tuple[StandingItem, ...]
    folder: Path
    source: str  # display path of profil.yaml
    malform: str = "bokmål"
    text_overrides: tuple[tuple[str, str], ...] = ()  # profil.yaml ``tekster:``
    fields: tuple[FieldDef, ...] = ()  # profil.yaml ``felt:``
    agenda_groups: tuple[str, ...] = ()  # ``sakliste: {grupper: [...]}``: sakstypes, in order

    def texts_in(self, malform: str | None) -> Texts:
        """The texts of ``malform`` (a case's own), else of the profile, with its overrides."""
        return texts_for(malform or self.malform, dict(self.text_overrides))

    @property
    def texts(self) -> Texts:
        return texts_for(self.malform, dict(self.text_overrides))

    @property
    def template(self) -> Path:
        return self.folder / "mal.docx"

    @property
    def agenda_template(self) -> Path:
        return self.shared_template("sakliste.docx")

    def shared_template(self, name: str) -> Path:
        """A template every profile has (``sakliste.docx``, ``protokoll.docx``): the profile
        folder's own copy wins over the built-in one."""
        own = self.folder / name
        return own if own.exists() else BUILTIN_DIR / name

    @property
    def protokoll_template(self) -> Path:
        own = self.folder / "protokoll.docx"
        return own if own.exists() else BUILTIN_DIR / "protokoll.docx"

    def section(self, key: str) -> SectionDef | None:
        return next((s for s in self.sections if s.key == key), None)

    def number(self, nr: int | None, year: int) -> str:
        """The printed case number: "Sak 32/24"; the placeholder "Sak XX/24" when unassigned."""
        if nr is None:
            return format_number(self.placeholder_format, None, year)
        return format_number(self.number_format, nr, year)

    def reference(self, nr: int | None, year: int, *, same_series: bool) -> str:
        """How another document refers to a case: "sak 32/24" in this series, else the long form."""
        if same_series:
            return lower_first(self.number(nr, year))
        return format_number(self.reference_format, nr, year)

    def line(self, nr: int | None, year: int) -> str:
        return self.case_line.replace("{saksnummer}", self.number(nr, year))


def load_profiles(workdir: Path, diag: Collector) -> dict[str, Profile]:
    """All profiles: built-in first, then the working directory's ``maler/`` on top."""
    folders: dict[str, tuple[Path, str]] = {}
    for base, display_base in ((BUILTIN_DIR, "<innebygd>/maler"), (workdir / "maler", "maler")):
        if not base.is_dir():
            continue
        for folder in sorted(base.iterdir()):
            if (folder / "profil.yaml").is_file():
                folders[folder.name] = (folder, f"{display_base}/{folder.name}")
    profiles = {}
    for name, (folder, display) in folders.items():
        profile = _load_profile(name, folder, display, diag)
        if profile is not None:
            profiles[name] = profile
    return profiles


def _load_profile(name: str, folder: Path, display: str, diag: Collector) -> Profile | None:
    source = f"{display}/profil.yaml"
    if not PROFILE_ID.match(name):
        diag.error(Location(source), "ugyldig-profil", f"profilnavnet «{name}» må være [a-z0-9-]+")
        return None
    doc = load_yaml(folder / "profil.yaml", source, diag)
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        diag.error(doc.loc(), "feil-type", "profil.yaml skal inneholde nøkler (navn, seksjoner, …)")
        return None
    before = len(diag.errors)
    f = keys.normalise(doc, (), doc.data, _PROFILE_KEYS, diag)
    navn = keys.text(f, "navn", diag, required=True) or name
    number_format = keys.text(f, "saksnummer", diag) or "Sak {nr:02d}/{åå}"
    # Without its own placeholder, the number format prints "XX" for an unassigned number.
    placeholder = keys.text(f, "plassholder", diag) or number_format
    reference = keys.text(f, "referanse", diag) or f"{navn}-sak {{nr:02d}}/{{åå}}"
    formats = [("saksnummer", number_format), ("referanse", reference)]
    if "plassholder" in f:  # else it is the number format, checked already
        formats.append(("plassholder", placeholder))
    for field, fmt in formats:
        problem = check_format(fmt)
        if problem:
            diag.error(f.loc(field), "ugyldig-profil", problem)
    sakstype = keys.text(f, "sakstype", diag) or "beslutning"
    if sakstype not in SAKSTYPER:
        diag.error(f.loc("sakstype"), "ugyldig-verdi", f"ukjent sakstype «{sakstype}»")
    malform = malform_of(f, diag)
    overrides = text_overrides(doc, f, diag)
    sections = _sections(doc, f, diag, malform)
    standing = _standing(doc, f, diag)
    fields = read_fields_of_profile(doc, f, diag, [s.key for s in sections])
    agenda_groups = _agenda_groups(doc, f, diag)
    if len(diag.errors) > before:
        return None
    if not (folder / "mal.docx").is_file():
        # Reported, but the profile still validates cases: check needs no template.
        diag.error(Location(f"{display}/mal.docx"), "mangler-fil", "profilen mangler mal.docx")
    return Profile(
        id=name,
        name=navn,
        til=keys.text(f, "til", diag) or navn,
        case_line=keys.text(f, "sakslinje", diag) or f"{navn} – {{saksnummer}}",
        number_format=number_format,
        placeholder_format=placeholder,
        reference_format=reference,
        default_sakstype=sakstype,
        sections=sections,
        standing=standing,
        folder=folder,
        source=source,
        malform=malform,
        text_overrides=overrides,
        fields=fields,
        agenda_groups=agenda_groups,
    )


def _sections(
    doc: Document, f: keys.Fields, diag: Collector, malform: str = "bokmål"
) -> tuple[SectionDef, ...]:
    result: list[SectionDef] = []
    for path, item in list_of_maps(doc, f, "seksjoner", diag):
        s = keys.normalise(doc, path, item, _SECTION_KEYS, diag)
        key = keys.text(s, "nøkkel", diag, required=True)
        heading, per_malform = headings(doc, s, diag, malform)
        # The conclusion is the numbered list every case writes, unless the profile says otherwise.
        default_kind = "liste" if key and keys.fold(key) == "konklusjon" else "tekst"
        kind = keys.text(s, "type", diag) or default_kind
        if kind not in SECTION_KINDS:
            diag.error(s.loc("type"), "ugyldig-verdi", f"ukjent seksjonstype «{kind}»")
        required = s.get("påkrevd", False)
        if not isinstance(required, bool):
            diag.error(s.loc("påkrevd"), "feil-type", "«påkrevd» skal være true eller false")
            required = False
        if key and heading:
            if any(keys.fold(r.key) == keys.fold(key) for r in result):
                diag.error(s.loc("nøkkel"), "dobbel-id", f"seksjonen «{key}» står to ganger")
            result.append(
                SectionDef(
                    key,
                    heading,
                    required,
                    keys.text(s, "veiledning", diag, one_line=False) or "",
                    kind,
                    per_malform,
                )
            )
    if not result:
        diag.error(f.loc("seksjoner"), "ugyldig-profil", "profilen har ingen seksjoner")
    return tuple(result)


def _standing(doc: Document, f: keys.Fields, diag: Collector) -> tuple[StandingItem, ...]:
    result = []
    for path, item in list_of_maps(doc, f, "standardsaker", diag):
        s = keys.normalise(doc, path, item, _STANDING_KEYS, diag)
        ident = keys.text(s, "id", diag, required=True)
        title = keys.text(s, "tittel", diag)  # else the texts table's (standardsak_<id>)
        sakstype = keys.text(s, "sakstype", diag) or "orientering"
        place = keys.text(s, "plassering", diag) or "først"
        if place not in ("først", "forst", "sist"):
            diag.error(s.loc("plassering"), "ugyldig-verdi", "«plassering» skal være først eller sist")
        if ident:
            result.append(StandingItem(ident, title or "", sakstype, place != "sist"))
    return tuple(result)


_AGENDA_KEYS = ["grupper"]


def _agenda_groups(doc: Document, f: keys.Fields, diag: Collector) -> tuple[str, ...]:
    """``sakliste: {grupper: [beslutning, orientering, diskusjon]}``: the agenda's groups."""
    value = f.get("sakliste")
    if value is None:
        return ()
    if not isinstance(value, dict):
        diag.error(f.loc("sakliste"), "feil-type", "«sakliste» skal ha nøkler (grupper:)")
        return ()
    s = keys.normalise(doc, f.vpath("sakliste"), value, _AGENDA_KEYS, diag)
    groups = s.get("grupper")
    if groups is None:
        return ()
    if not isinstance(groups, list):
        diag.error(s.loc("grupper"), "feil-type", "«grupper» skal være en liste med sakstyper")
        return ()
    result: list[str] = []
    for i, name in enumerate(groups):
        loc = doc.loc((*s.vpath("grupper"), i))
        if not isinstance(name, str) or name.strip() not in SAKSTYPER:
            close = keys.closest(str(name), SAKSTYPER)
            diag.error(
                loc,
                "ugyldig-verdi",
                f"gruppen «{name}» er ingen sakstype",
                f"mente du «{close}»?" if close else "bruk beslutning, orientering eller diskusjon",
            )
        elif name.strip() in result:
            diag.error(loc, "dobbel-id", f"gruppen «{name.strip()}» står to ganger")
        else:
            result.append(name.strip())
    return tuple(result)
