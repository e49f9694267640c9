"""Fixed anchors of a page's key boxes: ``#steckbrief`` and ``#kontakt``.

The templates mark the boxes with a class (``regio-steckbrief``, ``regio-kontakt``); this
transform gives the first of each the anchor readers and tests link to. A docutils ``:name:``
would do that too, but names are Sphinx labels, global across the handbook: every record page
would define the label ``kontakt``, and which page ``objects.inv`` names would depend on the
order pages were read in (an incremental build would differ from a clean one). An id alone is
local to its page. When a body already uses the id (a heading "Kontakt"), the heading keeps it.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

#: class of the template's box → the anchor it gets
ANCHORS = {"regio-steckbrief": "steckbrief", "regio-kontakt": "kontakt"}


class KeyBoxAnchors(SphinxTransform):
    default_priority = 900  # after ids of sections are assigned

    def apply(self, **kwargs: object) -> None:
        for node in self.document.findall(nodes.container):
            for cls in node["classes"]:
                anchor = ANCHORS.get(cls)
                if anchor and anchor not in self.document.ids:
                    node["ids"].append(anchor)
                    self.document.ids[anchor] = node


def setup_anchors(app: Sphinx) -> None:
    app.add_transform(KeyBoxAnchors)
