"""``{regio-liste}``: a declarative list of records for free pages.

Filters are options; each accepts one or more comma-separated values and they
combine with AND. Nothing is evaluated: an unknown option or value is an
error at the directive's line.

.. code-block:: markdown

   :::{regio-liste}
   :typ: projekt
   :handlungsfeld: mobilitaet
   :status: umsetzung, abgeschlossen
   :sortierung: stand
   :darstellung: tabelle
   :anzahl: 10
   :::
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from .. import model, schema
from ..templating import environment
from .state import get_state
from .untrusted import renderer_of

FILTERS = {  # option -> summary key
    "typ": "typ", "partner": "partner", "handlungsfeld": "handlungsfelder",
    "plattform": "plattformen", "status": "status", "jahr": "jahr",
}  # fmt: skip
SORTS = {"titel": False, "stand": True, "datum": True}
#: Filters whose values name objects of the content (judged like {regio:…} references).
CHECKED = ("partner", "handlungsfeld", "plattform", "status")
FILTER_ATTRIBUTE = "regio_filter"
LAYOUTS = ("karten", "tabelle")
_TEMPLATE = (
    '{% import "_makros.md.j2" as m with context %}'
    '{{ m.liste(eintraege, "Keine passenden Einträge.", darstellung) }}'
)


def _values(argument: str | None) -> list[str]:
    return [v.strip() for v in (argument or "").split(",") if v.strip()]


class ListingDirective(SphinxDirective):
    has_content = False
    option_spec = {name: directives.unchanged_required for name in (*FILTERS, "schlagwort")} | {
        "sortierung": lambda a: directives.choice(a, tuple(SORTS)),
        "darstellung": lambda a: directives.choice(a, LAYOUTS),
        "anzahl": directives.positive_int,
    }

    def run(self) -> list[nodes.Node]:
        state = get_state(self.env)
        if state.checking:
            return [self._filters()]
        index = state.pages["index"]
        items: list[dict[str, Any]] = []
        for page in state.pages.values():
            if page.template == "eintrag.md.j2":
                items.append(page.context["s"] | {"schlagworte": page.context["e"].get("schlagworte") or []})
        known = self._known(state)
        for option, key in [*FILTERS.items(), ("schlagwort", "schlagworte")]:
            wanted = _values(self.options.get(option))
            if not wanted:
                continue
            unknown = [w for w in wanted if known.get(option) is not None and w not in known[option]]
            if unknown:
                allowed = ", ".join(sorted(known[option]))
                raise self.error(
                    f"regio-liste: `{option}: {', '.join(unknown)}` ist unbekannt. Erlaubt sind: {allowed}."
                )
            items = [i for i in items if _matches(i.get(key), wanted)]
        sort = self.options.get("sortierung", "titel")
        items.sort(key=lambda i: str(i.get(sort) or "").lower(), reverse=SORTS[sort])
        if "anzahl" in self.options:
            items = items[: self.options["anzahl"]]
        layout = self.options.get("darstellung", "karten")
        template = environment(state.template_dirs).from_string(_TEMPLATE)
        text = template.render(**index.context, eintraege=items, darstellung=layout)
        container = nodes.container(classes=["regio-liste-direktive"])
        renderer = renderer_of(self.state)  # the cards are the template's, not the contribution's
        with renderer.trust(True) if renderer else nullcontext():
            self.state.nested_parse(
                StringList(str(text).splitlines(), source=self.get_source_info()[0]),
                self.content_offset,
                container,
            )
        return [container]

    def _filters(self) -> nodes.Node:
        """`regiodocs check`: the filter values as references, judged afresh against the content on
        every run (a cached verdict must not depend on which partners exist); the cards are the
        template's output, judged in the build."""
        types = {t.name for t in model.RECORD_TYPES}
        unknown = [w for w in _values(self.options.get("typ")) if w not in types]
        if unknown:
            allowed = ", ".join(sorted(types))
            raise self.error(f"regio-liste: `typ: {', '.join(unknown)}` ist unbekannt. Erlaubt: {allowed}.")
        wanted = [(kind, value) for kind in CHECKED for value in _values(self.options.get(kind))]
        node = nodes.comment("", "", **{FILTER_ATTRIBUTE: wanted})
        self.set_source_info(node)
        return node

    def _known(self, state: Any) -> dict[str, set[str] | None]:
        content = state.content
        return {
            "typ": {t.name for t in model.RECORD_TYPES},
            "partner": set(content.partner),
            "handlungsfeld": {e["id"] for e in content.registry("handlungsfelder")},
            "plattform": set(content.plattformen),
            "status": set(schema.labels("projekt", "status")),
            "jahr": None,
            "schlagwort": None,
        }


def _matches(value: object, wanted: list[str]) -> bool:
    if isinstance(value, list):
        return any(str(v) in wanted or str(v).lower() in [w.lower() for w in wanted] for v in value)
    return str(value) in wanted


def setup_listing(app: Sphinx) -> None:
    app.add_directive("regio-liste", ListingDirective)
