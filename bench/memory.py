"""Peak resident memory per process name of a process tree, sampled from /proc (Linux only).

``with PeakMemory(pid) as peaks: ...`` watches ``pid`` and all its descendants from a background
thread. For every process it reads ``VmHWM`` from ``/proc/<pid>/status``: the kernel's own
high-water mark of that process's resident set, so a peak between two samples is not missed as
long as the process is seen once before it exits (the sampling interval only bounds how short-lived
a process may be and still be seen). Results are the largest peak of any ONE process per name
(``/proc/<pid>/comm``: ``saksgen``, ``soffice.bin``, ``pandoc``, …), since the target (DESIGN
§11) is per process, plus the largest sum over the whole tree at one sample.

A process is followed once it has been seen as a descendant, even if it is later re-parented
(LibreOffice's launcher may exit before soffice.bin does). Processes of other users of the machine
(other builds, other LibreOffices) are never counted: only descendants of ``pid`` are.

Run: ``python -m bench.memory COMMAND...`` prints the peaks of one command.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

PROC = Path("/proc")


def _status(pid: int) -> dict[str, str] | None:
    try:
        text = (PROC / str(pid) / "status").read_text()
    except OSError:  # gone, or not ours
        return None
    fields = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def _kib(value: str | None) -> int:
    return int(value.split()[0]) if value else 0  # "123456 kB"


def _parents() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, start time); the start time tells a reused pid from the old one."""
    parents = {}
    for entry in os.scandir(PROC):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ... ; comm may contain spaces and parentheses
        rest = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry.name)] = (int(rest[1]), rest[19])
    return parents


@dataclass
class Peaks:
    per_name: dict[str, int] = field(default_factory=dict)  # name -> peak RSS of one process, KiB
    processes: dict[str, int] = field(default_factory=dict)  # name -> how many were seen
    tree_total: int = 0  # largest sum of current RSS over the tree at one sample, KiB
    samples: int = 0

    def mib(self, name: str) -> float:
        return self.per_name.get(name, 0) / 1024

    def format(self) -> str:
        rows = sorted(self.per_name.items(), key=lambda kv: -kv[1])
        parts = [f"{name} {kib / 1024:.0f} MiB (x{self.processes[name]})" for name, kib in rows]
        return ", ".join(parts) + f"; tree total {self.tree_total / 1024:.0f} MiB; {self.samples} samples"


class PeakMemory:
    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.root = pid
        self.interval = interval
        self.peaks = Peaks()
        self._known: dict[int, str] = {}  # pid -> start time, followed even when re-parented
        self._names: dict[tuple[int, str], str] = {}  # (pid, start) -> name, counted once
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Peaks:
        self._thread.start()
        return self.peaks

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(self.interval):
                self.sample()  # processes still alive at the end
                return

    def _tree(self) -> dict[int, str]:
        parents = _parents()
        tree = {self.root} if self.root in parents else set()
        tree |= {pid for pid, start in self._known.items() if parents.get(pid, (0, ""))[1] == start}
        grew = True
        while grew:
            grew = False
            for pid, (ppid, start) in parents.items():
                if ppid in tree and pid not in tree:
                    tree.add(pid)
                    self._known.setdefault(pid, start)
                    grew = True
        return {pid: parents[pid][1] for pid in tree}

    def sample(self) -> None:
        total = 0
        for pid, start in self._tree().items():
            status = _status(pid)
            if status is None:
                continue
            name = status.get("Name", "?")
            if self._names.get((pid, start)) != name:  # new, or exec'd into another program
                self._names[(pid, start)] = name
                self.peaks.processes[name] = self.peaks.processes.get(name, 0) + 1
            peak = max(_kib(status.get("VmHWM")), _kib(status.get("VmRSS")))
            if peak > self.peaks.per_name.get(name, 0):
                self.peaks.per_name[name] = peak
            total += _kib(status.get("VmRSS"))
        self.peaks.tree_total = max(self.peaks.tree_total, total)
        self.peaks.samples += 1


def run_measured(cmd: list[str], **kwargs: object) -> tuple[subprocess.CompletedProcess[str], Peaks]:
    """Run ``cmd`` to completion (like subprocess.run) while sampling its process tree."""
    proc = subprocess.Popen(cmd, text=True, **kwargs)  # type: ignore[call-overload]
    with PeakMemory(proc.pid) as peaks:
        out, err = proc.communicate()
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err), peaks


if __name__ == "__main__":
    result, measured = run_measured(sys.argv[1:])
    print(f"exit {result.returncode}; peak RSS: {measured.format()}", file=sys.stderr)
