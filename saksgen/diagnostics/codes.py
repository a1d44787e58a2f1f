"""Every diagnostic code saksgen reports: its severity and a one-line Norwegian explanation.

The codes are a contract: CI configurations and editors key on them. This table is the only list;
the README's code table is generated from it (``python -m saksgen.diagnostics.codes``) and a test
checks both that every code the source reports is here and that the README matches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["feil", "advarsel"]


@dataclass(frozen=True)
class Code:
    severity: Severity
    explanation: str


F: Severity = "feil"
A: Severity = "advarsel"

CODES: dict[str, Code] = {
    # load: reading the YAML itself
    "yaml-syntaks": Code(F, "filen er ikke gyldig YAML (feil innrykk, kolon eller anførselstegn)"),
    "yaml-alias": Code(F, "ankere og aliaser (&navn, *navn) brukes ikke i saksfiler"),
    "yaml-tagg": Code(F, "YAML-tagger (!!python/…) brukes ikke i saksfiler"),
    "ugyldig-tegnkoding": Code(F, "filen er ikke lagret som UTF-8"),
    "tom-fil": Code(F, "filen er tom"),
    "for-stor": Code(F, "filen, avsnittet, bildet eller vedlegget er over grensen, eller nøstet for dypt"),
    "kontrolltegn": Code(A, "usynlige kontrolltegn (ofte fra innliming) er fjernet"),
    "dobbel-nøkkel": Code(F, "samme nøkkel står to ganger (også med og uten æ/ø/å)"),
    "ukjent-nøkkel": Code(F, "nøkkelen finnes ikke; meldingen foreslår den nærmeste"),
    # validate: fields and sections
    "feil-type": Code(F, "verdien har feil type (tekst, liste, nøkler, tall)"),
    "mangler-felt": Code(F, "et påkrevd felt mangler eller er bare plassholdertekst"),
    "ugyldig-dato": Code(F, "datoen er ikke på formen ÅÅÅÅ-MM-DD eller finnes ikke"),
    "ugyldig-verdi": Code(F, "verdien er ikke en av de tillatte (sakstype, seksjonstype, plassering)"),
    "ugyldig-id": Code(F, "en id kan bare ha a–z, 0–9 og bindestrek"),
    "ugyldig-saksnummer": Code(F, "saksnummeret er ikke på formen 32/24, 32-2024 eller 32"),
    "mangler-hjemmel": Code(F, "unntak fra offentlighet uten hjemmel i offentleglova"),
    "mangler-avsnitt": Code(F, "et påkrevd avsnitt mangler"),
    "tom-avsnitt": Code(F, "et påkrevd avsnitt er tomt eller bare plassholdertekst"),
    "ukjent-profil": Code(F, "møtetypen (profilen) finnes ikke"),
    "ugyldig-profil": Code(F, "profil.yaml eller profilmappen har en feil"),
    "dobbel-id": Code(F, "samme id (sak, vedlegg eller sak i sakslisten) står to ganger"),
    "ukjent-målform": Code(F, "målformen er verken bokmål eller nynorsk"),
    "ukjent-tekst": Code(F, "nøkkelen under «tekster:» i profil.yaml finnes ikke i teksttabellen"),
    "dobbelt-felt": Code(F, "et felt under «felt:» står to ganger eller har navnet til et innebygd felt"),
    # templates (saksgen check, also before build)
    "mal-syntaks": Code(F, "Word-malen har en Jinja-feil ({{ … }}, {% … %})"),
    "ukjent-malfelt": Code(A, "Word-malen bruker en variabel saksgen ikke gir den"),
    "mal-innhold": Code(F, "mal.docx mangler et avsnitt som bare er {{ innhold }}"),
    "ugyldig-kombinasjon": Code(
        F, "feltene kan ikke stå sammen (f.eks. «tittel:» eller «nummer: false» på en sak med saksfil)"
    ),
    # validate: files
    "mangler-fil": Code(F, "filen det vises til finnes ikke"),
    "fil-utenfor-repo": Code(F, "stien peker ut av repositoriet"),
    "ekstern-fil": Code(F, "en nettadresse kan ikke brukes som bilde eller vedlegg"),
    "feil-filtype": Code(F, "filen er ikke et bilde av en type Word kan vise (PNG, JPEG, GIF)"),
    "ikke-pdf": Code(F, "vedlegget har .pdf i navnet, men er ikke en PDF"),
    "skadet-fil": Code(F, "bildet eller PDF-vedlegget er avkortet eller ødelagt"),
    "kryptert-pdf": Code(F, "PDF-vedlegget er kryptert eller passordbeskyttet"),
    "vedlegg-ikke-pdf": Code(A, "vedlegget er ikke en PDF og kommer ikke med i saksdokumentene"),
    # validate: mistakes that would print wrong (validate/mistakes.py)
    "word-punkttegn": Code(A, "punkttegn limt inn fra Word blir ikke en punktliste"),
    "liste-uten-tom-linje": Code(A, "en liste uten tom linje foran blir en del av avsnittet over"),
    "sammenslåtte-punkter": Code(A, "en innrykket linje slår to konklusjonspunkter sammen til ett"),
    "vedlegg-uten-fil": Code(A, "et vedlegg skrevet som bare et filnavn blir en tittel uten fil"),
    "anførselstegn": Code(A, "typografiske anførselstegn rundt en verdi skrives ut"),
    "saksnummer-år": Code(A, "saksnummeret har et annet år enn møtet"),
    # resolve: references and numbers
    "ukjent-referanse": Code(
        F, "henvisningen (@fig:, @tab:, @vedlegg:, @avsnitt:, @sak:) peker på noe som ikke finnes"
    ),
    "ukjent-referansetype": Code(A, "@ord: ligner en henvisning, men typen er ukjent"),
    "dobbel-etikett": Code(F, "samme etikett ({#fig:…}, {#tab:…}) står to ganger i saken"),
    "ugyldig-etikett": Code(F, "etiketten står der pandoc ikke nummererer den"),
    "ukjent-sak": Code(F, "saken i sakslisten finnes ikke i saker/"),
    "feil-møtetype": Code(F, "saken er skrevet for en annen møtetype enn møtet"),
    "dobbelt-saksnummer": Code(
        F, "samme saksnummer er brukt to ganger, i ett møte eller i to møter i samme serie"
    ),
    "sak-i-flere-moter": Code(A, "saken står på flere møter; henvisninger bruker nummeret fra det siste"),
    "sak-uten-nummer": Code(A, "en henvisning til en sak som ennå ikke har fått nummer (skrives XX)"),
    "saksnummer-avvik": Code(A, "saksfilen og møtefilen gir saken ulike numre; møtefilens gjelder"),
    "ukjent-protokollsak": Code(F, "protokollen har et vedtak for en sak som ikke står på sakslisten"),
    "mangler-vedtak": Code(A, "møtet har protokoll, men en sak på sakslisten har ikke vedtak"),
    "mangler-offentlig-tittel": Code(
        A, "en unntatt sak uten offentlig_tittel viser tittelen i offentlige lister"
    ),
    # render, convert, assemble
    "mal-feil": Code(F, "Word-malen (mal.docx, sakliste.docx) kan ikke brukes"),
    "bygging-feilet": Code(F, "saken kunne ikke bygges til DOCX"),
    "pdf-feilet": Code(F, "LibreOffice kunne ikke lage PDF-en"),
    "pdf-tidsavbrudd": Code(
        F, "LibreOffice kom ikke videre med dokumentet innen tidsgrensen (SAKSGEN_PDF_TIDSAVBRUDD)"
    ),
    "pakke-feilet": Code(F, "de samlede saksdokumentene kunne ikke lages"),
    "vedlegg-ikke-pdfa": Code(
        A, "et PDF-vedlegg kunne ikke gjøres om til PDF/A; saksdokumentene lages uten PDF/A-merking"
    ),
    "ufullstendig-pakke": Code(F, "saksdokumentene er ikke laget fordi en sak eller sakslisten feilet"),
    "ufullstendig-arkiv": Code(F, "arkiv.json er ikke skrevet fordi en av filene den skulle liste mangler"),
    # import from Word (saksgen importer)
    "import-feil": Code(F, "Word-filen kan ikke importeres (ikke .docx, kryptert, skadet eller uten tekst)"),
    "sporede-endringer": Code(
        F, "dokumentet har sporede endringer; godta dem i Word eller bruk --godta-endringer"
    ),
    "word-kommentar": Code(A, "en kommentar i Word-dokumentet er utelatt fra saksfilen"),
    "ukjent-overskrift": Code(
        A, "en overskrift passer ikke med noe avsnitt i profilen og er beholdt som underoverskrift"
    ),
    "ingen-overskrifter": Code(
        A, "ingen overskrifter passet med profilen; all teksten er lagt i ett avsnitt"
    ),
    "utelatt-innhold": Code(A, "innhold under konklusjon eller vedlegg som ikke er en liste, er utelatt"),
    "mangler-i-dokumentet": Code(A, "et felt fantes ikke i dokumentet og er skrevet som [fylles inn]"),
    # the run itself
    "mangler-verktøy": Code(F, "pandoc eller LibreOffice finnes ikke på maskinen"),
    "verktøy-feilet": Code(F, "pandoc eller LibreOffice feilet"),
    "tidsavbrudd": Code(F, "pandoc eller LibreOffice brukte for lang tid"),
    "skrivefeil": Code(F, "en fil kunne ikke skrives (tilgang, full disk)"),
    "innhold": Code(F, "innholdet har feil (se meldingene over)"),
    "bruk": Code(F, "feil bruk av kommandoen (avslutningskode 2)"),
    "avbrutt": Code(F, "kjøringen ble avbrutt; ingen halvferdige filer er skrevet"),
    "strict": Code(F, "--strict stoppet byggingen fordi det var advarsler"),
    "ingen-utdata": Code(F, "ingenting å bygge fordi alle filene hadde feil"),
    "intern-feil": Code(F, "en feil i saksgen selv; meld fra"),
    "feil": Code(F, "annen feil"),
}


def readme_table() -> str:
    """The README's code table, between its markers."""
    rows = ["| kode | alvorlighet | betyr |", "|---|---|---|"]
    rows += [f"| `{name}` | {c.severity} | {c.explanation} |" for name, c in CODES.items()]
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(readme_table(), end="")
