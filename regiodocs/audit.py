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

Verdicts are kept per file (:func:`audit_site`'s ``cache``), keyed by the SHA-256 of its
bytes and of the judges' code (this module, :mod:`.safety`, :mod:`.svg`, Python, defusedxml): a file
whose bytes did not change is not parsed again. What a verdict depends on besides the bytes is
judged afresh on every run: whether a page's ``<script src>`` loads an existing file of the
site's script folders (the cache keeps the ``src`` values, not their judgement), whether a copy
in ``_images/``/``_downloads/`` matches a medium, whether a file is a symlink. Files not yet
judged are parsed on every core (a process pool, results in the walk's order).
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import multiprocessing
import os
import re
import stat
import sys
import threading
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from . import cachefiles, safety, svg, syndication

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
_FOREIGN_SCRIPT = "<script src={src!r}> lädt kein Skript des Handbuchs."
#: Below this many files to parse, a process pool costs more than it saves.
POOL_THRESHOLD = 64

#: What a file's bytes say, in document order: ``(line, text, src)``. ``src`` is None for a
#: problem; otherwise the entry is a ``<script src>`` whose target is judged on every run.
#: ``line`` is None for a message without a line (SVG and search files say theirs in the text).
Entry = tuple[int | None, str, str | None]


class _Page(HTMLParser):
    """One page's entries from its text alone (nothing of the site is looked at)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.entries: list[Entry] = []
        self._script: tuple[str, list[str]] | None = None

    def _problem(self, text: str) -> None:
        line, _col = self.getpos()
        self.entries.append((line, text, None))

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
            elif ":" in value and name != "content" and safety.dangerous(value):  # a scheme needs a colon
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
                self.entries.append((self.getpos()[0], "", values["src"]))
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
        return _local(url)


def _local(url: str) -> bool:
    return safety.scheme(url) is None and not url.strip().startswith("//")


def _own_script(site: Path, resolved_site: Path, folder: Path, src: str) -> bool:
    """Whether ``src``, written in a page of ``folder``, loads a file of the site's script folders."""
    if not _local(src):
        return False
    path = src.split("?", 1)[0].split("#", 1)[0]
    target = (folder / path).resolve() if not path.startswith("/") else site / path[1:]
    try:
        rel = target.relative_to(resolved_site).as_posix()
    except ValueError:
        return False
    return rel.startswith(SCRIPT_FOLDERS) and target.is_file()


def audit_site(
    site: Path,
    *,
    content_root: Path,
    media: Iterable[str] | None = None,
    cache: Path | None = None,
    workers: int | None = None,
) -> list[str]:
    """German descriptions of every unsafe thing found in ``site`` (empty: safe to publish).

    ``media``: the content-relative files this edition may publish (default: every regular
    file under ``content/medien/``); whatever lies in ``_images/`` or ``_downloads/`` must
    be a byte-identical copy of one of them. ``cache``: a JSON file outside ``site`` that
    keeps each file's verdict for the next audit (unreadable or foreign: ignored, rewritten).
    ``workers``: processes that parse the files not yet judged (default: the usable cores,
    when there are enough files for a pool to pay).
    """
    site = Path(site)
    media_hashes = _media_hashes(content_root, media)
    known = _load(cache) if cache is not None else {}
    files = _walk(site)
    digests: dict[str, str] = {}
    todo: list[tuple[str, str, str]] = []  # (rel, kind, path) not judged before: read by the judge
    verdicts: dict[str, list[Entry]] = {}
    for rel, path, mode in files:
        if not stat.S_ISREG(mode):
            continue
        kind = _kind(rel)
        if kind is None and rel.split("/", 1)[0] not in COPIED_FOLDERS:
            continue
        with open(path, "rb") as handle:
            data = handle.read()
        digests[rel] = hashlib.sha256(data).hexdigest()
        if kind is None:
            continue
        cached = known.get(rel)
        if cached is not None and cached[0] == digests[rel]:
            verdicts[rel] = cached[1]
        else:
            todo.append((rel, kind, path))
    for (rel, *_), (digest, entries) in zip(todo, _judge_all(todo, workers), strict=True):
        digests[rel], verdicts[rel] = digest, entries  # the verdict is that of the bytes judged
    if cache is not None:
        _save(cache, {rel: (digests[rel], entries) for rel, entries in verdicts.items()})
    return _problems(site, files, digests, verdicts, media_hashes)


def _problems(
    site: Path,
    files: list[tuple[str, str, int]],
    digests: dict[str, str],
    verdicts: dict[str, list[Entry]],
    media: set[str],
) -> list[str]:
    """The messages, in the walk's order, from the verdicts and what is judged on every run."""
    resolved_site = site.resolve()
    scripts: dict[tuple[str, str], bool] = {}
    problems: list[str] = []
    for rel, path, mode in files:
        if stat.S_ISLNK(mode):
            problems.append(f"{rel}: Verknüpfung (Symlink) in der Ausgabe.")
            continue
        if not stat.S_ISREG(mode):
            problems.append(f"{rel}: keine gewöhnliche Datei.")
            continue
        if rel.split("/", 1)[0] in COPIED_FOLDERS and digests[rel] not in media:
            problems.append(f"{rel}: diese Datei stammt nicht aus `content/medien/`.")
        for line, text, src in verdicts.get(rel, ()):
            if src is not None:
                key = (os.path.dirname(path), src)
                if key not in scripts:
                    scripts[key] = _own_script(site, resolved_site, Path(key[0]), src)
                if scripts[key]:
                    continue
                text = _FOREIGN_SCRIPT.format(src=src)
            problems.append(f"{rel}: {text}" if line is None else f"{rel}:{line}: {text}")
    return problems


def _kind(rel: str) -> str | None:
    """Which judge reads the file at ``rel`` (None: none, only its place and hash count)."""
    if rel.endswith(".html"):
        return "html"
    if rel.endswith(".svg"):
        return "svg"
    if rel.startswith("_suche/") and rel.endswith(".js"):
        return "suche"
    if rel.endswith(".atom"):
        return "atom"
    if rel.endswith(".ics"):
        return "ics"
    return None


def judge(kind: str, data: bytes) -> list[Entry]:
    """The entries of one file's bytes (``kind`` from :func:`_kind`); pure, so it can be cached."""
    if kind == "html":
        # as Path.read_text(errors="replace") reads it: universal newlines
        text = data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
        parser = _Page()
        parser.feed(text)
        parser.close()
        return parser.entries
    if kind == "svg":
        return [(None, p, None) for p in svg.problems(data)]
    if kind == "atom":
        return [(None, p, None) for p in syndication.atom_problems(data)]
    if kind == "ics":
        return [(None, p, None) for p in syndication.calendar_problems(data)]
    return [(None, p, None) for p in _search_script(data)]


def _judge_one(job: tuple[str, str]) -> tuple[str, list[Entry]]:
    """The hash and entries of the file at ``job[1]``, read here (in a worker: not sent)."""
    kind, path = job
    with open(path, "rb") as handle:
        data = handle.read()
    return hashlib.sha256(data).hexdigest(), judge(kind, data)


def _orphan_guard(parent: int) -> None:
    """In a pool worker: die with the build. A worker forked while the build holds its
    ``flock`` locks shares them; if the build is killed, a worker left waiting for jobs would
    keep the next build out for ever. Linux kills it with its parent (``PR_SET_PDEATHSIG``)."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the build died before the guard was set
        os._exit(1)


def _judge_all(todo: list[tuple[str, str, str]], workers: int | None) -> list[tuple[str, list[Entry]]]:
    jobs = [(kind, path) for _rel, kind, path in todo]
    if workers is None:
        workers = len(os.sched_getaffinity(0)) if len(jobs) >= POOL_THRESHOLD else 1
    workers = min(workers, len(jobs))
    # forked, as Sphinx forks its own workers: no import again, no `__main__` run again; but only
    # from a process without other threads (a fork copies their locks, held or not)
    if workers <= 1 or threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [_judge_one(job) for job in jobs]
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(
        workers, mp_context=context, initializer=_orphan_guard, initargs=(os.getpid(),)
    ) as pool:
        return list(pool.map(_judge_one, jobs, chunksize=max(1, len(jobs) // (workers * 8))))


# ------------------------------------------------------------------------------- the cache


def _code_key() -> str:
    """The judges' code: this module, the policy and the SVG, feed and calendar judges it reads,
    Python (its HTML parser), expat and defusedxml. Computed once, when this module is imported,
    so that it names the code that runs, not what an update has put on the disk since. (Not
    :mod:`regiodocs.codehash`: it reaches the package's Sphinx extension, and this module stays pure.)"""
    import pyexpat

    import defusedxml

    versions = f"{sys.version} expat {pyexpat.EXPAT_VERSION} defusedxml {defusedxml.__version__}"
    digest = hashlib.sha256(versions.encode())
    for module in (sys.modules[__name__], safety, svg, syndication):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()[:32]


def _cache_key() -> str:
    return _CODE_KEY


def _load(cache: Path) -> dict[str, tuple[str, list[Entry]]]:
    """The verdicts kept in ``cache``; empty when it is missing, unreadable, foreign or malformed."""
    try:
        stored = json.loads(cache.read_bytes())
        if not isinstance(stored, dict) or stored.get("schluessel") != _cache_key():
            return {}
        return {rel: _verdict(value) for rel, value in stored["dateien"].items() if isinstance(rel, str)}
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError, MemoryError):
        return {}


def _verdict(value: Any) -> tuple[str, list[Entry]]:
    """One stored verdict, checked entry by entry (anything else: TypeError, the cache is ignored)."""
    digest, entries = value
    if not isinstance(digest, str) or not isinstance(entries, list):
        raise TypeError(value)
    checked: list[Entry] = []
    for line, text, src in entries:
        if not (line is None or type(line) is int) or not isinstance(text, str):
            raise TypeError(value)
        if not (src is None or isinstance(src, str)):
            raise TypeError(value)
        checked.append((line, text, src))
    return digest, checked


def _save(cache: Path, verdicts: dict[str, tuple[str, list[Entry]]]) -> None:
    """Write the verdicts atomically (a temporary file beside, then renamed); failure is no error."""
    cachefiles.write_atomic(cache, json.dumps({"schluessel": _cache_key(), "dateien": verdicts}).encode())


def _search_script(data: bytes) -> list[str]:
    # as Path.read_text(encoding="utf-8") reads it: strict, universal newlines
    try:
        text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError:
        return ["Suchindex-Datei ist kein UTF-8."]
    match = _SEARCH_SCRIPT.match(text)
    if match is None:
        return ["Suchindex-Datei hat eine unerwartete Form."]
    try:
        json.loads(f"[{match['args']}]")
    except ValueError:
        return ["Suchindex-Datei enthält mehr als Daten."]
    return []


def _walk(site: Path) -> list[tuple[str, str, int]]:
    """``(relative path, path, mode)`` of everything in ``site`` but folders, in
    :func:`_files`'s order; the file type read from the directory entry (no stat per file)."""
    found: list[tuple[str, str, int]] = []

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as scan:
            entries = list(scan)
        dirs = [entry for entry in entries if entry.is_dir()]  # as os.walk sorts them
        for entry in [*dirs, *(entry for entry in entries if not entry.is_dir())]:
            if entry.is_symlink():
                mode = stat.S_IFLNK
            elif entry.is_file(follow_symlinks=False):
                mode = stat.S_IFREG
            elif entry.is_dir(follow_symlinks=False):
                continue
            else:
                mode = os.lstat(entry.path).st_mode
            found.append((prefix + entry.name, entry.path, mode))
        for entry in dirs:
            if not entry.is_symlink():
                walk(entry.path, f"{prefix}{entry.name}/")

    walk(str(site), "")
    return found


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


_CODE_KEY = _code_key()
