"""What the search knows about a page: fields to index, facets, and a result card.

Built from the page plan (:mod:`regiodocs.site`) only, so an edition's index
holds exactly the pages of that edition: the public plan never contains an
intern record, hence neither does the public index.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import astuple, dataclass, field
from typing import Any

import yaml
from markdown_it import MarkdownIt

from .. import model, site

#: Field codes and their weights: title and keywords outrank the teaser, which
#: outranks metadata (partner, place, platform names) and the body text.
WEIGHTS = {"t": 100, "k": 80, "s": 20, "m": 10, "b": 3}
FACETS = ("typ", "partner", "feld", "plattform", "status", "jahr")
PAGE_TYPE = "seite"
PAGE_TYPE_LABEL = "Seite"
#: Subject pages with a kind of their own in the result line (not just "Seite").
PLATFORM_TYPE, PLATFORM_TYPE_LABEL = "plattformseite", "Plattform"
PARTNER_TYPE, PARTNER_TYPE_LABEL = "partnerseite", "Partner"
#: Overview pages (lists, keywords, statuses, fields, …): found by their title only.
OVERVIEW_TYPE = "uebersicht"
OVERVIEW_TYPE_LABEL = "Übersicht"
#: How many of an overview page's records its result card names.
OVERVIEW_NAMES = 5
#: Metadata word of a record with ``negativbeispiel: true`` (the thesaurus's status group has it).
NEGATIVE_EXAMPLE = "Negativbeispiel"
#: Characters of body text kept in a result card for the excerpt.
CARD_TEXT = 3000

_MD = MarkdownIt("commonmark")
_SPACE = re.compile(r"\s+")


_FRONT_MATTER = re.compile(r"\A\ufeff?\s*---[ \t]*\r?\n(.*?\r?\n)---[ \t]*(?:\r?\n|\Z)", re.S)


def front_matter(text: str | None) -> tuple[dict[str, Any], str]:
    """A body's leading YAML front matter (``--- … ---``), if any, and the text after it."""
    found = _FRONT_MATTER.match(text or "")
    if found is None:
        return {}, text or ""
    try:
        data = yaml.safe_load(found.group(1))
    except yaml.YAMLError:
        data = None
    return (data if isinstance(data, dict) else {}), (text or "")[found.end() :]


def markdown_blocks(text: str | None) -> list[tuple[bool, str]]:
    """The blocks of a Markdown body as plain text: ``(is_heading, text)``, in order.

    Paragraphs, list items and table cells are blocks of their own, so a heading is never
    glued to the text below it ("Problem" / "Neue Wohnquartiere …").

    Code blocks (fenced or indented literal blocks) are left out altogether: they are
    examples (a record's YAML on the "Mitmachen" page), not what the page is about, so they
    feed neither the excerpt nor the index (a page would match every word of its example).
    """
    _meta, body = front_matter(text)
    if not body.strip():
        return []
    blocks: list[tuple[bool, str]] = []
    heading = False
    for token in _MD.parse(body):
        if token.type == "heading_open":
            heading = True
        elif token.type == "heading_close":
            heading = False
        elif token.type == "inline":
            words = " ".join(c.content for c in token.children or [] if c.type in ("text", "code_inline"))
            words = _SPACE.sub(" ", words).strip()
            if words:
                blocks.append((heading, words))
    return blocks


def markdown_text(text: str | None) -> str:
    """Plain text of a Markdown body (headings, paragraphs, lists, tables), a line a block."""
    return "\n".join(words for _heading, words in markdown_blocks(text))


def _key(sentence: str) -> str:
    return _SPACE.sub(" ", sentence).strip().casefold()


def sentences(line: str) -> list[str]:
    """The sentences of one line, each with its closing quote; "140.000" is no sentence end."""
    return [s.strip() for s in _SENTENCE.findall(line) if s.strip()]


