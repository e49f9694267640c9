"""The published handbook in a real browser: every page type at 1280 px and 390 px.

One page of every type the page plan (:func:`regiodocs.site.plan`) has - start, one record of
each record type, one page of each overview type - plus the search with results and facets,
the Feldreferenz, Open Data (``daten/index``), Was ist neu (``aenderungen``) and the Impressum
is loaded once per width, and that one load checks everything:

- no horizontal overflow (``scrollWidth <= clientWidth``, and no element sticking out),
- no word in a heading, card title, label or navigation link split across lines without a
  visible hyphen (the rule: ``HEADING_SELECTOR`` and ``_BROKEN_WORDS_JS`` in tests/browser.py),
- axe-core WCAG 2.1 A/AA: 0 violations,
- no request to any host but 127.0.0.1, no reference to one in the DOM, no script error,
- the page chrome (``header.regio-kopf``, the title in ``main#inhalt``) within the width,
- a full-page screenshot, ``_build/bildschirmfotos/<type>-<width>.png``, that is not blank.

Record pages show Steckbrief and contact box in the first 900 px at 1280 px, with ``mailto:``
and ``tel:`` links; challenge pages draw their bars in proportion to value / target.

The site is what readers get: the shipped ``content/`` released twice (``regiodocs release``,
as an editor publishes it, without PDF) into a temporary folder, so that "Was ist neu" has
something to show and the Open Data files exist. Pages are picked from the plan, not by file
name: a page type the plan has and the site lacks is a failure.

Needs Debian's chromium and axe-core (``npm ci``). Without them the tests are skipped locally
and fail in CI (``CI=true``). One Chromium and one web server serve the whole session.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from regiodocs import checks, model, site
from regiodocs.editions.release import PROBE_FOLDER

from browser import (
    HEADING_SELECTOR,
    NAVIGATION_TIMEOUT_MS,
    SCREENSHOT_DIR,
    boxes_outside,
    broken_words,
    chart_problems,
    charts,
    contact_links,
    describe_violations,
    element_boxes,
    foreign_references,
    open_page,
    page_overflow,
    require_browser_parts,
    run_axe,
    screenshot_ink,
    serve,
    sideways_scrollers,
    tel_href,
)
from conftest import FIXTURES, ROOT, TODAY, run_regiodocs

CONTENT = ROOT / "content"
WIDTHS = (1280, 390)
HEIGHTS = {1280: 800, 390: 844}
MOBILE = {1280: False, 390: True}
EDITIONS = ("2026-1", "2026-2")  # the second is the one under test
FIRST_SCREEN = 900  # px from the top of a record page at 1280 px: Steckbrief and contact start here
MIN_INK = 0.03  # share of the screenshot's pixels that are not background (text, images, lines)
MIN_COLOURS = 8  # a page with text and its anti-aliasing has many shades
# What every page shows within its width: the header (network's name, navigation) and the title.
KEY_ELEMENTS = ["header.regio-kopf", "main#inhalt h1"]
SEARCH_RESULTS = "#regio-treffer a[href]"
# Page kinds a public edition never has (internal review, print edition, `regiodocs check`).
NOT_PUBLIC = {site.PageKind.REVIEW, site.PageKind.PRINT, site.PageKind.BODY}
# Pages named by the issue that must exist, by test id (and screenshot name).
REQUIRED = {
    "start": "index",
    "suche": "search",
    "feldreferenz": "feldreferenz",
    "daten": "daten/index",
    "aenderungen": "aenderungen",
    "impressum": "seiten/impressum",
}
OPTIONAL = {"themen": "themen/index"}  # the lead's hub page: tested once the plan has it


# --- which pages: from the page plan ------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One page type under test: its test id, page and the plan's record of it (if any)."""

    kind: str
    docname: str
    query: str = ""  # the search page's ?q=
    page: site.Page | None = None

    @property
    def path(self) -> str:
        return f"{self.docname}.html" + (f"?q={quote(self.query)}" if self.query else "")


