"""Benchmark: what does a meeting build cost compared with LibreOffice's own conversion?

In one run, on the same machine state:
  floor    one bare ``soffice --convert-to pdf`` call over the 20 DOCX files saksgen produced
  build    ``saksgen build moter/bench.yaml`` from scratch: 20 papers (DOCX + PDF), agenda, pack
  noop     the same command again with nothing changed
  repack   the same command after deleting saksdokumenter.pdf: noop + the pack alone, so
           pack = repack - noop (attachments already converted to PDF/A, as on any rebuild)
  single   ``saksgen build saker/sak-01.yaml`` from scratch (one paper, DOCX + PDF)

Reported as ratios against the floor (build/floor, target <= 1.0) and against the first build
(noop/build, target <= 0.1). Each figure is the median of ``--repeats`` runs; runs alternate
so noise from other users of the machine hits all of them alike.

Run: ``python bench/bench_build.py [--cases 20] [--repeats 3]``
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import compile_saksgen  # noqa: E402
from bench.soffice_floor import floor_seconds  # noqa: E402

TEMPLATES = ["felles-loggplattform", "kodeverk-forvaltning"]


def make_repo(target: Path, n: int) -> None:
    for folder in ("figurer", "vedlegg"):
        shutil.copytree(ROOT / folder, target / folder)
    (target / "saker").mkdir(parents=True)
    (target / "moter").mkdir()
    ids = []
    for i in range(1, n + 1):
        source = (ROOT / "saker" / f"{TEMPLATES[i % 2]}.yaml").read_text(encoding="utf-8")
        # The loggplattform case refers to kodeverk-forvaltning; keep that target present.
        ident = f"sak-{i:02d}"
        ids.append(ident)
        text = source.replace("@sak:kodeverk-forvaltning", "@sak:sak-02").replace(
            "tittel: ", f"tittel: ({i}) ", 1
        )
        (target / "saker" / f"{ident}.yaml").write_text(text, encoding="utf-8")
    items = "\n".join(f"  - {i}" for i in ids)
    (target / "moter" / "bench.yaml").write_text(
        f"møte: ikt-fagdirektormote\ndato: 2024-06-12\nførste_saksnummer: 10\nsaker:\n{items}\n",
        encoding="utf-8",
    )


def saksgen(repo: Path, *args: str) -> float:
    exe = shutil.which("saksgen") or str(Path(sys.executable).with_name("saksgen"))
    start = time.perf_counter()
    proc = subprocess.run(
        [exe, "build", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "CI": "true"},
        check=False,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"saksgen build {' '.join(args)} failed:\n{proc.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    compile_saksgen()
    results: dict[str, list[float]] = {"floor": [], "build": [], "noop": [], "repack": [], "single": []}
    with tempfile.TemporaryDirectory(prefix="saksgen-bench-") as tmp:
        for r in range(args.repeats):
            repo = Path(tmp) / f"repo{r}"
            make_repo(repo, args.cases)
            results["build"].append(saksgen(repo, "moter/bench.yaml"))
            results["noop"].append(saksgen(repo, "moter/bench.yaml"))
            (repo / "output" / "bench" / "saksdokumenter.pdf").unlink()
            results["repack"].append(saksgen(repo, "moter/bench.yaml"))
            docx = sorted((repo / "output" / "bench").glob("*-sak-*.docx"))
            assert len(docx) == args.cases, docx
            floor_out = Path(tmp) / f"floor{r}"
            floor_out.mkdir()
            results["floor"].append(floor_seconds(docx, floor_out))
            single = Path(tmp) / f"single{r}"
            make_repo(single, 2)
            results["single"].append(saksgen(single, "saker/sak-01.yaml"))
    med = {k: statistics.median(v) for k, v in results.items()}
    print(f"cases: {args.cases}, repeats: {args.repeats} (median seconds)")
    for k, v in med.items():
        print(f"  {k:<7} {v:6.2f} s   runs: {', '.join(f'{x:.2f}' for x in results[k])}")
    print(f"build / floor   = {med['build'] / med['floor']:.2f}   (target <= 1.0, DESIGN.md §17)")
    print(f"noop / build    = {med['noop'] / med['build']:.3f}  (target <= 0.1)")
    pack = max(med["repack"] - med["noop"], 0.0)
    print(f"pack / build    = {pack / med['build']:.3f}  (pack {pack:.2f} s of the build)")
    print(f"single / floor  = {med['single'] / med['floor']:.2f}   (one case vs {args.cases}-file floor)")


if __name__ == "__main__":
    main()
