"""Search quality: regiodocs' search against Sphinx's built-in search and Pagefind.

Runs the query set (``tests/search_queries.yaml``) through each engine in headless
Chromium and reports hits@5 (a query counts when every expected record is among the
first five results) and the mean reciprocal rank (1/rank of the first expected record,
0 when none is in the first ten), per query kind. Each query names its content tree
(``inhalt``: ``suche`` = tests/fixtures/suche, ``content`` = the shipped content/); every
tree is run twice, with its ``synonyme.yaml`` and on a copy without it.

    .venv/bin/python scripts/suchvergleich.py [--engines ours,sphinx,pagefind]
        [--inhalt suche,content] [--varianten mit,ohne] [--markdown] [-v]

Every engine gets its normal setup:

- ``ours``: ``regiodocs build`` and its search page (``search.html?q=…``, ``suche.js``).
- ``sphinx``: a separate, plain ``sphinx-build -b html`` (language ``de``, Sphinx's default
  theme and its own search index) of the same pages written as MyST files
  (``bench/baselines.py``: what regiodocs renders, template output and body). Queried with
  Sphinx 9's ``searchtools.js`` as its search page calls it (``Search._parseQuery`` and
  ``_performSearch``; the page's own result display throws in Sphinx 9.0.4 with ``de``).
- ``pagefind``: the npm package ``pagefind`` with its defaults, indexing regiodocs' built
  HTML (``npm install --prefix /tmp/pf pagefind``; ``--pagefind`` names another binary).
  Pagefind needs HTTP, so all sites are served from 127.0.0.1.

Needs Debian's chromium and Playwright (the browser-test setup, see tests/browser.py).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))
from browser import find_chromium, launch_chromium, serve  # noqa: E402

QUERIES = ROOT / "tests" / "search_queries.yaml"
FIXTURE = ROOT / "tests" / "fixtures" / "suche"
TREES = {"suche": FIXTURE, "content": ROOT / "content"}
VARIANTS = ("mit", "ohne")  # with / without the tree's synonyme.yaml
TODAY = "2026-11-22"
TOP = 5
RANK_DEPTH = 10  # reciprocal rank counts the first expected record among this many
RECORD_FOLDERS = ("projekte", "praxis", "ergebnisse", "foerderung", "veranstaltungen")
PAGEFIND = Path("/tmp/pf/node_modules/.bin/pagefind")


@dataclass
class Query:
    text: str
    kind: str
    expected: list[str]
    tree: str = "suche"
    source: str = ""  # "unabhaengig": written by an independent tester
    known_miss: bool = False  # bekannt_verfehlt: reported, not counted by the quality test


def queries(path: Path = QUERIES, tree: str | None = None) -> list[Query]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = [
        Query(
            str(q["suche"]),
            str(q["art"]),
            [str(e) for e in q["erwartet"]],
            str(q.get("inhalt", "suche")),
            str(q.get("quelle", "")),
            bool(q.get("bekannt_verfehlt", False)),
        )
        for q in data
    ]
    return [q for q in found if tree is None or q.tree == tree]


def record_ids(urls: list[str]) -> list[str]:
    """Record ids of result URLs, in order, without duplicates; other pages left out."""
    ids: list[str] = []
    for url in urls:
        path = url.split("#")[0].split("?")[0].strip("/")
        parts = path.split("/")
        if len(parts) >= 2 and any(f in parts for f in RECORD_FOLDERS):
            name = parts[-1].removesuffix(".html")
            if name != "index" and name not in ids:
                ids.append(name)
    return ids


def is_hit(query: Query, found: list[str]) -> bool:
    return all(e in found[:TOP] for e in query.expected)


def reciprocal_rank(query: Query, found: list[str]) -> float:
    for rank, record in enumerate(found[:RANK_DEPTH], start=1):
        if record in query.expected:
            return 1 / rank
    return 0.0


def content_copy(tree: str, variant: str, target: Path) -> Path:
    """A copy of the content tree; ``ohne``: without its synonyme.yaml."""
    shutil.copytree(TREES[tree], target)
    if variant == "ohne":
        (target / "synonyme.yaml").unlink(missing_ok=True)
    return target


def build(content: Path, target: Path) -> Path:
    """Build ``content`` with regiodocs into ``target`` (public edition)."""
    work = target.parent / f"{target.name}-arbeit"
    subprocess.run(
        [sys.executable, "-m", "regiodocs", "build", "--inhalt", str(content), "--ziel", str(target),
         "--arbeit", str(work), "-j", "1", "-q", "-D", f"regiodocs_heute={TODAY}"],
        cwd=ROOT, check=True,
    )  # fmt: skip
    return target


SPHINX_CONF = """
project = "Handbuch (Sphinx-Vergleich)"
language = "de"
extensions = ["myst_parser", "sphinx_design"]
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist"]
myst_heading_anchors = 3
# regiodocs' own widgets (contact box, map, matrix) are unknown here: left out, quietly
suppress_warnings = ["myst.header", "myst.xref_missing", "toc.not_included", "myst.directive_unknown"]
html_copy_source = False
"""


def build_sphinx(content: Path, target: Path) -> Path:
    """A plain Sphinx build of the same pages (MyST sources), with Sphinx's own search index."""
    from bench.baselines import plain_sphinx

    source = plain_sphinx(content, target.parent / f"{target.name}-quellen")
    (source / "conf.py").write_text(SPHINX_CONF, encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-j", "1", str(source), str(target)],
        cwd=ROOT, check=True,
    )  # fmt: skip
    if not (target / "searchindex.js").is_file():
        raise SystemExit("Sphinx hat keinen searchindex.js geschrieben")
    (target / "sphinx-vergleich.html").write_text(SPHINX_PAGE, encoding="utf-8")
    return target