def _plan(content: Path, confdir: Path) -> tuple[dict[str, site.Page], model.Content]:
    today = dt.date.fromisoformat(TODAY)
    result = checks.check(content, confdir, today=today, bodies=False)
    if result.errors:
        raise RuntimeError(f"{content} hat Fehler: {result.errors}")
    edition = {"name": EDITIONS[-1], "datum": TODAY, "aenderungen": True, "downloads": [], "jsonld": {}}
    pages = site.plan(result.content, today=today, aenderungen={}, ausgabe=edition)
    return pages, result.content.visible(intern=False)


def _size(page: site.Page) -> tuple[int, int]:
    """How much a page shows: its listed cards, then the size of its context."""
    return len(page.listed), len(json.dumps(page.context, ensure_ascii=False, default=str))


def _has_phone(page: site.Page) -> bool:
    return any(k.get("telefon") for k in page.context.get("e", {}).get("kontakt") or [])


def _pick(pages: list[site.Page], key: Callable[[site.Page], tuple[Any, ...]]) -> site.Page:
    """The page with the largest ``key``; ties go to the first docname."""
    return sorted(pages, key=lambda p: (tuple(-k for k in key(p)), p.docname))[0]


def _search_query(pages: dict[str, site.Page]) -> str:
    """A word with results of several types and partners: the keyword of the most records."""
    keywords = [p for p in pages.values() if p.kind == site.PageKind.KEYWORD]
    best = _pick(keywords, lambda p: (len(p.listed), len({c.kind for c in p.listed})))
    return str(best.context["wort"])


def _targets() -> dict[str, Target]:
    """The page types of the shipped content's plan, one representative page each.

    Records: one per record type - the one with a phone number in its contacts if any (so the
    contact test sees a ``tel:`` link), otherwise the one that shows most. Every other kind of
    page: the one that lists the most records, then shows most. Free pages: the Impressum.
    """
    pages, _content = _plan(CONTENT, ROOT)
    targets: dict[str, Target] = {}
    records = [p for p in pages.values() if p.kind == site.PageKind.RECORD]
    for rtype in model.RECORD_TYPES:
        of_type = [p for p in records if p.summary and p.summary.kind == rtype.name]
        if of_type:
            page = _pick(of_type, lambda p: (_has_phone(p), *_size(p)))
            targets[rtype.name] = Target(rtype.name, page.docname, page=page)
    for kind in site.PageKind:
        if kind in NOT_PUBLIC or kind in (site.PageKind.RECORD, site.PageKind.FREE):
            continue
        of_kind = [p for p in pages.values() if p.kind == kind]
        if of_kind:
            page = _pick(of_kind, _size)
            targets[kind.value] = Target(kind.value, page.docname, page=page)
    named = {t.docname: name for name, t in targets.items()}
    for name, docname in [*REQUIRED.items(), *((n, d) for n, d in OPTIONAL.items() if d in pages)]:
        if docname in named:  # already there under its page kind ("start", "feldreferenz", …)
            continue
        query = _search_query(pages) if name == "suche" else ""
        targets[name] = Target(name, docname, query=query, page=pages.get(docname))
    return targets


def _challenges(content: Path, confdir: Path, name: str) -> dict[str, tuple[Target, bool]]:
    """Challenge pages by test id, and whether a public record reports the challenge's Kennzahl."""
    pages, visible = _plan(content, confdir)
    found = {}
    for page in sorted(pages.values(), key=lambda p: p.docname):
        if page.kind != site.PageKind.CHALLENGE:
            continue
        challenge = next(c for c in visible.registry("herausforderungen") if c["id"] == page.subject)
        indicator = challenge.get("kennzahl")
        reported = bool(indicator) and any(
            indicator in (doc.data.get("kennzahlen") or {}) for doc in visible.records.values()
        )
        found[f"{name}-{page.subject}"] = (
            Target(f"{name}-{page.subject}", page.docname, page=page),
            reported,
        )
    return found


