"""Helpers for the browser tests: a local web server, headless Chromium, axe-core.

Everything here stays on 127.0.0.1: the built site is served by ``http.server``
in a thread, and every request the browser makes to any other host is blocked
and recorded, so a test can show that the handbook loads nothing from third
parties. Chromium is Debian's package (never ``playwright install``); see
``/work/shared/NOTES.md`` ("Browser tests") for the launch recipe.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import pytest

if TYPE_CHECKING:  # Playwright is imported only when a browser is really started
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route, WebSocketRoute

ROOT = Path(__file__).resolve().parents[1]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT_DIR = ROOT / "_build" / "bildschirmfotos"
LOCAL_HOST = "127.0.0.1"
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

# Debian ships a wrapper script at /usr/bin/chromium; Playwright needs the real binary.
CHROMIUM_CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
)
LAUNCH_TIMEOUT_MS = 60_000
SETTLE_TIMEOUT_MS = 120_000
NAVIGATION_TIMEOUT_MS = 30_000
ACTION_TIMEOUT_MS = 15_000
AXE_TIMEOUT_MS = 60_000


# --- what is installed ------------------------------------------------------------------


def find_chromium() -> Path | None:
    """The Chromium binary to drive, or None. ``REGIODOCS_CHROMIUM`` overrides the search."""
    override = os.environ.get("REGIODOCS_CHROMIUM")
    candidates = [override] if override else [*CHROMIUM_CANDIDATES, shutil.which("chromium")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    return None


def missing_browser_parts() -> list[str]:
    """What the browser tests need but cannot find, in German (empty: all there)."""
    missing = []
    if find_chromium() is None:
        missing.append("chromium fehlt")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("Playwright für Python fehlt")
    if not AXE_JS.is_file():
        missing.append(f"axe-core fehlt ({AXE_JS.relative_to(ROOT)})")
    return missing


INSTALL_HINT = "chromium: apt-get install chromium; Playwright: make test; axe-core: npm ci"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


# --- the local web server ---------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 (free port) in a thread; yields the base URL with '/'."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"http {folder.name}", daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# --- Chromium ---------------------------------------------------------------------------


@contextmanager
def launch_chromium(executable: Path) -> Iterator[Browser]:
    """One headless Chromium (Playwright sync API), closed again on exit."""
    from playwright.sync_api import sync_playwright

    playwright: Playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=str(executable),
            args=list(CHROMIUM_ARGS),
            headless=True,
            timeout=LAUNCH_TIMEOUT_MS,
        )
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


def is_local(url: str) -> bool:
    """True for URLs that never leave the machine: 127.0.0.1 and data:/blob:/about: URLs."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname == LOCAL_HOST


@dataclass
class Visit:
    """An open page and what it tried to fetch from elsewhere."""

    page: Page
    blocked: list[str] = field(default_factory=list)  # "<resource type> <url>"
    errors: list[str] = field(default_factory=list)  # uncaught JavaScript errors


def _guard(context: BrowserContext, visit: Visit) -> None:
    """Let requests to 127.0.0.1 through; block and record every other one."""

    def on_request(route: Route) -> None:
        request = route.request
        if is_local(request.url):
            route.continue_()
        else:
            visit.blocked.append(f"{request.resource_type} {request.url}")
            route.abort("blockedbyclient")

    def on_websocket(socket: WebSocketRoute) -> None:
        if is_local(socket.url):
            socket.connect_to_server()
        else:
            visit.blocked.append(f"websocket {socket.url}")
            socket.close()

    context.route("**/*", on_request)
    context.route_web_socket("**/*", on_websocket)


@contextmanager
def open_page(
    browser: Browser,
    url: str,
    *,
    width: int = 1280,
    height: int = 800,
    mobile: bool = False,
    color_scheme: str = "light",
    settle: bool = True,
) -> Iterator[Visit]:
    """A fresh context (no shared cache or storage) with ``url`` loaded and foreign hosts blocked.

    ``settle``: also wait until the network has been idle for 500 ms (otherwise only "load").
    """
    context = browser.new_context(
        viewport={"width": width, "height": height},
        device_scale_factor=1,
        is_mobile=mobile,
        has_touch=mobile,
        color_scheme=color_scheme,  # type: ignore[arg-type]
        reduced_motion="reduce",
        locale="de-DE",
        service_workers="block",
    )
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    try:
        page = context.new_page()
        visit = Visit(page)
        _guard(context, visit)
        page.on("pageerror", lambda error: visit.errors.append(str(error)))
        response = page.goto(url, wait_until="load")
        if response is None or not response.ok:
            status = response.status if response else "keine Antwort"
            raise AssertionError(f"{url} konnte nicht geladen werden ({status})")
        if settle:  # the web editor's bundle (Decap CMS, several MB) settles slowly on a busy machine
            page.wait_for_load_state("networkidle", timeout=SETTLE_TIMEOUT_MS)
        yield visit
    finally:
        context.close()