def build_pagefind(site: Path, target: Path, binary: Path = PAGEFIND) -> Path:
    """A copy of regiodocs' built site with a Pagefind index (Pagefind's defaults)."""
    if not binary.is_file():
        raise SystemExit(f"pagefind fehlt ({binary}): npm install --prefix /tmp/pf pagefind")
    shutil.copytree(site, target)
    subprocess.run([str(binary), "--site", str(target), "--silent"], check=True)
    (target / "pagefind-vergleich.html").write_text(PAGEFIND_PAGE, encoding="utf-8")
    return target


# ---------------------------------------------------------------------- engines

Engine = Callable[[Any, str, str], list[str]]  # (browser page, base url, query) -> result URLs


def ours(page: Any, base: str, query: str) -> list[str]:
    from urllib.parse import quote

    page.goto(f"{base}search.html?q={quote(query)}")
    page.wait_for_function(
        "() => { const s = document.getElementById('regio-suche-status').textContent;"
        " return s && !s.includes('läuft'); }"
    )
    total = page.locator(".regio-treffer-eintrag").count()
    wanted = min(RANK_DEPTH, total)
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
NAMES = {"ours": "regiodocs", "sphinx": "Sphinx 9.0.4 (de)", "pagefind": "Pagefind (npm)"}


@dataclass
class Result:
    """One engine on one tree and variant."""

    hits: int = 0
    total: int = 0
    rr: float = 0.0
    by_kind: dict[str, list[float]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0.0]))
    misses: list[str] = field(default_factory=list)

    def add(self, query: Query, found: list[str]) -> None:
        hit, rr = is_hit(query, found), reciprocal_rank(query, found)
        self.hits += hit
        self.total += 1
        self.rr += rr
        kind = self.by_kind[query.kind]
        kind[0] += hit
        kind[1] += 1
        kind[2] += rr
        if not hit:
            self.misses.append(f"{query.text} [{query.kind}]: {', '.join(found[:TOP]) or '–'}")

    def merge(self, other: Result) -> None:
        self.hits += other.hits
        self.total += other.total
        self.rr += other.rr
        self.misses += other.misses
        for kind, (h, n, rr) in other.by_kind.items():
            mine = self.by_kind[kind]
            mine[0] += h
            mine[1] += n
            mine[2] += rr

    @property
    def mrr(self) -> float:
        return self.rr / self.total if self.total else 0.0


def run_queries(engine: str, browser: Any, base: str, qs: list[Query]) -> Result:
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    result = Result()
    for q in qs:
        result.add(q, record_ids(ENGINES[engine](page, base, q.text)))
    context.close()
    return result


