"""Timing and memory of one command, run in a fresh process."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

# A child that runs the command and reports its wall time, CPU time and peak memory.
# getrusage(RUSAGE_CHILDREN) of this fresh process covers the command and every process it
# waited for, parallel workers included (Sphinx' -j workers are joined): ru_maxrss is then the
# resident set of the largest single process of the build (Linux: of the largest descendant,
# not the sum of processes running at once), ru_utime + ru_stime the CPU time of all of them.
_RUNNER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.run(sys.argv[2:], cwd=sys.argv[1], capture_output=True, text=True)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_kb": usage.ru_maxrss,
                  "rc": proc.returncode, "out": proc.stdout[-20000:], "err": proc.stderr[-4000:]}))
"""


@dataclass
class Run:
    wall: float
    peak_kb: int
    out: str
    cpu: float = 0.0


@dataclass
class Figure:
    median_s: float
    min_s: float
    max_s: float
    runs: int
    peak_mb: float
    cpu_s: float = 0.0  # median user + sys of the command and its workers

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def run_once(command: list[str], cwd: Path) -> Run:
    result = subprocess.run(
        [sys.executable, "-c", _RUNNER, str(cwd), *command], capture_output=True, text=True, check=True
    )
    data = json.loads(result.stdout)
    if data["rc"] != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({data['rc']}):\n{data['out']}\n{data['err']}")
    return Run(data["wall"], data["peak_kb"], data["out"] + data["err"], data["cpu"])


def repeat(command: list[str], cwd: Path, times: int, before=None) -> tuple[Figure, Run]:
    runs = []
    for _ in range(times):
        if before is not None:
            before()
        runs.append(run_once(command, cwd))
    walls = [r.wall for r in runs]
    figure = Figure(
        statistics.median(walls),
        min(walls),
        max(walls),
        len(runs),
        max(r.peak_kb for r in runs) / 1024,
        statistics.median(r.cpu for r in runs),
    )
    return figure, runs[-1]


def timed(label: str) -> float:
    print(f"  {label} …", flush=True)
    return time.perf_counter()
