"""``make bench``: measure check, builds, baselines, incremental builds, search and memory.

Writes BENCHMARKS.md and bench/ergebnisse.json (a rerun replaces both).
Sizes via BENCH_GROESSEN (default "100,1000,3000"), repetitions via BENCH_WIEDERHOLUNGEN.
"""

from __future__ import annotations

import json
import os
import platform
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import baselines
import measure
import report
import synthetic

from regiodocs import publication

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "_build" / "bench"
PY = sys.executable
BIN = Path(PY).parent
# Zensical builds the MkDocs project with MkDocs' default navigation (every page), like the
# issue's comparison; baselines.SAME_NAV with "site" would measure it with our navigation.
ZENSICAL_CONFIG, ZENSICAL_SITE = baselines.DEFAULT_NAV, "site-alle"


def regiodocs(*args: str) -> list[str]:
    return [PY, "-m", "regiodocs", *args]


def build_args(content: Path, out: Path, work: Path, jobs: str) -> list[str]:
    return regiodocs(
        "build",
        "--inhalt",
        str(content),
        "--ziel",
        str(out),
        "--arbeit",
        str(work),
        "-j",
        jobs,
        "-D",
        "regiodocs_heute=2026-11-22",
    )


def fresh(*paths: Path):
    def clean() -> None:
        for path in paths:
            publication.remove_published(path)

    return clean


def count_docs(output: str) -> dict[str, int]:
    read = len(re.findall(r"^reading sources\.\.\. \[", output, re.M))
    written = len(re.findall(r"^writing output\.\.\. \[", output, re.M))
    return {"gelesen": read, "geschrieben": written}


def dir_bytes(path: Path, pattern: str = "*") -> int:
    return sum(p.stat().st_size for p in path.rglob(pattern) if p.is_file())


def bench_size(n: int, reps: int) -> dict[str, object]:
    base = WORK / str(n)
    content = synthetic.generate(base / "content", n)
    one_file = next((content / "projekte").rglob("*.md"))
    out, work = base / "html", base / "arbeit"
    result: dict[str, object] = {"eintraege": n}

    measure.timed(f"{n}: check")
    result["check"] = measure.repeat(regiodocs("check", "--inhalt", str(content)), ROOT, reps)[0].as_dict()
    result["check_eine_datei"] = measure.repeat(
        regiodocs("check", "--inhalt", str(content), str(one_file)), ROOT, reps
    )[0].as_dict()

    build_reps = 1 if n >= 3000 else max(1, reps - 1)
    for jobs, key in (("1", "build_seriell"), ("auto", "build_parallel")):
        measure.timed(f"{n}: build -j {jobs}")
        figure, run = measure.repeat(
            build_args(content, out, work, jobs), ROOT, build_reps, before=fresh(out, work)
        )
        result[key] = figure.as_dict()
    pages = len(list(out.rglob("*.html")))
    result["seiten"] = pages
    result["groesse_projektliste_kb"] = round((out / "projekte" / "index.html").stat().st_size / 1024, 1)
    result["groesse_eintragsseite_kb"] = round(
        max(p.stat().st_size for p in (out / "projekte").rglob("*.html") if p.name != "index.html") / 1024, 1
    )  # a record's page, not the overview pages of the folder

    measure.timed(f"{n}: incremental")
    record = one_file.read_text(encoding="utf-8")
    one_file.write_text(record + "\nEin zusätzlicher Satz für den Benchmark.\n", encoding="utf-8")
    figure, run = measure.repeat(build_args(content, out, work, "1"), ROOT, 1)
    result["inkrementell_text"] = figure.as_dict() | count_docs(run.out)
    moved = one_file.read_text(encoding="utf-8")
    status = re.search(r"^status: (\w+)$", moved, re.M)
    new_status = "ruhend" if status and status.group(1) != "ruhend" else "umsetzung"
    one_file.write_text(
        re.sub(r"^status: \w+$", f"status: {new_status}", moved, flags=re.M), encoding="utf-8"
    )
    figure, run = measure.repeat(build_args(content, out, work, "1"), ROOT, 1)
    result["inkrementell_kopf"] = figure.as_dict() | count_docs(run.out)
    one_file.write_text(record, encoding="utf-8")

    result["suche"] = search_figures(out)

    measure.timed(f"{n}: plain Sphinx baseline")
    plain = baselines.plain_sphinx(content, base / "plain")
    for jobs, key in (("1", "sphinx_seriell"), ("auto", "sphinx_parallel")):
        figure, _run = measure.repeat(
            [
                str(BIN / "sphinx-build"),
                "-q",
                "-b",
                "html",
                "-j",
                jobs,
                "-d",
                str(base / "plain-doctrees"),
                str(plain),
                str(base / "plain-html"),
            ],
            ROOT,
            build_reps,
            before=fresh(base / "plain-html", base / "plain-doctrees"),
        )
        result[key] = figure.as_dict()

    project = baselines.mkdocs(content, base / "mkdocs")
    mkdocs_bin, zensical_bin = BIN / "mkdocs", BIN / "zensical"
    if mkdocs_bin.exists():
        for config, key, site_dir in (
            (baselines.DEFAULT_NAV, "mkdocs_alle", "site-alle"),
            (baselines.SAME_NAV, "mkdocs", "site"),
        ):
            measure.timed(f"{n}: MkDocs Material ({config})")
            figure = _baseline(
                result,
                key,
                [str(mkdocs_bin), "build", "-q", "-f", str(project / config)],
                ROOT,
                build_reps,
                fresh(project / site_dir),
            )
            if figure is not None:
                result[key] = figure.as_dict()
    if zensical_bin.exists():
        # The same project and mkdocs.yml as MkDocs Material; a full build: no site, no cache.
        measure.timed(f"{n}: Zensical ({ZENSICAL_CONFIG})")
        figure = _baseline(
            result,
            "zensical",
            [str(zensical_bin), "build", "-f", str(project / ZENSICAL_CONFIG)],
            project,
            build_reps,
            fresh(project / ZENSICAL_SITE, project / ".cache"),
        )
        if figure is not None:
            result["zensical"] = figure.as_dict() | {"navigation": ZENSICAL_CONFIG}
    return result


