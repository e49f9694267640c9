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


def _f(value: float | None) -> str:
    return f"{value:.2f}" if value is not None else "–"


def _cpu(fig: dict[str, float] | None) -> str:
    return f"{fig['cpu_s']:.2f} s" if fig and fig.get("cpu_s") else "–"


def _peak_mb(r: dict[str, Any]) -> float:
    """The largest process of either full build (serial or -j auto)."""
    return max(r[k]["peak_mb"] for k in ("build_seriell", "build_parallel") if k in r)


# Zensical reads MkDocs' mkdocs.yml: which of the two (bench/baselines.py) it built.
NAVIGATION = {"mkdocs-alle.yml": "alle Seiten", "mkdocs.yml": "unsere Navigation"}


def _zensical_nav(rows: list[dict[str, Any]]) -> str:
    navs = {NAVIGATION.get(r["zensical"].get("navigation", ""), "?") for r in rows if r.get("zensical")}
    return ", ".join(sorted(navs)) or "–"


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
        "- Jede Messung in einem frischen Prozess; Median und Spanne der Wandzeit über die "
        "Wiederholungen (bei 3.000 Einträgen ein Lauf je Bau). CPU: user + sys des Befehls und "
        "aller seiner Prozesse (Median). Spitzenspeicher: größter Einzelprozess des Baus, "
        "parallele Worker eingeschlossen – `getrusage(RUSAGE_CHILDREN).ru_maxrss` eines frischen "
        "Messprozesses, der nur diesen Bau startet (Linux: der größte Nachfahre, auf den gewartet "
        "wurde, nicht die Summe gleichzeitig laufender Prozesse); in der Tabelle der größere Wert "
        "aus seriellem und parallelem Bau.",
        "- Bauten: `regiodocs build` ohne Arbeitsordner (voller Bau), seriell (`-j 1`) und parallel "
        "(`-j auto`). Basislinie: dieselben Seiten als MyST-Dateien mit reinem Sphinx, gleichen "
        "Erweiterungen, Theme und Navigation.",
        "- MkDocs Material: dieselben Einträge und Listen als Markdown mit deutscher Suche, ein "
        "Projekt mit zwei Konfigurationen: *alle Seiten* (MkDocs' Standardnavigation ohne `nav`: "
        "jede Seite steht in der Navigation, wie im Vergleich des Issues) und *unsere Navigation* "
        "(nur die Übersichtsseiten, Einträge wie bei regiodocs nicht in der Navigation). "
        f"Zensical 0.0.73 (Nachfolger von MkDocs Material) baut dasselbe Projekt mit derselben "
        f"`mkdocs.yml` (Navigation: {_zensical_nav(rows)}); vor jedem Lauf werden `site` und "
        "Zensicals `.cache` gelöscht. Faktor = Wandzeit regiodocs `-j auto` ÷ Wandzeit des Vergleichs.",
        "- Inkrementell: nach einem vollen Bau (a) ein Satz mehr im Text eines Eintrags, "
        "(b) `status` geändert (der Eintrag wechselt Übersichtsseiten); gezählt werden gelesene und "
        "geschriebene Dokumente.", "",
        f"Maschine: {m['system']}, {m['cpus']} Kerne, Python {m['python']}.", "",
        "## Ergebnisse", "",
        "| Einträge | Seiten | check | check 1 Datei | Bau seriell | Bau -j auto | CPU -j auto "
        "| ms/Eintrag (-j auto) | Spitzenspeicher |",
        "|---|---|---|---|---|---|---|---|---|",
    ]  # fmt: skip
    for r in rows:
        n = r["eintraege"]
        out.append(
            f"| {n} | {r['seiten']} | {_s(r['check'])} | {_s(r['check_eine_datei'])} "
            f"| {_s(r['build_seriell'])} | {_s(r['build_parallel'])} | {_cpu(r['build_parallel'])} "
            f"| {_per(r['build_parallel'], n)} | {_peak_mb(r):.0f} MB |"
        )
    out += [
        "",
        "### Vergleich: voller Bau",
        "",
        "Wandzeit; Faktor = regiodocs `-j auto` ÷ Vergleich (< 1: regiodocs ist schneller).",
        "",
        "| Einträge | regiodocs -j auto | Sphinx pur -j auto | ÷ Sphinx "
        "| MkDocs Material (alle Seiten) | ÷ MkDocs (alle Seiten) "
        "| MkDocs Material (unsere Navigation) | ÷ MkDocs (unsere Navigation) "
        f"| Zensical ({_zensical_nav(rows)}) | ÷ Zensical |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ours = r.get("build_parallel")
        cells = [str(r["eintraege"]), _s(ours)]
        for key in ("sphinx_parallel", "mkdocs_alle", "mkdocs", "zensical"):
            failed = f"{key}_fehler" in r
            cells += ["fehlgeschlagen" if failed else _s(r.get(key)), _f(_ratio(ours, r.get(key)))]
        out.append("| " + " | ".join(cells) + " |")
    failures = [
        (r["eintraege"], k[: -len("_fehler")], v) for r in rows for k, v in r.items() if k.endswith("_fehler")
    ]
    if failures:
        out += ["", "Fehlgeschlagene Vergleichsbauten (die Meldung des Werkzeugs):", ""]
        out += [f"- {n} Einträge, `{key}`: {text}" for n, key, text in failures]
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


MISSING = "nicht gemessen"


def targets(rows: list[dict[str, Any]], search: dict[str, Any]) -> list[str]:
    """Issue 16's targets (2 cores), every one a row: judged from the measured sizes, '–' in
    'erfüllt' where a size it needs was not measured (a smaller run: BENCH_GROESSEN)."""
    by_n = {r["eintraege"]: r for r in rows}
    r1000, r3000 = by_n.get(1000), by_n.get(3000)
    lines = ["| Ziel | Messung | erfüllt |", "|---|---|---|"]

    def add(goal: str, value: str, ok: bool | None) -> None:
        lines.append(f"| {goal} | {value} | {'ja' if ok else 'nein' if ok is not None else '–'} |")

    def timed(goal: str, fig: dict[str, float] | None, limit: float) -> None:
        add(goal, _s(fig) if fig else MISSING, fig["median_s"] <= limit if fig else None)

    def factor(goal: str, baseline: str, below: float, strict: bool) -> None:
        ratio = _ratio(r1000["build_parallel"], r1000.get(baseline)) if r1000 else None
        ok = None if ratio is None else ratio < below if strict else ratio <= below
        add(goal, _f(ratio) if ratio is not None else MISSING, ok)

    if r1000:
        per = r1000["build_parallel"]["median_s"]  # seconds for 1,000 records = ms per record
        add("voller Bau ≤ 20 ms je Eintrag (-j auto) bei 1.000", f"{per:.1f} ms", per <= 20)
    else:
        add("voller Bau ≤ 20 ms je Eintrag (-j auto) bei 1.000", MISSING, None)
    if r1000 and r3000:
        a = r1000["build_parallel"]["median_s"] / 1000
        b = r3000["build_parallel"]["median_s"] / 3000
        add("linear: ms/Eintrag bei 3.000 ≤ 1,1 × bei 1.000", f"{b / a:.2f}", b / a <= 1.1)
    else:
        add("linear: ms/Eintrag bei 3.000 ≤ 1,1 × bei 1.000", MISSING, None)
    factor(
        "schneller als MkDocs Material mit Standardnavigation (alle Seiten; Faktor < 1) bei 1.000",
        "mkdocs_alle",
        1,
        strict=True,
    )
    factor("höchstens 2,5 × MkDocs Material mit unserer Navigation bei 1.000", "mkdocs", 2.5, strict=False)
    timed("inkrementell bei 1.000: Textänderung ≤ 2 s", r1000 and r1000["inkrementell_text"], 2)
    timed("inkrementell bei 1.000: Kopfänderung ≤ 3 s", r1000 and r1000["inkrementell_kopf"], 3)
    if r1000:
        add(*_dependent_only(rows, r1000))
    else:
        add("inkrementell bei 1.000: nur abhängige Seiten gelesen/geschrieben", MISSING, None)
    timed("check einer Datei ≤ 0,3 s bei 1.000", r1000 and r1000["check_eine_datei"], 0.3)
    timed("check des ganzen Baums ≤ 1 s bei 1.000", r1000 and r1000["check"], 1)
    if r3000:
        peak = _peak_mb(r3000)
        add("Spitzenspeicher eines Baus mit 3.000 Einträgen ≤ 1 GB", f"{peak:.0f} MB", peak <= 1024)
    else:
        add("Spitzenspeicher eines Baus mit 3.000 Einträgen ≤ 1 GB", MISSING, None)
    if "100" in search and "3000" in search:
        q100, q3000 = search["100"]["median_bytes"], search["3000"]["median_bytes"]
        ok: bool | None = q3000 <= 2 * q100
        value = f"{q3000 / max(q100, 1):.2f}"
    else:
        ok, value = None, MISSING
    add("Bytes je Suchanfrage flach: Median bei 3.000 ≤ 2 × bei 100", value, ok)
    return lines


def _dependent_only(rows: list[dict[str, Any]], r: dict[str, Any]) -> tuple[str, str, bool]:
    """Incremental builds touch only dependent pages: a body edit reads and writes its page alone;
    a front-matter edit reads/writes the record and its overview pages, as many at every measured
    size (not a number growing with the handbook; with one size: under a tenth of the pages)."""

    def counts(fig: dict[str, Any]) -> tuple[int, int]:
        return fig["gelesen"], fig["geschrieben"]

    body, head = counts(r["inkrementell_text"]), counts(r["inkrementell_kopf"])
    others = {row["eintraege"]: counts(row["inkrementell_kopf"]) for row in rows if row is not r}
    value = f"Text {body[0]}/{body[1]}, Kopf {head[0]}/{head[1]}"
    if others:
        value += f" (bei {', '.join(f'{n}: {c[0]}/{c[1]}' for n, c in sorted(others.items()))})"
    head_ok = all(c == head for c in others.values()) if others else max(head) < r["seiten"] / 10
    return (
        "inkrementell bei 1.000: nur abhängige Seiten gelesen/geschrieben",
        value,
        body == (1, 1) and head_ok,
    )
