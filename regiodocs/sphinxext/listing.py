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

import json
from collections.abc import Mapping
from contextlib import nullcontext
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from .. import model
from ..site import RecordSummary
from ..templating import environment
from .domain import Key, RegioDomain, digest, register_input
from .state import State, get_state
from .untrusted import renderer_of

#: option -> what it compares in a record's card (RecordSummary)
FILTERS = {
    "typ": "kind", "partner": "partners", "handlungsfeld": "fields",
    "plattform": "platforms", "status": "status", "jahr": "year", "schlagwort": "keywords",
}  # fmt: skip
SORTS = {"titel": ("title", False), "stand": ("stand", True), "datum": ("date", True)}
#: Filters whose values name objects of the content (judged like {regio:…} references).
CHECKED = ("partner", "handlungsfeld", "plattform", "status")
FILTER_ATTRIBUTE = "regio_filter"
LAYOUTS = ("karten", "tabelle")
#: The kind of input a listing declares in the regio domain (its selection's digest).
INPUT = "liste"
_TEMPLATE = (
    '{% import "_makros.md.j2" as m with context %}'
    '{{ m.liste(eintraege, "Keine passenden Einträge.", darstellung) }}'
)


def _values(argument: str | None) -> list[str]:
    return [v.strip() for v in (argument or "").split(",") if v.strip()]


def select(records: list[RecordSummary], options: Mapping[str, Any]) -> list[RecordSummary]:
    """The records a listing with ``options`` shows, in its order (a pure function of the cards)."""
    items = list(records)
    for option, attribute in FILTERS.items():
        wanted = _values(options.get(option))
        if wanted:
            items = [i for i in items if _matches(getattr(i, attribute), wanted)]
    attribute, descending = SORTS[options.get("sortierung", "titel")]
    items.sort(key=lambda i: str(getattr(i, attribute) or "").lower(), reverse=descending)
    if "anzahl" in options:
        items = items[: int(options["anzahl"])]
    return items


def _selection_digest(state: State, key: Key) -> str:
    options = json.loads(key[1])
    return digest([i.context() for i in select(state.records, options)])


class ListingDirective(SphinxDirective):
    has_content = False
    option_spec = {name: directives.unchanged_required for name in FILTERS} | {
        "sortierung": lambda a: directives.choice(a, tuple(SORTS)),
        "darstellung": lambda a: directives.choice(a, LAYOUTS),
        "anzahl": directives.positive_int,
    }

    def run(self) -> list[nodes.Node]:
        state = get_state(self.env)
        if state.checking:
            return [self._filters()]
        known = self._known(state)
        for option in FILTERS:
            unknown = [w for w in _values(self.options.get(option)) if known.get(option) is not None]
            unknown = [w for w in unknown if w not in known[option]]  # type: ignore[operator]
            if unknown:
                allowed = ", ".join(sorted(known[option] or ()))
                raise self.error(
                    f"regio-liste: `{option}: {', '.join(unknown)}` ist unbekannt. Erlaubt sind: {allowed}."
                )
        items = select(state.records, self.options)
        domain = self.env.domains["regio"]
        assert isinstance(domain, RegioDomain)
        key = (INPUT, json.dumps(self.options, sort_keys=True))
        domain.note_read(self.env.docname, key, digest([i.context() for i in items]))
        domain.note_listed(self.env.docname, [i.docname for i in items])
        layout = self.options.get("darstellung", "karten")
        template = environment(state.template_dirs).from_string(_TEMPLATE)
        context = state.pages[self.env.docname].context  # this page's: its fingerprint covers it
        text = template.render(**context | {"eintraege": [i.context() for i in items], "darstellung": layout})
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

    def _known(self, state: State) -> dict[str, set[str] | None]:
        content = state.content
        return {
            "typ": {t.name for t in model.RECORD_TYPES},
            "partner": set(content.partner),
            "handlungsfeld": {e["id"] for e in content.registry("handlungsfelder")},
            "plattform": set(content.plattformen),
            "status": set(state.labels.status),
            "jahr": None,
            "schlagwort": None,
        }


def _matches(value: object, wanted: list[str]) -> bool:
    if isinstance(value, (list, tuple)):
        return any(str(v) in wanted or str(v).lower() in [w.lower() for w in wanted] for v in value)
    return str(value) in wanted


def setup_listing(app: Sphinx) -> None:
    app.add_directive("regio-liste", ListingDirective)
    register_input(INPUT, _selection_digest)