def _baseline(
    result: dict[str, object], key: str, command: list[str], cwd: Path, reps: int, before
) -> measure.Figure | None:
    """A comparison tool's build; if the tool fails (Zensical's search index has a size limit),
    the failure is a result of its own (``<key>_fehler``: the tool's last line), not the end of
    the run."""
    try:
        figure, _run = measure.repeat(command, cwd, reps, before=before)
    except RuntimeError as err:
        lines = [line.strip() for line in str(err).splitlines() if line.strip()]
        result[f"{key}_fehler"] = lines[-1][:300] if lines else "fehlgeschlagen"
        print(f"    fehlgeschlagen: {result[f'{key}_fehler']}", flush=True)
        return None
    return figure


def search_figures(out: Path) -> dict[str, object]:
    """The search index on disk (bytes per query: see search_queries)."""
    return {"index_bytes": dir_bytes(out / "_suche")}


def search_queries(sizes: list[int]) -> dict[str, object]:
    """Bytes per query in headless Chromium, all queries of the quality set (scripts/suchmessung.py)."""
    target = WORK / "suche.json"
    wanted = ",".join(str(n) for n in sorted({min(sizes), max(sizes)}))
    measure.timed(f"Suche: Bytes je Abfrage bei {wanted} Einträgen")
    result = measure.run_once(
        [PY, "scripts/suchmessung.py", "--groessen", wanted, "--json", str(target)], ROOT
    )
    del result
    return json.loads(target.read_text(encoding="utf-8"))


def main() -> int:
    sizes = [int(s) for s in os.environ.get("BENCH_GROESSEN", "100,1000,3000").split(",")]
    reps = int(os.environ.get("BENCH_WIEDERHOLUNGEN", "3"))
    machine = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "system": platform.platform(),
        "prozessor": platform.processor() or platform.machine(),
    }
    results = []
    for n in sizes:
        print(f"Benchmark mit {n} Einträgen", flush=True)
        results.append(bench_size(n, reps))
        # kept after every size: a run that fails later still leaves what it measured
        (WORK / "teilergebnisse.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    data = {"maschine": machine, "ergebnisse": results, "suche": search_queries(sizes)}
    (ROOT / "bench" / "ergebnisse.json").write_text(
        json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (ROOT / "BENCHMARKS.md").write_text(report.markdown(data), encoding="utf-8")
    print("BENCHMARKS.md und bench/ergebnisse.json geschrieben.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