TARGETS = _targets()
RECORD_KINDS = [t.name for t in model.RECORD_TYPES if t.name in TARGETS]
CHALLENGES = _challenges(CONTENT, ROOT, "regionetz") | _challenges(FIXTURES / "basis", FIXTURES, "basis")


# --- the site, built once: two releases of the shipped content ------------------------------------


def _earlier_state(content: Path) -> None:
    """The state of the first edition: one record titled differently, one more record.

    The second edition (the shipped content) then shows a changed and a removed record.
    """
    record = TARGETS[RECORD_KINDS[0]].page
    assert record is not None and record.body is not None
    source = content / record.body.rel
    text = source.read_text(encoding="utf-8")
    changed, count = re.subn(r"^titel: (.+)$", r"titel: \1 (Vorfassung)", text, count=1, flags=re.MULTILINE)
    assert count == 1, f"{source}: keine Zeile 'titel: …'"
    source.write_text(changed, encoding="utf-8")
    extra = source.with_name(f"vorfassung-{source.name}")
    extra.write_text(re.sub(r"\(Vorfassung\)", "(frühere Fassung)", changed, count=1), encoding="utf-8")


def _release(content: Path, root: Path, name: str) -> None:
    # a test release (--probe): the shipped content still has the placeholders the Geschäftsstelle
    # replaces before publishing (the gate refuses a real release); its banner is under test too
    run_regiodocs(
        "release", name, "--inhalt", str(content), "--ziel", str(root), "--heute", TODAY, "-j", "1",
        "--ohne-pdf", "--ohne-tag", "--beispiele-erlauben", "--probe", check=True,
    )  # fmt: skip