@contextmanager
def sites(tree: str, variant: str, engines: list[str]) -> Iterator[dict[str, Path]]:
    """The built sites one tree and variant needs: {engine: site folder}."""
    with tempfile.TemporaryDirectory(prefix="suchvergleich-") as tmp:
        base = Path(tmp)
        content = content_copy(tree, variant, base / "content")
        built = build(content, base / "regiodocs")
        found = {"ours": built}
        if "sphinx" in engines:
            found["sphinx"] = build_sphinx(content, base / "sphinx")
        if "pagefind" in engines:
            found["pagefind"] = build_pagefind(built, base / "pagefind")
        yield found


def run(
    engines: list[str], trees: list[str] | None = None, variants: list[str] | None = None
) -> dict[tuple[str, str], dict[str, Result]]:
    """{(tree, variant): {engine: Result}}."""
    executable = find_chromium()
    if executable is None:
        raise SystemExit("chromium fehlt (apt-get install chromium)")
    results: dict[tuple[str, str], dict[str, Result]] = {}
    with launch_chromium(executable) as browser:
        for tree in trees or list(TREES):
            qs = queries(tree=tree)
            if not qs:
                continue
            for variant in variants or list(VARIANTS):
                with sites(tree, variant, engines) as built, ExitStack() as stack:
                    results[(tree, variant)] = {
                        e: run_queries(e, browser, stack.enter_context(serve(built[e])), qs) for e in engines
                    }
    return results


def totals(results: dict[tuple[str, str], dict[str, Result]], variant: str) -> dict[str, Result]:
    """Per engine, all trees of one variant together."""
    out: dict[str, Result] = {}
    for (_tree, v), per_engine in results.items():
        if v != variant:
            continue
        for engine, result in per_engine.items():
            out.setdefault(engine, Result()).merge(result)
    return out


def table(per_engine: dict[str, Result], engines: list[str]) -> list[str]:
    """A Markdown table: hits@5 and MRR per query kind for each engine."""
    kinds = sorted({k for r in per_engine.values() for k in r.by_kind})
    head = "| Anfrageart | Anfragen | " + " | ".join(f"{NAMES[e]} hits@5 | MRR" for e in engines) + " |"
    lines = [head, "|" + "---|" * (2 + 2 * len(engines))]
    for kind in kinds:
        n = int(per_engine[engines[0]].by_kind[kind][1])
        cells = []
        for e in engines:
            h, m, rr = per_engine[e].by_kind[kind]
            cells.append(f"{int(h)}/{int(m)} | {rr / m:.2f}")
        lines.append(f"| {kind} | {n} | " + " | ".join(cells) + " |")
    first = per_engine[engines[0]]
    cells = [f"**{per_engine[e].hits}/{per_engine[e].total}** | **{per_engine[e].mrr:.2f}**" for e in engines]
    lines.append(f"| gesamt | {first.total} | " + " | ".join(cells) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engines", default="ours,sphinx,pagefind")
    parser.add_argument("--inhalt", default=",".join(TREES), help="Inhaltsbäume (suche, content)")
    parser.add_argument("--varianten", default=",".join(VARIANTS), help="mit, ohne (synonyme.yaml)")
    parser.add_argument("-v", "--verbose", action="store_true", help="Fehlgriffe je Anfrage zeigen")
    args = parser.parse_args()
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    trees = [t.strip() for t in args.inhalt.split(",") if t.strip()]
    variants = [v.strip() for v in args.varianten.split(",") if v.strip()]
    results = run(engines, trees, variants)
    for variant in variants:
        print(f"\n### {'mit' if variant == 'mit' else 'ohne'} synonyme.yaml ({', '.join(trees)})\n")
        print("\n".join(table(totals(results, variant), engines)))
    for (tree, variant), per_engine in results.items():
        summary = ", ".join(f"{NAMES[e]} {r.hits}/{r.total} MRR {r.mrr:.2f}" for e, r in per_engine.items())
        print(f"\n{tree}, {variant} synonyme.yaml: {summary}")
        if args.verbose:
            for e, r in per_engine.items():
                for miss in r.misses:
                    print(f"  {NAMES[e]} verfehlt {miss}")


if __name__ == "__main__":
    main()
