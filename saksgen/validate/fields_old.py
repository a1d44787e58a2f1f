"""Validate loaded YAML against its profile and build the model (``Case``, ``Meeting``).

Every problem is reported to the collector; a function returns None only when the input is too
broken to build a model at all. Nothing here needs pandoc or LibreOffice.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from saksgen.diagnostics import Collector, Location
from saksgen.load import keys
from saksgen.load.document import Document
from saksgen.load.profiles import SAKSTYPER, Profile
from saksgen.model import Attachment, Case, Meeting, MeetingItem, Section
from saksgen.resolve.references import scan_case
from saksgen.validate.files import check_file

CASE_HEADER_KEYS = [
    "møte", "tittel", "id", "saksnummer", "sakstype", "til", "fra", "saksbehandler", "dato",
    "unntatt_offentlighet", "offentlig_tittel", "presenteres_av",
]
MEETING_KEYS = ["møte", "dato", "tid", "sted", "første_saksnummer", "saker", "id"]
MEETING_ITEM_KEYS = ["sak", "tid", "presenteres_av", "saksnummer"]
ATTACHMENT_KEYS = ["id", "tittel", "fil", "unntatt_offentlighet"]

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MAX_SECTION_CHARS = 512 * 1024
"""A section above this size is refused (documented in README): write it as an attachment."""

# Template placeholders that mean "not written yet": [fylles inn], [...], XX, TODO, …
_PLACEHOLDER = r"\[[^\]\n]*\]|\bX{2,}\b|\bTODO\b|…|\.\.\.|\bxx+\b"
# A placeholder, or else one word character that no placeholder covers (group "real").
_PLACEHOLDER_OR_REAL = re.compile(_PLACEHOLDER + r"|(?P<real>\w)", re.I)
_HJEMMEL = re.compile(r"\boffl\.?\s*§+\s*\d+", re.I)
_NUMBER = re.compile(r"^\s*(\d{1,4})\s*(?:[/-]\s*(\d{4}|\d{2}))?\s*$")


def is_placeholder(text: str) -> bool:
    """True when ``text`` has nothing but template placeholders, markup and punctuation.

    Stops at the first real word, so ordinary section text costs almost nothing.
    """
    return not any(m.group("real") for m in _PLACEHOLDER_OR_REAL.finditer(text))


def parse_date(doc: Document, f: keys.Fields, name: str, diag: Collector) -> dt.date | None:
    value = f.get(name)
    if value is None:
        diag.error(f.loc(), "mangler-felt", f"mangler påkrevd felt «{name}»",
                   f"skriv f.eks. «{name}: 2024-03-06»")
        return None
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        diag.error(f.loc(name), "ugyldig-dato", f"«{text}» er ikke en dato på formen ÅÅÅÅ-MM-DD",
                   "skriv f.eks. 2024-03-06 (datoen skrives ut som «6. mars 2024»)")
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        diag.error(f.loc(name), "ugyldig-dato", f"datoen {text} finnes ikke i kalenderen")
        return None


def parse_exemption(f: keys.Fields, name: str, diag: Collector) -> str | None:
    """``false`` -> None; a legal basis citing offentleglova -> the basis; else an error."""
    value = f.get(name)
    if value is None or value is False:
        return None
    if isinstance(value, str) and value.strip().lower() in ("nei", "false", "no"):
        return None
    if value is True or (isinstance(value, str) and value.strip().lower() in ("ja", "true")):
        diag.error(f.loc(name), "mangler-hjemmel", "unntak fra offentlighet må ha en hjemmel",
                   "skriv f.eks. «offl. § 13 jf. fvl. § 13 første ledd nr. 1»")
        return None
    if not isinstance(value, str):
        diag.error(f.loc(name), "feil-type", f"«{name}» skal være false eller en hjemmel")
        return None
    text = " ".join(value.split())
    if not _HJEMMEL.search(text):
        diag.error(f.loc(name), "mangler-hjemmel",
                   f"«{text}» viser ikke til en paragraf i offentleglova",
                   "skriv hjemmelen som «offl. § 14» eller «offl. § 13 jf. fvl. § 13 …»")
        return None
    return text


def parse_number(f: keys.Fields, name: str, year: int, diag: Collector) -> tuple[int, int] | None:
    value = f.get(name)
    if value is None:
        return None
    m = _NUMBER.match(str(value)) if not isinstance(value, bool) else None
    if not m or int(m.group(1)) == 0:
        diag.error(f.loc(name), "ugyldig-saksnummer", f"«{value}» er ikke et saksnummer",
                   "skriv f.eks. «32/24», «32-2024» eller bare «32»")
        return None
    nr = int(m.group(1))
    if m.group(2):
        y = int(m.group(2))
        year = y + 2000 if y < 100 else y
    return nr, year


def _case_id(doc: Document, f: keys.Fields, diag: Collector) -> str | None:
    if "id" in f:
        ident = keys.text(f, "id", diag)
        if ident is not None and not ID_PATTERN.match(ident):
            diag.error(f.loc("id"), "ugyldig-id", f"id «{ident}» kan bare ha a–z, 0–9 og bindestrek")
            return None
        return ident
    stem = doc.path.stem
    if not ID_PATTERN.match(stem):
        diag.error(Location(doc.display, 1, 1), "ugyldig-id",
                   f"filnavnet «{stem}» kan ikke brukes som id (bare a–z, 0–9 og bindestrek)",
                   "gi filen et nytt navn, eller sett «id:» i filen")
        return None
    return stem


def resolve_profile(
    doc: Document, f: keys.Fields, profiles: dict[str, Profile], diag: Collector
) -> Profile | None:
    name = keys.text(f, "møte", diag, required=True)
    if name is None:
        return None
    if name not in profiles:
        close = keys.closest(name, profiles)
        hint = f"mente du «{close}»?" if close else "kjente møtetyper: " + ", ".join(profiles)
        diag.error(f.loc("møte"), "ukjent-profil", f"ukjent møtetype «{name}»", hint)
        return None
    return profiles[name]


def _not_placeholder(f: keys.Fields, name: str, value: str | None, diag: Collector) -> str | None:
    """A required header field left as the scaffold's ``[fylles inn: …]`` counts as missing."""
    if value is not None and is_placeholder(value):
        diag.error(f.loc(name), "mangler-felt", f"feltet «{name}» er bare plassholdertekst",
                   "erstatt teksten i [hakeparenteser] med det som skal stå")
        return None
    return value