@pytest.fixture(scope="session")
def editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The editions folder: ``2026-1`` (an earlier state) and ``2026-2`` (the shipped content)."""
    base = tmp_path_factory.mktemp("browser-ausgaben")
    earlier = shutil.copytree(CONTENT, base / "inhalt-vorher")
    _earlier_state(earlier)
    root = base / "ausgaben"
    started = time.monotonic()
    _release(earlier, root, EDITIONS[0])
    _release(shutil.copytree(CONTENT, base / "inhalt"), root, EDITIONS[1])
    print(f"two releases of content/ without PDF: {time.monotonic() - started:.1f} s")
    return root / PROBE_FOLDER  # test releases have their own editions folder


@pytest.fixture(scope="session")
def edition_url(editions: Path) -> Iterator[str]:
    """The URL of the edition under test (the whole editions folder is served, as published)."""
    with serve(editions) as url:
        yield f"{url}{EDITIONS[-1]}/"


# --- one load per page and width, measuring everything ------------------------------------------


@dataclass
class Measurement:
    """What one load of one page at one width found."""

    target: Target
    width: int
    missing: str = ""  # the page could not be loaded
    scroll_width: int = 0
    client_width: int = 0
    wide: list[str] = field(default_factory=list)
    cut: list[str] = field(default_factory=list)
    scrollers: list[tuple[bool, str]] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    key_boxes: list[str] = field(default_factory=list)
    search: list[str] = field(default_factory=list)
    record: dict[str, Any] = field(default_factory=dict)
    charts: list[dict[str, Any]] = field(default_factory=list)
    ink: tuple[float, int] = (0.0, 0)
    screenshot: Path | None = None
    violations: list[dict[str, Any]] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    referenced: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def problems(self) -> list[str]:
        """Everything the page-type test refuses, in German, one line (or block) each."""
        if self.missing:
            return [self.missing]
        found = []
        if self.scroll_width > self.client_width or self.wide:
            found.append(
                f"scrollt seitwärts: scrollWidth {self.scroll_width} > clientWidth {self.client_width}"
                if self.scroll_width > self.client_width
                else f"Elemente ragen über {self.client_width} px hinaus (abgeschnitten)"
            )
            found += [f"  zu breit: {w}" for w in self.wide or ["(kein einzelnes Element gefunden)"]]
        if self.cut:
            found.append("abgeschnitten (ein Vorfahr verbirgt, was übersteht):")
            found += [f"  {c}" for c in self.cut]
        # a table or code may scroll sideways in its own box; the Feldreferenz not even that (issue 13)
        strict = self.target.kind == site.PageKind.FIELD_REFERENCE.value
        found += [
            f"seitwärts scrollender Bereich: {text}" for data, text in self.scrollers if strict or not data
        ]
        found += [f"Wort ohne Trennstrich umbrochen: {b}" for b in self.broken]
        found += [f"Seitenrahmen: {b}" for b in self.key_boxes]
        found += self.search
        found += chart_problems(self.charts)
        if self.violations:
            found.append(f"axe (WCAG 2.1 A/AA): {len(self.violations)} Verstoß/Verstöße")
            found += ["  " + line for line in describe_violations(self.violations).splitlines()]
        found += [f"Anfrage an fremden Server (blockiert): {b}" for b in self.blocked]
        found += [f"Verweis auf fremden Server im DOM: {r}" for r in self.referenced]
        found += [f"JavaScript-Fehler: {e}" for e in self.errors]
        ink, colours = self.ink
        if self.screenshot and (ink < MIN_INK or colours < MIN_COLOURS):
            found.append(f"Bildschirmfoto fast leer: {ink:.1%} Pixel nicht Hintergrund, {colours} Farben")
        return found


_RECORD_JS = """() => {
  const top = sel => {
    const el = document.querySelector(sel);
    if (!el) return null;
    const box = el.getBoundingClientRect();
    return {top: box.top + window.scrollY, height: box.height, width: box.width};
  };
  return {steckbrief: top('#steckbrief'), kontakt: top('#kontakt')};
}"""

_FACETS_JS = """() => {
  const box = document.getElementById('regio-facetten');
  if (!box) return {found: false};
  const shown = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0
    && r.left >= 0 && r.right <= document.documentElement.clientWidth + 1; };
  const boxes = [...box.querySelectorAll('input[type=checkbox]')];
  return {found: true, facets: box.querySelectorAll('fieldset').length, values: boxes.length,
          visible: boxes.filter(shown).length,
          summary: [...box.querySelectorAll('summary')].filter(shown).length};
}"""


def _search_problems(page: Any) -> list[str]:
    found = []
    try:
        page.wait_for_selector(SEARCH_RESULTS, timeout=15_000)
    except Exception:  # Playwright's TimeoutError: reported, not raised
        return [f"Suche: keine Treffer ({SEARCH_RESULTS}) nach 15 s"]
    facets = page.evaluate(_FACETS_JS)
    if not facets["found"]:
        found.append("Suche: keine Facetten (#regio-facetten fehlt)")
    elif facets["values"] < 2:
        found.append(f"Suche: Facetten ohne Werte ({facets['facets']} Gruppen, {facets['values']} Werte)")
    elif not facets["visible"] and not facets["summary"]:
        found.append("Suche: Facetten weder sichtbar noch aufklappbar (innerhalb der Breite)")
    return found


def _measure(chromium: Any, base: str, site_root: Path, target: Target, width: int) -> Measurement:
    measured = Measurement(target, width)
    started = time.monotonic()
    if not (site_root / f"{target.docname}.html").is_file():
        measured.missing = f"{target.docname}.html fehlt im veröffentlichten Handbuch"
        return measured
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOT_DIR / f"{target.kind}-{width}.png"
    shot.unlink(missing_ok=True)
    mobile = MOBILE[width]
    with open_page(
        chromium, base + target.path, width=width, height=HEIGHTS[width], mobile=mobile, settle=False
    ) as visit:
        page = visit.page
        if target.query:
            measured.search = _search_problems(page)
        page.evaluate("document.fonts.ready.then(() => true)")
        widths = page_overflow(page)
        measured.scroll_width, measured.client_width = widths.scroll_width, widths.client_width
        measured.wide, measured.cut = widths.wide, widths.cut
        measured.scrollers = sideways_scrollers(page)
        measured.broken = broken_words(page, HEADING_SELECTOR)
        measured.key_boxes = boxes_outside(element_boxes(page, KEY_ELEMENTS), measured.client_width)
        if target.kind in RECORD_KINDS:
            measured.record = page.evaluate(_RECORD_JS) | {"links": contact_links(page)}
        measured.charts = charts(page)
        page.screenshot(path=str(shot), full_page=True, animations="disabled")
        measured.screenshot = shot
        measured.violations = run_axe(page)
        # scroll to the end, so lazily loaded content asks for its resources too
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        page.wait_for_load_state("networkidle")
        measured.referenced = foreign_references(page)
        measured.blocked = list(visit.blocked)
        measured.errors = list(visit.errors)
    measured.ink = screenshot_ink(shot)
    measured.seconds = time.monotonic() - started
    return measured


FINDINGS = SCREENSHOT_DIR / "befunde.txt"


@pytest.fixture(scope="session")
def measure(chromium: Any, edition_url: str, editions: Path) -> Iterator[Callable[[str, int], Measurement]]:
    """``measure(kind, width)``: the page of ``kind`` loaded and measured once per session.

    Each measurement's findings are also written to ``_build/bildschirmfotos/befunde.txt``.
    """
    done: dict[tuple[str, int], Measurement] = {}
    site_root = editions / EDITIONS[-1]

    def get(kind: str, width: int) -> Measurement:
        if (kind, width) not in done:
            done[(kind, width)] = _measure(chromium, edition_url, site_root, TARGETS[kind], width)
            lines = []
            for (k, w), m in sorted(done.items()):
                problems = m.problems()
                lines.append(f"{k}-{w}.png  {m.target.path}  {m.seconds:.1f} s  {len(problems)} Befund(e)")
                lines += [f"    {p}" for p in problems]
            FINDINGS.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return done[(kind, width)]

    yield get


# --- the tests ----------------------------------------------------------------------------------


@pytest.mark.browser
def test_browser_tests_can_run_or_say_loudly_why_not() -> None:
    """Fails in CI and skips (with the reason) elsewhere when chromium or axe-core is missing."""
    require_browser_parts()


@pytest.mark.browser
def test_every_page_type_of_the_plan_is_under_test() -> None:
    """Each page kind and record type of the plan, and each page the issue names, is tested."""
    pages, _content = _plan(CONTENT, ROOT)
    tested = {t.page.kind for t in TARGETS.values() if t.page}
    kinds = {p.kind for p in pages.values()} - NOT_PUBLIC - {site.PageKind.FREE}
    assert not kinds - tested, f"ohne Test: {sorted(kinds - tested)}"
    record_types = {p.summary.kind for p in pages.values() if p.summary}
    assert (
        record_types
        == set(RECORD_KINDS)
        >= {"projekt", "praxis", "ergebnis", "foerderprogramm", "veranstaltung"}
    )
    phones = [k for k in RECORD_KINDS if TARGETS[k].page and _has_phone(TARGETS[k].page)]  # type: ignore[arg-type]
    assert phones, "kein getesteter Eintrag hat eine Telefonnummer: der tel:-Link bliebe ungeprüft"
    docnames = {t.docname for t in TARGETS.values()}
    assert set(REQUIRED.values()) <= docnames, f"ohne Test: {set(REQUIRED.values()) - docnames}"


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS, ids=lambda w: f"{w}px")
@pytest.mark.parametrize("kind", list(TARGETS))
def test_page_type_fits_reads_and_passes_axe_without_third_parties(
    measure: Callable[[str, int], Measurement], kind: str, width: int
) -> None:
    measured = measure(kind, width)
    problems = measured.problems()
    assert not problems, (
        f"{TARGETS[kind].path} bei {width} px ({measured.screenshot or 'kein Bildschirmfoto'}):\n"
        + "\n".join(f"- {p}" if not p.startswith("  ") else f"  {p}" for p in problems)
    )


@pytest.mark.browser
@pytest.mark.parametrize("kind", RECORD_KINDS)
def test_record_page_shows_steckbrief_and_contact_in_the_first_screen(
    measure: Callable[[str, int], Measurement], kind: str
) -> None:
    """Both start within the first 900 px; the contact box links every mailbox and phone number.

    The contact box is required where the record has contacts (projects and good practice).
    """
    measured = measure(kind, 1280)
    assert not measured.missing, measured.missing
    target = TARGETS[kind]
    assert target.page is not None
    contacts = target.page.context["e"].get("kontakt") or []
    problems = []
    for name in ("steckbrief", "kontakt") if contacts else ("steckbrief",):
        box = measured.record.get(name)
        if box is None:
            problems.append(f"#{name} fehlt")
        elif box["height"] < 1 or box["width"] < 1:
            problems.append(f"#{name} ist unsichtbar ({box['width']:.0f}×{box['height']:.0f} px)")
        elif box["top"] >= FIRST_SCREEN:
            problems.append(f"#{name} beginnt bei {box['top']:.0f} px, nicht in den ersten {FIRST_SCREEN} px")
    links = measured.record.get("links") or []
    for contact in contacts:
        email, phone = contact.get("email"), contact.get("telefon")
        if email and f"mailto:{email}".lower() not in {link.lower() for link in links}:
            problems.append(f"#kontakt: kein Link mailto:{email} (Links: {links})")
        if phone and tel_href(str(phone)) not in links:
            problems.append(f"#kontakt: kein Link {tel_href(str(phone))} für „{phone}“ (Links: {links})")
    problems += [
        f"#kontakt: {link} ist keine normierte Nummer (tel:+49…)"
        for link in links
        if link.startswith("tel:") and not re.fullmatch(r"tel:\+[1-9]\d{5,14}", link)
    ]
    assert not problems, f"{target.path} bei 1280 px:\n" + "\n".join(f"- {p}" for p in problems)


@pytest.fixture(scope="session")
def basis_url(basis_site: Path) -> Iterator[str]:
    with serve(basis_site) as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize("challenge", list(CHALLENGES))
def test_challenge_bars_are_value_over_target_and_never_full_without_one(
    request: pytest.FixtureRequest, chromium: Any, challenge: str
) -> None:
    """Each bar is value / target of its scale; without a target it never fills the scale.

    The shipped network gives no targets (every bar must stay short of its scale); the ``basis``
    fixture gives two (5000 Wohneinheiten, 120.5 km Radwege), so proportion is checked there.
    """
    target, reported = CHALLENGES[challenge]
    shipped = challenge.startswith("regionetz-")
    measured = TARGETS.get(site.PageKind.CHALLENGE.value)
    if shipped and measured and measured.docname == target.docname:  # loaded by the page-type test
        figures = request.getfixturevalue("measure")(measured.kind, 1280).charts
    else:
        base = request.getfixturevalue("edition_url" if shipped else "basis_url")
        with open_page(chromium, base + target.path, settle=False) as visit:
            figures = charts(visit.page)
    problems = chart_problems(figures)
    if reported and not figures:
        problems.append("keine Grafik (figure.regio-fortschritt), obwohl Einträge die Kennzahl melden")
    assert not problems, f"{target.path}:\n" + "\n".join(f"- {p}" for p in problems)


@pytest.mark.browser
def test_the_checks_find_what_they_look_for(chromium: Any) -> None:
    """Each check on made-up markup: broken words, overflow and lying bars are found."""
    html = """<!doctype html><html lang="de"><head><style>
      body { margin: 0; font: 20px sans-serif; } h2 { width: 90px; margin: 0 0 1em; }
      </style></head><body>
      <h2 id="notumbruch" style="overflow-wrap: anywhere">Quartiersentwicklung</h2>
      <h2 id="weich">Quartiers&shy;entwicklung</h2>
      <h2 id="bindestrich">Düsseldorf-Ratingen</h2>
      <h2 id="nullbreit">Quartiers&#8203;entwicklung</h2>
      <p style="width: 60px; overflow-wrap: anywhere">Fließtext-wird-nicht-geprüft-https://example.org</p>
      <div style="width: 100px; overflow: hidden"><p>Fließtext-wird-nicht-umbrochen-https://example.org</p></div>
      <div id="breit" style="width: 2000px">breit</div>
      <div id="tabelle" style="width: 80px; overflow-x: auto"><table><tr><td>Tabellenzelle</td></tr></table>
        </div>
      <div id="spalte" style="width: 80px; overflow-x: auto"><p>Absatz</p><p>Rollbereichsabsatz</p></div>
      <figure class="regio-fortschritt"><svg width="400" height="60">
        <g><rect class="regio-skala" x="0" y="0" width="200" height="10"/>
           <rect class="regio-balken" data-wert="50" data-ziel="100" y="0" width="100" height="10"/></g>
        <g><rect class="regio-skala" x="0" y="20" width="200" height="10"/>
           <rect class="regio-balken" data-wert="50" data-ziel="100" y="20" width="200" height="10"/></g>
        <g><rect class="regio-skala" x="0" y="40" width="200" height="10"/>
           <rect class="regio-balken" data-wert="7" data-ziel="" y="40" width="200" height="10"/></g>
      </svg><table><tr><td>50</td></tr></table></figure>
      <figure class="regio-fortschritt" data-ziel="100"><table><tr><td>50</td></tr></table></figure>
      <figure class="regio-fortschritt"><p>7 WE, ohne Zielwert</p><table><tr><td>7</td></tr></table></figure>
      </body></html>"""
    context = chromium.new_context(viewport={"width": 400, "height": 600})
    try:
        page = context.new_page()
        page.set_content(html)
        broken = broken_words(page)
        widths = page_overflow(page)
        scrollers = sideways_scrollers(page)
        problems = chart_problems(charts(page))
    finally:
        context.close()
    assert len(broken) == 2, broken
    assert "h2#notumbruch" in broken[0] and "Notumbruch" in broken[0]
    assert "h2#nullbreit" in broken[1] and "ohne Trennstrich" in broken[1]
    assert widths.scroll_width > widths.client_width, widths
    assert any(w.startswith("div#breit") for w in widths.wide), widths
    assert any("Fließtext-wird-nicht" in c for c in widths.cut), widths
    assert [(data, text.split(" ")[0]) for data, text in scrollers] == [
        (True, "div#tabelle"),
        (False, "div#spalte"),
    ]
    assert len(problems) == 4, problems
    assert "Balken 2" in problems[0] and "erwartet 100.0 px" in problems[0]
    assert "Balken 3" in problems[1] and "ohne Ziel" in problems[1]
    # a figure with a target must draw it; one without may give numbers and its table alone
    assert problems[2:] == [
        "Grafik 2: kein <svg>, obwohl ein Zielwert (100) gilt",
        "Grafik 2: keine Balken (rect.regio-balken), obwohl ein Zielwert gilt",
    ]
    assert tel_href("+49 (0)2104 12-34") == tel_href("02104/1234") == "tel:+4921041234"


@pytest.mark.browser
@pytest.mark.parametrize("kind", ["start", RECORD_KINDS[0]])
def test_dark_colour_scheme_passes_the_axe_audit(chromium: Any, edition_url: str, kind: str) -> None:
    """Readers whose system asks for a dark scheme get a page that passes axe, too."""
    target = TARGETS[kind]
    with open_page(chromium, edition_url + target.path, color_scheme="dark", settle=False) as visit:
        violations = run_axe(visit.page)
    assert not violations, (
        f"axe (WCAG 2.1 A/AA, dunkel) findet {len(violations)} Verstoß/Verstöße auf {target.path}:\n"
        f"{describe_violations(violations)}"
    )


@pytest.mark.browser
def test_the_request_guard_blocks_and_records_foreign_hosts(chromium: Any, edition_url: str) -> None:
    """Without this, an empty record could also mean a guard that sees nothing."""
    foreign = "http://fremder-server.invalid/bild.png"
    with open_page(chromium, edition_url + "index.html") as visit:
        visit.page.evaluate(
            """(url) => new Promise(done => {
                 const img = new Image(); img.onload = img.onerror = done; img.src = url;
                 document.body.append(img);
               })""",
            foreign,
        )
        references = foreign_references(visit.page)
    assert visit.blocked == [f"image {foreign}"]
    assert references == [f"<img src> {foreign}"]


@pytest.mark.browser
def test_every_matrix_cell_of_the_start_page_opens_a_search_listing_exactly_its_records(
    chromium: Any, edition_url: str
) -> None:
    """My city × my topic: each number of the start page's matrix is a link to the search with
    two facets and no query; the search lists exactly that many records, newest first."""
    with open_page(chromium, edition_url + "index.html") as visit:
        cells = visit.page.eval_on_selector_all(
            "table.regio-matrix td a[href]",
            "links => links.map(a => [a.getAttribute('href'), a.textContent])",
        )
    assert len(cells) >= 10
    for href, number in cells:
        with open_page(chromium, edition_url + href) as visit:
            visit.page.wait_for_selector(SEARCH_RESULTS, timeout=NAVIGATION_TIMEOUT_MS)
            shown = visit.page.eval_on_selector_all(
                "#regio-treffer li:not([hidden]) a[href]", "links => links.map(a => a.getAttribute('href'))"
            )
            status = visit.page.text_content("#regio-suche-status") or ""
        found = re.match(r"(\d+) (?:Eintrag|Einträge) ", status)
        assert found is not None and int(found.group(1)) == int(number), (href, status)
        assert len(set(shown)) == min(int(number), 10), (href, shown)  # the first page of results
        assert "neueste zuerst" in status, status


@pytest.mark.browser
def test_a_record_page_prints_as_a_clean_steckbrief(chromium: Any, edition_url: str) -> None:
    """Printed (A4 width), a record page is its Steckbrief, contact and text: no navigation,
    search, breadcrumbs or footer links, nothing wider than the paper."""
    target = TARGETS[RECORD_KINDS[0]]
    with open_page(chromium, edition_url + target.path, width=794, height=1123) as visit:
        page = visit.page
        page.emulate_media(media="print")
        shown = page.evaluate(
            """(selectors) => selectors.map(sel => {
                 const el = document.querySelector(sel);
                 const box = el ? el.getBoundingClientRect() : null;
                 return [sel, !!el && getComputedStyle(el).display !== 'none' && box.height > 0];
               })""",
            [
                ".regio-hauptnavigation", ".regio-kopf-suche", ".regio-pfad", ".regio-fuss-service",
                "#steckbrief", "#kontakt", "article h1",
            ],
        )  # fmt: skip
        widths = page_overflow(page)
    assert dict(shown) == {
        ".regio-hauptnavigation": False, ".regio-kopf-suche": False, ".regio-pfad": False,
        ".regio-fuss-service": False, "#steckbrief": True, "#kontakt": True, "article h1": True,
    }  # fmt: skip
    assert widths.scroll_width <= widths.client_width, widths
