"""bench/report.py renders the comparison columns and issue 16's targets (no build: a small results dict)."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import measure  # noqa: E402
import report  # noqa: E402


def fig(seconds: float, peak_mb: float = 100.0) -> dict[str, float]:
    return {
        "median_s": seconds,
        "min_s": seconds,
        "max_s": seconds,
        "runs": 1,
        "peak_mb": peak_mb,
        "cpu_s": 1.5,
    }


def row(n: int, build: float, peak_mb: float, head_written: int) -> dict[str, object]:
    return {
        "eintraege": n,
        "seiten": n + 80,
        "check": fig(0.5),
        "check_eine_datei": fig(0.2),
        "build_seriell": fig(build * 1.5, peak_mb),
        "build_parallel": fig(build, peak_mb / 2),
        "groesse_projektliste_kb": 40.0,
        "groesse_eintragsseite_kb": 30.0,
        "inkrementell_text": fig(1.0) | {"gelesen": 1, "geschrieben": 1},
        "inkrementell_kopf": fig(2.5) | {"gelesen": 16, "geschrieben": head_written},
        "suche": {"index_bytes": 4096},
        "sphinx_parallel": fig(build / 2),
        "mkdocs_alle": fig(build * 2),
        "mkdocs": fig(build / 2),
        "zensical": fig(build / 4) | {"navigation": "mkdocs-alle.yml"},
    }


def query(median_bytes: int) -> dict[str, int]:
    return {"seiten": 1, "index_bytes": 1, "median_bytes": median_bytes, "p90_bytes": 1, "max_bytes": 1,
            "median_dateien": 1}  # fmt: skip


@pytest.fixture
def data() -> dict[str, object]:
    return {
        "maschine": {"python": "3.11.7", "cpus": 2, "system": "Linux", "prozessor": "x86_64"},
        "ergebnisse": [row(1000, 16.0, 600, 21), row(3000, 60.0, 1500, 21)],
        "suche": {"100": query(10), "3000": query(30)},
    }


def target(text: str, goal: str) -> list[str]:
    """The cells of the targets table's row that starts with ``goal``."""
    rows = [line for line in text.splitlines() if line.startswith(f"| {goal}")]
    assert len(rows) == 1, (goal, rows)
    return [cell.strip() for cell in rows[0].strip("|").split("|")]


def test_comparison_columns_and_ratios(data) -> None:
    text = report.markdown(data)
    header = next(line for line in text.splitlines() if line.startswith("| Einträge | regiodocs -j auto"))
    for column in (
        "MkDocs Material (alle Seiten)",
        "÷ MkDocs (alle Seiten)",
        "MkDocs Material (unsere Navigation)",
        "÷ MkDocs (unsere Navigation)",
        "Zensical (alle Seiten)",
        "÷ Zensical",
    ):
        assert f"| {column} |" in header
    line = next(line for line in text.splitlines() if line.startswith("| 1000 | 16.00 s"))
    # regiodocs 16 s; Sphinx 8 s, MkDocs (all pages) 32 s, MkDocs (our navigation) 8 s, Zensical 4 s
    assert line == "| 1000 | 16.00 s | 8.00 s | 2.00 | 32.00 s | 0.50 | 8.00 s | 2.00 | 4.00 s | 4.00 |"
    assert "| 1000 | 1080 | 0.50 s | 0.20 s | 24.00 s | 16.00 s | 1.50 s | 16.0 | 600 MB |" in text


