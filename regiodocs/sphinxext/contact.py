"""The contact box of record and partner pages (``#kontakt``): who to ask, in one click.

The template places ``{regio-kontakt}``; the entries come from the page's planned context
(``kontakte``: :func:`regiodocs.site.contact`, fingerprinted) and are written here with
:func:`html.escape`: the functional mailbox as a ``mailto:`` link, the phone as a ``tel:`` link
in international form, a personal name only where the planner kept it (consent). Addresses are
cloaked as Sphinx cloaks its own: ``%40`` in the link (RFC 6068: mail programs decode it) and
character references in the text, so that the page reads and reads aloud as usual but carries no
address in plain text for harvesters. Links do not depend on MyST's URL schemes of a
network's ``conf.py``.
"""

from __future__ import annotations

import html
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator

from .widgets import Widget, escaped, page_context, skip

#: characters written as character references in a shown address
_CLOAKED = {"@": "&#64;", ".": "&#46;"}


def cloaked(text: str) -> str:
    """An address as HTML text without a literal ``@`` or ``.`` (same rendering)."""
    return "".join(_CLOAKED.get(c, html.escape(c, quote=True)) for c in text)


def cloaked_href(uri: str) -> str:
    """A ``mailto:`` link with its ``@`` percent-encoded; other links as they are."""
    return uri.replace("@", "%40") if uri.startswith("mailto:") else uri


class contact_box(Widget):
    """The page's contacts."""


class ContactDirective(SphinxDirective):
    """``{regio-kontakt}``: the page's ``kontakte``; nothing when it has none."""

    def run(self) -> list[nodes.Node]:
        entries = list(page_context(self, "kontakte") or [])
        if not entries:
            return []
        node = contact_box(eintraege=entries)
        self.set_source_info(node)
        # the box is a container: anchors.py gives it #kontakt unless the page's text took the id
        return [nodes.container("", node, classes=["regio-kontakt"])]


def _entry(entry: dict[str, Any]) -> str:
    lines = [f"<strong>{escaped(entry.get('organisation'))}</strong>"]
    lines += [escaped(entry[key]) for key in ("funktion", "name") if entry.get(key)]
    email, mailto = entry.get("email"), entry.get("mailto")
    if email:
        shown = cloaked(" ".join(str(email).split()))
        lines.append(f'<a href="{escaped(cloaked_href(mailto))}">{shown}</a>' if mailto else shown)
    phone, tel = entry.get("telefon"), entry.get("tel")
    if phone:
        number = f'<a href="{escaped(tel)}">{escaped(phone)}</a>' if tel else escaped(phone)
        lines.append(f"Telefon {number}")
    return '<p class="regio-kontakt-eintrag">' + "<br>".join(lines) + "</p>"


def visit_contact_html(self: HTML5Translator, node: contact_box) -> None:
    self.body.append('<p class="rubric">Kontakt</p>' + "".join(_entry(e) for e in node["eintraege"]))
    raise nodes.SkipNode


def visit_contact_text(self: Any, node: contact_box) -> None:
    for entry in node["eintraege"]:
        self.new_state(0)
        parts = [
            entry.get(k) for k in ("organisation", "funktion", "name", "email", "telefon") if entry.get(k)
        ]
        self.add_text(", ".join(str(p) for p in parts))
        self.end_state()
    raise nodes.SkipNode


def setup_contact(app: Sphinx) -> None:
    app.add_node(
        contact_box, html=(visit_contact_html, None), latex=(skip, None), text=(visit_contact_text, None)
    )
    app.add_directive("regio-kontakt", ContactDirective)
