"""BENCHMARKS.md from the measured figures, with the targets of the speed issue."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _s(fig: dict[str, float] | None) -> str:
    if not fig:
        return "–"
    spread = f" ({fig['min_s']:.2f}–{fig['max_s']:.2f})" if fig["runs"] > 1 else ""
    return f"{fig['median_s']:.2f} s{spread}"


def _per(fig: dict[str, float] | None, n: int) -> str:
    return f"{1000 * fig['median_s'] / n:.1f}" if fig else "–"


def _ratio(a: dict[str, float] | None, b: dict[str, float] | None) -> float | None:
    return a["median_s"] / b["median_s"] if a and b else None


def markdown(data: dict[str, Any]) -> str:
    m = data["maschine"]
    rows = data["ergebnisse"]
    out = [
        "# Benchmarks", "",
        "Gemessen von `make bench` (bench/run.py); ein neuer Lauf ersetzt diese Datei und "
        "`bench/ergebnisse.json`.", "",
        "## Methode", "",
        "- Synthetische Inhalte mit festem Seed (bench/synthetic.py): die Register des Netzwerks, "
        "dazu N Einträge aller Typen mit 300–700 Wörtern deutschem Text, allen Partnern, "
        "Handlungsfeldern, Status und Plattformen.",
        "- Jede Messung in einem frischen Prozess; Median und Spanne über die Wiederholungen "
        "(bei 3.000 Einträgen ein Lauf je Bau). Spitzenspeicher: größter Einzelprozess (ru_maxrss).",
        "- Bauten: `regiodocs build` ohne Arbeitsordner (voller Bau), seriell (`-j 1`) und parallel "
        "(`-j auto`). Basislinie: dieselben Seiten als MyST-Dateien mit reinem Sphinx, gleichen "
        "Erweiterungen, Theme und Navigation. MkDocs Material: dieselben Einträge und Listen als "
        "Markdown mit deutscher Suche.",
        "- Inkrementell: nach einem vollen Bau (a) ein Satz mehr im Text eines Eintrags, "
        "(b) `status` geändert (der Eintrag wechselt Übersichtsseiten); gezählt werden gelesene und "
        "geschriebene Dokumente.", "",
        f"Maschine: {m['system']}, {m['cpus']} Kerne, Python {m['python']}.", "",
        "## Ergebnisse", "",
        "| Einträge | Seiten | check | check 1 Datei | Bau seriell | Bau -j auto | ms/Eintrag (-j auto) "
        "| Sphinx pur -j auto | Faktor zu Sphinx | MkDocs | Faktor zu MkDocs | Spitzenspeicher |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]  # fmt: skip
    for r in rows:
        n = r["eintraege"]
        vs_sphinx = _ratio(r.get("build_parallel"), r.get("sphinx_parallel"))
        vs_mkdocs = _ratio(r.get("build_parallel"), r.get("mkdocs"))
        peak = max(r[k]["peak_mb"] for k in ("build_seriell", "build_parallel"))
        out.append(
            f"| {n} | {r['seiten']} | {_s(r['check'])} | {_s(r['check_eine_datei'])} "
            f"| {_s(r['build_seriell'])} | {_s(r['build_parallel'])} | {_per(r['build_parallel'], n)} "
            f"| {_s(r.get('sphinx_parallel'))} | {f'{vs_sphinx:.2f}' if vs_sphinx else '–'} "
            f"| {_s(r.get('mkdocs'))} | {f'{vs_mkdocs:.2f}' if vs_mkdocs else '–'} | {peak:.0f} MB |"
        )
    out += [
        "",
        "### Inkrementelle Bauten, Seitengröße, Suchindex",
        "",
        "| Einträge | Text geändert | gelesen/geschrieben | Kopf geändert | gelesen/geschrieben "
        "| größte Eintragsseite | Liste aller Projekte | Suchindex auf der Platte |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        a, b, s = r["inkrementell_text"], r["inkrementell_kopf"], r["suche"]
        out.append(
            f"| {r['eintraege']} | {_s(a)} | {a['gelesen']}/{a['geschrieben']} | {_s(b)} "
            f"| {b['gelesen']}/{b['geschrieben']} | {r['groesse_eintragsseite_kb']} KB "
            f"| {r.get('groesse_projektliste_kb', '–')} KB | {s['index_bytes'] / 1024:.0f} KB |"
        )
    search = data.get("suche") or {}
    if search:
        out += [
            "",
            "### Bytes je Suchanfrage im Browser",
            "",
            "Alle Anfragen des Qualitätssatzes (tests/search_queries.yaml) in headless Chromium, "
            "gezählt werden die geladenen Dateien unter `_suche/` (scripts/suchmessung.py).",
            "",
            "| Einträge | Seiten | Index gesamt | Median je Abfrage | p90 | Maximum | Dateien (Median) |",
            "|---|---|---|---|---|---|---|",
        ]
        for n, s in sorted(search.items(), key=lambda i: int(i[0])):
            out.append(
                f"| {n} | {s['seiten']} | {s['index_bytes'] / 1024:.0f} KB "
                f"| {s['median_bytes'] / 1024:.1f} KB | {s['p90_bytes'] / 1024:.1f} KB "
                f"| {s['max_bytes'] / 1024:.1f} KB | {s['median_dateien']} |"
            )
    out += incremental_section()
    out += ["", "## Ziele", "", *targets(rows, search), ""]
    out += search_quality_section()
    return "\n".join(out)


def search_quality_section() -> list[str]:
    """The search's quality and comparison (bench/suche.md: scripts/suchvergleich.py's figures,
    not measured by `make bench`), kept when `make bench` rewrites BENCHMARKS.md."""
    path = Path(__file__).with_name("suche.md")
    return ["", *path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def incremental_section() -> list[str]:
    """``make incremental``'s figures (bench/inkrementell.json), if it ran."""
    path = Path(__file__).with_name("inkrementell.json")
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        "",
        "### Inkrementell = sauber: gelesene und geschriebene Dokumente je Art der Änderung",
        "",
        f"`make incremental` (tests/incremental.py): {data['steps']} zufällige, realistische Änderungen "
        f"(Saat {data['seed']}) am Testnetz `tests/fixtures/basis` (etwa 40 Seiten); nach jeder wird der "
        "inkrementelle Bau (`-j 2`) Datei für Datei und Byte für Byte mit einem sauberen Bau (`-j 1`) "
        "verglichen, nichts normalisiert. Eine Änderung, die den Inhalt ungültig macht, muss den Bau "
        "scheitern lassen und die veröffentlichte Seite unverändert lassen ('gebaut' zählt die gültigen). "
        f"Dauer {data['seconds']} s; Abweichungen: {data.get('differences', 0)}."
        + (
            f" Zwischenstand eines Laufs über {data['wanted']} Änderungen."
            if data.get("wanted", data["steps"]) > data["steps"]
            else ""
        ),
        "",
        *data["table"].splitlines(),
    ]