# JavaScript: resources the DOM points to on other hosts (also those not fetched yet, e.g.
# lazy images or resource hints such as preconnect, which never show up as requests).
_FOREIGN_REFERENCES_JS = """() => {
  const selectors = 'script[src], link[href]:not([rel~="alternate"]):not([rel~="canonical"])'
    + ', img[src], img[srcset], source[src], source[srcset], iframe[src], video[src]'
    + ', video[poster], audio[src], object[data], embed[src], track[src]';
  const found = [];
  for (const el of document.querySelectorAll(selectors)) {
    for (const attr of ['src', 'href', 'data', 'poster', 'srcset']) {
      const value = el.getAttribute(attr);
      if (!value) continue;
      const urls = attr === 'srcset' ? value.split(',').map(s => s.trim().split(/\\s+/)[0]) : [value];
      for (const raw of urls) {
        let url;
        try { url = new URL(raw, document.baseURI); } catch (e) { continue; }
        if (['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)
            && url.hostname !== location.hostname) {
          found.push(`<${el.tagName.toLowerCase()} ${attr}> ${url.href}`);
        }
      }
    }
  }
  return found;
}"""


def foreign_references(page: Page) -> list[str]:
    """Resource references in the DOM that point away from the local server."""
    return page.evaluate(_FOREIGN_REFERENCES_JS)


# JavaScript: what sticks out to the right. Elements and text (a text node's own boxes: a long URL
# overflows its paragraph, whose box stays narrow) are checked against their nearest ancestor below
# <body> that clips or scrolls its overflow:
# - none: the item must end within ``limit`` px (the page's width), else it is "wide" - it makes
#   the page scroll sideways, or is cut off by `html`/`body {overflow-x: hidden}`;
# - one that hides/clips (not scrolls): the item must end within that ancestor, else it is "cut"
#   (ancestors under 20 × 20 px - visually hidden text - and `text-overflow: ellipsis` excepted);
# - one that scrolls: see _SIDEWAYS_SCROLLERS_JS.
# Fixed elements (off-canvas menus) never scroll the page and are skipped; so is what CSS hides.
_OVERFLOW_JS = """(limit) => {
  const wide = [], cut = [], seen = new Set();
  const clipOf = start => {
    for (let p = start; p && p !== document.body && p !== document.documentElement; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (style.position === 'fixed') return {fixed: true};
      if (style.overflowX !== 'visible') return {el: p, style};
    }
    return null;
  };
  const note = (list, text) => {
    if (!seen.has(text) && list.length < 8) list.push(text);
    seen.add(text);
  };
  const judge = (box, start, label) => {
    if (box.width === 0) return;
    const clip = clipOf(start);
    if (clip && clip.fixed) return;
    if (!clip) {
      if (box.right > limit + 1) note(wide, `${label} (rechts bei ${Math.round(box.right)} px)`);
      return;
    }
    if (!['hidden', 'clip'].includes(clip.style.overflowX) || clip.style.textOverflow === 'ellipsis') return;
    const frame = clip.el.getBoundingClientRect();
    if (frame.width < 20 || frame.height < 20 || box.right <= frame.right + 1) return;
    note(cut, `${label} in ${describe(clip.el).split(' ')[0]} (rechts bei ${Math.round(box.right)} px, `
      + `sichtbar bis ${Math.round(frame.right)} px)`);
  };
  const visible = el => {
    const style = getComputedStyle(el);
    return style.visibility === 'visible' && style.display !== 'none';
  };
  for (const el of document.body.querySelectorAll('*')) {
    if (!visible(el) || getComputedStyle(el).position === 'fixed') continue;
    judge(el.getBoundingClientRect(), el.parentElement, describe(el));
  }
  const range = document.createRange();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!node.data.trim() || !parent || !visible(parent)) continue;
    if (parent.closest('script, style, noscript, title')) continue;
    range.selectNodeContents(node);
    const text = node.data.trim().replace(/\\s+/g, ' ').slice(0, 40);
    const label = `Text „${text}“ in ${describe(parent).split(' ')[0]}`;
    judge(range.getBoundingClientRect(), parent, label);
  }
  return {scrollWidth: document.documentElement.scrollWidth,
          clientWidth: document.documentElement.clientWidth, wide: wide, cut: cut};
}"""

