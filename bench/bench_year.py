"""Benchmark: one year of meetings in one build (issue 11, DESIGN.md §11 and §17).

Generates a case repository with ``bench.year_repo`` (default 1,000 cases in 40 meeting files,
both built-in profiles) and measures, in one run on the same machine state:

  build    ``saksgen build moter`` from scratch: every paper (DOCX + PDF), agenda and pack.
           The ``moter`` target builds each case once, in its meeting: what the floor converts
           too. (``saksgen build`` with no target also builds every case standalone, twice the
           LibreOffice work.) Exit code 0 is required, and every paper PDF, agenda and pack must
           exist.
  floor    a bare LibreOffice batch of the same DOCX files (papers and agendas), with
           ``bench.soffice_floor.floor_seconds``: chunks of at most ``batch.CHUNK`` documents
           (LibreOffice 7.4 drops arguments after the ~253rd), one LibreOffice at a time
           (``--floor-shards 1``) and/or as many at once as saksgen runs (``2``).
  edit     one case's text changed, then ``saksgen build moter`` again: that paper and its
           meeting's pack are rebuilt, everything else comes from the cache.
  noop     the same command once more with nothing changed.

Peak resident memory is sampled per process name (``saksgen``, ``soffice.bin``, ``pandoc``) from
/proc by ``bench.memory``; the target is per process. Targets: build <= 5 min and <= 1 GB in any
one process; edit <= 15 s. On a shared machine the absolute times move with the load; the
build/floor ratio, measured in the same run, moves much less.

Run: ``python -m bench.bench_year [--cases 1000] [--meetings 40] [--repeats 1]
[--floor-shards 1,2] [--keep DIR] [--json FILE]``; ``--cases 100 --meetings 4`` is a quick run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # also as bench/bench_year.py

from bench import compile_saksgen
from bench.memory import PeakMemory, Peaks, run_measured
from bench.soffice_floor import floor_seconds
from bench.year_repo import YearRepo, make_year_repo

TARGET_BUILD_S = 300.0
TARGET_MEMORY_MIB = 1024.0
TARGET_EDIT_S = 15.0
WATCHED = ("saksgen", "soffice.bin", "pandoc")


def saksgen_exe() -> str:
    beside = Path(sys.executable).with_name("saksgen")  # the venv this benchmark runs in
    return str(beside) if beside.exists() else (shutil.which("saksgen") or "saksgen")


def build(repo: Path, log: Path, *args: str) -> tuple[float, Peaks, str]:
    """``saksgen build ARGS`` in ``repo``: seconds, memory peaks, its summary line. Exit 0 or stop."""
    env = {**os.environ, "CI": "true"}
    start = time.perf_counter()
    result, peaks = run_measured(
        [saksgen_exe(), "build", *args], cwd=repo, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    elapsed = time.perf_counter() - start
    with log.open("a", encoding="utf-8") as fh:
        fh.write(f"$ saksgen build {' '.join(args)}  # exit {result.returncode}, {elapsed:.1f} s\n")
        fh.write(result.stdout + result.stderr)
    summary = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ""
    if result.returncode != 0:
        raise SystemExit(
            f"saksgen build {' '.join(args)} gave exit {result.returncode}:\n{result.stderr[-3000:]}"
        )
    return elapsed, peaks, summary


def verify_outputs(year: YearRepo, outdir: Path) -> tuple[int, int, int]:
    papers = year.paper_pdfs(outdir)
    missing = [p for p in papers if not p.is_file()]
    agendas = [outdir / m.id / "sakliste.pdf" for m in year.meetings]
    packs = [outdir / m.id / "saksdokumenter.pdf" for m in year.meetings]
    missing += [p for p in agendas + packs if not p.is_file()]
    if missing:
        names = ", ".join(str(p.relative_to(outdir)) for p in missing[:10])
        raise SystemExit(f"{len(missing)} PDF mangler etter bygging, f.eks. {names}")
    return len(papers), len(agendas), len(packs)


def stage_docx(year: YearRepo, outdir: Path, stage: Path) -> list[Path]:
    """Links to every DOCX the build converted, with names unique across meetings (each meeting
    has a sakliste.docx, and the floor writes all PDFs into one folder)."""
    stage.mkdir(parents=True)
    links = []
    for m in year.meetings:
        for docx in sorted((outdir / m.id).glob("*.docx")):
            link = stage / f"{m.id}--{docx.name}"
            link.symlink_to(docx)
            links.append(link)
    return links


def edit_case(path: Path, n: int) -> None:
    text = path.read_text(encoding="utf-8")
    marker = "vurdering: |\n"
    sentence = f"  Endring {n}: arbeidsgruppen har lagt til en ny vurdering etter innspill fra regionene.\n\n"
    path.write_text(text.replace(marker, marker + sentence, 1), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--meetings", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--floor-shards", default="1", help="comma-separated, e.g. 1,2")
    parser.add_argument("--keep", type=Path, help="work in this (new) folder and keep it")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args()
    compile_saksgen()
    shard_counts = [int(x) for x in args.floor_shards.split(",") if x]

    tmp = None
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=False)
        work = args.keep.resolve()
    else:
        tmp = tempfile.TemporaryDirectory(prefix="saksgen-year-")
        work = Path(tmp.name)
    try:
        run(args, shard_counts, work)
    finally:
        if tmp:
            tmp.cleanup()


def run(args: argparse.Namespace, shard_counts: list[int], work: Path) -> None:
    repo = work / "repo"
    log = work / "build.log"
    year = make_year_repo(repo, args.cases, args.meetings)
    print(
        f"repo: {len(year.cases)} cases, {len(year.meetings)} meetings, {len(year.exempt)} exempt; "
        f"log: {log}",
        file=sys.stderr,
    )
    outdir = repo / "output"
    middle = year.meetings[len(year.meetings) // 2]
    edited = repo / "saker" / f"{middle.cases[len(middle.cases) // 2]}.yaml"
    original = edited.read_text(encoding="utf-8")
    edited_pdf = next(p for p in year.paper_pdfs(outdir) if p.stem.endswith(edited.stem))
    pack = outdir / middle.id / "saksdokumenter.pdf"

    times: dict[str, list[float]] = {"build": [], "edit": [], "noop": []}
    times |= {f"floor{s}": [] for s in shard_counts}
    peaks: dict[str, dict[str, float]] = {}
    notes: dict[str, str] = {}
    for r in range(args.repeats):
        # Alternate the runs, so machine noise hits build and floor alike.
        shutil.rmtree(outdir, ignore_errors=True)
        edited.write_text(original, encoding="utf-8")
        print(f"[{r + 1}/{args.repeats}] build …", file=sys.stderr, flush=True)
        elapsed, build_peaks, summary = build(repo, log, "moter")
        times["build"].append(elapsed)
        papers, agendas, packs = verify_outputs(year, outdir)
        notes["build"] = f"{summary}; verified {papers} paper PDFs + {agendas} agendas + {packs} packs"
        peaks["build"] = {n: max(peaks.get("build", {}).get(n, 0.0), build_peaks.mib(n)) for n in WATCHED}
        print(f"  {elapsed:.1f} s; {build_peaks.format()}", file=sys.stderr, flush=True)

        docx = stage_docx(year, outdir, work / f"floor-in-{r}")
        for shards in shard_counts:
            floor_out = work / f"floor-out-{r}-{shards}"
            floor_out.mkdir()
            print(f"  floor ({len(docx)} DOCX, {shards} at a time) …", file=sys.stderr, flush=True)
            with PeakMemory(os.getpid()) as floor_peaks:
                seconds = floor_seconds(docx, floor_out, shards=shards)
            made = len(list(floor_out.glob("*.pdf")))
            if made != len(docx):
                raise SystemExit(f"floor: {made} PDF for {len(docx)} DOCX")
            times[f"floor{shards}"].append(seconds)
            key = f"floor{shards}"
            peaks[key] = {
                "soffice.bin": max(peaks.get(key, {}).get("soffice.bin", 0.0), floor_peaks.mib("soffice.bin"))
            }
            print(f"  {seconds:.1f} s; soffice.bin {floor_peaks.mib('soffice.bin'):.0f} MiB", file=sys.stderr)
            shutil.rmtree(floor_out)
        shutil.rmtree(work / f"floor-in-{r}")

        before_paper, before_pack = edited_pdf.read_bytes(), pack.read_bytes()
        edit_case(edited, r)
        print(f"  edit {edited.relative_to(repo)} …", file=sys.stderr, flush=True)
        elapsed, edit_peaks, summary = build(repo, log, "moter")
        if edited_pdf.read_bytes() == before_paper or pack.read_bytes() == before_pack:
            raise SystemExit("the edited case's PDF or its meeting's pack was not rebuilt")
        verify_outputs(year, outdir)
        times["edit"].append(elapsed)
        notes["edit"] = f"{summary} ({edited.relative_to(repo)})"
        peaks["edit"] = {n: edit_peaks.mib(n) for n in WATCHED}
        print(f"  {elapsed:.1f} s; {summary}", file=sys.stderr, flush=True)

        elapsed, _, summary = build(repo, log, "moter")
        times["noop"].append(elapsed)
        notes["noop"] = summary
        print(f"  noop {elapsed:.1f} s", file=sys.stderr, flush=True)

    report(args, times, peaks, notes)


def report(
    args: argparse.Namespace,
    times: dict[str, list[float]],
    peaks: dict[str, dict[str, float]],
    notes: dict[str, str],
) -> None:
    med = {k: statistics.median(v) for k, v in times.items() if v}
    print(f"\ncases: {args.cases}, meetings: {args.meetings}, repeats: {args.repeats} (median seconds)")
    for key, value in med.items():
        runs = ", ".join(f"{x:.1f}" for x in times[key])
        print(f"  {key:<8} {value:7.1f} s   runs: {runs}")
    for key, note in notes.items():
        print(f"  {key}: {note}")
    for key, by_name in peaks.items():
        print(f"  peak RSS {key:<7} " + ", ".join(f"{n} {v:.0f} MiB" for n, v in by_name.items()))
    worst = max(peaks["build"].values())
    build_ok = med["build"] <= TARGET_BUILD_S and worst <= TARGET_MEMORY_MIB
    print(
        f"build    {med['build']:.1f} s (target <= {TARGET_BUILD_S:.0f}), largest process {worst:.0f} MiB "
        f"(target <= {TARGET_MEMORY_MIB:.0f}): {'ok' if build_ok else 'OVER TARGET'}"
    )
    print(
        f"edit     {med['edit']:.1f} s (target <= {TARGET_EDIT_S:.0f}): "
        f"{'ok' if med['edit'] <= TARGET_EDIT_S else 'OVER TARGET'}"
    )
    for key in med:
        if key.startswith("floor"):
            print(f"build / {key:<7} = {med['build'] / med[key]:.2f}")
    print(f"noop / build     = {med['noop'] / med['build']:.3f}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "cases": args.cases,
                    "meetings": args.meetings,
                    "times": times,
                    "peaks_mib": peaks,
                    "notes": notes,
                },
                indent=2,
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
