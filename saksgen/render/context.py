"""What a paper's Word template receives, its core properties, and its bookmark names."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from saksgen.model import Case
from saksgen.norsk import format_date
from saksgen.plan.outputs import Paper
from saksgen.render.ooxml import CoreProps

if TYPE_CHECKING:
    pass


def bookmark(case: Case, kind: str, ident: str) -> str:
    """Hidden Word bookmark name (``_Ref…``), unique across every case of a combined pack."""
    digest = hashlib.sha1(f"{case.id}|{kind}|{ident}".encode()).hexdigest()[:12]
    return f"_Ref{digest}"


def paper_number_text(paper: Paper) -> str:
    return paper.case.profile.number(*paper.nr_year)


def template_context(paper: Paper) -> dict[str, Any]:
    case = paper.case
    profile = case.profile
    nr, year = paper.nr_year
    texts = case.texts
    own = dict(case.extra)
    context: dict[str, Any] = {
        **own,
        "til": case.til,
        "fra": case.fra,
        "dato": format_date(case.date),
        "saksbehandler": case.saksbehandler or "",
        "unntatt": texts("svar_ja", hjemmel=case.exempt) if case.exempt else texts("svar_nei"),
        "unntatt_merking": texts("unntatt_merking", hjemmel=case.exempt) if case.exempt else "",
        "sakslinje": profile.line(nr, year),
        "saksnummer": profile.number(nr, year),
        "tittel": case.title,
        "motenavn": profile.name,
        "malform": texts.malform,
        "tekst": texts.as_dict(),
        "felt": [{"nokkel": d.key, "etikett": d.label, "verdi": own.get(d.key, "")} for d in profile.fields],
    }
    return context


def core_props(paper: Paper) -> CoreProps:
    case = paper.case
    return CoreProps(
        title=case.title,
        subject=paper_number_text(paper),
        author=case.fra,
        category=case.profile.name,
        date=case.date,
        language=case.texts.lang,
    )
