"""Command line: parses arguments and calls the commands; no logic of its own.

Every ``SaksgenError`` becomes a Norwegian message and its exit code; any other exception is a
bug, reported without a traceback (with ``SAKSGEN_DEBUG=1`` the traceback is shown).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import click

from saksgen import __version__
from saksgen.diagnostics.formats import FORMATS
from saksgen.errors import EXIT_CONTENT, EXIT_USAGE, Interrupted, SaksgenError, UsageError
from saksgen.report import count


class _Terminated(KeyboardInterrupt):
    """SIGTERM (a service manager, ``kill``, CI cancelling a job) ends the run like Ctrl+C: the
    LibreOffice and pandoc processes are stopped, temporary files removed, finished outputs
    kept. Python's default for SIGTERM would end the process on the spot and leave them all."""


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise _Terminated


def _run(action: Callable[[], int]) -> None:
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        code = action()
    except SaksgenError as exc:
        click.echo(exc.format(), err=True)
        code = exc.exit_code
    except KeyboardInterrupt as exc:
        who = "stoppet (SIGTERM)" if isinstance(exc, _Terminated) else "avbrutt av brukeren"
        click.echo(
            Interrupted(f"{who}; ferdige filer er beholdt, ingen halvferdige filer er skrevet").format(),
            err=True,
        )
        code = EXIT_CONTENT
    except Exception as exc:
        if os.environ.get("SAKSGEN_DEBUG"):
            raise
        click.echo(
            f"feil: intern feil i saksgen ({type(exc).__name__}: {exc}); "
            "kjør med SAKSGEN_DEBUG=1 for detaljer og meld fra [intern-feil]",
            err=True,
        )
        code = EXIT_CONTENT
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    sys.exit(code)


class _Norwegian:
    """click's own words (help option, usage line, section heads) in Norwegian."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = "Vis denne meldingen og avslutt."
        return option

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="Bruk: ")

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        pieces: list[str] = super().collect_usage_pieces(ctx)  # type: ignore[misc]
        return [
            p.replace("[OPTIONS]", "[VALG]").replace("COMMAND [ARGS]...", "KOMMANDO [ARGUMENTER]...")
            for p in pieces
        ]

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [
            (_norsk_words(r[0]), _norsk_words(r[1]))
            for p in self.get_params(ctx)  # type: ignore[attr-defined]
            if isinstance(p, click.Option) and (r := p.get_help_record(ctx))
        ]
        if rows:
            with formatter.section("Valg"):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            commands = []
            for name in self.list_commands(ctx):
                cmd = self.get_command(ctx, name)
                if cmd is not None and not cmd.hidden:
                    commands.append((name, cmd.get_short_help_str(limit=formatter.width - 6 - len(name))))
            if commands:
                with formatter.section("Kommandoer"):
                    formatter.write_dl(commands)


def _norsk_words(text: str) -> str:
    for en, no in (
        ("[default: ", "[standard: "),
        ("required]", "påkrevd]"),
        ("DIRECTORY", "MAPPE"),
        ("PATH", "STI"),
        ("TEXT", "TEKST"),
        ("FILE", "FIL"),
        ("INTEGER", "HELTALL"),
    ):
        text = text.replace(en, no)
    return text


class _Command(_Norwegian, click.Command):
    pass


class _Group(_Norwegian, click.Group):
    """Usage errors in Norwegian with exit code 2 (click's default is English)."""

    command_class = _Command

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("standalone_mode", False)
        try:
            return super().main(*args, **kwargs)
        except click.exceptions.NoArgsIsHelpError as exc:
            click.echo(exc.ctx.get_help() if exc.ctx else str(exc))
            sys.exit(EXIT_USAGE)
        except click.UsageError as exc:
            click.echo(f"feil: {_translate_usage(exc)} [bruk]", err=True)
            if exc.ctx is not None:
                click.echo(f"Se «{exc.ctx.command_path} --help».", err=True)
            sys.exit(EXIT_USAGE)
        except click.exceptions.Abort:
            click.echo("feil: avbrutt [avbrutt]", err=True)
            sys.exit(EXIT_CONTENT)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)


def _translate_usage(exc: click.UsageError) -> str:
    text = exc.format_message()
    for en, no in (
        ("No such option", "ukjent valg"),
        ("No such command", "ukjent kommando"),
        ("Missing argument", "mangler argument"),
        ("Missing option", "mangler valg"),
        ("Invalid value for", "ugyldig verdi for"),
        ("is not one of", "er ikke en av"),
        ("Got unexpected extra argument", "uventet argument"),
        ("Option", "valget"),
        ("requires an argument", "trenger en verdi"),
        ("requires an argument.", "trenger en verdi."),
        ("Error: ", ""),
        ("Try ", "Prøv "),
        ("for help", "for hjelp"),
        ("is not a valid integer", "er ikke et heltall"),
        ("Possible options:", "Mulige valg:"),
        ("does not take a value", "tar ingen verdi"),
        ("choose from", "velg blant"),
        ("Did you mean", "Mente du"),
        ("Directory ", "mappen "),
        ("File ", "filen "),
        (" is a file.", " er en fil."),
        (" is a directory.", " er en mappe."),
        (" does not exist.", " finnes ikke."),
        (" is not writable.", " kan ikke skrives."),
        (" is not readable.", " kan ikke leses."),
    ):
        text = text.replace(en, no)
    return text


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__,
    "--versjon",
    "--version",
    prog_name="saksgen",
    message="%(prog)s %(version)s",
    help="Vis versjonen og avslutt.",
)
def main() -> None:
    """saksgen lager saksfremlegg (DOCX og PDF) fra saksfiler i YAML."""