def _unique_sentences(text: str) -> str:
    """``text`` without sentences it has already said (a teaser repeated in the body).

    A shortened sentence ("… attraktive …") is left out where the text has it in full.
    """
    lines = [sentences(line) for line in text.split("\n")]
    full = [_key(s) for line in lines for s in line if not s.endswith(_ELLIPSES)]
    seen: set[str] = set()
    out = []
    for line in lines:
        kept = []
        for sentence in line:
            key = _key(sentence)
            if key in seen:
                continue
            if key.endswith(_ELLIPSES):
                start = key.rstrip(".… ")
                if any(f != key and f.startswith(start) for f in full):
                    continue
            seen.add(key)
            kept.append(sentence)
        if kept:
            out.append(" ".join(kept))
    return "\n".join(out)


_ELLIPSES = ("…", "...")
#: Characters that close a quotation or a bracket after a sentence's end.
_CLOSING = "“”\"»«'’)\\]"
#: A sentence end: ``.``, ``!`` or ``?`` (with closing quotes) before a space or the line's end,
#: so "140.000", "3.5" and "www.example.org" stay inside their sentence.
_END = rf"[.!?…]+[{_CLOSING}]*(?=\s|$)"
_SENTENCE = re.compile(rf"(?:(?!{_END})[^\n])+(?:{_END})?|{_END}")


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
    key: str = ""  # what the document was made of (:func:`page_key`), for the cache

    def as_tuple(self) -> tuple[Any, ...]:
        return astuple(self)

    @classmethod
    def from_tuple(cls, data: tuple[Any, ...]) -> SearchDoc:
        doc = cls(*data)
        doc.fields = [tuple(f) for f in doc.fields]  # type: ignore[misc]
        return doc


def page_key(page: site.Page, labels: str) -> str:
    """A hash of everything :func:`_record` and :func:`_page` read of ``page`` (and of the
    edition's labels, ``labels``): a page with the same key has the same document."""
    body = page.body
    parts: tuple[Any, ...] = (
        labels, page.docname, page.kind.value, page.title, page.subject, page.description,
        repr(page.summary), [s.title for s in page.listed[:OVERVIEW_NAMES]], len(page.listed),
        None if body is None else (repr(body.data), body.body),
    )  # fmt: skip
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def documents(
    pages: dict[str, site.Page], labels: site.Labels, known: dict[str, Any] | None = None
) -> list[SearchDoc]:
    """One search document per page of the plan: records first, then the other pages.

    ``known``: page keys → documents (as tuples) of an earlier build, taken as they are.
    """
    records, others = [], []
    labels_key = repr(labels)
    for page in pages.values():
        if page.kind is site.PageKind.PRINT:
            continue
        key = page_key(page, labels_key)
        cached = (known or {}).get(key)
        doc: SearchDoc | None
        if cached is not None:
            doc = SearchDoc.from_tuple(cached[0])
        elif page.kind is site.PageKind.RECORD:
            doc = _record(page, labels)
        else:
            doc = _page(page)
        if doc is None:
            continue
        doc.key = key
        (records if page.kind is site.PageKind.RECORD else others).append(doc)
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
    if e.get("negativbeispiel") is True:  # a documented failure: found by "gescheitert" & Co.
        meta.append(NEGATIVE_EXAMPLE)
    meta = [m for m in meta if m]
    body = markdown_text(record.body)
    # one line per list item: "… was der erste Bauabschnitt lehrt" / "Gemeinsame Ausschreibung …"
    extra = "\n".join(t.strip() for f in BODY_FIELDS for t in _texts(e.get(f)) if t.strip())
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
        text=_unique_sentences(f"{s.teaser}\n{body}\n{extra}")
        .removeprefix(_unique_sentences(s.teaser))
        .strip()[:CARD_TEXT],
        stand=s.stand,
        fields=[
            ("t", s.title),
            ("k", " ".join(s.keywords)),
            ("s", s.teaser),
            ("m", " ".join(meta)),
            ("b", body + "\n" + extra),
        ],
    )


