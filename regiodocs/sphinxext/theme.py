"""The handbook's HTML theme ``regiodocs`` (``regiodocs/theme/regiodocs``) on KERN UX.

Registers the theme and, when an HTML build uses it:

- vendors KERN from ``node_modules/@kern-ux/native/dist`` (found in the project, next to
  conf.py, as the web editor's bundle is) into ``_static/kern/``: ``kern.min.css``, the Fira
  Sans faces the CSS uses and the font licence; no CDN, nothing loaded from another host;
- writes ``_static/regiodocs-farben.css``: the network's colour (``html_theme_options``
  ``farbe``) as KERN's theming tokens, so a sister network gets its own look from conf.py;
- gives every page the chrome's data (``html-page-context``): the network's name and licence,
  the main navigation, the footer, the breadcrumbs (``regio_pfad``);
- wraps each table in a scrollable ``div.table-wrapper`` (a wide table scrolls, not the page).

What the chrome shows of other pages (which of its pages exist, the titles of the free pages in
the footer) is part of the navigation digest (``navigation.py``): when it changes, every page
is written again.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import SphinxError
from sphinx.util import logging

from .state import get_state, has_state

logger = logging.getLogger(__name__)

THEME = "regiodocs"
THEME_DIR = Path(__file__).resolve().parent.parent / "theme" / THEME
KERN_DIST = Path("node_modules") / "@kern-ux" / "native" / "dist"
KERN_FILES = ("kern.min.css",)
FONT_CSS = "fonts/fira-sans.css"
#: the weights KERN's CSS uses (body 400, headings 500/600, strong 600); regiodocs.css sets
#: <strong> to 600, so no other face is ever requested
FONT_WEIGHTS = frozenset({"400", "500", "600"})
COLOURS_CSS = "regiodocs-farben.css"
#: stylesheets of other owners, linked after regiodocs.css when the theme ships them
LATER_CSS = ("regiodocs-seiten.css", "regiodocs-grafik.css")
THEME_JS = "regiodocs-theme.js"

#: Main navigation (at most six): docname, label (an English msgid, German in locale/), and
#: the folders whose pages belong to the entry (it is marked as the current section there).
NAVIGATION: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("projekte/index", "Projects", ("projekte/",)),
    ("praxis/index", "Good practice", ("praxis/",)),
    ("plattformen/index", "Platforms", ("plattformen/", "ergebnisse/")),
    ("partner/index", "Region", ("partner/",)),
    (
        "themen/index",
        "Topics",
        (
            "themen/",
            "handlungsfelder/",
            "herausforderungen/",
            "foerderung/",
            "veranstaltungen/",
            "schlagworte/",
        ),
    ),
    ("search", "Search", ()),
)
#: Footer links: docname, label (msgid).
FOOTER: tuple[tuple[str, str], ...] = (
    ("seiten/impressum", "Legal notice"),
    ("seiten/datenschutz", "Privacy"),
    ("seiten/barrierefreiheit", "Accessibility"),
    ("seiten/mitmachen", "Get involved"),
    ("feldreferenz", "Field reference"),
    ("daten/index", "Open data"),
)
#: every page the chrome links by a fixed name (their presence is in the navigation digest)
CHROME_DOCS = frozenset(name for name, _label, _folders in NAVIGATION) | frozenset(n for n, _ in FOOTER)
FREE_PAGES = "seiten/"
DOCUTILS_VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1" />'

_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
_FONT_URL = re.compile(r"url\(\s*[\"']?\./([^\"')]+)[\"']?\s*\)")
_WEIGHT = re.compile(r"font-weight:\s*(\d+)")


class ThemeError(SphinxError):
    category = "Fehler im Erscheinungsbild"


def setup_theme(app: Sphinx) -> None:
    app.add_html_theme(THEME, str(THEME_DIR))
    app.connect("builder-inited", _builder_inited)
    app.connect("html-page-context", _page_context)
    app.connect("doctree-resolved", _wrap_tables)


def uses_theme(app: Sphinx) -> bool:
    theme = getattr(app.builder, "theme", None)
    return app.builder.format == "html" and getattr(theme, "name", None) == THEME


# ------------------------------------------------------------------ static files


def _builder_inited(app: Sphinx) -> None:
    if not uses_theme(app):
        return
    static = Path(app.outdir) / "_static"
    vendor_kern(Path(app.confdir) / KERN_DIST, static / "kern")
    options = app.builder.theme.get_options(app.builder.theme_options)  # type: ignore[attr-defined]
    _write_if_changed(static / COLOURS_CSS, colours_css(str(options.get("farbe") or "")))
    for name in LATER_CSS:
        if (THEME_DIR / "static" / name).is_file():
            app.add_css_file(name, priority=200)  # after the theme's own stylesheets (also 200)
    app.add_js_file(THEME_JS, defer="defer")


def vendor_kern(dist: Path, target: Path) -> None:
    """Copy what the theme uses of KERN into ``target``; a clear error if KERN is missing."""
    if not (dist / "kern.min.css").is_file() or not (dist / FONT_CSS).is_file():
        raise ThemeError(
            f"KERN UX fehlt: {dist} enthält kein kern.min.css. Das Erscheinungsbild des Handbuchs "
            "braucht das npm-Paket @kern-ux/native (in package-lock.json festgelegt): "
            "einmal `npm ci` im Projektordner ausführen."
        )
    for name in KERN_FILES:
        _copy_if_changed(dist / name, target / name)
    faces = []
    for face in _FONT_FACE.findall((dist / FONT_CSS).read_text(encoding="utf-8")):
        weight = _WEIGHT.search(face)
        if weight is None or weight.group(1) not in FONT_WEIGHTS:
            continue
        for url in _FONT_URL.findall(face):
            _copy_if_changed(dist / "fonts" / url, target / "fonts" / url)
        faces.append(face.replace("font-style", "font-display: swap;\n    font-style", 1))
    header = "/* Fira Sans (SIL Open Font License 1.1), from @kern-ux/native: the faces KERN uses. */\n"
    _write_if_changed(target / FONT_CSS, header + "\n\n".join(faces) + "\n")
    licence = dist.parent / "LICENSE.md"
    if licence.is_file():
        _copy_if_changed(licence, target / "LICENSE.md")


def _copy_if_changed(source: Path, target: Path) -> None:
    data = source.read_bytes()
    if target.is_file() and target.read_bytes() == data:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def _write_if_changed(path: Path, text: str) -> None:
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# ------------------------------------------------------------------ colours


def _rgb(colour: str) -> tuple[float, float, float]:
    digits = colour[1:]
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return tuple(int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """WCAG 2.1 contrast ratio of two colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgb)


