"""What the search knows about a page: fields to index, facets, and a result card.

Built from the page plan (:mod:`regiodocs.site`) only, so an edition's index
holds exactly the pages of that edition: the public plan never contains an
intern record, hence neither does the public index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt

from .. import model, site

#: Field codes and their weights: title and keywords outrank the teaser, which
#: outranks metadata (partner, place, platform names) and the body text.
WEIGHTS = {"t": 100, "k": 80, "s": 20, "m": 10, "b": 3}
FACETS = ("typ", "partner", "feld", "plattform", "status", "jahr")
PAGE_TYPE = "seite"
PAGE_TYPE_LABEL = "Seite"
#: Characters of body text kept in a result card for the excerpt.
CARD_TEXT = 3000

_MD = MarkdownIt("commonmark")
_SPACE = re.compile(r"\s+")
_OPTION_LINE = re.compile(r"^:[\w-]+:.*$", re.MULTILINE)


def markdown_text(text: str | None) -> str:
    """Plain text of a Markdown body (headings, paragraphs, lists, tables, code)."""
    if not text:
        return ""
    parts: list[str] = []
    for token in _MD.parse(text):
        if token.type == "inline":
            parts.extend(c.content for c in token.children or [] if c.type in ("text", "code_inline"))
            parts.append("\n")
        elif token.type in ("fence", "code_block"):
            parts.append(_OPTION_LINE.sub("", token.content))
    return _SPACE.sub(" ", " ".join(parts)).strip()


#: Keys of list entries whose text is prose (``impulse[].titel``, ``vereinbarungen[].was``);
#: the others hold ids (``von``, ``wer``) or dates.
TEXT_KEYS = ("titel", "was", "name")


def _texts(value: Any) -> list[str]:
    """The prose inside a field value: strings, lists of strings, entries' text keys."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    if isinstance(value, dict):
        return [t for k in TEXT_KEYS for t in _texts(value.get(k))]
    return []


#: Record fields whose text counts as body text (besides the Markdown body).
BODY_FIELDS = (
    "erfolgsfaktoren", "stolpersteine", "ressourcen", "empfehlung", "foerderquote",
    "impulse", "vereinbarungen", "themen", "projektgruppe", "extern", "geber",
)  # fmt: skip


@dataclass
class SearchDoc:
    url: str  # relative to the site root
    title: str
    record: bool
    facets: dict[str, list[str]]
    kurz: str = ""
    text: str = ""
    stand: str | None = None
    fields: list[tuple[str, str]] = field(default_factory=list)  # (field code, text)


def documents(pages: dict[str, site.Page], labels: site.Labels) -> list[SearchDoc]:
    """One search document per page of the plan: records first, then the other pages."""
    records, others = [], []
    for page in pages.values():
        if page.kind is site.PageKind.RECORD:
            records.append(_record(page, labels))
        else:
            doc = _page(page)
            if doc is not None:
                others.append(doc)
    records.sort(key=lambda d: d.url)
    others.sort(key=lambda d: d.url)
    return records + others


def _record(page: site.Page, labels: site.Labels) -> SearchDoc:
    s, record = page.summary, page.body
    assert s is not None and record is not None, f"{page.docname}: a record page without its record"
    e = record.data
    meta = [labels.partners.get(p, p) for p in s.partners]
    meta += [labels.fields.get(f, f) for f in s.fields]
    meta += [labels.platforms.get(p, p) for p in s.platforms]
    ort = e.get("ort")
    if isinstance(ort, dict):
        meta += [str(ort.get("gemeinde") or ""), str(ort.get("stadtteil") or "")]
    elif isinstance(ort, str):
        meta.append(ort)
    meta += [s.kind_label, s.status_label]
    meta = [m for m in meta if m]
    body = markdown_text(record.body)
    extra = " ".join(t for f in BODY_FIELDS for t in _texts(e.get(f)))
    return SearchDoc(
        url=f"{page.docname}.html",
        title=s.title,
        record=True,
        facets={
            "typ": [s.kind],
            "partner": list(s.partners),
            "feld": list(s.fields),
            "plattform": list(s.platforms),
            "status": [s.status] if s.status else [],
            "jahr": [s.year] if s.year else [],
        },
        kurz=s.teaser,
        text=(body + " " + extra).strip()[:CARD_TEXT],
        stand=s.stand,
        fields=[
            ("t", s.title),
            ("k", " ".join(s.keywords)),
            ("s", s.teaser),
            ("m", " ".join(meta)),
            ("b", body + " " + extra),
        ],
    )


#: Which facet an overview page's subject is a value of.
_SUBJECT_FACET = {
    site.PageKind.PARTNER: "partner",
    site.PageKind.PLATFORM: "plattform",
    site.PageKind.FIELD: "feld",
}
#: Pages whose search text is their body (a partner's, a platform's, a free page's text).
_BODY_TEXT = (site.PageKind.PARTNER, site.PageKind.PLATFORM, site.PageKind.FREE, site.PageKind.START)


def _page(page: site.Page) -> SearchDoc | None:
    """Overview and free pages: their title and their own description, not their lists."""
    if page.kind is site.PageKind.PRINT:
        return None
    facets: dict[str, list[str]] = {f: [] for f in FACETS}
    facets["typ"] = [PAGE_TYPE]
    facet = _SUBJECT_FACET.get(page.kind)
    if facet is not None and page.subject:
        facets[facet] = [page.subject]
    if page.kind is site.PageKind.PLATFORM and page.body is not None:
        facets["feld"] = [str(f) for f in page.body.data.get("handlungsfelder") or []]
    text = page.description
    if page.kind in _BODY_TEXT:
        text = f"{text} {markdown_text(page.body.body if page.body else '')}"
    text = text.strip()
    kurz = text[:300].rsplit(" ", 1)[0] + " …" if len(text) > 300 else text
    return SearchDoc(
        url=f"{page.docname}.html",
        title=page.title,
        record=False,
        facets=facets,
        kurz=kurz,
        text=text[:CARD_TEXT],
        fields=[("t", page.title), ("b", text)],
    )


def type_labels() -> dict[str, str]:
    return {t.name: t.label for t in model.RECORD_TYPES} | {PAGE_TYPE: PAGE_TYPE_LABEL}
