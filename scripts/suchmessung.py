"""Bytes a browser downloads for one search query, as the handbook grows.

Generates handbooks of N synthetic records (default 100 and 3,000) from the texts of
``tests/fixtures/suche`` (sentences recombined, place names and compounds varied, so the
vocabulary grows as it would), checks them and builds their search index exactly as a
build does; then serves the index with the search page of a built fixture site and runs
every query of ``tests/search_queries.yaml`` (whatever its ``inhalt``) in headless Chromium,
counting the bytes of the index files (``_suche/``) each query loads. Page, theme and
script bytes are the same for every size and are reported once.

    .venv/bin/python scripts/suchmessung.py [--groessen 100,3000] [--json bench.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
from regiodocs import checks, search, site  # noqa: E402

from browser import find_chromium, launch_chromium, serve  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "suche"
QUERIES = ROOT / "tests" / "search_queries.yaml"
TODAY = dt.date(2026, 11, 22)


def _words(text: str) -> list[str]:
    return text.split()


PLACES = _words(
    "Nord Süd West Ost Mitte Hafen Altstadt Bahnhof Rheinufer Feldmark Hochdahl Lintorf Furth "
    "Holzheim Benrath Eller Gerresheim Hösel Erkrath"
)
MODIFIERS = _words(
    "Rad Quartiers Klima Wohn Stadt Regen Park Bahn Grün Schul Gewerbe Wasser Energie Straßen "
    "Verkehrs Mobilitäts Bürger Flächen"
)
HEADS = _words(
    "konzept studie netz plan management beirat forum programm werkstatt monitoring strategie "
    "kataster atlas leitbild fonds initiative labor"
)


def _sentences() -> list[str]:
    found: list[str] = []
    for path in sorted(FIXTURE.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("sichtbarkeit") == "intern":
            continue
        for key in ("kurzbeschreibung", "beschreibung"):
            text = re.sub(r"^#+ .*$", "", str(data.get(key) or ""), flags=re.MULTILINE)
            found += [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.strip()) > 30]
    return found


def _vocabulary(rng: random.Random) -> list[str]:
    """German nouns of middling frequency (wordfreq), for filler text with a realistic long tail."""
    from regiodocs.search.lexicon import _zipf

    words = [w for w, z in _zipf().items() if 2.0 <= z <= 4.5 and w.isalpha() and len(w) >= 6]
    return [w.capitalize() for w in rng.sample(sorted(words), 20000)]


def _vary(sentence: str, vocabulary: list[str], rng: random.Random) -> str:
    """Replace most long words, so filler records do not repeat the fixture's terms."""
    return re.sub(
        r"\b[A-ZÄÖÜ][a-zäöüß]{5,}\b",
        lambda m: rng.choice(vocabulary) if rng.random() < 0.85 else m.group(0),
        sentence,
    )


def generate(n: int, target: Path, seed: int = 1) -> Path:
    """The fixture (its registries and records) plus synthetic public records up to ``n``.

    The fixture's records keep the rare terms of the query set rare; the filler records
    recombine its sentences with most nouns replaced by words from a frequency list, so
    the vocabulary grows with a long tail as in real text.
    """
    rng = random.Random(seed)
    shutil.copytree(FIXTURE, target)
    for intern in target.rglob("intern-*"):
        intern.unlink()
    present = sum(1 for p in target.rglob("*.yaml") if p.parent.name not in ("partner", "plattformen"))
    present -= 2  # netzwerk.yaml, synonyme.yaml
    n = max(0, n - present)
    vocabulary = _vocabulary(rng)
    sentences = _sentences()
    files = sorted((FIXTURE / "projekte").rglob("*.yaml"))
    templates = [yaml.safe_load(p.read_text("utf-8")) for p in files]
    for i in range(n):
        base = dict(rng.choice(templates))
        partner = base["federfuehrung"]
        compound = rng.choice(MODIFIERS) + rng.choice(HEADS)
        title = f"{rng.choice(vocabulary)} {rng.choice(PLACES)} – {compound} {i}"
        body = " ".join(_vary(s, vocabulary, rng) for s in rng.sample(sentences, 6))
        body += f" Das {compound} ergänzt die Arbeit in {rng.choice(PLACES)}."
        record = {
            "titel": title[:120],
            "kurzbeschreibung": " ".join(_vary(s, vocabulary, rng) for s in rng.sample(sentences, 2))[:480],
            "federfuehrung": partner,
            "handlungsfelder": base["handlungsfelder"],
            "status": rng.choice(["idee", "planung", "umsetzung", "abgeschlossen", "verstetigt"]),
            "beginn": str(rng.randint(2015, 2026)),
            "kontakt": base["kontakt"],
            "schlagworte": [rng.choice(vocabulary), compound],
            "stand": f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}",
            "beschreibung": body,
        }
        path = target / "projekte" / partner / f"eintrag-{i:05d}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def index_of(content: Path) -> tuple[search.SearchIndex, float]:
    start = time.perf_counter()
    result = checks.check(content, content.parent, today=TODAY)
    if result.errors:
        raise SystemExit(f"Erzeugter Inhalt ist fehlerhaft: {result.errors[:3]}")
    pages = site.plan(result.content, today=TODAY)
    index = search.from_plan(pages, result.content.visible(intern=False))
    return index, time.perf_counter() - start


