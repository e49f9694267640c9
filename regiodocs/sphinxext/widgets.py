"""Small presentational nodes: the search box, a challenge's progress and the region map.

Each is a node, its HTML visitors and its directive, together (sphinx-design style). The
progress chart and the map read plain data from their page's planned context (fingerprinted,
so incremental = clean) and are drawn when the page is written (pure :mod:`regiodocs.charts`
and :mod:`regiodocs.regionmap`), where links are made relative to the page. Other builders
skip the search box and the map and show the progress as a line of text.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator

from .. import charts, regionmap
from .state import get_state


class Widget(nodes.General, nodes.Element):
    """A node only regiodocs' own templates produce (their directives are off the body
    allow-list): the guard lets its subclasses pass, their visitors escape every value."""


def page_context(directive: SphinxDirective, key: str) -> Any:
    """A value of the directive's page's own planned context (fingerprinted: incremental = clean)."""
    page = get_state(directive.env).pages.get(directive.env.docname)
    return page.context.get(key) if page is not None else None


def escaped(value: object) -> str:
    """A value as HTML text or attribute: on one line (whitespace collapsed), escaped."""
    return html.escape(" ".join(str(value if value is not None else "").split()), quote=True)


def skip(self: nodes.NodeVisitor, node: nodes.Node) -> None:
    """The visitor of builders that do not show a widget."""
    raise nodes.SkipNode


class search_box(Widget):
    pass


class SearchBoxDirective(SphinxDirective):
    """``{regio-suchfeld}``: a search form that opens the search page."""

    def run(self) -> list[nodes.Node]:
        return [search_box()]


def visit_search_box(self: HTML5Translator, node: search_box) -> None:
    target = self.builder.get_target_uri("search")
    action = html.escape(
        self.builder.get_relative_uri(self.builder.current_docname, "search") if target else "search.html"
    )
    self.body.append(
        f'<form class="regio-suchfeld" action="{action}" method="get" role="search">'
        '<label for="regio-suchfeld-q">Handbuch durchsuchen</label>'
        '<input type="search" id="regio-suchfeld-q" name="q" '
        'placeholder="z. B. Radschnellweg, Schwammstadt" autocomplete="off">'
        '<button type="submit">Suchen</button></form>'
    )
    raise nodes.SkipNode


#: Builders that write one page per document: only there do links between pages work (the
#: print edition's single page would get ``file://`` links to its build folder).
PAGED_BUILDERS = frozenset({"html", "dirhtml"})


def _paged(self: HTML5Translator) -> bool:
    return self.builder.name in PAGED_BUILDERS


def _links(self: HTML5Translator, docnames: Iterable[str]) -> dict[str, str]:
    """docname → URL relative to the page being written, for the pages that exist (none in the
    print edition: its figures name records without links)."""
    if not _paged(self):
        return {}
    current = self.builder.current_docname
    found = self.builder.env.found_docs
    return {d: self.builder.get_relative_uri(current, d) for d in docnames if d and d in found}


def _docnames(value: Any) -> set[str]:
    """Every ``docname`` in plain data (dicts and lists, any depth)."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "docname" and isinstance(item, str):
                found.add(item)
            else:
                found |= _docnames(item)
    elif isinstance(value, list):
        for item in value:
            found |= _docnames(item)
    return found


class progress_chart(Widget):
    """A challenge's progress (``charts``): data from the page's context, drawn when written."""


PARTS = ("alles", "fortschritt", "partner", "weitere")


class ProgressDirective(SphinxDirective):
    """``{regio-fortschritt}``: the progress of the page's ``fortschritt`` (one challenge's
    data from :func:`regiodocs.charts.challenge_progress`, or a list of them).

    ``:teil:`` ``alles`` (default: progress, the records counted, the partners), ``fortschritt``,
    ``partner`` or ``weitere`` (the other Kennzahlen of the tagged records); ``:klein:`` a
    compact figure per challenge (the start page)."""

    option_spec = {"klein": directives.flag, "teil": lambda v: directives.choice(v, PARTS)}

    def run(self) -> list[nodes.Node]:
        data = page_context(self, "fortschritt")
        items = data if isinstance(data, list) else [data] if data else []
        if not items:
            return []
        node = progress_chart(
            daten=items, klein="klein" in self.options, teil=self.options.get("teil", "alles")
        )
        self.set_source_info(node)
        return [node]


def visit_progress_html(self: HTML5Translator, node: progress_chart) -> None:
    items, small, part = node["daten"], node["klein"], node["teil"]
    links = _links(self, _docnames(items))
    out = []
    for data in items:
        if small:
            out.append(charts.progress_html(data, small=True, links=links))
            continue
        if part in ("alles", "fortschritt"):
            out.append(charts.progress_html(data, links=links))
        if part in ("alles", "partner"):
            out.append(charts.partner_html(data, links=links))
        if part == "weitere":
            out.append(charts.others_html(data))
    if small and len(items) > 1:
        self.body.append(f'<div class="regio-fortschritte">{"".join(out)}</div>')
    else:
        self.body.append("".join(out))
    raise nodes.SkipNode


def visit_progress_text(self: Any, node: progress_chart) -> None:
    for data in node["daten"]:
        if data.get("kennzahl"):
            self.new_state(0)
            self.add_text(f"{data.get('titel', '')}: {charts.summary(data)}")
            self.end_state()
    raise nodes.SkipNode


class region_map(Widget):
    """The region map (``regionmap``): data from the page's context, drawn when written."""


class MapDirective(SphinxDirective):
    """``{regio-karte}``: the page's ``karte`` (:func:`regiodocs.regionmap.map_data`);
    ``:klein:`` a locator (half size, the list of places folded)."""

    option_spec = {"klein": directives.flag}

    def run(self) -> list[nodes.Node]:
        data = page_context(self, "karte")
        if not data:
            return []
        node = region_map(daten=data, klein="klein" in self.options)
        self.set_source_info(node)
        return [node]


def visit_map_html(self: HTML5Translator, node: region_map) -> None:
    if not _paged(self):  # the print edition has no map: its places are in each Steckbrief
        raise nodes.SkipNode
    data = node["daten"]
    self.body.append(regionmap.map_html(data, small=node["klein"], links=_links(self, _docnames(data))))
    raise nodes.SkipNode


def setup_widgets(app: Sphinx) -> None:
    app.add_node(search_box, html=(visit_search_box, None), latex=(skip, None), text=(skip, None))
    app.add_node(progress_chart, html=(visit_progress_html, None), latex=(skip, None),
                 text=(visit_progress_text, None))  # fmt: skip
    app.add_node(region_map, html=(visit_map_html, None), latex=(skip, None), text=(skip, None))
    app.add_directive("regio-suchfeld", SearchBoxDirective)
    app.add_directive("regio-fortschritt", ProgressDirective)
    app.add_directive("regio-karte", MapDirective)