def targets(rows: list[dict[str, Any]], search: dict[str, Any]) -> list[str]:
    by_n = {r["eintraege"]: r for r in rows}
    lines = ["| Ziel | Messung | erfüllt |", "|---|---|---|"]

    def add(goal: str, value: str, ok: bool | None) -> None:
        lines.append(f"| {goal} | {value} | {'ja' if ok else 'nein' if ok is not None else '–'} |")

    if 1000 in by_n:
        r = by_n[1000]
        add("check bei 1.000 Einträgen < 1 s", _s(r["check"]), r["check"]["median_s"] < 1)
        add("check einer Datei < 0,3 s", _s(r["check_eine_datei"]), r["check_eine_datei"]["median_s"] < 0.3)
        per = 1000 * r["build_parallel"]["median_s"] / 1000
        add("≤ 40 ms je Eintrag bei 1.000", f"{per:.1f} ms", per <= 40)
        ratio = _ratio(r["build_parallel"], r.get("mkdocs"))
        add(
            "schneller als MkDocs Material (Faktor < 1)",
            f"{ratio:.2f}" if ratio else "–",
            ratio < 1 if ratio else None,
        )
        ratio = _ratio(r["build_parallel"], r.get("sphinx_parallel"))
        add(
            "Mehraufwand zu reinem Sphinx ≤ 1,3",
            f"{ratio:.2f}" if ratio else "–",
            ratio <= 1.3 if ratio else None,
        )
        add(
            "inkrementell nach Textänderung ≤ 3 s",
            _s(r["inkrementell_text"]),
            r["inkrementell_text"]["median_s"] <= 3,
        )
    if 1000 in by_n and 3000 in by_n:
        a = by_n[1000]["build_parallel"]["median_s"] / 1000
        b = by_n[3000]["build_parallel"]["median_s"] / 3000
        add("linear: ms/Eintrag bei 3.000 ≤ 1,2 × bei 1.000", f"{b / a:.2f}", b / a <= 1.2)
        add(
            "Spitzenspeicher bei 3.000 < 2 GB",
            f"{by_n[3000]['build_parallel']['peak_mb']:.0f} MB",
            by_n[3000]["build_parallel"]["peak_mb"] < 2048,
        )
    if "100" in search and "3000" in search:
        q100, q3000 = search["100"]["median_bytes"], search["3000"]["median_bytes"]
        add(
            "Bytes je Abfrage (Median) bei 3.000 ≤ 2 × bei 100",
            f"{q3000 / max(q100, 1):.2f}",
            q3000 <= 2 * q100,
        )
    return lines
