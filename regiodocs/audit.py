"""Audit of a built site before it is published (defence in depth).

The guard judges every doctree; this module judges what was actually
written. Every HTML file is parsed with a real HTML parser (the standard
library's, which tokenises as browsers do), every SVG with a hardened XML
parser, and the publication is refused on:

- a ``<script>`` that neither the theme nor regiodocs emits: an external one
  must load a file of the site's own ``_static/``, ``_suche/`` or ``admin/``;
  an inline one must be data (``application/json``, ``application/ld+json``
  that parses as JSON) or one of the theme's known snippets (:data:`INLINE_SCRIPTS`);
- any ``on…`` event attribute, any attribute value with a ``javascript:``,
  ``vbscript:``, ``data:`` or ``file:`` URL, ``url(``/``expression(`` tricks in
  ``style``;
- ``<iframe>``, ``<object>``, ``<embed>``, ``<frame>``, ``<applet>``, ``<base>``,
  a ``<meta http-equiv="refresh">``, a form that posts elsewhere;
- a search-index script that is not a plain call with JSON data;
- an SVG with script, event attributes or external references
  (:mod:`regiodocs.svg`);
- a symlink, or a file under ``_images/`` or ``_downloads/`` that is not a
  byte-identical copy of a regular file in ``content/medien/``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

from . import safety

#: Inline scripts of the theme, by the SHA-256 of their stripped text.
INLINE_SCRIPTS = frozenset({
    # furo: restore the reader's light/dark choice before the page is painted
    hashlib.sha256(b'document.body.dataset.theme = localStorage.getItem("theme") || "auto";').hexdigest(),
})  # fmt: skip
DATA_SCRIPT_TYPES = frozenset({"application/json", "application/ld+json"})
SCRIPT_FOLDERS = ("_static/", "_suche/", "admin/")
FORBIDDEN_ELEMENTS = frozenset({"iframe", "object", "embed", "frame", "frameset", "applet", "base", "portal"})
COPIED_FOLDERS = ("_images", "_downloads")
_SEARCH_SCRIPT = re.compile(r"^regioSuche\.(?:index|teil)\((?P<args>.*)\);?\s*$", re.S)
_STYLE_TRICKS = re.compile(r"expression\s*\(|javascript:|vbscript:|@import|behavior\s*:|-moz-binding", re.I)
_CSS_URL = re.compile(r"(?:url\(\s*['\"]?|image-set\(\s*['\"]|@import\s+['\"])\s*([^'\")\s]*)", re.I)
_LOADING_LINKS = ("stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest", "import")


class _Page(HTMLParser):
    def __init__(self, site: Path, page: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.site, self.page = site, page
        self.problems: list[str] = []
        self._script: tuple[str, list[str]] | None = None

    def _problem(self, text: str) -> None:
        line, _col = self.getpos()
        self.problems.append(f"{self.page.relative_to(self.site).as_posix()}:{line}: {text}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs, closed=True)

    def _element(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool = False) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in FORBIDDEN_ELEMENTS:
            self._problem(f"Element <{tag}> ist nicht erlaubt.")
        for name, value in values.items():
            if name.startswith("on"):
                self._problem(f"Ereignis-Attribut {name}= an <{tag}>.")
            elif safety.dangerous(value) and name != "content":
                self._problem(f"Attribut {name}= an <{tag}> enthält eine ausführbare Adresse.")
            elif name == "style" and (_STYLE_TRICKS.search(value) or self._foreign_css(value)):
                self._problem(f"style= an <{tag}> lädt oder führt etwas aus.")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self._problem("<meta http-equiv=refresh> ist nicht erlaubt.")
        if tag == "form" and not self._local(values.get("action", "")):
            self._problem("Ein Formular sendet an eine fremde Adresse.")
        if tag == "link" and "href" in values and not self._local(values["href"]):
            rel = values.get("rel", "").lower()
            if any(word in rel.split() for word in _LOADING_LINKS):
                self._problem(f"<link rel={rel!r}> lädt {values['href']!r} von einem fremden Server.")
        if tag in ("script", "style"):
            if tag == "script" and "src" in values:
                if not self._own_script(values["src"]):
                    self._problem(f"<script src={values['src']!r}> lädt kein Skript des Handbuchs.")
            else:  # `<script/>` is no empty element for a browser: what follows is the script
                self._script = (tag if tag == "style" else values.get("type", "").lower(), [])

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._script is not None:
            kind, parts = self._script
            self._script = None
            self._inline(kind, "".join(parts))

    def close(self) -> None:
        super().close()
        if self._script is not None:  # an unclosed <script> runs to the end of the page
            kind, parts = self._script
            self._script = None
            self._inline(kind, "".join(parts))

    def _inline(self, kind: str, text: str) -> None:
        if kind == "style":
            if _STYLE_TRICKS.search(text) or self._foreign_css(text):
                self._problem("Ein <style>-Element lädt oder führt etwas aus.")
            return
        if kind in DATA_SCRIPT_TYPES:
            try:
                json.loads(text)
            except ValueError:
                self._problem("Ein Daten-Skript enthält kein gültiges JSON.")
            return
        if hashlib.sha256(text.strip().encode()).hexdigest() not in INLINE_SCRIPTS:
            self._problem(f"Unbekanntes eingebettetes Skript: {' '.join(text.split())[:60]!r}")

    def _foreign_css(self, style: str) -> bool:
        return any(not self._local(url) for url in _CSS_URL.findall(style))

    @staticmethod
    def _local(url: str) -> bool:
        return safety.scheme(url) is None and not url.strip().startswith("//")

    def _own_script(self, src: str) -> bool:
        if not self._local(src):
            return False
        path = src.split("?", 1)[0].split("#", 1)[0]
        target = (self.page.parent / path).resolve() if not path.startswith("/") else self.site / path[1:]
        try:
            rel = target.relative_to(self.site.resolve()).as_posix()
        except ValueError:
            return False
        return rel.startswith(SCRIPT_FOLDERS) and target.is_file()


def audit_site(site: Path, *, content_root: Path, media: Iterable[str] | None = None) -> list[str]:
    """German descriptions of every unsafe thing found in ``site`` (empty: safe to publish).

    ``media``: the content-relative files this edition may publish (default: every regular
    file under ``content/medien/``); whatever lies in ``_images/`` or ``_downloads/`` must
    be a byte-identical copy of one of them.
    """
    from . import svg

    site = Path(site)
    problems: list[str] = []
    media = _media_hashes(content_root, media)
    for path, mode in _files(site):
        rel = path.relative_to(site).as_posix()
        if stat.S_ISLNK(mode):
            problems.append(f"{rel}: Verknüpfung (Symlink) in der Ausgabe.")
            continue
        if not stat.S_ISREG(mode):
            problems.append(f"{rel}: keine gewöhnliche Datei.")
            continue
        if rel.split("/", 1)[0] in COPIED_FOLDERS and _hash(path) not in media:
            problems.append(f"{rel}: diese Datei stammt nicht aus `content/medien/`.")
        if path.suffix == ".html":
            parser = _Page(site, path)
            parser.feed(path.read_text(encoding="utf-8", errors="replace"))
            parser.close()
            problems += parser.problems
        elif path.suffix == ".svg":
            problems += [f"{rel}: {p}" for p in svg.problems(path.read_bytes())]
        elif rel.startswith("_suche/") and path.suffix == ".js":
            problems += _search_script(rel, path)
    return problems


def _search_script(rel: str, path: Path) -> list[str]:
    match = _SEARCH_SCRIPT.match(path.read_text(encoding="utf-8"))
    if match is None:
        return [f"{rel}: Suchindex-Datei hat eine unerwartete Form."]
    try:
        json.loads(f"[{match['args']}]")
    except ValueError:
        return [f"{rel}: Suchindex-Datei enthält mehr als Daten."]
    return []


def _files(root: Path) -> list[tuple[Path, int]]:
    found = []
    for folder, dirs, names in os.walk(root):
        for name in [*dirs, *names]:
            path = Path(folder) / name
            mode = os.lstat(path).st_mode
            if not stat.S_ISDIR(mode):
                found.append((path, mode))
    return found


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _media_hashes(content_root: Path, allowed: Iterable[str] | None) -> set[str]:
    folder = Path(content_root) / safety.MEDIA_FOLDER
    hashes = set()
    wanted = None if allowed is None else set(allowed)
    for path, mode in _files(folder) if folder.is_dir() else []:
        rel = path.relative_to(content_root).as_posix()
        if stat.S_ISREG(mode) and (wanted is None or rel in wanted):
            hashes.add(_hash(path))
    return hashes
