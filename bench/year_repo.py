"""A deterministic case repository for one year of meetings (issue 11, DESIGN.md §11).

``make_year_repo(root, cases=1000, meetings=40)`` writes ``saker/``, ``moter/``, ``figurer/`` and
``vedlegg/`` under ``root``: the meetings alternate between the two built-in profiles
(``ikt-fagdirektormote`` and ``ad-mote``) through 2024, each series numbering its cases on through
the year (standing items included), and the cases are spread evenly over the meetings.

The cases look like real ones: every required section plus most optional ones, bullet and
numbered lists, pipe tables with captions, figures, footnotes, block quotes, bold/italic,
attachments with and without a PDF, and references of every kind (``@fig:``, ``@tab:``,
``@vedlegg:``, ``@avsnitt:``, ``@sak:`` within and across the two series). About one case in
twelve is exempt from public disclosure, and some attachments are exempt on their own.

Everything is drawn from one seeded ``random.Random``, figures are drawn with Pillow and the
attachment PDFs with reportlab in invariant mode, so the same arguments give byte-identical files.
The text is made up for this benchmark.

Run: ``python -m bench.year_repo DIR [--cases N] [--meetings M]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
from dataclasses import dataclass, field
from pathlib import Path

import yaml

PROFILES = ("ikt-fagdirektormote", "ad-mote")
SERIES = {"ikt-fagdirektormote": "ikt", "ad-mote": "ad"}
BODY = {"ikt-fagdirektormote": "RHF IKT/fagdirektørmøtet", "ad-mote": "AD-møtet"}
PLACES = ("Gardermoen", "Bodø", "Trondheim", "Bergen", "Oslo", "Tromsø", "Digitalt")
REGIONS = ("Helse Sør-Øst RHF", "Helse Vest RHF", "Helse Midt-Norge RHF", "Helse Nord RHF")
SHORT_REGIONS = ("Helse Sør-Øst", "Helse Vest", "Helse Midt-Norge", "Helse Nord")
PEOPLE = (
    "Kari Nordmann", "Ola Nordmann", "Ingrid Solberg", "Magnus Eide", "Siri Nilsen", "Jonas Berg",
    "Hanne Lie", "Per Olsen", "Aisha Khan", "Trond Haugen", "Marte Dahl", "Eirik Bakke",
    "Nora Lund", "Anders Moe", "Linn Aas", "Viktor Strand",
)  # fmt: skip
TOPICS = (
    ("felles kodeverk for laboratoriefag", "kodeverk"),
    ("regional skyplattform", "skyplattform"),
    ("digital hjemmeoppfølging", "hjemmeoppfolging"),
    ("felles løsning for sikkerhetslogging", "sikkerhetslogg"),
    ("nasjonal kjernejournal i akuttmottak", "kjernejournal"),
    ("elektronisk legemiddelhåndtering", "legemidler"),
    ("innføring av talegjenkjenning", "talegjenkjenning"),
    ("felles identitets- og tilgangsstyring", "tilgangsstyring"),
    ("regionalt bildearkiv", "bildearkiv"),
    ("samordnet innkjøp av medisinsk-teknisk utstyr", "mtu-innkjop"),
    ("kunstig intelligens i radiologi", "ki-radiologi"),
    ("videokonsultasjon i poliklinikk", "videokonsultasjon"),
    ("digitalt pasientforløp for kreft", "kreftforlop"),
    ("utfasing av eldre journalsystemer", "utfasing"),
    ("felles beredskapsplan for IKT-hendelser", "beredskap"),
    ("strukturert journal for psykisk helsevern", "psykisk-helse"),
    ("forvaltning av helseregistre", "helseregistre"),
    ("porteføljestyring av interregionale prosjekter", "portefolje"),
    ("felles arkitekturprinsipper", "arkitektur"),
    ("kompetanseløft i informasjonssikkerhet", "kompetanse"),
)  # fmt: skip
VERBS = (
    "etablering av",
    "videreutvikling av",
    "status for",
    "forslag om",
    "evaluering av",
    "finansiering av",
)
SAYS = (
    "Arbeidsgruppen har kartlagt behovene i alle fire regioner og funnet store forskjeller i modenhet.",
    "Løsningene er bygget ut i ulikt tempo, og det gjør samhandling på tvers krevende.",
    "Erfaringene fra pilotene viser at gevinstene kommer først når arbeidsprosessene endres.",
    "Det er behov for en felles retning før regionene binder seg til nye avtaler.",
    "Kostnadene øker fordi hver region forvalter sin egen variant av den samme løsningen.",
    "Brukerne etterspør enklere pålogging og færre systemer å forholde seg til.",
    "Leverandørmarkedet er i endring, og flere av dagens avtaler utløper i perioden.",
    "Regelverket stiller strengere krav til logging, tilgangskontroll og dokumentasjon.",
    "Helsepersonell bruker i dag mye tid på dobbeltregistrering mellom systemene.",
    "Et felles grep gir bedre forhandlingsposisjon og lavere samlede kostnader.",
    "Saken har vært drøftet i de regionale fagmiljøene og i det interregionale arkitekturforumet.",
    "Tiltakene må sees i sammenheng med den nasjonale e-helsestrategien.",
)  # fmt: skip
BULLETS = (
    "ulike løsninger for samme behov i regionene",
    "manglende felles begrepsbruk",
    "høye kostnader til forvaltning og drift",
    "krav om sporbarhet og logging",
    "behov for opplæring av helsepersonell",
    "avhengighet av få leverandører",
    "utdaterte integrasjoner mellom systemene",
    "lang tid fra behov til løsning",
    "uklar fordeling av ansvar mellom regionene",
)  # fmt: skip
STEPS = (
    "Forankring i {body} (denne saken).",
    "Utarbeidelse av konseptvalgutredning.",
    "Høring i de regionale helseforetakene.",
    "Beslutning om gjennomføring.",
    "Anskaffelse og kontraktsinngåelse.",
    "Pilot i én region før bred innføring.",
)
RISKS = (
    ("Forsinkelser hos leverandør", "Middels", "Tett oppfølging og bot i kontrakten"),
    ("Manglende kapasitet i regionene", "Høy", "Prioritering i porteføljen"),
    ("Uklart behandlingsgrunnlag", "Lav", "Avklaring med personvernombudene"),
    ("Kostnadsøkning", "Middels", "Trinnvis gjennomføring med beslutningspunkter"),
    ("Lav brukeraksept", "Middels", "Involvering av fagmiljøene fra start"),
)
LEGAL = (
    "offl. § 13 jf. fvl. § 13 første ledd nr. 2",
    "offl. § 23 første ledd",
    "offl. § 24 tredje ledd",
    "offl. § 14 første ledd",
)
FIGURES = 8
ATTACHMENT_PDFS = 24


@dataclass
class MeetingSpec:
    id: str
    profile: str
    date: dt.date
    first: int
    cases: list[str] = field(default_factory=list)


@dataclass
class YearRepo:
    root: Path
    meetings: list[MeetingSpec]
    cases: dict[str, MeetingSpec]  # case id -> its meeting
    exempt: list[str]

    def paper_pdfs(self, outdir: Path) -> list[Path]:
        """Every meeting's paper PDFs as the build wrote them ("NN-<case>.pdf"), or, for a case
        with none, the name it would have had. The number is read, not predicted: a profile that
        groups its agenda by sakstype (``sakliste: {grupper: …}``) numbers in group order."""
        paths = []
        for m in self.meetings:
            folder = outdir / m.id
            for n, case in enumerate(m.cases):
                found = sorted(folder.glob(f"[0-9]*-{case}.pdf"))
                nr = m.first + _standing_first(m.profile) + n
                paths.append(found[0] if found else folder / f"{nr:02d}-{case}.pdf")
        return paths


def _profile_data(profile: str) -> dict:
    import saksgen

    path = Path(saksgen.__file__).parent / "maler" / profile / "profil.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _standing_first(profile: str) -> int:
    return sum(1 for s in _profile_data(profile)["standardsaker"] if s.get("plassering") == "først")


def _standing_count(profile: str) -> int:
    return len(_profile_data(profile)["standardsaker"])


def plan_meetings(n_cases: int, n_meetings: int) -> list[MeetingSpec]:
    meetings: list[MeetingSpec] = []
    counters = dict.fromkeys(PROFILES, 1)
    per_series = (n_meetings + 1) // 2
    # Meetings of a series spread over 2024 (late January to December); case dates are 7-20 days
    # before their meeting, so every case is dated 2024 too.
    step = max(1, 320 // max(1, per_series))
    for m in range(n_meetings):
        profile = PROFILES[m % 2]
        k = m // 2
        date = dt.date(2024, 1, 24) + dt.timedelta(days=k * step + (m % 2) * 3)
        meetings.append(MeetingSpec(f"{SERIES[profile]}-2024-{k + 1:02d}", profile, date, counters[profile]))
        base, extra = divmod(n_cases, n_meetings)
        size = base + (1 if m < extra else 0)
        counters[profile] += size + _standing_count(profile)
    return meetings


def make_year_repo(root: Path, cases: int = 1000, meetings: int = 40, seed: int = 2024) -> YearRepo:
    if meetings < 1 or cases < meetings:
        raise ValueError("need at least one meeting and one case per meeting")
    rng = random.Random(seed)
    for folder in ("saker", "moter", "figurer", "vedlegg"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    figures = [_write_figure(root, i, rng) for i in range(FIGURES)]
    pdfs = [_write_attachment_pdf(root, i) for i in range(ATTACHMENT_PDFS)]
    specs = plan_meetings(cases, meetings)
    base, extra = divmod(cases, meetings)
    ids: list[str] = []
    owner: dict[str, MeetingSpec] = {}
    for m, spec in enumerate(specs):
        for _ in range(base + (1 if m < extra else 0)):
            topic = TOPICS[len(ids) % len(TOPICS)][1]
            ident = f"{topic}-{len(ids) + 1:04d}"
            ids.append(ident)
            spec.cases.append(ident)
            owner[ident] = spec
    exempt = []
    for n, ident in enumerate(ids):
        spec = owner[ident]
        # A case refers to an earlier one (often in the other series) in about half of the cases.
        earlier = ids[rng.randrange(n)] if n and rng.random() < 0.5 else None
        is_exempt = n % 12 == 5
        if is_exempt:
            exempt.append(ident)
        text = _case_text(rng, n, spec, earlier, is_exempt, figures, pdfs)
        (root / "saker" / f"{ident}.yaml").write_text(text, encoding="utf-8")
    for spec in specs:
        (root / "moter" / f"{spec.id}.yaml").write_text(_meeting_text(rng, spec), encoding="utf-8")
    return YearRepo(root, specs, owner, exempt)


def _meeting_text(rng: random.Random, spec: MeetingSpec) -> str:
    lines = [
        f"møte: {spec.profile}",
        f"dato: {spec.date.isoformat()}",
        'tid: "09:30–15:00"',
        f"sted: {rng.choice(PLACES)}",
        f"første_saksnummer: {spec.first}",
        "saker:",
    ]
    hour, minute = 9, 45
    for case in spec.cases:
        if rng.random() < 0.4:
            start = f"{hour:02d}:{minute:02d}"
            minute += 15
            hour, minute = hour + minute // 60, minute % 60
            lines += [f"  - sak: {case}", f'    tid: "{start}–{hour:02d}:{minute:02d}"']
            if rng.random() < 0.5:
                lines.append(f"    presenteres_av: {rng.choice(PEOPLE)}")
        else:
            lines.append(f"  - {case}")
    return "\n".join(lines) + "\n"


def _block(text: str) -> str:
    return "|\n" + "".join(f"  {line}\n" if line else "\n" for line in text.split("\n"))


def _paragraph(rng: random.Random, n: int) -> str:
    return " ".join(rng.sample(SAYS, n))


def _case_text(
    rng: random.Random,
    n: int,
    spec: MeetingSpec,
    earlier: str | None,
    exempt: bool,
    figures: list[str],
    pdfs: list[str],
) -> str:
    profile = spec.profile
    body = BODY[profile]
    topic = TOPICS[n % len(TOPICS)][0]
    title = f"{rng.choice(VERBS).capitalize()} {topic} ({n + 1})"
    region = rng.choice(REGIONS)
    case_date = spec.date - dt.timedelta(days=rng.randrange(7, 21))
    kind = rng.choice(("beslutning", "beslutning", "orientering", "diskusjon"))
    head = [
        f"møte: {profile}",
        f"tittel: {title}",
        f"fra: {region}",
        f"saksbehandler: {rng.choice(PEOPLE)}",
        f"dato: {case_date.isoformat()}",
        f"sakstype: {kind}",
    ]
    if exempt:
        head.append(f'unntatt_offentlighet: "{rng.choice(LEGAL)}"')
        head.append(f"offentlig_tittel: Sak om {topic.split()[0]} ({n + 1})")
    else:
        head.append("unntatt_offentlighet: false")
    if rng.random() < 0.3:
        head.append(f"presenteres_av: {rng.choice(PEOPLE)}")

    attachments = []
    for a in range(rng.choice((0, 0, 1, 1, 2, 3))):
        entry = {
            "id": f"v{a + 1}",
            "tittel": f"{rng.choice(('Notat', 'Rapport', 'Utkast til mandat', 'Kartlegging'))} om {topic}",
        }
        if rng.random() < 0.6:
            entry["fil"] = rng.choice(pdfs)
        if not exempt and rng.random() < 0.1:
            entry["unntatt_offentlighet"] = "offl. § 23 første ledd"
        attachments.append(entry)
    figure = rng.choice(figures) if rng.random() < 0.3 else None
    table = rng.random() < 0.6

    asks = rng.choice(("ta stilling til", "slutte seg til", "drøfte"))
    summary = f"Saken gjelder {topic}. {body} bes {asks} forslaget"
    summary += " i @fig:hoved." if figure else "."
    background = [_paragraph(rng, 2)]
    if earlier:
        background[0] += f" Saken bygger på @sak:{earlier}."
    background += ["Kartleggingen viser blant annet:", ""]
    background += [f"- {b}" for b in rng.sample(BULLETS, rng.randint(3, 5))]
    if table:
        background += ["", f"Kostnadene per region er vist i @tab:kostnader.[^kilde{n}]", ""]
        background += ["| Region | Lisenser (mill. kr) | Drift (årsverk) |", "|---|--:|--:|"]
        for r in SHORT_REGIONS:
            background.append(
                f"| {r} | {rng.randint(5, 90) / 10:.1f} | {rng.randint(1, 12) / 2:.1f} |".replace(".", ",")
            )
        background += ["", "Table: Dagens kostnader per region {#tab:kostnader}", ""]
        background.append(f"[^kilde{n}]: Tallene er innhentet fra regionene og avrundet.")
    sections = {"sammendrag": summary, "bakgrunn": "\n".join(background)}
    if rng.random() < 0.6:
        sections["særskilte_forhold"] = (
            f"Forslaget må oppfylle kravene i **både** personvernregelverket og pasientjournalloven. "
            f"Behandlingsgrunnlaget skal avklares *før* data fra flere regioner samles. {_paragraph(rng, 1)}"
        )
    if rng.random() < 0.7:
        steps = [s.format(body=body) for s in rng.sample(STEPS, rng.randint(2, 4))]
        sections["prosess"] = "Videre prosess:\n\n" + "\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1))
    assessment = [_paragraph(rng, 3)]
    if figure:
        assessment += ["", f"![Målbilde for {topic}]({figure}){{#fig:hoved width=70%}}", ""]
        assessment.append(
            f"Målbildet i @fig:hoved viser hvordan ansvaret deles mellom regionene. {_paragraph(rng, 1)}"
        )
    if attachments:
        assessment += ["", f"Mer om dette står i @vedlegg:v1. {_paragraph(rng, 1)}"]
    if table:
        assessment += ["", "@Tab:kostnader viser at kostnadene varierer mye mellom regionene."]
    if "særskilte_forhold" in sections:
        assessment.append("Forholdene i @avsnitt:særskilte_forhold er tatt med i vurderingen.")
    if rng.random() < 0.4:
        assessment += [
            "",
            "> En felles løsning er ikke et mål i seg selv, men et virkemiddel for",
            "> bedre og tryggere pasientbehandling.",
        ]
    sections["vurdering"] = "\n".join(assessment)
    if profile == "ad-mote" and rng.random() < 0.6:
        rows = rng.sample(RISKS, 3)
        risk = ["De viktigste risikoene:", "", "| Risiko | Sannsynlighet | Tiltak |", "|---|---|---|"]
        risk += [f"| {a} | {b} | {c} |" for a, b, c in rows]
        sections["risiko"] = "\n".join(risk)
    cost = rng.randint(5, 80) / 10
    sections["budsjett"] = (
        f"Arbeidet anslås å koste {str(cost).replace('.', ',')} mill. kroner i 2024, "
        "fordelt etter den vanlige fordelingsnøkkelen."
    )
    sections["omdømme"] = "Saken styrker tilliten til at regionene samarbeider om trygge og gode løsninger."
    if rng.random() < 0.5:
        sections["avsjekkpunkt"] = f"Saken legges fram for {body} igjen innen utgangen av året."
    points = [f"{body} slutter seg til forslaget om {topic}."]
    if rng.random() < 0.6:
        points.append(f"{body} ber arbeidsgruppen legge fram en plan for videre arbeid.")
    if attachments and rng.random() < 0.5:
        points.append(f"{body} tar @vedlegg:v1 til orientering.")

    out = [*head, ""]
    for key, value in sections.items():
        out.append(f"{key}: {_block(value)}")
    out.append("konklusjon:")
    out += [f"  - {p}" for p in points]
    if attachments:
        out.append("")
        out.append("vedlegg:")
        for entry in attachments:
            out.append(f"  - id: {entry['id']}")
            out.append(f"    tittel: {entry['tittel']}")
            if "fil" in entry:
                out.append(f"    fil: {entry['fil']}")
            if "unntatt_offentlighet" in entry:
                out.append(f'    unntatt_offentlighet: "{entry["unntatt_offentlighet"]}"')
    return "\n".join(out) + "\n"


def _write_figure(root: Path, index: int, rng: random.Random) -> str:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (800, 450), "white")
    draw = ImageDraw.Draw(image)
    colours = ((0, 84, 147), (0, 150, 136), (230, 126, 34), (142, 68, 173))
    for b in range(4):
        height = rng.randint(60, 380)
        x = 80 + b * 170
        draw.rectangle((x, 420 - height, x + 110, 420), fill=colours[(b + index) % 4])
    draw.line((60, 420, 760, 420), fill="black", width=3)
    draw.rectangle((1, 1, 798, 448), outline=(90, 90, 90), width=2)
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False)
    name = f"figurer/figur-{index + 1:02d}.png"
    (root / name).write_bytes(buf.getvalue())
    return name


def _write_attachment_pdf(root: Path, index: int) -> str:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4, invariant=1)
    pdf.setTitle(f"Vedlegg {index + 1}")
    for page in range(1 + index % 3):
        pdf.setFont("Helvetica-Bold", 16)
        pdf.drawString(72, 770, f"Vedlegg {index + 1}: Notat fra arbeidsgruppen")
        pdf.setFont("Helvetica", 11)
        for line in range(30):
            pdf.drawString(
                72,
                730 - line * 20,
                f"Side {page + 1}, linje {line + 1}: " + SAYS[(index + line) % len(SAYS)][:70],
            )
        pdf.showPage()
    pdf.save()
    name = f"vedlegg/vedlegg-{index + 1:02d}.pdf"
    (root / name).write_bytes(buf.getvalue())
    return name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--meetings", type=int, default=40)
    args = parser.parse_args()
    repo = make_year_repo(args.root, args.cases, args.meetings)
    counts = f"{len(repo.cases)} saker i {len(repo.meetings)} møter, {len(repo.exempt)} unntatt offentlighet"
    print(f"{counts}: {args.root}")


if __name__ == "__main__":
    main()
