"""THE table of Word templates: each template's file name -> the variables it receives.

Rendering (render/context.py, render/agenda.py, …) and ``saksgen check`` (templates/check.py)
read the same table, and the README documents it (``python -m saksgen.templates.variables``).
A helper adding a template or a variable adds it here.
"""

from __future__ import annotations

from collections.abc import Mapping

from saksgen.load.profiles import Profile

# name -> Norwegian description (README)
PAPER: dict[str, str] = {
    "til": "mottaker («RHF IKT/fagdirektørmøtet»)",
    "fra": "avsender («Helse Vest RHF»)",
    "dato": "sakens dato, skrevet ut («6. mars 2024»)",
    "saksbehandler": "saksbehandlerens navn (kan være tomt)",
    "unntatt": "«Nei» eller «Ja, jf. <hjemmel>» (i sakens målform)",
    "unntatt_merking": "«Unntatt offentlighet, jf. <hjemmel>» eller tomt (topptekst på hver side)",
    "sakslinje": "møtenavn og saksnummer («IKT/fagdirektørmøte – Sak 32/24»)",
    "saksnummer": "saksnummeret («Sak 32/24», eller plassholderen «Sak XX/24»)",
    "tittel": "sakens tittel",
    "motenavn": "møtetypens navn («RHF IKT/fagdirektørmøte»)",
    "malform": "«bokmål» eller «nynorsk»",
    "tekst": "teksttabellen i sakens målform: {{ tekst.til }}, {{ tekst.fra }}, {{ tekst.dato }} …",
    "felt": "profilens egne felt som liste: {% for f in felt %}{{ f.etikett }}: {{ f.verdi }}{% endfor %}",
    "innhold": "stedet for avsnittene: et eget avsnitt som bare er {{ innhold }}",
}

AGENDA: dict[str, str] = {
    "motenavn": "møtetypens navn",
    "dato": "møtedatoen, skrevet ut",
    "tid": "tidspunkt (kan være tomt)",
    "sted": "møtested (kan være tomt)",
    "offentlig": "true i den offentlige sakslisten",
    "undertittel": "møtenavn, dato, klokkeslett og sted på én linje",
    "forklaring": "forklaringen av sakstypebokstavene («B = beslutningssak, …»)",
    "gruppert": "true når profilen grupperer sakslisten (sakliste: {grupper: …})",
    "saker": "radene: nummer, type, tittel, tid, presenteres_av, merking, ettersendes, gruppe "
    "(en rad med gruppe er en gruppeoverskrift)",
    "malform": "«bokmål» eller «nynorsk»",
    "tekst": "teksttabellen i møtets målform",
}

# Templates later features add put their variables here (protokoll.docx).
TEMPLATES: dict[str, dict[str, str]] = {
    "mal.docx": PAPER,
    "sakliste.docx": AGENDA,
    "protokoll.docx": {
        "tittel": "«Protokoll fra <møtenavn> <dato>» (i møtets målform)",
        "motenavn": "møtetypens navn",
        "dato": "møtedatoen, skrevet ut",
        "tid": "tidspunkt (kan være tomt)",
        "sted": "møtested (kan være tomt)",
        "moteleder": "møteleder",
        "referent": "referent",
        "tilstede": "liste over dem som møtte",
        "forfall": "liste over forfall",
        "andre": "liste over andre til stede",
        "offentlig": "true i den offentlige protokollen",
        "unntatt_merking": "tom i protokollen (topptekst som i mal.docx)",
        "malform": "«bokmål» eller «nynorsk»",
        "tekst": "teksttabellen i møtets målform",
        "innhold": "stedet for sakene med vedtak: et eget avsnitt som bare er {{ innhold }}",
    },
}


def variables(name: str, profile: Profile | None = None) -> Mapping[str, str]:
    """The variables template ``name`` receives; a paper also gets the profile's own fields."""
    known = dict(TEMPLATES.get(name, {}))
    if name == "mal.docx" and profile is not None:
        for field in profile.fields:
            known[field.key] = f"profilens felt «{field.label}»"
    return known


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def readme_table() -> str:
    out = []
    for name, table in TEMPLATES.items():
        out += [f"**{name}**", "", "| variabel | betyr |", "|---|---|"]
        out += [f"| `{key}` | {_cell(text)} |" for key, text in table.items()]
        out.append("")
    from saksgen.texts import bokmal, nynorsk

    out += ["**Tekstnøkler** (`{{ tekst.<nøkkel> }}` i malene, `tekster:` i profil.yaml)", ""]
    out += ["| nøkkel | bokmål | nynorsk |", "|---|---|---|"]
    for key, text in bokmal.TEXTS.items():
        out.append(f"| `{key}` | {_cell(text)} | {_cell(nynorsk.TEXTS[key])} |")
    out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(readme_table(), end="")
