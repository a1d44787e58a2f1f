"""A case file against its profile -> ``Case``: header fields, sections, attachments, images.

Every problem is reported to the collector; None only when the input is too broken to build a
model at all. Nothing here needs pandoc or LibreOffice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from saksgen.diagnostics import Collector, Location
from saksgen.load import keys
from saksgen.load.document import Document
from saksgen.load.profiles import Profile
from saksgen.model import Attachment, Case, Section
from saksgen.norsk import format_date
from saksgen.resolve.references import scan_case
from saksgen.validate.fields import (
    ATTACHMENT_FIELDS,
    CASE_FIELDS,
    key_names,
    read_fields,
)
from saksgen.validate.files import check_file
from saksgen.validate.mistakes import (
    check_bare_attachment,
    check_conclusion_item,
    check_markdown,
    check_scalars,
)
from saksgen.validate.values import (
    MAX_SECTION_CHARS,
    is_placeholder,
    parse_date,
)


def validate_case(doc: Document, profiles: dict[str, Profile], root: Path, diag: Collector) -> Case | None:
    if not isinstance(doc.data, dict):
        diag.error(doc.loc(), "feil-type", "en saksfil skal bestå av nøkler (møte:, tittel:, …)")
        return None
    check_scalars(doc, diag)
    profile_hint = doc.data.get("møte", doc.data.get("mote"))
    profile = profiles.get(profile_hint) if isinstance(profile_hint, str) else None
    known = key_names(CASE_FIELDS)
    folded = {keys.fold(k) for k in known}
    for p in [profile] if profile else profiles.values():
        for key in [s.key for s in p.sections] + [d.key for d in p.fields]:
            if keys.fold(key) not in folded:
                known.append(key)
                folded.add(keys.fold(key))
    f = keys.normalise(doc, (), doc.data, known, diag)
    v = read_fields(doc, f, CASE_FIELDS, diag, profiles=profiles)
    profile, ident, title, fra, date = v["møte"], v["id"], v["tittel"], v["fra"], v["dato"]
    sakstype = v["sakstype"]
    if profile is None:
        return None
    malform = v["målform"]
    extra = _own_fields(doc, f, profile, diag)
    headings = profile.texts_in(malform).malform
    sections, texts = _sections(doc, f, profile, sakstype or profile.default_sakstype, diag, headings)
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
        id=ident,
        source=doc,
        profile=profile,
        title=title,
        public_title=v["offentlig_tittel"],
        sakstype=sakstype or profile.default_sakstype,
        til=v["til"] or profile.til,
        fra=fra,
        saksbehandler=v["saksbehandler"],
        date=date,
        exempt=v["unntatt_offentlighet"],
        presenter=v["presenteres_av"],
        explicit_number=v["saksnummer"],
        sections=tuple(sections),
        attachments=tuple(attachments),
        images=tuple(images),
        labels=tuple(scan.labels),
        references=tuple(scan.references),
        malform=malform,
        extra=extra,
    )


def _own_fields(
    doc: Document, f: keys.Fields, profile: Profile, diag: Collector
) -> tuple[tuple[str, str], ...]:
    """The profile's own header fields (``felt:``), as the template prints them."""
    out = []
    for d in profile.fields:
        if d.kind == "dato":
            day = parse_date(doc, f, d.key, diag) if f.get(d.key) is not None else None
            value = format_date(day) if day else ""
            if d.required and f.get(d.key) is None:
                diag.error(f.loc(), "mangler-felt", f"mangler påkrevd felt «{d.key}» ({d.label})")
        else:
            value = keys.text(f, d.key, diag, required=d.required) or ""
        out.append((d.key, value))
    return tuple(out)


