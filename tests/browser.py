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
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

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


_OVERFLOW_JS = """(limit) => {
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= limit + 1) continue;
    // fixed elements (furo's drawers) never scroll the page; an ancestor that hides or
    // scrolls its overflow clips the element - neither makes the page scroll sideways
    let hidden = getComputedStyle(el).position === 'fixed';
    for (let p = el.parentElement; !hidden && p && p !== document.body; p = p.parentElement) {
      const style = getComputedStyle(p);
      hidden = style.overflowX !== 'visible' || style.position === 'fixed';
    }
    if (hidden) continue;
    const cls = el.className && typeof el.className === 'string'
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    wide.push(`${el.tagName.toLowerCase()}${cls} (rechts bei ${Math.round(box.right)} px)`);
    if (wide.length >= 8) break;
  }
  return {scrollWidth: document.documentElement.scrollWidth, wide: wide};
}"""


def horizontal_overflow(page: Page, limit: int) -> tuple[int, list[str]]:
    """The document's scroll width and (up to 8) elements sticking out beyond ``limit`` px."""
    result = page.evaluate(_OVERFLOW_JS, limit)
    return int(result["scrollWidth"]), list(result["wide"])


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
