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
from ..templating import number_de
from .state import get_state


class Widget(nodes.General, nodes.Element):
    """A node only regiodocs' own templates produce (their directives are off the body
    allow-list): the guard lets its subclasses pass, their visitors escape every value."""


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


class bar_chart(Widget):
    pass


class BarChartDirective(SphinxDirective):
    """``{regio-diagramm} Titel`` with ``:einheit:``, optional ``:ziel:`` and lines
    ``Bezeichnung: Wert`` (superseded by ``{regio-fortschritt}``; kept for older templates).

    Bars are never scaled to their own maximum: with ``:ziel:`` each is value / target; without,
    each is its share of the sum, and only when there are at least two non-zero values (a lone
    value would fill the bar and read "goal reached"), otherwise the numbers stand alone."""

    required_arguments = 1
    final_argument_whitespace = True
    option_spec = {"einheit": directives.unchanged, "ziel": directives.unchanged}
    has_content = True

    def run(self) -> list[nodes.Node]:
        bars = []
        for line in self.content:
            label, _, value = line.rpartition(":")
            try:
                bars.append((label.strip(), float(value)))
            except ValueError:
                raise self.error(f"`{line}` ist keine Zeile `Bezeichnung: Zahl`.") from None
        target = None
        if self.options.get("ziel"):
            try:
                target = float(self.options["ziel"])
            except ValueError:
                raise self.error("`:ziel:` ist keine Zahl.") from None
        node = bar_chart(
            title=self.arguments[0], unit=self.options.get("einheit", ""), bars=bars, target=target
        )
        self.set_source_info(node)
        return [node]


def _plain(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def visit_bar_chart(self: HTML5Translator, node: bar_chart) -> None:
    bars = node["bars"]
    total = sum(v for _l, v in bars)
    target = node.get("target")
    scale = max(target, total) if target else total
    drawn = bool(scale) and (bool(target) or sum(1 for _l, v in bars if v) >= 2)
    unit = html.escape(node["unit"])
    rows = []
    for label, value in bars:
        bar = ""
        if drawn:
            width = round(100 * value / scale, 2)
            ziel = html.escape(str(_plain(target))) if target else ""
            bar = (
                f'<span class="regio-balken" data-wert="{html.escape(str(_plain(value)))}" '
                f'data-ziel="{ziel}" style="width:{width}%"></span> '
            )
        rows.append(
            f'<tr><th scope="row">{html.escape(label)}</th><td>{bar}'
            f"{html.escape(number_de(_plain(value)))} {unit}</td></tr>"
        )
    if target:
        note = f"Zielwert {number_de(_plain(target))}"
    else:
        note = "ohne Zielwert – Summe der gemeldeten Werte" + (
            "; Balken: Anteil an der Summe" if drawn else ""
        )
    self.body.append(
        f'<table class="regio-diagramm"><caption>{html.escape(node["title"])}: '
        f"{html.escape(number_de(_plain(total)))} {unit} ({html.escape(note)})</caption>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    raise nodes.SkipNode


# ---------------------------------------------------------------- progress and map


def _context(directive: SphinxDirective, key: str) -> Any:
    """A value of the page's own planned context (fingerprinted: incremental = clean)."""
    page = get_state(directive.env).pages.get(directive.env.docname)
    return page.context.get(key) if page is not None else None


def _links(self: HTML5Translator, docnames: Iterable[str]) -> dict[str, str]:
    """docname → URL relative to the page being written, for the pages that exist."""
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
        data = _context(self, "fortschritt")
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
        data = _context(self, "karte")
        if not data:
            return []
        node = region_map(daten=data, klein="klein" in self.options)
        self.set_source_info(node)
        return [node]


def visit_map_html(self: HTML5Translator, node: region_map) -> None:
    data = node["daten"]
    self.body.append(regionmap.map_html(data, small=node["klein"], links=_links(self, _docnames(data))))
    raise nodes.SkipNode


def _skip(self: nodes.NodeVisitor, node: nodes.Node) -> None:
    raise nodes.SkipNode


def setup_widgets(app: Sphinx) -> None:
    app.add_node(search_box, html=(visit_search_box, None), latex=(_skip, None), text=(_skip, None))
    app.add_node(bar_chart, html=(visit_bar_chart, None), latex=(_skip, None), text=(_skip, None))
    app.add_node(progress_chart, html=(visit_progress_html, None), latex=(_skip, None),
                 text=(visit_progress_text, None))  # fmt: skip
    app.add_node(region_map, html=(visit_map_html, None), latex=(_skip, None), text=(_skip, None))
    app.add_directive("regio-suchfeld", SearchBoxDirective)
    app.add_directive("regio-diagramm", BarChartDirective)
    app.add_directive("regio-fortschritt", ProgressDirective)
    app.add_directive("regio-karte", MapDirective)