def validate_case(
    doc: Document, profiles: dict[str, Profile], root: Path, diag: Collector
) -> Case | None:
    if not isinstance(doc.data, dict):
        diag.error(doc.loc(), "feil-type", "en saksfil skal bestå av nøkler (møte:, tittel:, …)")
        return None
    profile_hint = doc.data.get("møte", doc.data.get("mote"))
    profile = profiles.get(profile_hint) if isinstance(profile_hint, str) else None
    known = list(CASE_HEADER_KEYS)
    folded = {keys.fold(k) for k in known}
    for p in [profile] if profile else profiles.values():
        for s in p.sections:
            if keys.fold(s.key) not in folded:
                known.append(s.key)
                folded.add(keys.fold(s.key))
    f = keys.normalise(doc, (), doc.data, known, diag)
    profile = resolve_profile(doc, f, profiles, diag)
    ident = _case_id(doc, f, diag)
    title = _not_placeholder(f, "tittel", keys.text(f, "tittel", diag, required=True), diag)
    fra = _not_placeholder(f, "fra", keys.text(f, "fra", diag, required=True), diag)
    date = parse_date(doc, f, "dato", diag)
    exempt = parse_exemption(f, "unntatt_offentlighet", diag)
    public_title = keys.text(f, "offentlig_tittel", diag)
    sakstype = keys.text(f, "sakstype", diag)
    if sakstype is not None and sakstype not in SAKSTYPER:
        diag.error(f.loc("sakstype"), "ugyldig-verdi", f"ukjent sakstype «{sakstype}»",
                   "bruk beslutning, orientering eller diskusjon")
    til = keys.text(f, "til", diag)
    saksbehandler = keys.text(f, "saksbehandler", diag)
    presenter = keys.text(f, "presenteres_av", diag)
    number = parse_number(f, "saksnummer", date.year if date else 2000, diag)
    if profile is None:
        return None
    sections, texts = _sections(doc, f, profile, sakstype or profile.default_sakstype, diag)
    attachments = _attachments(doc, f, root, diag)
    scan = scan_case(doc, texts, diag)
    images = []
    for use in scan.images:
        path = check_file(root, use.src, use.location, "bilde", diag)
        if path is not None:
            images.append(path)
    if None in (ident, title, fra, date):
        return None
    assert ident and title and fra and date
    return Case(
        id=ident, source=doc, profile=profile, title=title, public_title=public_title,
        sakstype=sakstype or profile.default_sakstype, til=til or profile.til, fra=fra,
        saksbehandler=saksbehandler, date=date, exempt=exempt, presenter=presenter,
        explicit_number=number, sections=tuple(sections), attachments=tuple(attachments),
        images=tuple(images), labels=tuple(scan.labels), references=tuple(scan.references),
    )