def _sections(
    doc: Document, f: keys.Fields, profile: Profile, sakstype: str, diag: Collector, malform: str
) -> tuple[list[Section], list[tuple[tuple[Any, ...], str]]]:
    sections: list[Section] = []
    texts: list[tuple[tuple[Any, ...], str]] = []
    for sdef in profile.sections:
        if sdef.kind == "vedlegg":
            continue  # attachments are a structured list, see _attachments
        value = f.get(sdef.key)
        heading = sdef.heading_for(malform)
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
                    check_conclusion_item(doc, (*f.vpath(sdef.key), i), i + 1, diag)
                sections.append(
                    Section(
                        sdef.key,
                        heading,
                        "\n".join(t for _, t in real),
                        tuple(t for _, t in real),
                        where,
                    )
                )
        else:
            if value is not None and (isinstance(value, bool) or not isinstance(value, str | int | float)):
                diag.error(
                    where,
                    "feil-type",
                    f"avsnittet «{sdef.key}» skal være tekst, ikke {keys.type_name(value)}",
                    "skriv teksten etter «|» på linjen under, med innrykk",
                )
                continue
            text = "" if value is None else f.doc.as_text(f.vpath(sdef.key), value)
            if len(text) > MAX_SECTION_CHARS:
                diag.error(
                    where,
                    "for-stor",
                    f"avsnittet «{sdef.key}» er {len(text) // 1024} KiB; grensen er "
                    f"{MAX_SECTION_CHARS // 1024} KiB",
                    "legg lange tekster i et vedlegg",
                )
                continue
            if not text.strip() or is_placeholder(text):
                empty_kind = "tom" if sdef.key in f else "mangler"
                if text.strip():
                    empty_where = _text_start(doc, f.vpath(sdef.key), text)
                elif sdef.key in f:
                    empty_where = f.loc(sdef.key, key=True)
            else:
                texts.append((f.vpath(sdef.key), text))
                check_markdown(doc, f.vpath(sdef.key), text, diag)
                sections.append(Section(sdef.key, heading, text, (), where))
        if empty_kind and sdef.required:
            if empty_kind == "mangler":
                diag.error(
                    where,
                    "mangler-avsnitt",
                    f"mangler påkrevd avsnitt «{sdef.heading}» ({sdef.key})",
                    sdef.guidance or None,
                )
            else:
                diag.error(
                    empty_where,
                    "tom-avsnitt",
                    f"det påkrevde avsnittet «{sdef.heading}» ({sdef.key}) er tomt "
                    "eller bare plassholdertekst",
                    sdef.guidance or None,
                )
    return sections, texts


def _text_start(doc: Document, path: tuple[Any, ...], text: str) -> Location:
    """Where the first non-blank character of a text value stands."""
    return doc.text_loc(path, len(text) - len(text.lstrip()))


def _list_items(f: keys.Fields, name: str, diag: Collector) -> list[tuple[int, str]] | None:
    value = f.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        diag.error(
            f.loc(name),
            "feil-type",
            f"«{name}» skal være en liste med punkter",
            "skriv hvert punkt på egen linje som begynner med «- »",
        )
        return None
    if not isinstance(value, list):
        diag.error(f.loc(name), "feil-type", f"«{name}» skal være en liste, ikke {keys.type_name(value)}")
        return None
    items = []
    for i, item in enumerate(value):
        if item is None or isinstance(item, bool) or not isinstance(item, str | int | float):
            diag.error(
                f.doc.loc((*f.vpath(name), i)), "feil-type", f"punkt {i + 1} i «{name}» skal være tekst"
            )
            continue
        items.append((i, f.doc.as_text((*f.vpath(name), i), item)))
    return items


def _attachments(doc: Document, f: keys.Fields, root: Path, diag: Collector) -> list[Attachment]:
    value = f.get("vedlegg")
    if value is None:
        return []
    if not isinstance(value, list):
        diag.error(
            f.loc("vedlegg"),
            "feil-type",
            "«vedlegg» skal være en liste",
            "skriv hvert vedlegg som «- tittel: …»",
        )
        return []
    result: list[Attachment] = []
    ids: dict[str, Location] = {}
    for i, item in enumerate(value):
        path = (*f.vpath("vedlegg"), i)
        loc = doc.loc(path)
        if isinstance(item, str) and item.strip():
            check_bare_attachment(loc, item.strip(), diag)
            result.append(Attachment(len(result) + 1, None, item.strip(), None, None, None, loc))
            continue
        if not isinstance(item, dict):
            diag.error(loc, "feil-type", f"vedlegg {i + 1} skal ha tittel (og ev. id og fil)")
            continue
        a = keys.normalise(doc, path, item, key_names(ATTACHMENT_FIELDS), diag)
        av = read_fields(doc, a, ATTACHMENT_FIELDS, diag)
        title, ident, exempt, raw = av["tittel"], av["id"], av["unntatt_offentlighet"], av["fil"]
        if ident is not None:
            if ident in ids:
                diag.error(
                    a.loc("id"),
                    "dobbel-id",
                    f"vedlegget «{ident}» står to ganger (første gang på linje {ids[ident].line})",
                )
            else:
                ids[ident] = a.loc("id")
        file = None
        if raw is not None:
            file = check_file(root, raw, a.loc("fil"), "vedlegg", diag)
        if title:
            result.append(Attachment(len(result) + 1, ident, title, file, raw, exempt, loc))
    return result
