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


def documents(pages: dict[str, site.Page]) -> list[SearchDoc]:
    """One search document per page of the plan: records first, then the other pages."""
    records, others = [], []
    for page in pages.values():
        if page.template == "eintrag.md.j2":
            records.append(_record(page))
        else:
            doc = _page(page)
            if doc is not None:
                others.append(doc)
    records.sort(key=lambda d: d.url)
    others.sort(key=lambda d: d.url)
    return records + others


def _record(page: site.Page) -> SearchDoc:
    ctx = page.context
    s, e = ctx["s"], ctx["e"]
    partner_names = ctx.get("partner_namen", {})
    meta = [partner_names.get(p, p) for p in s["partner"]]
    meta += [ctx.get("feld_titel", {}).get(f, f) for f in s["handlungsfelder"]]
    meta += [ctx.get("plattform_titel", {}).get(p, p) for p in s["plattformen"]]
    ort = e.get("ort")
    if isinstance(ort, dict):
        meta += [str(ort.get("gemeinde") or ""), str(ort.get("stadtteil") or "")]
    elif isinstance(ort, str):
        meta.append(ort)
    meta += [s["typ_label"], s.get("status_label") or ""]
    meta = [m for m in meta if m]
    body = markdown_text(page.body.body if page.body else "")
    extra = " ".join(t for f in BODY_FIELDS for t in _texts(e.get(f)))
    keywords = [str(k) for k in e.get("schlagworte") or []]
    return SearchDoc(
        url=f"{page.docname}.html",
        title=s["titel"],
        record=True,
        facets={
            "typ": [s["typ"]],
            "partner": list(s["partner"]),
            "feld": list(s["handlungsfelder"]),
            "plattform": list(s["plattformen"]),
            "status": [s["status"]] if s.get("status") else [],
            "jahr": [s["jahr"]] if s.get("jahr") else [],
        },
        kurz=str(s.get("kurzbeschreibung") or ""),
        text=(body + " " + extra).strip()[:CARD_TEXT],
        stand=str(s["stand"]) if s.get("stand") else None,
        fields=[
            ("t", s["titel"]),
            ("k", " ".join(keywords)),
            ("s", str(s.get("kurzbeschreibung") or "")),
            ("m", " ".join(meta)),
            ("b", body + " " + extra),
        ],
    )


def _page(page: site.Page) -> SearchDoc | None:
    """Overview and free pages: their title and their own description, not their lists."""
    ctx = page.context
    facets: dict[str, list[str]] = {f: [] for f in FACETS}
    facets["typ"] = [PAGE_TYPE]
    text = ""
    if page.template == "partner.md.j2":
        facets["partner"] = [ctx["id"]]
        text = markdown_text(page.body.body if page.body else "")
    elif page.template == "plattform.md.j2":
        facets["plattform"] = [ctx["id"]]
        facets["feld"] = list(ctx["p"].get("handlungsfelder") or [])
        text = markdown_text(page.body.body if page.body else "")
    elif page.template == "handlungsfeld.md.j2":
        facets["feld"] = [ctx["f"]["id"]]
        text = str(ctx["f"].get("beschreibung") or "")
    elif page.template == "herausforderung.md.j2":
        text = str(ctx["h"].get("ziel") or "")
    elif page.template in ("seite.md.j2", "start.md.j2"):
        text = (
            str(ctx.get("kurzbeschreibung") or "") + " " + markdown_text(page.body.body if page.body else "")
        )
    elif page.template == "druck.md.j2":
        return None
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