def _sections(
    doc: Document, f: keys.Fields, profile: Profile, sakstype: str, diag: Collector
) -> tuple[list[Section], list[tuple[tuple[Any, ...], str]]]:
    sections: list[Section] = []
    texts: list[tuple[tuple[Any, ...], str]] = []
    for sdef in profile.sections:
        if sdef.kind == "vedlegg":
            continue  # attachments are a structured list, see _attachments
        value = f.get(sdef.key)
        where = f.loc(sdef.key) if sdef.key in f else f.loc()
        empty_kind = None
        empty_where = where  # the placeholder text itself, or the key of an empty value
        if sdef.kind == "liste":
            items = _list_items(f, sdef.key, diag)
            if items is None:
                continue
            real = [(i, t) for i, t in items if not is_placeholder(t)]
            if not real:
                empty_kind = "tom" if sdef.key in f else "mangler"
                if items:
                    empty_where = _text_start(doc, (*f.vpath(sdef.key), items[0][0]), items[0][1])
                elif sdef.key in f:
                    empty_where = f.loc(sdef.key, key=True)
            else:
                for i, t in real:
                    texts.append(((*f.vpath(sdef.key), i), t))
                sections.append(Section(sdef.key, sdef.heading, "\n".join(t for _, t in real),
                                        tuple(t for _, t in real), where))
        else:
            if value is not None and (isinstance(value, bool) or not isinstance(value, str | int | float)):
                diag.error(where, "feil-type",
                           f"avsnittet «{sdef.key}» skal være tekst, ikke {keys.type_name(value)}",
                           "skriv teksten etter «|» på linjen under, med innrykk")
                continue
            text = "" if value is None else f.doc.as_text(f.vpath(sdef.key), value)
            if len(text) > MAX_SECTION_CHARS:
                diag.error(where, "for-stor",
                           f"avsnittet «{sdef.key}» er {len(text) // 1024} KiB; grensen er "
                           f"{MAX_SECTION_CHARS // 1024} KiB", "legg lange tekster i et vedlegg")
                continue
            if not text.strip() or is_placeholder(text):
                empty_kind = "tom" if sdef.key in f else "mangler"
                if text.strip():
                    empty_where = _text_start(doc, f.vpath(sdef.key), text)
                elif sdef.key in f:
                    empty_where = f.loc(sdef.key, key=True)
            else:
                texts.append((f.vpath(sdef.key), text))
                sections.append(Section(sdef.key, sdef.heading, text, (), where))
        if empty_kind and sdef.required:
            if empty_kind == "mangler":
                diag.error(where, "mangler-avsnitt",
                           f"mangler påkrevd avsnitt «{sdef.heading}» ({sdef.key})",
                           sdef.guidance or None)
            else:
                diag.error(empty_where, "tom-avsnitt",
                           f"det påkrevde avsnittet «{sdef.heading}» ({sdef.key}) er tomt "
                           "eller bare plassholdertekst", sdef.guidance or None)
    return sections, texts


