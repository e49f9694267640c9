"""Following the handbook without visiting it: Atom feeds, calendars and the links to them.

- At ``build-finished`` (HTML builds, not the print edition) this writes every topic's feed
  (``abonnieren/<topic>.atom``, :mod:`regiodocs.feeds`), every topic's calendar that has dates
  (``abonnieren/<topic>.ics``) and one calendar per event, deadline or agreement
  (``kalender/<uid>.ics``, :mod:`regiodocs.calendars`) from the build's visible content: an
  intern record never reaches a public build's files, the internal edition has its own. Files
  are written only when their bytes change; files of topics or items that are gone are removed
  (incremental = clean). A release passes each record's history in as ``regiodocs_neuigkeiten``
  (a JSON file from :mod:`regiodocs.editions.news`, kept as :attr:`State.news`). With the
  edition's address known (``--basis-url``), subscriptions point at ``aktuell/abonnieren/…``, so
  that a reader who subscribes on an edition's page follows the newest edition, not that one.
- At ``html-page-context`` every page gets ``regio_feeds``: the feeds of its planned page
  (:attr:`regiodocs.site.Page.feeds`), which the theme's layout links as
  ``<link rel="alternate" type="application/atom+xml">``.
- ``{regio-abonnieren}``: the page's ``abonnements`` ("Neuigkeiten abonnieren": feed and
  calendar per topic); ``{regio-kalender}``: the page's ``kalender`` ("In den Kalender" per
  item). Both are widgets of regiodocs' own templates; their visitors escape every value.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import posixpath
from importlib import metadata
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator

from .. import cachefiles, calendars, codehash, feeds, site, topics
from ..templating import date_de
from .state import get_state, has_state
from .widgets import Widget, escaped, page_context, skip

FOLDERS = (topics.FEED_FOLDER, topics.CALENDAR_FOLDER)


# ---------------------------------------------------------------- files


def build_epoch(today: dt.date) -> int:
    """``SOURCE_DATE_EPOCH`` if set, else midnight (UTC) of the build date: never the clock."""
    env = os.environ.get("SOURCE_DATE_EPOCH")
    if env:
        return int(env)
    return int(dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC).timestamp())


def files(app: Sphinx) -> dict[str, bytes]:
    """Every feed and calendar of this build, by path below the output folder."""
    state = get_state(app)
    content, intern = state.content, state.config.intern
    history = state.news
    epoch = int((history or {}).get("epoch") or build_epoch(state.config.today()))
    found = feeds.feeds(content, history, docname_of=site.record_docname, epoch=epoch, intern=intern)
    items = topics.dated(content, intern=intern, docname_of=site.record_docname)
    base = topics.safe_base((history or {}).get("basis_url"))
    found |= calendars.calendars(content, items, epoch=epoch, base=base, intern=intern)
    return found


#: In the work folder (never published): the inputs' key of the files last written, and the
#: SHA-256 of each file. An edit that changes no input of any feed or calendar (a body: feeds
#: and calendars hold front matter only) renders none of them again.
WRITTEN = "abonnements.json"


def inputs_key(app: Sphinx) -> str:
    """A hash of everything :func:`files` reads: each document's front matter (not its body),
    the release's history, the build date, the edition and the code and libraries that render."""
    state = get_state(app)
    digest = hashlib.sha256()
    libraries = {name: metadata.version(name) for name in ("feedgen", "icalendar", "lxml")}
    head = {
        "code": codehash.code_hash(),
        "libraries": libraries,
        "intern": state.config.intern,
        "epoch": os.environ.get("SOURCE_DATE_EPOCH") or str(state.config.today()),
        "news": state.news,
    }
    digest.update(json.dumps(head, sort_keys=True, default=str).encode())
    for doc in state.content.documents():
        facts = [doc.kind, doc.id, doc.path, doc.group, doc.title, doc.data]
        digest.update(b"\0" + json.dumps(facts, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _unchanged(record: Path, key: str, outdir: Path) -> bool:
    """The files written for ``key`` are all there, byte for byte, and no others."""
    try:
        kept = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(kept, dict) or kept.get("key") != key or not isinstance(kept.get("files"), dict):
        return False
    wanted: dict[str, str] = kept["files"]
    found = {
        path.relative_to(outdir).as_posix(): path
        for folder in FOLDERS
        if (outdir / folder).is_dir()
        for path in (outdir / folder).rglob("*")
        if not path.is_dir()
    }
    if set(found) != set(wanted):
        return False
    return all(
        not path.is_symlink() and path.is_file() and _sha(path.read_bytes()) == wanted[rel]
        for rel, path in found.items()
    )


def write_files(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or app.builder.format != "html" or not has_state(app):
        return
    if get_state(app).config.druck:
        return
    outdir = Path(app.outdir)
    record, key = Path(app.doctreedir) / WRITTEN, inputs_key(app)
    if _unchanged(record, key, outdir):
        return
    record.unlink(missing_ok=True)  # a build stopped below must not leave a stale record
    wanted = files(app)
    for rel, data in wanted.items():
        path = outdir / rel
        if path.is_file() and not path.is_symlink() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    for folder in FOLDERS:
        root = outdir / folder
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.relative_to(outdir).as_posix() not in wanted:
                path.unlink()
        if not any(root.iterdir()):  # the last event gone: as a clean build, no folder
            root.rmdir()
    kept = {"key": key, "files": {rel: _sha(data) for rel, data in sorted(wanted.items())}}
    cachefiles.write_atomic(record, json.dumps(kept, sort_keys=True).encode())  # unwritten: all again


# ---------------------------------------------------------------- links in <head>


def _up(pagename: str) -> str:
    folder = posixpath.dirname(pagename)
    return posixpath.relpath(".", folder) if folder else "."


def subscription_base(owner: Sphinx | BuildEnvironment) -> str | None:
    """The address subscriptions point at (``…/aktuell/``), when a release knows it."""
    return topics.safe_base((get_state(owner).news or {}).get("abo_url"))


def _link(up: str, path: str, base: str | None) -> str:
    """A path below the root from a page: the newest edition's (``base``) for subscriptions."""
    if base and path.startswith(f"{topics.FEED_FOLDER}/"):
        return f"{base.rstrip('/')}/{path}"
    return posixpath.normpath(posixpath.join(up, path))


def _page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    page = get_state(app).pages.get(pagename) if has_state(app) else None
    if page is None or not page.feeds:
        context["regio_feeds"] = []
        return
    up, base = _up(app.builder.get_target_uri(pagename)), subscription_base(app)
    context["regio_feeds"] = [{"href": _link(up, path, base), "titel": title} for path, title in page.feeds]


# ---------------------------------------------------------------- widgets


class subscriptions(Widget):
    pass


class calendar_links(Widget):
    pass


def _own_path(path: object) -> str | None:
    """A path below the site's root in one of :data:`FOLDERS` (anything else: none)."""
    text = str(path or "")
    parts = text.split("/")
    if len(parts) != 2 or parts[0] not in FOLDERS or not parts[1] or parts[1].startswith("."):
        return None
    return text


def _href(self: HTML5Translator, path: str) -> str:
    up = _up(self.builder.get_target_uri(self.builder.current_docname))
    return _link(up, path, subscription_base(self.builder.env))


class SubscriptionsDirective(SphinxDirective):
    """``{regio-abonnieren}``: the page's ``abonnements`` (topic, feed, calendar)."""

    def run(self) -> list[nodes.Node]:
        offered = page_context(self, "abonnements")
        if not offered:
            return []
        node = subscriptions(abonnements=list(offered))
        self.set_source_info(node)
        return [node]


def visit_subscriptions_html(self: HTML5Translator, node: subscriptions) -> None:
    rows = []
    for item in node["abonnements"]:
        feed = _own_path(item.get("feed"))
        if feed is None:
            continue
        links = [
            f'<a class="kern-link" href="{escaped(_href(self, feed))}" type="{topics.FEED_TYPE}">'
            "Neuigkeiten (Atom-Feed)</a>"
        ]
        calendar = _own_path(item.get("kalender"))
        if calendar is not None:
            links.append(
                f'<a class="kern-link" href="{escaped(_href(self, calendar))}" type="{topics.CALENDAR_TYPE}">'
                "Termine (Kalender, iCal)</a>"
            )
        topic = f'<span class="regio-abo-thema">{escaped(item.get("titel"))}</span>'
        rows.append(f"<li>{topic}: {' · '.join(links)}</li>")
    self.body.append(
        '<section class="regio-abonnieren" aria-labelledby="regio-abonnieren-titel">'
        '<h2 id="regio-abonnieren-titel">Neuigkeiten abonnieren</h2>'
        "<p>Neue und geänderte Einträge kommen als Atom-Feed in Ihren Feed-Reader, Termine als "
        "Kalender-Abonnement in Ihren Kalender – ohne das Handbuch regelmäßig zu besuchen.</p>"
        f"<ul>{''.join(rows)}</ul></section>"
    )
    raise nodes.SkipNode


class CalendarDirective(SphinxDirective):
    """``{regio-kalender}``: the page's ``kalender`` ("In den Kalender" per date)."""

    def run(self) -> list[nodes.Node]:
        items = page_context(self, "kalender")
        if not items:
            return []
        node = calendar_links(kalender=list(items))
        self.set_source_info(node)
        return [node]


def visit_calendar_links_html(self: HTML5Translator, node: calendar_links) -> None:
    rows = []
    for item in node["kalender"]:
        path = _own_path(item.get("pfad"))
        if path is None:
            continue
        rows.append(
            f'<li><a class="kern-link regio-in-den-kalender" href="{escaped(_href(self, path))}" '
            f'type="{topics.CALENDAR_TYPE}">In den Kalender</a>: {escaped(item.get("titel"))} '
            f"({escaped(date_de(item.get('datum')))})</li>"
        )
    self.body.append(f'<ul class="regio-kalender">{"".join(rows)}</ul>')
    raise nodes.SkipNode


def setup_subscriptions(app: Sphinx) -> None:
    others = {"latex": (skip, None), "text": (skip, None)}
    app.add_node(subscriptions, html=(visit_subscriptions_html, None), **others)
    app.add_node(calendar_links, html=(visit_calendar_links_html, None), **others)
    app.add_directive("regio-abonnieren", SubscriptionsDirective)
    app.add_directive("regio-kalender", CalendarDirective)
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", write_files)
