"""Search quality: regiodocs' search against Sphinx's built-in search and plain Pagefind.

Runs the query set (``tests/search_queries.yaml``) through each engine in headless
Chromium against the same built site (``tests/fixtures/suche``) and prints hits@5: a
query counts when every expected record is among the first five results.

    .venv/bin/python scripts/suchvergleich.py [--site DIR] [--engines ours,sphinx,pagefind] [-v]

- ``ours``: the real search page (``search.html?q=…``, ``regiodocs/static/suche.js``).
- ``sphinx``: Sphinx 9's ``searchtools.js`` with the ``searchindex.js`` of the same build
  (language ``de``), called as its search page calls it, without the result display that
  throws in Sphinx 9.0.4.
- ``pagefind``: ``pagefind-bin`` (PyPI, offline binary) indexing the built HTML with its
  defaults; needs HTTP, so all engines are served from 127.0.0.1.

Needs Debian's chromium and Playwright (the browser-test setup, see tests/browser.py);
Pagefind only for its column (``pip install pagefind-bin==1.5.2``).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from browser import find_chromium, launch_chromium, serve  # noqa: E402

QUERIES = ROOT / "tests" / "search_queries.yaml"
FIXTURE = ROOT / "tests" / "fixtures" / "suche"
TODAY = "2026-11-22"
TOP = 5
RECORD_FOLDERS = ("projekte", "praxis", "ergebnisse", "foerderung", "veranstaltungen")


@dataclass
class Query:
    text: str
    kind: str
    expected: list[str]


def queries(path: Path = QUERIES) -> list[Query]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Query(str(q["suche"]), str(q["art"]), [str(e) for e in q["erwartet"]]) for q in data]


def record_ids(urls: list[str]) -> list[str]:
    """Record ids of result URLs, in order, without duplicates; other pages left out."""
    ids: list[str] = []
    for url in urls:
        path = url.split("#")[0].split("?")[0].strip("/")
        parts = path.split("/")
        if len(parts) >= 2 and parts[-2:] != [] and any(f in parts for f in RECORD_FOLDERS):
            name = parts[-1].removesuffix(".html")
            if name != "index" and name not in ids:
                ids.append(name)
    return ids


def is_hit(query: Query, found: list[str]) -> bool:
    return all(e in found[:TOP] for e in query.expected)


def build(content: Path, target: Path) -> Path:
    """Build ``content`` with regiodocs into ``target`` (public edition)."""
    work = target.parent / f"{target.name}-arbeit"
    subprocess.run(
        [sys.executable, "-m", "regiodocs", "build", "--inhalt", str(content), "--ziel", str(target),
         "--arbeit", str(work), "-j", "1", "-q", "-D", f"regiodocs_heute={TODAY}"],
        cwd=ROOT, check=True,
    )  # fmt: skip
    return target


# ---------------------------------------------------------------------- engines

Engine = Callable[[Any, str, str], list[str]]  # (browser, base url, query) -> result URLs


def ours(page: Any, base: str, query: str) -> list[str]:
    from urllib.parse import quote

    page.goto(f"{base}search.html?q={quote(query)}")
    page.wait_for_function(
        "() => { const s = document.getElementById('regio-suche-status').textContent;"
        " return s && !s.includes('läuft'); }"
    )
    total = page.locator(".regio-treffer-eintrag").count()
    wanted = min(TOP * 2, total)
    page.wait_for_function(
        "(n) => document.querySelectorAll('.regio-treffer-eintrag h3 a').length >= n", arg=wanted
    )
    return page.eval_on_selector_all(".regio-treffer-eintrag h3 a", "els => els.map(a => a.href)")


SPHINX_PAGE = """<!doctype html><html lang="de" data-content_root="./"><head><meta charset="utf-8">
<script src="_static/documentation_options.js"></script>
<script src="_static/doctools.js"></script>
<script src="_static/sphinx_highlight.js"></script>
<script src="_static/language_data.js"></script>
<script src="_static/searchtools.js"></script>
</head><body><div id="search-progress"></div><div id="search-results"></div>
<script src="searchindex.js"></script></body></html>"""


def sphinx(page: Any, base: str, query: str) -> list[str]:
    if not page.url.endswith("sphinx-vergleich.html"):
        page.goto(f"{base}sphinx-vergleich.html")
        page.wait_for_function("() => typeof Search !== 'undefined' && Search._index !== null")
    # best result last in Sphinx's list (its page pops results from the end)
    docnames = page.evaluate(
        "(q) => { const p = Search._parseQuery(q); return Search._performSearch(...p)"
        ".reverse().map(r => r[0]); }",
        query,
    )
    return [f"{base}{d}.html" for d in docnames]


PAGEFIND_PAGE = """<!doctype html><html lang="de"><head><meta charset="utf-8"></head><body>
<script type="module">
window.pagefind = await import("./pagefind/pagefind.js");
await window.pagefind.init();
window.pagefindBereit = true;
</script></body></html>"""


def pagefind(page: Any, base: str, query: str) -> list[str]:
    if not page.url.endswith("pagefind-vergleich.html"):
        page.goto(f"{base}pagefind-vergleich.html")
        page.wait_for_function("() => window.pagefindBereit === true")
    return page.evaluate(
        "async (q) => { const r = await window.pagefind.search(q);"
        " const d = await Promise.all(r.results.slice(0, 20).map(x => x.data()));"
        " return d.map(x => x.url); }",
        query,
    )


ENGINES: dict[str, Engine] = {"ours": ours, "sphinx": sphinx, "pagefind": pagefind}
NAMES = {"ours": "regiodocs", "sphinx": "Sphinx 9.0.4 (de)", "pagefind": "Pagefind 1.5.2"}


def pagefind_binary() -> Path | None:
    try:
        import pagefind_bin
    except ImportError:
        return None
    binary = Path(pagefind_bin.__file__).parent / "pagefind"
    return binary if binary.is_file() else None


def prepare(site: Path, engines: list[str]) -> None:
    """Add the comparison pages (and the Pagefind index) to a copy of the built site."""
    (site / "sphinx-vergleich.html").write_text(SPHINX_PAGE, encoding="utf-8")
    (site / "pagefind-vergleich.html").write_text(PAGEFIND_PAGE, encoding="utf-8")
    if "pagefind" in engines:
        binary = pagefind_binary()
        if binary is None:
            raise SystemExit("pagefind-bin fehlt: pip install pagefind-bin==1.5.2")
        subprocess.run([str(binary), "--site", str(site), "--silent"], check=True)


@contextmanager
def site_copy(site: Path | None) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="suchvergleich-") as tmp:
        built = site or build(FIXTURE, Path(tmp) / "gebaut")
        copy = Path(tmp) / "site"
        shutil.copytree(built, copy)
        yield copy


def run(engines: list[str], site: Path | None = None, verbose: bool = False) -> dict[str, dict[str, Any]]:
    """hits@5 per engine: {"treffer": n, "anfragen": n, "je_art": {kind: [hits, n]}, "fehler": [...]}."""
    qs = queries()
    results: dict[str, dict[str, Any]] = {}
    executable = find_chromium()
    if executable is None:
        raise SystemExit("chromium fehlt (apt-get install chromium)")
    with site_copy(site) as copy:
        prepare(copy, engines)
        with serve(copy) as base, launch_chromium(executable) as browser:
            for name in engines:
                context = browser.new_context(locale="de-DE")
                page = context.new_page()
                by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
                misses = []
                for q in qs:
                    found = record_ids(ENGINES[name](page, base, q.text))
                    hit = is_hit(q, found)
                    by_kind[q.kind][0] += hit
                    by_kind[q.kind][1] += 1
                    if not hit:
                        misses.append(f"{q.text}: {', '.join(found[:TOP]) or '–'}")
                context.close()
                results[name] = {
                    "treffer": sum(v[0] for v in by_kind.values()),
                    "anfragen": len(qs),
                    "je_art": dict(by_kind),
                    "fehler": misses,
                }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="gebautes Handbuch (Standard: tests/fixtures/suche bauen)")
    parser.add_argument("--engines", default="ours,sphinx,pagefind")
    parser.add_argument("-v", "--verbose", action="store_true", help="Fehlgriffe je Anfrage zeigen")
    args = parser.parse_args()
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    results = run(engines, args.site, args.verbose)
    kinds = sorted({k for r in results.values() for k in r["je_art"]})
    print(f"{'Anfrageart':18}" + "".join(f"{NAMES[e]:>20}" for e in engines))
    for kind in kinds:
        row = "".join(
            f"{results[e]['je_art'][kind][0]:>16}/{results[e]['je_art'][kind][1]:<3}" for e in engines
        )
        print(f"{kind:18}{row}")
    print(
        f"{'hits@5 gesamt':18}"
        + "".join(f"{results[e]['treffer']:>16}/{results[e]['anfragen']:<3}" for e in engines)
    )
    if args.verbose:
        for e in engines:
            print(f"\n{NAMES[e]} verfehlt:")
            for miss in results[e]["fehler"]:
                print(f"  {miss}")


if __name__ == "__main__":
    main()
