"""Tables the templates place but Python writes: the start page's partner × field matrix and the
Open Data page's list of files.

Both show contributed and registry text (partner names, field titles, file titles) inside HTML
with links; written here with :func:`html.escape`, never as raw HTML in a template, where a value
with a line break could end the block and run a directive. Each is a :class:`Widget` whose
directive reads its data from the page's planned context (fingerprinted: incremental = clean)
and whose HTML visitor makes every link relative to the page being written.
"""

from __future__ import annotations

import posixpath
from urllib.parse import urlencode

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator

from ..templating import number_de
from .widgets import Widget, escaped, page_context, skip


def _count(n: int) -> str:
    return f"{n} Eintrag" if n == 1 else f"{n} Einträge"


class partner_matrix(Widget):
    """Records per partner and field of action; each number links to the faceted search."""


class MatrixDirective(SphinxDirective):
    """``{regio-matrix}``: the page's ``matrix`` (:meth:`regiodocs.site._Planner.matrix`)."""

    def run(self) -> list[nodes.Node]:
        data = page_context(self, "matrix")
        if not data or not data.get("zeilen") or not data.get("felder"):
            return []
        names = page_context(self, "bezeichnungen") or {}
        node = partner_matrix(daten=data, felder_name=str(names.get("handlungsfelder", "Handlungsfelder")))
        self.set_source_info(node)
        return [node]


def visit_matrix_html(self: HTML5Translator, node: partner_matrix) -> None:
    data, current = node["daten"], self.builder.current_docname
    found = self.builder.env.found_docs
    search = self.builder.get_relative_uri(current, "search")

    def search_link(count: int, label: str, **facets: str) -> str:
        if not count:
            return '<span aria-hidden="true">–</span><span class="kern-sr-only">keine Einträge</span>'
        url = f"{search}?{urlencode(facets)}"
        return f'<a href="{escaped(url)}" aria-label="{escaped(f"{_count(count)}: {label}")}">{count}</a>'

    fields = data["felder"]
    head = "".join(f'<th scope="col">{escaped(f["titel"])}</th>' for f in fields)
    rows = []
    for row in data["zeilen"]:
        partner_doc = f"partner/{row['id']}"
        name = escaped(row["name"])
        if partner_doc in found:
            name = f'<a href="{escaped(self.builder.get_relative_uri(current, partner_doc))}">{name}</a>'
        cells = "".join(
            "<td>" + search_link(n, f"{row['name']}, {f['titel']}", partner=row["id"], feld=f["id"]) + "</td>"
            for f, n in zip(fields, row["zellen"], strict=True)
        )
        total = search_link(row["summe"], f"{row['name']}, alle", partner=row["id"])
        rows.append(f'<tr><th scope="row">{name}</th>{cells}<td>{total}</td></tr>')
    self.body.append(
        '<div class="regio-matrix-rahmen"><table class="kern-table regio-matrix">'
        f"<caption>Einträge je Partner und {escaped(node['felder_name'])}: jede Zahl führt zur Suche mit "
        "beiden Filtern.</caption>"
        f'<thead><tr><th scope="col">Partner</th>{head}<th scope="col">Alle</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
    raise nodes.SkipNode


class download_table(Widget):
    """The files of an edition: title, format, size, records, licence (as the release measured
    them: ``editions.exports.described``)."""


class DownloadsDirective(SphinxDirective):
    """``{regio-dateien}``: the page's ``downloads`` (paths relative to the edition's root)."""

    def run(self) -> list[nodes.Node]:
        files = page_context(self, "downloads")
        if not files:
            return []
        edition = page_context(self, "ausgabe") or {}
        node = download_table(dateien=list(files), ausgabe=str(edition.get("name") or ""))
        self.set_source_info(node)
        return [node]


def visit_downloads_html(self: HTML5Translator, node: download_table) -> None:
    # the page's folder → the edition's root (daten/index.html → ../)
    folder = posixpath.dirname(self.builder.get_target_uri(self.builder.current_docname))
    up = posixpath.relpath(".", folder) if folder else "."
    rows = []
    for item in node["dateien"]:
        path = str(item.get("pfad") or "")
        if not path or path.startswith(("/", "\\")) or "://" in path or ".." in path.split("/"):
            continue  # an edition's own files only, below its root
        href = posixpath.normpath(posixpath.join(up, path))
        note = f"<br>{escaped(item['beschreibung'])}" if item.get("beschreibung") else ""
        count = item.get("anzahl")
        records = number_de(count) if isinstance(count, int) and not isinstance(count, bool) else "–"
        licence = escaped(item.get("lizenz") or "–")
        if item.get("lizenz_url") and str(item["lizenz_url"]).startswith("https://"):
            licence = f'<a href="{escaped(item["lizenz_url"])}">{licence}</a>'
        rows.append(
            f'<tr><td><a href="{escaped(href)}">{escaped(item.get("titel") or path)}</a>{note}</td>'
            f"<td>{escaped(item.get('format') or '')}</td><td>{escaped(item.get('groesse_text') or '–')}</td>"
            f"<td>{escaped(records)}</td><td>{licence}</td></tr>"
        )
    self.body.append(
        '<div class="regio-matrix-rahmen"><table class="kern-table regio-downloads">'
        f"<caption>Dateien der Ausgabe {escaped(node['ausgabe'])}</caption>"
        '<thead><tr><th scope="col">Datei</th><th scope="col">Format</th><th scope="col">Größe</th>'
        '<th scope="col">Einträge</th><th scope="col">Lizenz</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
    raise nodes.SkipNode


def setup_tables(app: Sphinx) -> None:
    app.add_node(partner_matrix, html=(visit_matrix_html, None), latex=(skip, None), text=(skip, None))
    app.add_node(download_table, html=(visit_downloads_html, None), latex=(skip, None), text=(skip, None))
    app.add_directive("regio-matrix", MatrixDirective)
    app.add_directive("regio-dateien", DownloadsDirective)
