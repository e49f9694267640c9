"""Small presentational nodes: the search box and the Kennzahl bar chart.

Each is a node, its HTML visitors and its directive, together (sphinx-design
style). Other builders skip the search box and show the chart as text.
"""

from __future__ import annotations

import html

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator

from ..templating import number_de


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
    """``{regio-diagramm} Titel`` with ``:einheit:`` and lines ``Bezeichnung: Wert``."""

    required_arguments = 1
    final_argument_whitespace = True
    option_spec = {"einheit": directives.unchanged}
    has_content = True

    def run(self) -> list[nodes.Node]:
        bars = []
        for line in self.content:
            label, _, value = line.rpartition(":")
            try:
                bars.append((label.strip(), float(value)))
            except ValueError:
                raise self.error(f"`{line}` ist keine Zeile `Bezeichnung: Zahl`.") from None
        node = bar_chart(title=self.arguments[0], unit=self.options.get("einheit", ""), bars=bars)
        self.set_source_info(node)
        return [node]


def visit_bar_chart(self: HTML5Translator, node: bar_chart) -> None:
    bars = node["bars"]
    top = max((v for _l, v in bars), default=0) or 1
    unit = html.escape(node["unit"])
    rows = "".join(
        f'<tr><th scope="row">{html.escape(label)}</th><td><span class="regio-balken" '
        f'style="width:{max(2, round(100 * value / top))}%"></span> '
        f"{html.escape(number_de(value if not float(value).is_integer() else int(value)))} {unit}</td></tr>"
        for label, value in bars
    )
    total = sum(v for _l, v in bars)
    self.body.append(
        f'<table class="regio-diagramm"><caption>{html.escape(node["title"])}: '
        f"{html.escape(number_de(total if not float(total).is_integer() else int(total)))} {unit}</caption>"
        f"<tbody>{rows}</tbody></table>"
    )
    raise nodes.SkipNode


def _skip(self: nodes.NodeVisitor, node: nodes.Node) -> None:
    raise nodes.SkipNode


def setup_widgets(app: Sphinx) -> None:
    app.add_node(search_box, html=(visit_search_box, None), latex=(_skip, None), text=(_skip, None))
    app.add_node(bar_chart, html=(visit_bar_chart, None), latex=(_skip, None), text=(_skip, None))
    app.add_directive("regio-suchfeld", SearchBoxDirective)
    app.add_directive("regio-diagramm", BarChartDirective)
