"""``saksgen importer FIL.docx``: an existing Word paper -> ``saker/<id>.yaml`` (DESIGN §15).

Every check that can fail runs before anything is written; then the images and the case file,
each atomically.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from saksgen.commands.scaffold import _slug, profiles_or_fail
from saksgen.diagnostics import Collector, Location
from saksgen.errors import UsageError
from saksgen.ids import ID_PATTERN
from saksgen.importer import ast, detect, images, lists
from saksgen.importer.header import parse_date, parse_exemption
from saksgen.importer.headings import profile_sections
from saksgen.importer.reader import (
    ImportFailed,
    TrackedChanges,
    check_container,
    read_ast,
    write_markdown,
)
from saksgen.importer.structure import analyse, heading_text
from saksgen.importer.yamlout import case_yaml
from saksgen.write import write_bytes

PLACEHOLDER = "[fylles inn]"


@dataclass
class ImportOptions:
    root: Path
    source: str
    profile: str | None = None
    ident: str | None = None
    accept_changes: bool = False
    force: bool = False


@dataclass
class ImportResult:
    path: str
    diagnostics: list[Any] = field(default_factory=list)


def run_import(opts: ImportOptions) -> ImportResult:
    display = opts.source
    path = Path(opts.source)
    if not path.is_absolute():
        path = opts.root / path
    diag = Collector()
    info = check_container(path, display)
    if info.tracked_changes and not opts.accept_changes:
        raise TrackedChanges(
            f"dokumentet har {info.tracked_changes} sporede endringer; godta eller avvis dem i Word "
            "først, eller kjør med --godta-endringer",
            Location(display),
        )
    for n, comment in enumerate(info.comments, start=1):
        diag.warning(
            Location(f"{display}: kommentar {n}"), "word-kommentar", f"kommentaren er utelatt: «{comment}»"
        )
    profiles = profiles_or_fail(opts.root)
    if opts.profile is not None and opts.profile not in profiles:
        raise UsageError(f"ukjent møtetype «{opts.profile}»; kjente: {', '.join(sorted(profiles))}")
    with tempfile.TemporaryDirectory(prefix="saksgen-import-") as tmp:
        media = Path(tmp) / "media"
        doc = read_ast(path, display, media, opts.accept_changes)
        blocks = doc.get("blocks") or []
        if not ast.text(blocks).strip() and not _has_images(blocks):
            raise ImportFailed("dokumentet har ingen tekst", Location(display))
        blocks = ast.clean(blocks)
        if doc.get("meta", {}).get("title"):  # Word's Title style reaches pandoc as metadata
            blocks = [{"t": "Para", "c": doc["meta"]["title"]["c"]}, *blocks]
        sections = {pid: profile_sections(p) for pid, p in profiles.items()}
        pid = opts.profile or _detect(profiles, sections, blocks)
        if pid is None:
            raise UsageError(
                f"{display}: fant ikke møtetypen i dokumentet; oppgi den med --profil "
                f"({', '.join(sorted(profiles))})"
            )
        profile = profiles[pid]
        defs = sections[pid]
        fallback = next((s.key for s in defs if s.kind == "tekst"), defs[0].key)
        paper = analyse(blocks, defs, fallback)
        for n, message in paper.warnings:
            code = "ingen-overskrifter" if paper.matched == 0 else "ukjent-overskrift"
            diag.warning(Location(f"{display}: avsnitt {n}"), code, message)
        title = paper.title
        ident = opts.ident or (_slug(title) if title else path.stem.lower())
        if not ID_PATTERN.match(ident):
            if opts.ident:
                raise UsageError(f"id «{ident}» kan bare ha a–z, 0–9 og bindestrek")
            ident = _slug(ident)
        target = opts.root / "saker" / f"{ident}.yaml"
        if target.exists() and not opts.force:
            raise UsageError(f"saker/{ident}.yaml finnes allerede; velg en annen --id eller bruk --tving")
        writes = images.plan(blocks, media, opts.root, ident)
        api = doc.get("pandoc-api-version", [1, 23])
        fields = _fields(paper, profile, title, display, diag)
        values: list[tuple[str, Any]] = []
        for s in defs:
            body = paper.sections.get(s.key)
            if s.kind == "tekst":
                text = write_markdown(body, api) if body else ""
                if text:
                    values.append((s.key, text))
                elif s.required:
                    values.append((s.key, PLACEHOLDER))
                continue

            def md(b: list[Any]) -> str:
                return write_markdown(b, api)

            if s.kind == "liste":
                items, left_out = lists.list_items(body or [], md)
                if items or s.required:
                    values.append((s.key, items or [PLACEHOLDER]))
            else:
                entries, left_out = lists.attachments(body or [], md)
                if entries:
                    values.append((s.key, entries))
            if left_out:
                diag.warning(
                    Location(display),
                    "utelatt-innhold",
                    f"{left_out} blokker under «{s.headings[0]}» er ikke en liste og er utelatt",
                )
        text = case_yaml(fields, values)
        images.write(writes)
    write_bytes(target, text.encode("utf-8"))
    return ImportResult(f"saker/{ident}.yaml", diag.items)


def _has_images(blocks: list[Any]) -> bool:
    found: list[Any] = []
    images.collect(blocks, found)
    return bool(found)


def _detect(profiles: dict[str, Any], sections: dict[str, Any], blocks: list[Any]) -> str | None:
    probe = analyse(blocks, next(iter(sections.values())), next(iter(sections.values()))[0].key)
    heads = [h[0] for b in blocks if (h := heading_text(b))]
    meeting = probe.case_line[0] if probe.case_line else None
    return detect.choose(profiles, sections, meeting, probe.header.get("til"), heads)


def _fields(paper: Any, profile: Any, title: str | None, display: str, diag: Collector) -> dict[str, Any]:
    h = paper.header
    where = Location(display)
    fields: dict[str, Any] = {"møte": profile.id, "tittel": title or PLACEHOLDER}
    if paper.malform and paper.malform != profile.malform:
        fields["målform"] = paper.malform
    if not title:
        diag.warning(where, "mangler-i-dokumentet", "fant ingen tittel; skrevet som [fylles inn]")
    if paper.case_line and paper.case_line[1]:
        fields["saksnummer"] = paper.case_line[1]
    til = h.get("til")
    if til and til != profile.til:
        fields["til"] = til
    fields["fra"] = h.get("fra") or PLACEHOLDER
    if "fra" not in h:
        diag.warning(where, "mangler-i-dokumentet", "fant ingen «Fra»-linje; skrevet som [fylles inn]")
    if h.get("saksbehandler"):
        fields["saksbehandler"] = h["saksbehandler"]
    date = parse_date(h.get("dato", ""))
    fields["dato"] = date.isoformat() if date else PLACEHOLDER
    if date is None:
        diag.warning(
            where,
            "mangler-i-dokumentet",
            f"fant ingen dato å lese («{h.get('dato', '')}»); skrevet som [fylles inn]",
        )
    exempt = parse_exemption(h["unntatt_offentlighet"]) if "unntatt_offentlighet" in h else False
    if exempt is None:
        diag.warning(
            where,
            "mangler-i-dokumentet",
            f"kan ikke lese hjemmelen i «{h['unntatt_offentlighet']}»; skrevet som [fylles inn]",
        )
        exempt = PLACEHOLDER
    fields["unntatt_offentlighet"] = exempt
    return fields