# JavaScript: a short, readable name for an element in a message (tag, id, classes, text).
_DESCRIBE_JS = """function describe(el) {
  const id = el.id ? '#' + el.id : '';
  const cls = typeof el.className === 'string' && el.className.trim()
    ? '.' + el.className.trim().split(/\\s+/).slice(0, 3).join('.') : '';
  const text = (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
  return `${el.tagName.toLowerCase()}${id}${cls}` + (text ? ` „${text}“` : '');
}"""


def _with_describe(function: str) -> str:
    """``function`` (an arrow function's source) with :data:`_DESCRIBE_JS` in scope."""
    return f"(arg) => {{ {_DESCRIBE_JS}; return ({function})(arg); }}"


def horizontal_overflow(page: Page, limit: int) -> tuple[int, list[str]]:
    """The document's scroll width and (up to 8) things sticking out beyond ``limit`` px."""
    result = page.evaluate(_with_describe(_OVERFLOW_JS), limit)
    return int(result["scrollWidth"]), list(result["wide"])


@dataclass
class Overflow:
    """How wide the page is, and what sticks out of it or is cut off (see _OVERFLOW_JS)."""

    scroll_width: int
    client_width: int
    wide: list[str]  # beyond the page's width (it scrolls sideways or cuts them off)
    cut: list[str]  # beyond an ancestor that hides its overflow: partly invisible


def page_overflow(page: Page) -> Overflow:
    """The document's ``scrollWidth`` and ``clientWidth``, and what does not fit into the latter."""
    client = int(page.evaluate("document.documentElement.clientWidth"))
    result = page.evaluate(_with_describe(_OVERFLOW_JS), client)
    return Overflow(int(result["scrollWidth"]), int(result["clientWidth"]), result["wide"], result["cut"])


# A sideways scroller holds data (may scroll on a phone: WCAG 1.4.10's exception for data tables
# and code) if it is, or its only child is, a <table> or <pre>; any other one (a content column, a
# Steckbrief) hides part of the page behind a scroll bar.
_SIDEWAYS_SCROLLERS_JS = """() => {
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (!['auto', 'scroll'].includes(style.overflowX) || el.scrollWidth <= el.clientWidth + 1) continue;
    if (style.visibility !== 'visible' || el.clientHeight === 0) continue;
    const only = el.children.length === 1 ? el.firstElementChild : null;
    const data = el.matches('table, pre') || !!(only && only.matches('table, pre'));
    found.push({data, text: `${describe(el)} (${el.scrollWidth} px Inhalt in ${el.clientWidth} px)`});
  }
  return found;
}"""


def sideways_scrollers(page: Page) -> list[tuple[bool, str]]:
    """Elements inside the page that the reader has to scroll sideways: (holds data?, description).

    "Data" is a table or preformatted text in its own scroll box (see _SIDEWAYS_SCROLLERS_JS).
    """
    return [
        (item["data"], item["text"]) for item in page.evaluate(_with_describe(_SIDEWAYS_SCROLLERS_JS), None)
    ]


# --- words broken across lines ----------------------------------------------------------------

#: Where a broken word is looked for: headings, card titles, the labels of description lists and
#: tables (the Steckbrief) and navigation links - short texts in which a split word is a defect.
#: Running text (paragraphs, table cells) may break long URLs and is not checked.
HEADING_SELECTOR = (
    "h1, h2, h3, h4, .kern-card__header, .kern-card__title, .kern-title, .sd-card-title, dt, th, nav a"
)

