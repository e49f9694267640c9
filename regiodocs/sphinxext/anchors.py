"""Fixed anchors of a page's key boxes: ``#steckbrief`` and ``#kontakt``.

The templates mark the boxes with a class (``regio-steckbrief``, ``regio-kontakt``); this
transform gives the first of each the anchor readers and tests link to. A docutils ``:name:``
would do that too, but names are Sphinx labels, global across the handbook: every record page
would define the label ``kontakt``, and which page ``objects.inv`` names would depend on the
order pages were read in (an incremental build would differ from a clean one). An id alone is
local to its page. When a body already uses the id (a heading "Kontakt"), the heading keeps it.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

#: class of the template's box → the anchor it gets
ANCHORS = {"regio-steckbrief": "steckbrief", "regio-kontakt": "kontakt"}
#: how a template writes each box: a container with the class, or the contact directive, which
#: makes its box only when the page has contacts (its context's ``kontakte``)
_WRITTEN = {"steckbrief": re.compile(r"\{container\}[ \t]+regio-steckbrief\b"),
            "kontakt": re.compile(r"\{regio-kontakt\}")}  # fmt: skip


def box_anchors(template_text: str, context: dict[str, Any]) -> set[str]:
    """The anchors the key boxes of a rendered template will get (``regiodocs check`` judges a
    body's links to ``#kontakt`` against them)."""
    found = {anchor for anchor, pattern in _WRITTEN.items() if pattern.search(template_text)}
    if not context.get("kontakte"):
        found.discard("kontakt")
    return found


#: what a link to a box shows when it has no text of its own
TITLES = {"steckbrief": "Steckbrief", "kontakt": "Kontakt"}


class KeyBoxAnchors(SphinxTransform):
    # before MyST resolves ``[…](#kontakt)`` links (ResolveAnchorIds, 879): a body's link to a
    # box is then a link on the page like one to a heading
    default_priority = 870

    def apply(self, **kwargs: object) -> None:
        slugs = getattr(self.document, "myst_slugs", None)
        if slugs is None:
            slugs = self.document.myst_slugs = {}
        for node in self.document.findall(nodes.container):
            for cls in node["classes"]:
                anchor = ANCHORS.get(cls)
                if anchor and anchor not in self.document.ids and anchor not in slugs:
                    node["ids"].append(anchor)
                    self.document.ids[anchor] = node
                    slugs[anchor] = (node.line or 0, anchor, TITLES[anchor])


def setup_anchors(app: Sphinx) -> None:
    app.add_transform(KeyBoxAnchors)
