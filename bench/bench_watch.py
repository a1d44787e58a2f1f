"""Benchmark: watch mode's edit -> new PDF on disk, against a cold single-case build.

In one run, alternating:
  cold    ``saksgen build saker/sak-01.yaml`` from scratch (LibreOffice started for it)
  watch   ``saksgen build --overvåk saker/sak-01.yaml`` running; the case file is edited and the
          time until its PDF on disk has changed is measured (the kept LibreOffice converts it)

Reported as medians and the ratio watch/cold (target <= 0.35, DESIGN.md §17).

Run: ``python -m bench.bench_watch [--repeats 5]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import compile_saksgen
from bench.bench_build import make_repo, saksgen


def _wait(pred: object, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if pred():  # type: ignore[operator]
            return
        if proc.poll() is not None:
            raise SystemExit("watch ended early")
        time.sleep(0.005)
    raise SystemExit("timed out")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    compile_saksgen()
    cold: list[float] = []
    edits: list[float] = []
    exe = shutil.which("saksgen") or str(Path(sys.executable).with_name("saksgen"))
    with tempfile.TemporaryDirectory(prefix="saksgen-bench-") as tmp:
        repo = Path(tmp) / "watch"
        make_repo(repo, 2)
        log = Path(tmp) / "watch.log"
        with open(log, "wb") as err:
            proc = subprocess.Popen(
                [exe, "build", "--overvåk", "saker/sak-01.yaml"],
                cwd=repo,
                stdout=subprocess.DEVNULL,
                stderr=err,
                env={**os.environ, "CI": "true"},
            )
        try:
            _wait(lambda: "overvåker" in log.read_text(encoding="utf-8"), proc)
            case = repo / "saker" / "sak-01.yaml"
            pdf = repo / "output" / "sak-01.pdf"
            for r in range(args.repeats):
                single = Path(tmp) / f"single{r}"
                make_repo(single, 2)
                cold.append(saksgen(single, "saker/sak-01.yaml"))
                before = pdf.read_bytes()
                text = case.read_text(encoding="utf-8").replace("tittel: ", f"tittel: Utkast {r} ", 1)
                start = time.perf_counter()
                case.write_text(text, encoding="utf-8")
                _wait(lambda b=before: pdf.exists() and pdf.read_bytes() != b, proc)
                edits.append(time.perf_counter() - start)
                time.sleep(0.3)
        except SystemExit:
            print(log.read_text(encoding="utf-8"), file=sys.stderr)
            raise
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=30)
    c, w = statistics.median(cold), statistics.median(edits)
    print(f"repeats: {args.repeats} (median seconds)")
    print(f"  cold single-case build  {c:5.2f} s   runs: {', '.join(f'{x:.2f}' for x in cold)}")
    print(f"  watch edit -> new PDF   {w:5.2f} s   runs: {', '.join(f'{x:.2f}' for x in edits)}")
    print(f"watch / cold = {w / c:.2f}   (target <= 0.35)")


if __name__ == "__main__":
    main()
