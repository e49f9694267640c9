"""Timing and memory of one command, run in a fresh process."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

# A child that runs the command and reports wall time and the peak RSS of its
# largest descendant (RUSAGE_CHILDREN of a fresh process = this command only).
_RUNNER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.run(sys.argv[2:], cwd=sys.argv[1], capture_output=True, text=True)
wall = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall": wall, "peak_kb": peak, "rc": proc.returncode,
                  "out": proc.stdout[-20000:], "err": proc.stderr[-4000:]}))
"""


@dataclass
class Run:
    wall: float
    peak_kb: int
    out: str


@dataclass
class Figure:
    median_s: float
    min_s: float
    max_s: float
    runs: int
    peak_mb: float

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def run_once(command: list[str], cwd: Path) -> Run:
    result = subprocess.run(
        [sys.executable, "-c", _RUNNER, str(cwd), *command], capture_output=True, text=True, check=True
    )
    data = json.loads(result.stdout)
    if data["rc"] != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({data['rc']}):\n{data['out']}\n{data['err']}")
    return Run(data["wall"], data["peak_kb"], data["out"] + data["err"])


def repeat(command: list[str], cwd: Path, times: int, before=None) -> tuple[Figure, Run]:
    runs = []
    for _ in range(times):
        if before is not None:
            before()
        runs.append(run_once(command, cwd))
    walls = [r.wall for r in runs]
    figure = Figure(
        statistics.median(walls), min(walls), max(walls), len(runs), max(r.peak_kb for r in runs) / 1024
    )
    return figure, runs[-1]


def timed(label: str) -> float:
    print(f"  {label} …", flush=True)
    return time.perf_counter()