# The rule. A word (a run of non-space characters in one text node) whose characters lie on two
# or more lines is split. Each split is judged:
# 1. Emergency breaks (`overflow-wrap: break-word|anywhere`, `word-break: break-all`,
#    `line-break: anywhere`) cut a word anywhere, with no hyphen drawn. To tell them from real
#    break opportunities, the element is laid out again with those three properties reset (and
#    everything else as it was): a split that is not there any more was an emergency break and
#    is refused.
# 2. A split that remains is at a real break opportunity. It is accepted when the reader sees a
#    hyphen or a separator: the first part ends in "-", "‐", "–", "—" or "/", or in a soft
#    hyphen (U+00AD, drawn as "-" at the break), or the text's computed `hyphens` is `auto` and
#    the break lies between two letters (the browser's own hyphenation, which draws a hyphen).
#    Anything else (a zero-width space, <wbr>) is a break without a hyphen and refused.
# The Chromium of these tests has no hyphenation dictionaries: `hyphens: auto` alone breaks
# nothing here, so a long word that does not fit must be made to fit (font size) or carry soft
# hyphens - an emergency break is always reported.
_BROKEN_WORDS_JS = """(selector) => {
  const range = document.createRange();
  function lineStarts(node, start, end) {  // offsets in node of characters that begin a new line
    const starts = [];
    let prev = null;
    for (let i = start; i < end; i++) {
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      // the first character after a soft hyphen break has two boxes: the drawn hyphen, itself
      const rects = range.getClientRects();
      const r = rects[rects.length - 1];
      if (!r || r.width === 0) continue;  // undrawn (soft hyphen, zero-width space)
      if (prev && r.top > prev.top + Math.max(2, prev.height / 2)) starts.push(i);
      prev = r;
    }
    return starts;
  }
  const all = [...document.querySelectorAll(selector)];
  const outer = all.filter(el => !all.some(other => other !== el && other.contains(el)));
  const found = [];
  for (const el of outer) {
    if (!el.getClientRects().length) continue;  // not rendered
    const words = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const pattern = /\\S+/g;
      let m;
      while ((m = pattern.exec(node.data))) {
        if (m[0].length < 2) continue;
        const starts = lineStarts(node, m.index, m.index + m[0].length);
        if (starts.length) words.push({node, start: m.index, end: m.index + m[0].length, starts});
      }
    }
    if (!words.length) continue;
    const touched = [el, ...el.querySelectorAll('*')];
    const saved = touched.map(e => e.getAttribute('style'));
    for (const e of touched) {
      e.style.setProperty('overflow-wrap', 'normal', 'important');
      e.style.setProperty('word-break', 'normal', 'important');
      e.style.setProperty('line-break', 'auto', 'important');
    }
    for (const w of words) {
      const natural = new Set(lineStarts(w.node, w.start, w.end));
      const auto = getComputedStyle(w.node.parentElement).hyphens === 'auto';
      const reasons = new Set();
      for (const s of w.starts) {
        const before = w.node.data.slice(w.start, s), after = w.node.data.slice(s, w.end);
        if (!natural.has(s)) reasons.add('Notumbruch mitten im Wort (overflow-wrap/word-break)');
        else if (/[-\u2010\u2013\u2014\\/\u00ad]$/.test(before)) continue;
        else if (auto && /\\p{L}$/u.test(before) && /^\\p{L}/u.test(after)) continue;
        else reasons.add('Umbruch ohne Trennstrich');
      }
      if (!reasons.size) continue;
      let shown = '', from = w.start;
      for (const s of w.starts) { shown += w.node.data.slice(from, s) + '|'; from = s; }
      shown = (shown + w.node.data.slice(from, w.end)).replace(/[\u00ad\u200b]/g, '');
      found.push(`${describe(el)}: „${shown}“ – ${[...reasons].join('; ')}`);
    }
    touched.forEach((e, i) => {
      if (saved[i] === null) e.removeAttribute('style'); else e.setAttribute('style', saved[i]);
    });
  }
  return found;
}"""


def broken_words(page: Page, selector: str = HEADING_SELECTOR) -> list[str]:
    """Words in ``selector``'s elements split across lines without a visible hyphen (see the rule)."""
    return page.evaluate(_with_describe(_BROKEN_WORDS_JS), selector)


# --- charts -----------------------------------------------------------------------------------