def test_issue_16_targets(data) -> None:
    text = report.markdown(data)
    assert target(text, "voller Bau ≤ 20 ms je Eintrag")[1:] == ["16.0 ms", "ja"]
    # 20 ms/record at 3,000 vs 16 at 1,000: 1.25 > 1.1
    assert target(text, "linear: ms/Eintrag bei 3.000 ≤ 1,1")[1:] == ["1.25", "nein"]
    assert target(text, "schneller als MkDocs Material mit Standardnavigation")[1:] == ["0.50", "ja"]
    assert target(text, "höchstens 2,5 × MkDocs Material mit unserer Navigation")[1:] == ["2.00", "ja"]
    assert target(text, "inkrementell bei 1.000: Textänderung ≤ 2 s")[1:] == ["1.00 s", "ja"]
    assert target(text, "inkrementell bei 1.000: Kopfänderung ≤ 3 s")[1:] == ["2.50 s", "ja"]
    assert target(text, "inkrementell bei 1.000: nur abhängige Seiten")[2] == "ja"
    assert target(text, "check einer Datei ≤ 0,3 s")[1:] == ["0.20 s", "ja"]
    assert target(text, "check des ganzen Baums ≤ 1 s")[1:] == ["0.50 s", "ja"]
    # the serial build's process (1,500 MB) is the largest, not the -j auto one (750 MB)
    assert target(text, "Spitzenspeicher eines Baus mit 3.000 Einträgen ≤ 1 GB")[1:] == ["1500 MB", "nein"]
    assert target(text, "Bytes je Suchanfrage flach")[1:] == ["3.00", "nein"]
    for old in ("≤ 40 ms je Eintrag", "Mehraufwand zu reinem Sphinx", "< 2 GB"):
        assert old not in text


def test_targets_fail_where_missed(data) -> None:
    slow = data["ergebnisse"][0]
    slow["mkdocs_alle"] = slow["mkdocs"]  # MkDocs (all pages) 8 s: regiodocs' 16 s is not faster
    slow["inkrementell_kopf"]["geschrieben"] = 900  # a front-matter edit rewrote the handbook
    text = report.markdown(data)
    assert target(text, "schneller als MkDocs Material mit Standardnavigation")[1:] == ["2.00", "nein"]
    assert target(text, "inkrementell bei 1.000: nur abhängige Seiten")[2] == "nein"


def test_kept_sections(data) -> None:
    text = report.markdown(data)
    assert "## Suche: Qualität, Vergleich und Thesaurus" in text
    assert "### Inkrementell = sauber" in text


def test_peak_memory_includes_workers(tmp_path: Path) -> None:
    """The peak is the build's largest process, a worker included, not the process started."""
    script = tmp_path / "worker.py"
    script.write_text(
        textwrap.dedent(
            """
            import multiprocessing

            def work():
                block = bytearray(200 * 1024 * 1024)
                for i in range(0, len(block), 4096):
                    block[i] = 1

            if __name__ == "__main__":
                worker = multiprocessing.get_context("spawn").Process(target=work)
                worker.start()
                worker.join()
            """
        ),
        encoding="utf-8",
    )
    run = measure.run_once([sys.executable, str(script)], tmp_path)
    assert run.peak_kb > 200 * 1024
    assert run.cpu > 0


def test_every_target_listed_in_a_small_run(data) -> None:
    """A run at 30 records (BENCH_GROESSEN=30) still lists every target, none judged."""
    data["ergebnisse"] = [row(30, 2.0, 200, 21)]
    data["suche"] = {"30": query(10)}
    text = report.markdown(data)
    ziele = text.split("## Ziele", 1)[1].split("\n\n")[1].splitlines()[2:]
    assert len(ziele) == 11
    assert all(line.endswith("| nicht gemessen | – |") for line in ziele), ziele


def test_a_comparison_tool_that_fails_is_reported_with_its_message(data) -> None:
    failed = data["ergebnisse"][1]
    del failed["zensical"]
    failed["zensical_fehler"] = "RuntimeError: Search field 'text' exceeds the search index limit"
    text = report.markdown(data)
    line = next(line for line in text.splitlines() if line.startswith("| 3000 | 60.00 s"))
    assert line.split(" | ")[-2:] == ["fehlgeschlagen", "– |"]
    assert (
        "- 3000 Einträge, `zensical`: RuntimeError: Search field 'text' exceeds the search index limit"
        in text
    )
