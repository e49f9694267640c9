"""What the build-time drawings (charts, the region map) share: escaping for HTML and SVG,
coordinates in short user units, and the docname of the page a record is shown on."""

from __future__ import annotations

import html
from collections.abc import Callable

from . import model

#: How a drawing learns a record's page (the planner passes its own convention).
DocnameOf = Callable[[model.Document], str]


def content_docname(doc: model.Document) -> str:
    """A document's page by the handbook's convention: its content path without the suffix."""
    return doc.rel.rsplit(".", 1)[0]


def escape(value: object) -> str:
    """A value as HTML/SVG text or attribute value."""
    return html.escape(str(value), quote=True)


def px(value: float) -> str:
    """A coordinate in user units, rounded to 0.01 (exact enough, short)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