# The markup (grafik helper, regiodocs/charts.py): `figure.regio-fortschritt` holds an <svg> and a
# <table> with the same numbers. In the svg, each bar is `rect.regio-balken` with `data-wert` (its
# value) and `data-ziel` (the target; empty or absent: no target). The scale a bar is drawn on
# (0 … target, or 0 … the axis maximum without a target) is the element `.regio-skala` nearest to
# the bar: in the bar's own group if it has one, otherwise in an enclosing group up to the svg.
# Stacked bars (one segment per status) are one `rect.regio-balken` each, with the segment's value.
_CHARTS_JS = """() => [...document.querySelectorAll('figure.regio-fortschritt')].map((fig, f) => {
  const svg = fig.querySelector('svg');
  const caption = (fig.querySelector('figcaption') || {}).textContent || '';
  const bars = svg ? [...svg.querySelectorAll('rect.regio-balken')] : [];
  return {
    figure: f + 1, caption: caption.trim().replace(/\\s+/g, ' ').slice(0, 80),
    svg: !!svg, table: !!fig.querySelector('table'), ziel: fig.getAttribute('data-ziel') || '',
    bars: bars.map(rect => {
      let scale = null;
      for (let p = rect.parentElement; p && !scale; p = p === svg ? null : p.parentElement) {
        scale = p.querySelector('.regio-skala');
      }
      const title = rect.querySelector('title') || rect.parentElement.querySelector('title');
      return {
        wert: rect.getAttribute('data-wert'), ziel: rect.getAttribute('data-ziel'),
        width: rect.getBoundingClientRect().width,
        scale: scale ? scale.getBoundingClientRect().width : null,
        label: title ? title.textContent.trim().slice(0, 60) : '',
      };
    }),
  };
})"""


def charts(page: Page) -> list[dict[str, Any]]:
    """Every `figure.regio-fortschritt` on the page with its bars' values and rendered widths."""
    return page.evaluate(_CHARTS_JS)


def _number(value: str | None) -> float | None:
    if value is None or not value.strip():
        return None
    try:
        return float(value)
    except ValueError:
        return None


def chart_problems(figures: list[dict[str, Any]]) -> list[str]:
    """What is wrong with the charts measured by :func:`charts` (empty: bars tell the truth).

    A bar with a target is ``wert / ziel`` of its scale's width (within 1.5 px or 1 % of the
    scale; beyond the target it may stop at the scale's end or go on proportionally). A bar
    without a target never spans its whole scale. A figure with a target (``data-ziel``) has
    bars; every figure has its table.
    """
    problems = []
    for fig in figures:
        name = f"Grafik {fig['figure']}" + (f" („{fig['caption']}“)" if fig["caption"] else "")
        # with a target the figure draws bars; without one it may give the numbers alone (no
        # bar could be honest then), but never without the table
        if fig["ziel"] and not fig["svg"]:
            problems.append(f"{name}: kein <svg>, obwohl ein Zielwert ({fig['ziel']}) gilt")
        if not fig["table"]:
            problems.append(f"{name}: keine Tabelle mit denselben Zahlen")
        if fig["ziel"] and not fig["bars"]:
            problems.append(f"{name}: keine Balken (rect.regio-balken), obwohl ein Zielwert gilt")
        for number, bar in enumerate(fig["bars"], start=1):
            where = f"{name}, Balken {number}" + (f" („{bar['label']}“)" if bar["label"] else "")
            value, target = _number(bar["wert"]), _number(bar["ziel"])
            width, scale = bar["width"], bar["scale"]
            if value is None or value < 0:
                problems.append(f"{where}: data-wert={bar['wert']!r} ist keine Zahl ≥ 0")
                continue
            if not scale:
                problems.append(f"{where}: kein Maßstab (.regio-skala) in seiner Gruppe oder im <svg>")
                continue
            tolerance = max(1.5, scale / 100)
            has_target = bar["ziel"] is not None and bar["ziel"].strip() != ""
            if has_target and (target is None or target <= 0):
                problems.append(f"{where}: data-ziel={bar['ziel']!r} ist keine Zahl > 0")
            elif has_target:
                assert target is not None
                expected = value / target * scale
                low, high = (expected, expected) if value <= target else (scale, expected)
                if not low - tolerance <= width <= high + tolerance:
                    problems.append(
                        f"{where}: {width:.1f} px breit, erwartet {expected:.1f} px "
                        f"({value:g} von {target:g} auf {scale:.1f} px Maßstab)"
                    )
            elif width >= scale - tolerance:
                problems.append(
                    f"{where}: ohne Ziel füllt der Balken den ganzen Maßstab "
                    f"({width:.1f} von {scale:.1f} px, Wert {value:g})"
                )
    return problems


# --- record pages -------------------------------------------------------------------------------

_CONTACT_JS = """() => {
  const box = document.getElementById('kontakt');
  return box ? [...box.querySelectorAll('a[href]')].map(a => a.getAttribute('href')) : null;
}"""