def readable(colour: str, minimum: float = 4.5) -> str:
    """``colour``, darkened until text in it on white meets ``minimum`` (WCAG AA)."""
    rgb = _rgb(colour)
    white = (1.0, 1.0, 1.0)
    while contrast(rgb, white) < minimum:
        rgb = tuple(c * 0.95 for c in rgb)  # type: ignore[assignment]
    return _hex(rgb)


def colours_css(farbe: str) -> str:
    """KERN's theming tokens for the network's colour (empty: KERN's own blue)."""
    farbe = (farbe or "").strip()
    head = (
        "/* regiodocs: the network's colour as KERN theming tokens, written at build time from\n"
        "   html_theme_options['farbe'] in conf.py (regiodocs.sphinxext.theme). */\n"
    )
    if not farbe:
        return (
            head
            + ":root {\n  --regio-farbe: var(--kern-color-action-default);\n  --regio-farbe-auf: #fff;\n}\n"
        )
    if not _HEX.fullmatch(farbe):
        raise ThemeError(
            "html_theme_options['farbe'] in conf.py muss eine Hex-Farbe wie "
            f'"#1a4f8b" sein, nicht {farbe!r}.'
        )
    text = readable(farbe)  # links and the header bar: always readable on white
    on = "#ffffff"
    return head + (
        ":root,\n[data-kern-theme=light],\n.kern-light {\n"
        f"  --regio-farbe: {text};\n"
        f"  --regio-farbe-auf: {on};\n"
        f"  --regio-farbe-hell: color-mix(in srgb, {text} 8%, #fff);\n"
        f"  --kern-color-action-default: {text};\n"
        f"  --kern-color-action-on-default: {on};\n"
        f"  --kern-color-decorative-brand-default: {text};\n"
        "}\n"
    )


# ------------------------------------------------------------------ page chrome


def _text(node: nodes.Node | None) -> str:
    return node.astext() if node is not None else ""


def _page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    if not uses_theme(app):
        return
    env = app.env
    hasdoc = context["hasdoc"]
    pathto = context["pathto"]
    planned = get_state(app).pages.get(pagename) if has_state(app) else None
    netzwerk = dict((planned.context.get("netzwerk") if planned is not None else None) or {})
    if not netzwerk and has_state(app) and get_state(app).content.netzwerk is not None:
        data = get_state(app).content.netzwerk.data
        netzwerk = {"name": data.get("name", ""), "lizenz": data.get("lizenz", "")}
    name = str(netzwerk.get("name") or app.config.html_short_title or app.config.project)
    context["regio_netzwerk"] = name
    context["regio_lizenz"] = str(netzwerk.get("lizenz") or "")
    context["regio_hauptnavigation"] = [
        {
            "link": pathto(docname),
            "label": label,
            "aktuell": "page" if pagename == docname else "true" if pagename.startswith(folders) else "",
        }
        for docname, label, folders in NAVIGATION
        if hasdoc(docname)
    ]
    context["regio_fuss"] = [{"link": pathto(d), "label": label} for d, label in FOOTER if hasdoc(d)]
    footer = {d for d, _ in FOOTER}
    context["regio_fuss_seiten"] = [
        {"link": pathto(d), "titel": _text(env.titles.get(d))}
        for d in env.toctree_includes.get(app.config.root_doc, [])
        if d.startswith(FREE_PAGES) and d not in footer and d in env.titles
    ]
    if planned is not None:
        trail = planned.trail_context()
    else:  # Sphinx's own pages (search): below the start page
        trail = [] if pagename == app.config.root_doc else [{"titel": "", "docname": app.config.root_doc}]
    context["regio_pfad"] = [
        {"link": pathto(step["docname"]), "titel": step.get("titel") or "", "start": i == 0}
        for i, step in enumerate(trail)
        if hasdoc(step["docname"])
    ]
    # docutils' viewport tag repeats the one of basic's layout
    context["metatags"] = context.get("metatags", "").replace(DOCUTILS_VIEWPORT, "")
    # no previous/next (they jumped across sections), no Sphinx index
    context["prev"] = context["next"] = None
    context["rellinks"] = []


def _wrap_tables(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Each table in a ``div.table-wrapper``: it scrolls sideways there, not the whole page."""
    if not uses_theme(app):
        return
    for table in list(doctree.findall(nodes.table)):
        parent = table.parent
        if isinstance(parent, nodes.container) and "table-wrapper" in parent["classes"]:
            continue
        wrapper = nodes.container("", classes=["table-wrapper"])
        table.replace_self(wrapper)
        wrapper += table
