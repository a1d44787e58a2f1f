"""``saksgen check`` of the Word templates of the profiles in use, without docxtpl.

A template's Jinja is read the way docxtpl sees it: the text of each paragraph of the body,
headers and footers, with docxtpl's ``{%p``/``{%tr``/``{%tc``/``{%r`` tags as plain ``{%``.
Problems are located in the template file, with the part and paragraph in the message.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from lxml import etree

from saksgen.diagnostics import Collector, Location
from saksgen.load.keys import closest
from saksgen.load.profiles import BUILTIN_DIR, Profile
from saksgen.templates.variables import variables

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARTS = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")
_DOCXTPL_TAG = re.compile(r"(\{[%{])\s*(?:p|tr|tc|r)\s")
INNHOLD = "{{ innhold }}"
# Filters, tests and globals Jinja itself provides are not template variables.
_JINJA_GLOBALS = {"range", "dict", "lipsum", "cycler", "joiner", "namespace", "loop"}


def display(path: Path, root: Path) -> str:
    try:
        return "<innebygd>/maler/" + path.resolve().relative_to(BUILTIN_DIR.resolve()).as_posix()
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def paragraphs(template: Path) -> list[tuple[str, int, str]]:
    """(part, paragraph number from 1, text) of every paragraph that Jinja would see."""
    out = []
    with zipfile.ZipFile(template) as z:
        for name in sorted(z.namelist(), key=lambda n: (n != "word/document.xml", n)):
            if not _PARTS.match(name):
                continue
            root = etree.fromstring(z.read(name))
            for i, p in enumerate(root.iter(f"{W}p"), 1):
                text = "".join(t.text or "" for t in p.iter(f"{W}t"))
                out.append((name, i, text))
    return out


def _where(part: str, number: int, text: str) -> str:
    shown = text if len(text) <= 60 else text[:57] + "…"
    return f"{part}, avsnitt {number}: «{shown}»"


def check_template(template: Path, name: str, profile: Profile | None, root: Path, diag: Collector) -> None:
    import jinja2
    from jinja2 import meta

    where = Location(display(template, root))
    try:
        paras = paragraphs(template)
    except (OSError, zipfile.BadZipFile, KeyError, etree.LxmlError):
        diag.error(where, "mal-feil", f"kan ikke lese Word-malen {name}; er filen en gyldig .docx?")
        return
    source = "\n".join(_DOCXTPL_TAG.sub(r"\1 ", text) for _, _, text in paras)
    env = jinja2.Environment(autoescape=True)
    try:
        ast = env.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        line = min(max(exc.lineno, 1), len(paras)) if paras else 0
        at = f" ({_where(*paras[line - 1])})" if paras else ""
        diag.error(
            where,
            "mal-syntaks",
            f"Jinja-feil i Word-malen {name}{at}: {_norwegian(exc)}",
            "hver {{ … }} og {% … %} må lukkes, og hver {% if %}/{% for %} "
            "trenger sin {% endif %}/{% endfor %}",
        )
        return
    known = variables(name, profile)
    for var in sorted(meta.find_undeclared_variables(ast) - _JINJA_GLOBALS):
        if var in known:
            continue
        hint = closest(var, list(known))
        found = next((p for p in paras if var in p[2]), None)
        diag.warning(
            where,
            "ukjent-malfelt",
            f"Word-malen {name} bruker «{var}», som saksgen ikke gir den"
            + (f" ({_where(*found)})" if found else "")
            + "; den blir tom",
            f"mente du «{hint}»?" if hint else f"kjente variabler: {', '.join(sorted(known))}",
        )
    if name == "mal.docx" and not any(
        part == "word/document.xml" and text.strip() == INNHOLD for part, _, text in paras
    ):
        diag.error(
            where,
            "mal-innhold",
            "mal.docx mangler et avsnitt som bare er {{ innhold }}; der settes avsnittene inn",
            "skriv {{ innhold }} alene i et eget avsnitt i brødteksten, etter tittelen",
        )


def _norwegian(exc: Exception) -> str:
    """Jinja's messages are English; name the usual ones in Norwegian, keep the rest's gist."""
    text = str(exc)
    for pattern, norsk in (
        (r"unexpected end of template", "malen slutter før en {% … %}-blokk er lukket"),
        (r"unexpected '}'", "en «}» for mye eller en «{» for lite"),
        (r"unexpected char", "et tegn som ikke hører hjemme i en {{ … }}"),
        (r"Encountered unknown tag '(\w+)'", r"ukjent kode «\1»"),
        (r"unexpected '(.*)'", r"uventet «\1»"),
        (r"expected token '(.*)', got '(.*)'", r"ventet «\1», fant «\2»"),
        (r"tag name expected", "mangler navnet på koden etter {%"),
    ):
        m = re.search(pattern, text)
        if m:
            return m.expand(norsk)
    return "ugyldig {{ … }}- eller {% … %}-kode"


def templates_of(profiles: Iterable[Profile], *, meetings: bool) -> list[tuple[Path, str, Profile]]:
    """Each template the given profiles use, once: mal.docx, and for meetings the agenda's and
    (if present) the protokoll's."""
    seen: dict[Path, tuple[Path, str, Profile]] = {}
    for profile in profiles:
        found = [(profile.template, "mal.docx")]
        if meetings:
            found.append((profile.agenda_template, "sakliste.docx"))
            protokoll = profile.shared_template("protokoll.docx")
            if protokoll.exists():
                found.append((protokoll, "protokoll.docx"))
        for path, name in found:
            if path.is_file():
                seen.setdefault(path.resolve(), (path, name, profile))
    return list(seen.values())


def check_templates(
    case_profiles: Iterable[Profile], meeting_profiles: Iterable[Profile], root: Path, diag: Collector
) -> None:
    meeting_list = list(meeting_profiles)
    todo = templates_of(meeting_list, meetings=True)
    done = {p.resolve() for p, _, _ in todo}
    todo += [t for t in templates_of(case_profiles, meetings=False) if t[0].resolve() not in done]
    for path, name, profile in todo:
        check_template(path, name, profile, root, diag)