@main.command()
@click.argument("paths", nargs=-1, metavar="[STI]...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    default="text",
    show_default=True,
    help="Rapportformat.",
)
@click.option("--strict", is_flag=True, help="Advarsler regnes som feil.")
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(),
    default=None,
    help="Skriv rapporten til en fil i stedet for standard ut.",
)
def check(paths: tuple[str, ...], fmt: str, strict: bool, output: str | None) -> None:
    """Kontroller saker og møter uten å bygge dem."""

    def action() -> int:
        from saksgen.commands.check import run_check

        text, code = run_check(Path.cwd(), list(paths), fmt, strict)
        if output:
            from saksgen.write import write_bytes

            write_bytes(Path(output), text.encode("utf-8"))
        else:
            click.echo(text, nl=False)
        return code

    _run(action)


@main.command()
@click.argument("paths", nargs=-1, metavar="[STI]...")
@click.option(
    "-o",
    "--output",
    "outdir",
    type=click.Path(file_okay=False),
    default="output",
    show_default=True,
    help="Mappe for det som bygges.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["docx", "pdf", "begge"]),
    default="begge",
    show_default=True,
    help="Hvilke filer som lages.",
)
@click.option("--offentlig", is_flag=True, help="Lag også offentlige versjoner (uten unntatt innhold).")
@click.option("--strict", is_flag=True, help="Advarsler regnes som feil.")
@click.option("--tving", is_flag=True, help="Bygg alt på nytt, også det som ikke er endret.")
@click.option("--ufullstendig-pakke", is_flag=True, help="Lag saksdokumentene selv om noen saker feilet.")
@click.option(
    "-w",
    "--overvåk",
    "--overvak",
    "watch",
    is_flag=True,
    help="Bygg, og bygg på nytt det en lagret endring berører, til Ctrl+C.",
)
def build(
    paths: tuple[str, ...],
    outdir: str,
    fmt: str,
    offentlig: bool,
    strict: bool,
    tving: bool,
    ufullstendig_pakke: bool,
    watch: bool,
) -> None:
    """Bygg saker og møter til DOCX og PDF."""

    def action() -> int:
        from saksgen.commands.build import BuildOptions, run_build

        options = BuildOptions(
            root=Path.cwd(),
            paths=list(paths),
            outdir=Path(outdir),
            docx=fmt in ("docx", "begge"),
            pdf=fmt in ("pdf", "begge"),
            public=offentlig,
            strict=strict,
            force=tving,
            partial_pack=ufullstendig_pakke,
        )
        if watch:
            from saksgen.commands.watch import run_watch

            return run_watch(options)
        return run_build(options)

    _run(action)


@main.command()
@click.argument("profil", metavar="PROFIL")
@click.option("--tittel", default=None, help="Sakens tittel.")
@click.option("--id", "ident", default=None, help="Saks-id (filnavn), a–z, 0–9 og bindestrek.")
def ny(profil: str, tittel: str | None, ident: str | None) -> None:
    """Lag en ny saksfil med alle avsnittene i profilen."""

    def action() -> int:
        from saksgen.commands.scaffold import new_case

        path = new_case(Path.cwd(), profil, tittel, ident)
        click.echo(f"skrev {path}")
        return 0

    _run(action)


@main.command()
@click.option(
    "--kopier", "kopier", metavar="PROFIL", default=None, help="Kopier profilen til maler/ for redigering."
)
@click.option(
    "--som", "som", metavar="NY-ID", default=None, help="Navnet på kopien (standard: samme som profilen)."
)
def maler(kopier: str | None, som: str | None) -> None:
    """Vis møtetypene (profilene) og avsnittene deres, eller kopier en profil."""

    def action() -> int:
        if kopier is None:
            if som is not None:
                raise UsageError("--som brukes sammen med --kopier PROFIL")
            from saksgen.commands.scaffold import describe_profiles

            click.echo(describe_profiles(Path.cwd()), nl=False)
            return 0
        from saksgen.commands.copy_profile import copy_profile

        written = copy_profile(Path.cwd(), kopier, som)
        for path in written:
            click.echo(f"skrev {path}")
        click.echo(f"{count(len(written), 'fil', 'filer')} kopiert; rediger dem i Word og i en teksteditor")
        return 0

    _run(action)


@main.command()
@click.argument("profil", required=False, metavar="[PROFIL]")
@click.option("--arkiv", is_flag=True, help="skjemaet for arkiv.json (arkivuttrekket) i stedet")
def schema(profil: str | None, arkiv: bool) -> None:
    """Skriv ut JSON Schema for saksfiler (for redigeringsprogrammer)."""

    def action() -> int:
        from saksgen.commands.schema import arkiv_json, schema_json

        click.echo(arkiv_json() if arkiv else schema_json(Path.cwd(), profil))
        return 0

    _run(action)


@main.command()
@click.argument("fil")
@click.option("--profil", default=None, help="Møtetypen (profilen); ellers funnet fra dokumentet.")
@click.option("--id", "ident", default=None, help="Saks-id (filnavn); ellers laget fra tittelen.")
@click.option("--godta-endringer", is_flag=True, help="Godta sporede endringer i dokumentet.")
@click.option("--tving", is_flag=True, help="Erstatt en saksfil som finnes fra før.")
def importer(fil: str, profil: str | None, ident: str | None, godta_endringer: bool, tving: bool) -> None:
    """Lag en saksfil fra et saksfremlegg i Word (.docx)."""

    def action() -> int:
        from saksgen.commands.importer import ImportOptions, run_import

        result = run_import(
            ImportOptions(Path.cwd(), fil, profil, ident, accept_changes=godta_endringer, force=tving)
        )
        for d in result.diagnostics:
            click.echo(d.format_text(), err=True)
        click.echo(f"skrev {result.path}")
        return 0

    _run(action)
