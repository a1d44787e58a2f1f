"""How close does ``saksgen check`` come to merely parsing the same YAML files?

Generates N valid cases (copies of the example ``saker/felles-loggplattform.yaml`` with different
ids, with its figure and attachments) in a temporary repository and times, in the same run:

- the floor: a fresh ``python -c`` that reads every case file and ``yaml.load``s it with
  ``CSafeLoader`` (``SafeLoader`` where libyaml is missing) — interpreter start-up included;
- ``saksgen check`` as a subprocess on that repository (start-up, profiles, validation,
  references, files, report).

Both are the median of ``repeats`` runs. Target: check/floor <= 3.

Run: ``python bench/bench_check.py [N] [REPEATS]`` (default 200 and 5).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import compile_saksgen  # noqa: E402

EXAMPLE = REPO / "saker" / "felles-loggplattform.yaml"

FLOOR = """\
import glob, yaml
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
for name in sorted(glob.glob("saker/*.yaml")):
    with open(name, encoding="utf-8") as fh:
        yaml.load(fh.read(), Loader=Loader)
"""


def make_repo(root: Path, n: int) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    # The example refers to another case; the copies stand alone so the repository is clean.
    text = text.replace("@sak:kodeverk-forvaltning", "saken om kodeverk")
    (root / "saker").mkdir(parents=True)
    for i in range(n):
        (root / "saker" / f"sak-{i:03d}.yaml").write_text(text, encoding="utf-8")
    for folder in ("figurer", "vedlegg"):
        shutil.copytree(REPO / folder, root / folder)


def check_command() -> list[str]:
    script = Path(sys.executable).with_name("saksgen")
    if script.exists():
        return [str(script), "check"]
    found = shutil.which("saksgen")
    return [found, "check"] if found else [sys.executable, "-m", "saksgen", "check"]


def timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:2])} feilet ({proc.returncode}):\n{proc.stdout}{proc.stderr}")
    return elapsed


def main(n: int = 200, repeats: int = 5) -> float:
    compile_saksgen()
    with tempfile.TemporaryDirectory(prefix="saksgen-bench-check-") as tmp:
        root = Path(tmp)
        make_repo(root, n)
        floor_cmd = [sys.executable, "-c", FLOOR]
        check_cmd = check_command()
        out = subprocess.run(check_cmd, cwd=root, capture_output=True, text=True)
        expected = f"{n} filer kontrollert: 0 feil, 0 advarsler"
        if out.returncode != 0 or expected not in out.stdout:
            raise SystemExit(f"saken er ikke gyldig:\n{out.stdout}{out.stderr}")
        timed(floor_cmd, root)  # warm the OS file cache for both
        floors, checks = [], []
        for _ in range(repeats):  # interleaved, so drift in machine load hits both alike
            floors.append(timed(floor_cmd, root))
            checks.append(timed(check_cmd, root))
        floor, check = statistics.median(floors), statistics.median(checks)
        ratio = check / floor
        print(f"N={n} saker, median av {repeats} kjøringer")
        print(f"gulv  (python -c + yaml.load)  {floor:6.3f} s  {[round(x, 3) for x in floors]}")
        print(f"saksgen check                  {check:6.3f} s  {[round(x, 3) for x in checks]}")
        print(f"forhold check/gulv             {ratio:6.2f}  (mål: <= 3)")
        return ratio


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