#: Which facet an overview page's subject is a value of.
_SUBJECT_FACET = {
    site.PageKind.PARTNER: "partner",
    site.PageKind.PLATFORM: "plattform",
    site.PageKind.FIELD: "feld",
}
#: The result line's kind of a page with a body of its own.
_PAGE_TYPES = {site.PageKind.PLATFORM: PLATFORM_TYPE, site.PageKind.PARTNER: PARTNER_TYPE}
#: Pages whose search text is their body (a partner's, a platform's, a free page's text).
_BODY_TEXT = (site.PageKind.PARTNER, site.PageKind.PLATFORM, site.PageKind.FREE, site.PageKind.START)


def _page(page: site.Page) -> SearchDoc | None:
    """Free and subject pages by their text; overview pages by their title alone.

    A free page is titled by its heading (not its file name) and its excerpt starts below
    it; an overview page (a list, a keyword, a status, a field, …) is found only when its
    title matches, and its card names the first records it lists.
    """
    if page.kind is site.PageKind.PRINT:
        return None
    facets: dict[str, list[str]] = {f: [] for f in FACETS}
    facet = _SUBJECT_FACET.get(page.kind)
    if facet is not None and page.subject:
        facets[facet] = [page.subject]
    if page.kind is site.PageKind.PLATFORM and page.body is not None:
        facets["feld"] = [str(f) for f in page.body.data.get("handlungsfelder") or []]
    title = page.title
    if page.kind not in _BODY_TEXT:
        facets["typ"] = [OVERVIEW_TYPE]
        names = [s.title for s in page.listed[:OVERVIEW_NAMES]]
        kurz = page.description.strip()
        if not kurz and names:
            more = " …" if len(page.listed) > OVERVIEW_NAMES else ""
            kurz = (
                f"{len(page.listed)} {'Eintrag' if len(page.listed) == 1 else 'Einträge'}: "
                + ", ".join(names)
                + more
            )
        return SearchDoc(
            url=f"{page.docname}.html",
            title=title,
            record=False,
            facets=facets,
            kurz=kurz,
            fields=[("t", title)],
        )
    facets["typ"] = [_PAGE_TYPES.get(page.kind, PAGE_TYPE)]
    blocks: list[tuple[bool, str]] = []
    if page.body is not None:
        meta, _rest = front_matter(page.body.body)
        blocks = markdown_blocks(page.body.body)
        heading = next((words for is_heading, words in blocks if is_heading), None)
        if page.kind is site.PageKind.FREE and title == page.subject:  # titled by its file name
            title = str(meta.get("titel") or heading or title)
        if blocks and blocks[0][0] and blocks[0][1] == title:
            blocks = blocks[1:]  # the heading that is the title
    text = _unique_sentences("\n".join([page.description.strip(), *(words for _h, words in blocks)]).strip())
    prose = " ".join(words for is_heading, words in blocks if not is_heading) or text
    prose = _SPACE.sub(" ", f"{page.description} {prose}" if page.description else prose).strip()
    kurz = prose[:300].rsplit(" ", 1)[0] + " …" if len(prose) > 300 else prose
    return SearchDoc(
        url=f"{page.docname}.html",
        title=title,
        record=False,
        facets=facets,
        kurz=kurz,
        text=text[:CARD_TEXT],
        fields=[("t", title), ("b", text)],
    )


def type_labels() -> dict[str, str]:
    return {t.name: t.label for t in model.RECORD_TYPES} | {
        PAGE_TYPE: PAGE_TYPE_LABEL,
        PLATFORM_TYPE: PLATFORM_TYPE_LABEL,
        PARTNER_TYPE: PARTNER_TYPE_LABEL,
        OVERVIEW_TYPE: OVERVIEW_TYPE_LABEL,
    }
