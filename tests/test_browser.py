"""The built handbook in a real browser: screenshots, accessibility, no third parties.

Needs Debian's chromium and axe-core (``npm ci``). Without them the tests are
skipped locally and fail in CI (``CI=true``). One Chromium serves the whole
session, one local web server each site; helpers live in ``tests/browser.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from browser import (
    SCREENSHOT_DIR,
    boxes_outside,
    describe_violations,
    element_boxes,
    foreign_references,
    horizontal_overflow,
    open_page,
    require_browser_parts,
    run_axe,
    screenshot_ink,
    serve,
)

MOBILE_WIDTH = 390
NARROW_WIDTH = 360  # the narrowest phones still in use
MIN_INK = 0.03  # share of the screenshot's pixels that are not background (text, images, lines)
MIN_COLOURS = 8  # a page with text and its anti-aliasing has many shades
# What every page shows within the viewport's width: the site's name (furo: the sidebar's brand
# on a desktop, the header on a phone), the title and the article's first paragraph.
KEY_ELEMENTS = {False: [".sidebar-brand", "article h1", "article p"],
                True: ["header.mobile-header", "article h1", "article p"]}  # fmt: skip

# One page of each kind in the shipped content: a file, or a pattern whose first match
# (sorted, without index.html) is taken, so renamed records do not break the tests.
PAGES = {
    "start": "index.html",
    "projekt": "projekte/*/*.html",
    "praxis": "praxis/*.html",
    "ergebnis": "ergebnisse/*/*.html",
    "partner": "partner/neuss.html",
    "plattform": "plattformen/klimafolgenanpassung.html",
    "handlungsfeld": "handlungsfelder/mobilitaet.html",
    "herausforderung": "herausforderungen/*.html",
    "status": "status/umsetzung.html",
    "schlagwort": "schlagworte/*.html",
    "veranstaltung": "veranstaltungen/*.html",
    "foerderung": "foerderung/*.html",
    "typliste": "projekte/index.html",
    "seite": "seiten/mitmachen.html",
    "suche": "search.html",
    "feldreferenz": "feldreferenz.html",
}
SEARCH_QUERY = "Radverkehr"

# Known JavaScript errors (page -> start of the message), tolerated. None since the
# handbook's own search replaced Sphinx's searchtools.js (which threw with language="de").
KNOWN_SCRIPT_ERRORS: dict[str, str] = {}

# The search has shown results: links to pages in its result area (independent of whether
# Sphinx's own search script or our own renders them).
RESULT_LINKS_JS = """() => document.querySelectorAll('#search-results a[href*=".html"]').length > 0"""

VIEWPORTS = {  # name: (width, height, mobile)
    "desktop": (1280, 800, False),
    str(MOBILE_WIDTH): (MOBILE_WIDTH, 844, True),
    str(NARROW_WIDTH): (NARROW_WIDTH, 740, True),
}


def page_path(site: Path, kind: str) -> str:
    """The site-relative path of the page that stands for ``kind``."""
    pattern = PAGES[kind]
    if "*" not in pattern:
        assert (site / pattern).is_file(), f"{kind}: {pattern} fehlt im gebauten Handbuch"
        return pattern
    found = sorted(p for p in site.glob(pattern) if p.name != "index.html")
    assert found, f"{kind}: keine Seite passt auf {pattern}"
    return found[0].relative_to(site).as_posix()


@pytest.fixture(scope="module")
def site_url(shipped_site: Path) -> Iterator[str]:
    with serve(shipped_site) as url:
        yield url


# --- the tests --------------------------------------------------------------------------


@pytest.mark.browser
def test_browser_tests_can_run_or_say_loudly_why_not() -> None:
    """Fails in CI and skips (with the reason) elsewhere when chromium or axe-core is missing."""
    require_browser_parts()


@pytest.mark.browser
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("kind", ["start", "projekt", "plattform"])
def test_screenshots_of_key_pages_are_written_for_review(
    chromium, shipped_site: Path, site_url: str, kind: str, viewport: str
) -> None:
    width, height, mobile = VIEWPORTS[viewport]
    target = SCREENSHOT_DIR / f"{kind}-{viewport}.png"
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    path = page_path(shipped_site, kind)

    with open_page(chromium, site_url + path, width=width, height=height, mobile=mobile) as visit:
        visit.page.screenshot(path=str(target), full_page=True, animations="disabled")
        scroll_width, wide = horizontal_overflow(visit.page, width)
        boxes = element_boxes(visit.page, KEY_ELEMENTS[mobile])

    ink, colours = screenshot_ink(target)
    assert ink >= MIN_INK and colours >= MIN_COLOURS, (
        f"{target.name} ist fast leer: {ink:.1%} der Pixel nicht Hintergrund, {colours} Farben"
    )
    wrong = boxes_outside(boxes, width)
    assert not wrong, f"{path} bei {width} px: " + "; ".join(wrong)
    assert scroll_width <= width + 1, (
        f"{path} scrollt bei {width} px Breite seitwärts (scrollWidth {scroll_width}); "
        f"zu breit: {', '.join(wide) or 'unbekannt'}"
    )


@pytest.mark.browser
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "kind", ["start", "projekt", "handlungsfeld", "partner", "plattform", "herausforderung", "feldreferenz"]
)
def test_pages_pass_the_axe_wcag_21_aa_audit(
    chromium, shipped_site: Path, site_url: str, kind: str, color_scheme: str
) -> None:
    path = page_path(shipped_site, kind)
    with open_page(chromium, site_url + path, color_scheme=color_scheme) as visit:
        violations = run_axe(visit.page)
    assert not violations, (
        f"axe (WCAG 2.1 A/AA, {color_scheme}) findet {len(violations)} Verstoß/Verstöße "
        f"auf {path}:\n{describe_violations(violations)}"
    )


@pytest.mark.browser
def test_the_request_guard_blocks_and_records_foreign_hosts(chromium, site_url: str) -> None:
    """Without this, an empty record could also mean a guard that sees nothing."""
    foreign = "http://fremder-server.invalid/bild.png"
    with open_page(chromium, site_url + "index.html") as visit:
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
def test_no_page_type_loads_anything_from_a_third_party(chromium, shipped_site: Path, site_url: str) -> None:
    blocked: dict[str, list[str]] = {}
    referenced: dict[str, list[str]] = {}
    script_errors: dict[str, list[str]] = {}
    for kind in PAGES:
        path = page_path(shipped_site, kind)
        url = site_url + path + (f"?q={SEARCH_QUERY}" if kind == "suche" else "")
        with open_page(chromium, url, settle=False) as visit:
            if kind == "suche":  # let the search script fetch its index and show results
                visit.page.wait_for_function(RESULT_LINKS_JS)
            # scroll to the end, so lazily loaded content asks for its resources too
            visit.page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
            visit.page.wait_for_load_state("networkidle")
            if visit.blocked:
                blocked[path] = visit.blocked
            if refs := foreign_references(visit.page):
                referenced[path] = refs
            known = KNOWN_SCRIPT_ERRORS.get(path)
            errors = [e for e in visit.errors if not (known and e.startswith(known))]
            if errors:
                script_errors[path] = errors

    assert not blocked, "Anfragen an fremde Server (blockiert):\n" + "\n".join(
        f"{path}: {url}" for path, urls in blocked.items() for url in urls
    )
    assert not referenced, "Verweise auf Ressourcen fremder Server im DOM:\n" + "\n".join(
        f"{path}: {ref}" for path, refs in referenced.items() for ref in refs
    )
    assert not script_errors, "JavaScript-Fehler:\n" + "\n".join(
        f"{path}: {error}" for path, errors in script_errors.items() for error in errors
    )
