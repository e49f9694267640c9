"""The handbook's own search: the index under ``_suche/``, the search page, list facets.

- ``builder-inited``: the index of this edition is computed from the page plan
  in :mod:`.state` (so the public index can only hold public pages) and kept in
  memory; its version goes into the search page, which loads it. What the pages'
  analyses were in the last build is kept in the work folder (``doctrees/`` +
  :data:`STORE`), the dictionary's stems in ``REGIODOCS_CACHE`` (:mod:`..search.cache`).
- ``html-page-context``: the search page gets the index version; overview pages
  with a list of records get the facet data of exactly those records, inline.
- ``build-finished``: the index files are written (only those that changed).

The search page itself is ``templates/sphinx/search.html``; the browser side is
``regiodocs/static/suche.js`` (+ ``suche.css``).
"""

from __future__ import annotations

import json
import weakref
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from .. import search
from ..search.index import SearchIndex, facet_code, facets
from .state import get_state, has_state

logger = logging.getLogger(__name__)

_INDEXES: weakref.WeakKeyDictionary[Sphinx, SearchIndex] = weakref.WeakKeyDictionary()
#: Lists with fewer records get no facets.
MIN_LIST = 5
_HTML_BUILDERS = ("html",)  # result URLs are `<docname>.html`
#: The pages' search analyses of the last build, beside Sphinx's doctrees (see search.cache).
STORE = "regiodocs-suche.marshal"


def _wanted(app: Sphinx) -> bool:
    return app.builder.name in _HTML_BUILDERS and has_state(app)


def build_index(app: Sphinx) -> None:
    if not _wanted(app):
        return
    state = get_state(app)
    split = search.splitter()
    if split[0] is None:
        logger.warning(
            "regiodocs: Das Paket `wordfreq` fehlt – die Suche zerlegt keine Komposita. "
            "Installieren Sie die Abhängigkeiten neu (make)."
        )
    store = Path(app.doctreedir) / STORE
    _INDEXES[app] = search.from_plan(state.pages, state.content, split=split, store=store)


def page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    index = _INDEXES.get(app)
    if index is None:
        return
    if pagename == "search":
        context["regiodocs_suche"] = {"version": index.version, "ordner": search.FOLDER}
        return
    page = get_state(app).pages.get(pagename)
    if page is None:
        return
    listed = [s.docname for s in page.listed]
    listed += app.env.domains["regio"].data.get("listed", {}).get(pagename, [])  # {regio-liste}
    entries = list(dict.fromkeys(listed))
    if len(entries) < MIN_LIST:
        return
    data = _list_data(index, pagename, entries)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).replace("<", "\\u003c")
    app.add_js_file(None, body=text, type="application/json", id="regio-liste-daten")
    app.add_js_file("suche.js", defer="defer")


def _list_data(index: SearchIndex, pagename: str, entries: list[str]) -> dict[str, Any]:
    """The facets of exactly the records a page lists (docnames), by URL relative to that page.

    Only values these records have: the data is a function of the page's own list, so a page
    is written again exactly when its list changes (not when a record elsewhere gains a status).
    """
    prefix = "../" * pagename.count("/")
    by_url = {doc.url: doc for doc in index.docs if doc.record}
    docs = [by_url[f"{name}.html"] for name in entries if f"{name}.html" in by_url]
    local = facets(docs, index.labels)
    return {
        "facetten": [{"id": f.id, "name": f.name, "werte": f.values} for f in local],
        "eintraege": {prefix + doc.url: facet_code(local, doc) for doc in docs},
    }


def write_index(app: Sphinx, exception: BaseException | None) -> None:
    index = _INDEXES.get(app)
    if exception is not None or index is None:
        return
    sizes = search.write(index, Path(app.outdir))
    logger.info(
        "regiodocs: Suchindex geschrieben (%d Seiten, %s Bytes: %s)",
        len(index.docs),
        sum(sizes.values()),
        ", ".join(f"{k} {v}" for k, v in sorted(sizes.items())),
    )


def setup_search(app: Sphinx) -> None:
    app.connect("builder-inited", build_index)
    app.connect("html-page-context", page_context)
    app.connect("build-finished", write_index)
    app.connect("builder-inited", _add_css)


def _add_css(app: Sphinx) -> None:
    if app.builder.name in _HTML_BUILDERS:
        app.add_css_file("suche.css")