def contact_links(page: Page) -> list[str] | None:
    """The hrefs of the links in the contact box ``#kontakt`` (None: there is none), decoded:
    Sphinx cloaks addresses (``mailto:a%40b.de``), which mail programs decode (RFC 6068)."""
    found = page.evaluate(_CONTACT_JS)
    return None if found is None else [unquote(href) for href in found]


def tel_href(number: str) -> str:
    """The ``tel:`` link of a German phone number: ``+49 (0)2104 12-34`` → ``tel:+4921041234``."""
    digits = re.sub(r"[^\d+]", "", number.replace("(0)", ""))
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = "+49" + digits[1:]
    return "tel:" + digits


_BOXES_JS = """(selectors) => selectors.map(sel => {
  const el = document.querySelector(sel);
  if (!el) return {selector: sel, found: false};
  const box = el.getBoundingClientRect(), style = getComputedStyle(el);
  return {selector: sel, found: true, left: box.left + window.scrollX, top: box.top + window.scrollY,
          width: box.width, height: box.height,
          shown: style.visibility !== 'hidden' && style.display !== 'none' && Number(style.opacity) > 0};
})"""


def element_boxes(page: Page, selectors: list[str]) -> list[dict[str, Any]]:
    """Each selector's first element: page coordinates, size and whether CSS shows it."""
    return page.evaluate(_BOXES_JS, selectors)


def boxes_outside(boxes: list[dict[str, Any]], width: int) -> list[str]:
    """Elements that are missing, hidden, empty or not fully within ``0 … width`` px."""
    wrong = []
    for box in boxes:
        if not box["found"]:
            wrong.append(f"{box['selector']}: fehlt")
        elif not box["shown"] or box["width"] < 1 or box["height"] < 1:
            wrong.append(f"{box['selector']}: unsichtbar ({box['width']:.0f}×{box['height']:.0f} px)")
        elif box["left"] < -1 or box["left"] + box["width"] > width + 1:
            right = box["left"] + box["width"]
            wrong.append(f"{box['selector']}: {box['left']:.0f} … {right:.0f} px, Seite {width} px breit")
    return wrong


def screenshot_ink(path: Path) -> tuple[float, int]:
    """Share of pixels that differ from the most common colour (the background), and colour count."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").resize((max(1, image.width // 4), max(1, image.height // 4)))
    colours = small.getcolors(maxcolors=small.width * small.height) or []
    total = small.width * small.height
    background = max(count for count, _colour in colours)
    return 1 - background / total, len(colours)


# --- axe-core ---------------------------------------------------------------------------

_AXE_RUN_JS = """async ([tags, timeout]) => {
  const limit = new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`axe.run nach ${timeout} ms abgebrochen`)), timeout));
  const result = await Promise.race([limit, axe.run(document, {
    runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})]);
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target, html: n.html, summary: n.failureSummary})),
  }));
}"""


def run_axe(page: Page, tags: tuple[str, ...] = WCAG_TAGS) -> list[dict[str, Any]]:
    """Inject axe-core into ``page`` and return its violations for ``tags``."""
    page.add_script_tag(path=str(AXE_JS))
    page.wait_for_function("() => typeof window.axe !== 'undefined'")
    return page.evaluate(_AXE_RUN_JS, [list(tags), AXE_TIMEOUT_MS])


def describe_violations(violations: list[dict[str, Any]], *, targets: int = 3) -> str:
    """One block per violation: id, impact, help and the first ``targets`` selectors."""
    lines = []
    for violation in violations:
        nodes = violation["nodes"]
        lines.append(
            f"- {violation['id']} [{violation['impact']}]: {violation['help']} "
            f"({len(nodes)} Stelle(n); {violation['helpUrl']})"
        )
        for node in nodes[:targets]:
            selector = " >> ".join(str(part) for part in node["target"])
            lines.append(f"    {selector}    {node['html'][:160]}")
    return "\n".join(lines)


def require_browser_parts() -> None:
    """Skip loudly without Chromium, Playwright or axe-core; under CI=true fail instead."""
    missing = missing_browser_parts()
    if not missing:
        return
    if in_ci():
        pytest.fail(
            f"{', '.join(missing)} – CI=true, die Browser-Tests dürfen hier nicht übersprungen "
            f"werden ({INSTALL_HINT}; .ci/run installiert chromium).",
            pytrace=False,
        )
    pytest.skip(f"{', '.join(missing)} – Browser-Tests übersprungen ({INSTALL_HINT})")