def measure(site_dir: Path, index: search.SearchIndex, queries: list[str]) -> list[dict[str, int]]:
    """Per query: bytes and files loaded from ``_suche/``."""
    shutil.rmtree(site_dir / search.FOLDER, ignore_errors=True)
    search.write(index, site_dir)
    page_file = site_dir / "search.html"
    page_file.write_text(
        re.sub(r'data-version="[^"]*"', f'data-version="{index.version}"', page_file.read_text("utf-8")),
        encoding="utf-8",
    )
    rows = []
    executable = find_chromium()
    if executable is None:
        raise SystemExit("chromium fehlt")
    with serve(site_dir) as base, launch_chromium(executable) as browser:
        for q in queries:
            context = browser.new_context()
            page = context.new_page()
            loaded: list[int] = []

            def count(response, loaded=loaded) -> None:
                if f"/{search.FOLDER}/" in response.url:
                    loaded.append(len(response.body()))

            page.on("response", count)
            page.goto(f"{base}search.html?q={quote(q)}")
            page.wait_for_function(
                "() => { const s = document.getElementById('regio-suche-status').textContent;"
                " return s && !s.includes('läuft'); }"
            )
            page.wait_for_load_state("networkidle")
            rows.append({"bytes": sum(loaded), "dateien": len(loaded)})
            context.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groessen", default="100,3000")
    parser.add_argument("--site", type=Path, help="gebautes Fixture-Handbuch (Standard: neu bauen)")
    parser.add_argument("--json", type=Path, help="Ergebnis zusätzlich als JSON schreiben")
    args = parser.parse_args()
    queries = [str(q["suche"]) for q in yaml.safe_load(QUERIES.read_text(encoding="utf-8"))]
    results = {}
    with tempfile.TemporaryDirectory(prefix="suchmessung-") as tmp:
        work = Path(tmp)
        if args.site:
            built = args.site
        else:
            sys.path.insert(0, str(ROOT / "scripts"))
            from suchvergleich import build

            built = build(FIXTURE, work / "fixture-html")
        for n in (int(x) for x in args.groessen.split(",")):
            content = generate(n, work / f"inhalt-{n}")
            index, seconds = index_of(content)
            copy = work / f"site-{n}"
            shutil.copytree(built, copy)
            rows = measure(copy, index, queries)
            sizes = [r["bytes"] for r in rows]
            total = sum(len(t.encode()) for t in index.files.values())
            results[n] = {
                "seiten": len(index.docs),
                "index_bytes": total,
                "dateien": len(index.files),
                "index_js_bytes": len(index.files["index.js"].encode()),
                "median_bytes": int(statistics.median(sizes)),
                "p90_bytes": int(sorted(sizes)[int(0.9 * (len(sizes) - 1))]),
                "max_bytes": max(sizes),
                "median_dateien": int(statistics.median(r["dateien"] for r in rows)),
                "sekunden_index": round(seconds, 1),
            }
            print(f"{n} Einträge: {json.dumps(results[n], ensure_ascii=False)}", flush=True)
            heaviest = sorted(zip(queries, rows, strict=True), key=lambda qr: -qr[1]["bytes"])[:3]
            print("  schwerste: " + ", ".join(f"{q} {r['bytes']} B/{r['dateien']}" for q, r in heaviest))
    if len(results) >= 2:
        small, large = (results[k] for k in sorted(results)[:1] + sorted(results)[-1:])
        ratio = {k: large[k] / small[k] for k in ("median_bytes", "p90_bytes", "max_bytes")}
        print(
            f"Verhältnis groß/klein: Median {ratio['median_bytes']:.2f}, "
            f"p90 {ratio['p90_bytes']:.2f}, max {ratio['max_bytes']:.2f}"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