def _text_start(doc: Document, path: tuple[Any, ...], text: str) -> Location:
    """Where the first non-blank character of a text value stands."""
    return doc.text_loc(path, len(text) - len(text.lstrip()))


def _list_items(f: keys.Fields, name: str, diag: Collector) -> list[tuple[int, str]] | None:
    value = f.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        diag.error(f.loc(name), "feil-type", f"«{name}» skal være en liste med punkter",
                   "skriv hvert punkt på egen linje som begynner med «- »")
        return None
    if not isinstance(value, list):
        diag.error(f.loc(name), "feil-type", f"«{name}» skal være en liste, ikke {keys.type_name(value)}")
        return None
    items = []
    for i, item in enumerate(value):
        if item is None or isinstance(item, bool) or not isinstance(item, str | int | float):
            diag.error(f.doc.loc((*f.vpath(name), i)), "feil-type",
                       f"punkt {i + 1} i «{name}» skal være tekst")
            continue
        items.append((i, f.doc.as_text((*f.vpath(name), i), item)))
    return items


def _attachments(doc: Document, f: keys.Fields, root: Path, diag: Collector) -> list[Attachment]:
    value = f.get("vedlegg")
    if value is None:
        return []
    if not isinstance(value, list):
        diag.error(f.loc("vedlegg"), "feil-type", "«vedlegg» skal være en liste",
                   "skriv hvert vedlegg som «- tittel: …»")
        return []
    result: list[Attachment] = []
    ids: dict[str, Location] = {}
    for i, item in enumerate(value):
        path = (*f.vpath("vedlegg"), i)
        loc = doc.loc(path)
        if isinstance(item, str) and item.strip():
            result.append(Attachment(len(result) + 1, None, item.strip(), None, None, None, loc))
            continue
        if not isinstance(item, dict):
            diag.error(loc, "feil-type", f"vedlegg {i + 1} skal ha tittel (og ev. id og fil)")
            continue
        a = keys.normalise(doc, path, item, ATTACHMENT_KEYS, diag)
        title = keys.text(a, "tittel", diag, required=True)
        ident = keys.text(a, "id", diag)
        if ident is not None:
            if not ID_PATTERN.match(ident):
                diag.error(a.loc("id"), "ugyldig-id", f"id «{ident}» kan bare ha a–z, 0–9 og bindestrek")
            elif ident in ids:
                diag.error(a.loc("id"), "dobbel-id", f"vedlegget «{ident}» står to ganger "
                           f"(første gang på linje {ids[ident].line})")
            else:
                ids[ident] = a.loc("id")
        exempt = parse_exemption(a, "unntatt_offentlighet", diag)
        file = None
        raw = keys.text(a, "fil", diag)
        if raw is not None:
            file = check_file(root, raw, a.loc("fil"), "vedlegg", diag)
        if title:
            result.append(Attachment(len(result) + 1, ident, title, file, raw, exempt, loc))
    return result


def validate_meeting(
    doc: Document, profiles: dict[str, Profile], cases: dict[str, Case | None], diag: Collector
) -> Meeting | None:
    """``cases`` maps every known case id to its Case (None when the case failed validation)."""
    if not isinstance(doc.data, dict):
        diag.error(doc.loc(), "feil-type", "en møtefil skal bestå av nøkler (møte:, dato:, saker:)")
        return None
    f = keys.normalise(doc, (), doc.data, MEETING_KEYS, diag)
    profile = resolve_profile(doc, f, profiles, diag)
    date = parse_date(doc, f, "dato", diag)
    time = keys.text(f, "tid", diag)
    place = keys.text(f, "sted", diag)
    ident = _case_id(doc, f, diag)
    first = f.get("første_saksnummer", 1)
    if isinstance(first, bool) or not isinstance(first, int) or first < 1:
        diag.error(f.loc("første_saksnummer"), "feil-type", "«første_saksnummer» skal være et heltall fra 1")
        first = 1
    raw_items = f.get("saker")
    if raw_items is None:
        diag.error(f.loc(), "mangler-felt", "mangler påkrevd felt «saker»")
        raw_items = []
    elif not isinstance(raw_items, list):
        diag.error(f.loc("saker"), "feil-type", "«saker» skal være en liste med saks-id-er")
        raw_items = []
    if profile is None or date is None or ident is None:
        return None
    year = date.year
    entries: list[dict[str, Any]] = []
    seen_cases: dict[str, Location] = {}
    for i, raw in enumerate(raw_items):
        path = (*f.vpath("saker"), i)
        loc = doc.loc(path)
        if isinstance(raw, str):
            item = keys.Fields(doc, path, {"sak": raw}, {})
        elif isinstance(raw, dict):
            item = keys.normalise(doc, path, raw, MEETING_ITEM_KEYS, diag)
        else:
            diag.error(loc, "feil-type", f"sak {i + 1} skal være en saks-id eller nøkler (sak:, tid:)")
            continue
        case_id = keys.text(item, "sak", diag, required=True)
        if case_id is None:
            continue
        if case_id in seen_cases:
            diag.error(loc, "dobbel-id", f"saken «{case_id}» står to ganger i sakslisten "
                       f"(første gang på linje {seen_cases[case_id].line})")
            continue
        seen_cases[case_id] = loc
        if case_id not in cases:
            close = keys.closest(case_id, cases)
            diag.error(loc, "ukjent-sak", f"saken «{case_id}» finnes ikke i saker/",
                       f"mente du «{close}»?" if close else None)
            continue
        case = cases[case_id]
        if case is not None and case.profile.id != profile.id:
            diag.error(loc, "feil-møtetype",
                       f"saken «{case_id}» er skrevet for «{case.profile.id}», ikke «{profile.id}»",
                       f"endre «møte:» i {case.display} eller flytt saken til riktig møte")
            continue
        entries.append({
            "case": case_id, "loc": loc,
            "number_loc": item.loc("saksnummer") if "saksnummer" in item else loc,
            "number": parse_number(item, "saksnummer", year, diag),
            "time": keys.text(item, "tid", diag),
            "presenter": keys.text(item, "presenteres_av", diag)
            or (case.presenter if case else None),
        })
    items = _number_items(profile, entries, first, year, doc, diag)
    for item in items:
        case = cases.get(item.case_id) if item.case_id else None
        if case is not None and case.explicit_number and case.explicit_number != item.number:
            own = profile.number(*case.explicit_number)
            diag.warning(item.location, "saksnummer-avvik",
                         f"saken «{case.id}» har {own} i saksfilen, men får "
                         f"{profile.number(*item.number)} i dette møtet",
                         "fjern «saksnummer» fra saksfilen, eller sett det samme nummeret her")
    return Meeting(ident, doc, profile, date, time, place, tuple(items))


def _number_items(
    profile: Profile, entries: list[dict[str, Any]], first: int, year: int,
    doc: Document, diag: Collector,
) -> list[MeetingItem]:
    """Standing items first/last, cases between; explicit numbers win, the rest run on."""
    loc = doc.loc()
    rows: list[dict[str, Any]] = [
        {"standing": s.title, "loc": loc, "number": None} for s in profile.standing if s.first
    ]
    rows += entries
    rows += [{"standing": s.title, "loc": loc, "number": None} for s in profile.standing if not s.first]
    items: list[MeetingItem] = []
    used: dict[tuple[int, int], Location] = {}
    next_nr = first
    for row in rows:
        number = row["number"] or (next_nr, year)
        if number in used:
            diag.error(row.get("number_loc", row["loc"]), "dobbelt-saksnummer",
                       f"saksnummer {profile.number(*number)} er brukt to ganger "
                       f"(også på linje {used[number].line})")
        used[number] = row["loc"]
        if number[1] == year:
            next_nr = max(next_nr, number[0] + 1)
        items.append(MeetingItem(number, row.get("case"), row.get("standing"), row.get("time"),
                                 row.get("presenter"), row["loc"]))
    return items
