"""Site generation: which pages the handbook has and what each shows.

A pure function of the (visible) content: :func:`plan` returns one
:class:`Page` per document – record pages, overview pages, free pages and the
start page – each with a template name and a context of plain data. The
fingerprint of a page covers everything its template shows (in order), so an
incremental build re-reads exactly the pages whose view changed; what a page's
*body* reads elsewhere is declared in the ``regio`` domain while it is read
(:mod:`regiodocs.sphinxext.domain`).
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import quote

from . import charts, contacts, model, reference, regionmap, schema, topics

START_PAGE = model.START_PAGE
RECENT = 6

_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})


def slug(text: str) -> str:
    """``Straßenbäume im Quartier`` → ``strassenbaeume-im-quartier``."""
    text = text.translate(_TRANSLIT).lower()
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


def keyword_slug(word: str) -> str:
    """A keyword's page name below ``schlagworte/``; never ``index`` (the keywords' overview)."""
    key = slug(word)
    return f"{key}-schlagwort" if key == "index" else key


class PageKind(enum.StrEnum):
    """What a page is; consumers (listing, search, exports) branch on this, never on a template."""

    START = "start"
    RECORD = "eintrag"
    TYPE_LIST = "typliste"
    PARTNER = "partner"
    PARTNER_LIST = "partnerliste"
    PLATFORM = "plattform"
    PLATFORM_LIST = "plattformliste"
    FIELD = "handlungsfeld"
    FIELD_LIST = "handlungsfeldliste"
    CHALLENGE = "herausforderung"
    CHALLENGE_LIST = "herausforderungsliste"
    STATUS = "status"
    STATUS_LIST = "statusliste"
    KEYWORD = "schlagwort"
    KEYWORD_LIST = "schlagwortliste"
    FREE = "seite"
    FIELD_REFERENCE = "feldreferenz"
    THEMES = "themen"  # the hub of the taxonomies (fields, challenges, funding, keywords)
    OPEN_DATA = "daten"
    CHANGES = "aenderungen"
    REVIEW = "bericht"
    PRINT = "druck"
    BODY = "text"  # `regiodocs check`: a contribution's body alone, without a template


@dataclass(frozen=True)
class RecordSummary:
    """What lists, cards, the search and facets show of a record (its card)."""

    id: str
    docname: str
    kind: str  # record type name (projekt, praxis, …)
    kind_label: str
    title: str
    teaser: str
    status: str | None
    status_label: str
    partners: tuple[str, ...]
    fields: tuple[str, ...]
    platforms: tuple[str, ...]
    keywords: tuple[str, ...]
    stand: str | None
    year: str | None
    date: str | None
    example: bool
    intern: bool

    def context(self) -> dict[str, Any]:
        """The card as the templates show it (German keys: the templates' vocabulary).

        Keywords are not shown on cards: a listing that filters by them depends on them through
        its selection, not through what it shows.
        """
        return {
            "id": self.id, "docname": self.docname, "typ": self.kind, "typ_label": self.kind_label,
            "titel": self.title, "kurzbeschreibung": self.teaser, "status": self.status,
            "status_label": self.status_label, "partner": list(self.partners),
            "handlungsfelder": list(self.fields), "plattformen": list(self.platforms),
            "stand": self.stand, "jahr": self.year,
            "datum": self.date, "beispiel": self.example, "intern": self.intern,
        }  # fmt: skip


@dataclass(frozen=True)
class Labels:
    """How this handbook names things: its sections and the objects of its registries."""

    sections: Mapping[str, str]  # handlungsfelder → "Handlungsfelder", partner → …
    partners: Mapping[str, str]
    fields: Mapping[str, str]
    platforms: Mapping[str, str]
    status: Mapping[str, str]


def labels(content: model.Content) -> Labels:
    """The names of one edition's sections, partners, fields of action, platforms and status."""
    net = content.netzwerk.data if content.netzwerk else {}
    names = net.get("bezeichnungen") or {}
    return Labels(
        sections={key: str(names.get(key, default)) for key, default in SECTION_NAMES.items()},
        partners={k: d.title for k, d in sorted(content.partner.items())},
        fields={e["id"]: str(e.get("titel", e["id"])) for e in content.registry("handlungsfelder")},
        platforms={k: d.title for k, d in sorted(content.plattformen.items())},
        status=schema.labels("projekt", "status"),
    )


SECTION_NAMES = {
    "handlungsfelder": "Handlungsfelder", "herausforderungen": "Herausforderungen",
    "plattformen": "Plattformen", "partner": "Partner", "gremien": "Gremien",
}  # fmt: skip


@dataclass
class Page:
    docname: str
    template: str | None  # None: the body alone (`regiodocs check`)
    title: str
    context: dict[str, Any]
    body: model.Document | None = None  # whose Markdown body follows the template
    orphan: bool = False
    objects: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, id, title)
    below_title: bool = False  # the body's headings start at level 2 (the check's body-only page)
    kind: PageKind = PageKind.BODY
    summary: RecordSummary | None = None  # a record's page: its card
    listed: tuple[RecordSummary, ...] = ()  # the records the page's template lists
    subject: str | None = None  # the id of what the page is about (partner, platform, field, …)
    description: str = ""  # the text that describes the subject (a field's description, …)
    trail: tuple[tuple[str, str], ...] = ()  # breadcrumbs: (docname, title) from the start page down
    #: the Atom feeds the page links as ``<link rel="alternate">``: (path below the root, title)
    feeds: tuple[tuple[str, str], ...] = ()

    def trail_context(self) -> list[dict[str, str]]:
        """The breadcrumbs as the theme reads them (``regio_pfad``)."""
        return [{"docname": d, "titel": t} for d, t in self.trail]

    def fingerprint(self, salt: str) -> str:
        # keys in their order, not sorted: the order of a registry is shown (lists, facets)
        data = json.dumps(
            [
                self.template, self.title, self.context, self.orphan, self.objects, self.kind,
                [card.context() for card in self.listed], self.below_title, self.trail, self.feeds,
            ],
            ensure_ascii=False,
            default=str,
        )  # fmt: skip
        digest = hashlib.sha256(salt.encode())
        digest.update(data.encode())
        if self.body is not None:
            digest.update(self.body.source_hash.encode())
        return digest.hexdigest()


_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_INLINE_MARKUP = re.compile(r"[*_`]+")


def _first_heading(body: str | None) -> str | None:
    """The text of a body's first top-level heading (a free page without ``titel``)."""
    found = _HEADING.search(body or "")
    return _INLINE_MARKUP.sub("", found.group(1)).strip() or None if found else None


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def record_docname(doc: model.Document) -> str:
    rtype = doc.record_type
    assert rtype is not None
    return f"{rtype.folder}/{doc.group}/{doc.id}" if doc.group else f"{rtype.folder}/{doc.id}"


#: The ladder a project climbs; ``ruhend`` and ``abgebrochen`` stand beside it.
LADDER = model.STATUS_LADDER


def status_ladder(status: object, labels: Mapping[str, str]) -> list[dict[str, Any]]:
    """The steps of the status ladder, each ``erreicht`` (done), ``aktuell`` or neither.

    A project that rests or was abandoned has no current step on the ladder: the ladder shows
    the way, and the record's status beside it says where it stopped.
    """
    reached = LADDER.index(status) if status in LADDER else -1
    return [
        {"status": step, "label": labels.get(step, step), "erreicht": i < reached, "aktuell": i == reached}
        for i, step in enumerate(LADDER)
    ]


def phone_uri(number: object) -> str | None:
    """``0211 89-12345`` → ``tel:+492118912345`` (E.164, :func:`contacts.tel_uri`), or None."""
    return contacts.tel_uri(str(number)) if number else None


def mailto(address: object) -> str | None:
    """A valid address as a ``mailto:`` link; the address is percent-encoded (RFC 6068), so no
    ``?subject=``/``&bcc=`` written into the field can add header fields to the link."""
    text = str(address or "")
    if not text or contacts.email_problem(text) is not None:
        return None
    local, _, domain = text.rpartition("@")
    return f"mailto:{quote(local, safe='')}@{quote(domain, safe='.-')}"


def contact(entry: dict[str, Any]) -> dict[str, Any]:
    """A contact as the record page's contact box shows it: a personal name only with consent."""
    email = str(entry.get("email") or "")
    return {
        "organisation": entry.get("organisation"),
        "funktion": entry.get("funktion"),
        "name": entry.get("name") if entry.get("einwilligung") is True else None,
        "email": email or None,
        "mailto": mailto(email),
        "telefon": entry.get("telefon"),
        "tel": phone_uri(entry.get("telefon")),
    }


#: Where the overview pages of a record folder sit in the breadcrumbs (else below the start page).
_FOLDER_PARENT = {
    "ergebnisse": "plattformen/index", "veranstaltungen": "plattformen/index",
    "foerderung": "themen/index", "handlungsfelder": "themen/index",
    "herausforderungen": "themen/index", "schlagworte": "themen/index", "status": "projekte/index",
}  # fmt: skip
_START_LABEL = "Startseite"


def _parent(docname: str, names: Mapping[str, object]) -> str | None:
    """The overview a page hangs below: its folder's (or an upper folder's), else a hub, else the start."""
    if docname == "index":
        return None
    folder, _, name = docname.rpartition("/")
    if name != "index":  # a record, partner, platform, field, …: the nearest overview above it
        while folder:
            if f"{folder}/index" in names:
                return f"{folder}/index"
            folder = folder.rpartition("/")[0]
        return "index"
    return _FOLDER_PARENT.get(folder, "index")


def _add_trails(pages: list[Page]) -> None:
    """Each page's breadcrumbs, from the plan's own hierarchy (folders and their overviews)."""
    by_name = {p.docname: p for p in pages}
    for page in pages:
        trail: list[tuple[str, str]] = []
        parent = _parent(page.docname, by_name)
        while parent is not None and parent in by_name and len(trail) < 6:
            trail.append((parent, _START_LABEL if parent == "index" else by_name[parent].title))
            parent = _parent(parent, by_name)
        page.trail = tuple(reversed(trail))


class _Planner:
    def __init__(
        self,
        content: model.Content,
        today: dt.date,
        intern: bool,
        *,
        aenderungen: dict[str, Any] | None = None,
        ausgabe: dict[str, Any] | None = None,
        bericht: dict[str, Any] | None = None,
        druck: dict[str, Any] | None = None,
    ) -> None:
        self.c = content
        self.today = today
        self.intern = intern
        # plain data passed into the build by regiodocs.editions (release, bericht, druck)
        self.aenderungen = aenderungen
        self.ausgabe = ausgabe
        self.bericht = bericht if intern else None  # never part of the public edition
        self.druck = druck
        net = content.netzwerk.data if content.netzwerk else {}
        self.net = net
        self.labels = labels(content)
        self.names = dict(self.labels.sections)
        self.fields = {e["id"]: e for e in content.registry("handlungsfelder")}
        self.challenges = {e["id"]: e for e in content.registry("herausforderungen")}
        self.indicators = {e["id"]: e for e in content.registry("kennzahlen")}
        self.status_labels = dict(self.labels.status)
        self.records = sorted(content.records.values(), key=lambda d: (d.kind, d.title.lower()))
        self.mentioned_in: dict[str, set[str]] = defaultdict(set)
        for doc in self.records:
            for target in self.references(doc):
                self.mentioned_in[target].add(doc.id)
        self._cards: dict[str, RecordSummary] = {}
        self.keywords: dict[str, tuple[str, list[model.Document]]] = {}
        for doc in self.records:
            for word in doc.data.get("schlagworte") or []:
                key = keyword_slug(word)
                self.keywords.setdefault(key, (word, []))[1].append(doc)

    # ------------------------------------------------------------ maps

    @cached_property
    def _map_all(self) -> dict[str, Any] | None:
        """The edition's places, computed once (every record and partner page shows a locator)."""
        return regionmap.map_data(self.c, docname_of=record_docname)

    def map(self, focus: str | None = None) -> dict[str, Any] | None:
        """``regionmap.map_data(self.c, focus, docname_of=record_docname)``, from the places
        computed once: the same locator (a record alone, or a partner's records), not O(N) per page."""
        full = self._map_all
        if full is None or focus is None:
            return None if full is None else {**full, "partner": list(full["partner"]),
                                               "eintraege": list(full["eintraege"])}  # fmt: skip
        records = full["eintraege"]
        if focus in self.c.records:
            records = [r for r in records if r["id"] == focus]
            if not records:
                return None
            fokus = {"id": focus, "art": "eintrag"}
        elif focus in self.c.partner:
            if not any(p["id"] == focus for p in full["partner"]):
                return None
            records = [r for r in records if focus in r["partner"]]
            fokus = {"id": focus, "art": "partner"}
        else:
            return None
        return {"partner": list(full["partner"]), "eintraege": records, "fokus": fokus}

    @cached_property
    def programmes(self) -> dict[str, str]:
        return {d.id: d.title for d in self.c.of_type("foerderprogramm")}

    # ------------------------------------------------------------ summaries

    def references(self, doc: model.Document) -> list[str]:
        found = []
        for _p, node, value, _k in schema.annotated(doc.kind, doc.data, "x-verweis"):
            if (
                node["x-verweis"] in ("eintrag", "projekt", "praxis", "foerderprogramm")
                and value in self.c.records
            ):
                found.append(value)
        return sorted(set(found))

    def partners_of(self, doc: model.Document) -> list[str]:
        return [pid for pid in model.partner_ids(doc.data) if pid in self.c.partner]

    def year(self, doc: model.Document) -> str | None:
        d = doc.data
        value = d.get("datum") or d.get("beginn") or d.get("stand")
        return str(value)[:4] if value else None

    def card(self, doc: model.Document) -> RecordSummary:
        found = self._cards.get(doc.id)
        if found is not None:
            return found
        rtype = doc.record_type
        assert rtype is not None
        d = doc.data
        status = d.get("status")
        found = RecordSummary(
            id=doc.id,
            docname=record_docname(doc),
            kind=rtype.name,
            kind_label=rtype.label,
            title=doc.title,
            teaser=str(d.get("kurzbeschreibung", "")),
            status=status,
            status_label=self.status_labels.get(status, "") if status else "",
            partners=tuple(self.partners_of(doc)),
            fields=tuple(d.get("handlungsfelder") or ()),
            platforms=tuple(self.platforms_of(doc)),
            keywords=tuple(str(w) for w in d.get("schlagworte") or ()),
            stand=_text(d.get("stand")),
            year=self.year(doc),
            date=_text(d.get("datum")),
            example=bool(d.get("beispiel")),
            intern=not doc.public,
        )
        self._cards[doc.id] = found
        return found

    def summary(self, doc: model.Document) -> dict[str, Any]:
        return self.card(doc).context()

    def platforms_of(self, doc: model.Document) -> list[str]:
        values = list(doc.data.get("plattformen") or [])
        if doc.kind == "ergebnis" and doc.data.get("plattform"):
            values.insert(0, doc.data["plattform"])
        return [v for v in values if v in self.c.plattformen]

    def summaries(self, docs: list[model.Document]) -> list[dict[str, Any]]:
        return [self.summary(d) for d in docs]

    def base(self) -> dict[str, Any]:
        return {
            "netzwerk": {"name": self.net.get("name", ""), "lizenz": self.net.get("lizenz", "")},
            "bezeichnungen": self.names,
            "partner_namen": dict(self.labels.partners),
            "feld_titel": {k: v.get("titel", k) for k, v in self.fields.items()},
            "plattform_titel": dict(self.labels.platforms),
            "intern": self.intern,
            "druck": self.druck is not None,  # the print edition: one document, no links between pages
        }

    def cards(self, docs: list[model.Document]) -> tuple[RecordSummary, ...]:
        return tuple(self.card(d) for d in docs)

    # ------------------------------------------------------------ pages

    def pages(self) -> list[Page]:
        pages = [self.start()]
        pages += [self.record(d) for d in self.records]
        pages += self.type_lists()
        pages += self.partner_pages()
        pages += self.platform_pages()
        pages += self.field_pages()
        pages += self.challenge_pages()
        pages += self.status_pages()
        pages += self.keyword_pages()
        pages += self.free_pages()
        pages.append(
            Page(
                "feldreferenz",
                "feldreferenz.md.j2",
                "Feldreferenz",
                self.base() | reference.field_reference(self.c),
                kind=PageKind.FIELD_REFERENCE,
            )
        )
        pages.append(self.themes())
        pages.append(self.open_data())
        pages += self.edition_pages()
        if self.druck is not None:  # print edition: only the root's toctree is printed
            pages[0] = self.print_root()
            for page in pages[1:]:
                page.orphan = True
        else:
            for page in pages:
                self.add_subscriptions(page)
        _add_trails(pages)
        return pages

    # ------------------------------------------------------------ feeds and calendars

    @cached_property
    def feed_topics(self) -> dict[str, topics.Topic]:
        return {t.key: t for t in topics.topics(self.c)}

    @cached_property
    def dated(self) -> list[topics.Dated]:
        """The edition's calendar entries (agreements only in the internal edition)."""
        return topics.dated(self.c, intern=self.intern, docname_of=record_docname)

    @cached_property
    def dated_topics(self) -> set[str]:
        return {key for item in self.dated for key in item.topics}

    def page_topics(self, page: Page) -> list[str]:
        """Which feeds a page belongs to: a record's page those its record appears in, a partner's,
        platform's, field's or type's page its own, every page the whole handbook's."""
        subject = page.subject or ""
        if page.kind is PageKind.RECORD and subject in self.c.records:
            return list(topics.record_topics(self.c.records[subject], self.c))
        own = {
            PageKind.TYPE_LIST: f"typ-{subject}", PageKind.PARTNER: f"partner-{subject}",
            PageKind.PLATFORM: f"plattform-{subject}", PageKind.FIELD: f"handlungsfeld-{subject}",
        }.get(page.kind)  # fmt: skip
        return [topics.ALL] + ([own] if own in self.feed_topics else [])

    #: Overview pages that offer their subscriptions visibly ("Neuigkeiten abonnieren"), and which
    #: topics besides their own (a list page: every partner, platform or field).
    OFFERING = {
        PageKind.START: "typ", PageKind.TYPE_LIST: "", PageKind.PARTNER: "", PageKind.PLATFORM: "",
        PageKind.FIELD: "", PageKind.PARTNER_LIST: "partner", PageKind.PLATFORM_LIST: "plattform",
        PageKind.FIELD_LIST: "handlungsfeld", PageKind.OPEN_DATA: "*",
    }  # fmt: skip

    def add_subscriptions(self, page: Page) -> None:
        """The page's feed links, its visible subscriptions and its "In den Kalender" items."""
        keys = self.page_topics(page)
        chosen = [self.feed_topics[k] for k in keys]
        page.feeds = tuple((t.feed_path, f"Neuigkeiten: {t.title}") for t in chosen)
        offered = self.OFFERING.get(page.kind)
        if offered is not None:
            more = [k for k, t in self.feed_topics.items() if offered in ("*", t.kind) and k not in keys]
            page.context["abonnements"] = [self.subscription(self.feed_topics[k]) for k in keys + more]
        if page.kind is PageKind.RECORD:
            found = [i for i in self.dated if i.record == page.subject]
        elif page.kind is PageKind.PLATFORM:  # its results' open agreements (internal edition)
            found = [
                i
                for i in self.dated
                if f"plattform-{page.subject}" in i.topics and i.category == "Vereinbarung"
            ]
        else:
            found = []
        if found:
            page.context["kalender"] = [
                {"titel": i.title, "datum": i.date.isoformat(), "pfad": i.path} for i in found
            ]

    def subscription(self, topic: topics.Topic) -> dict[str, Any]:
        return {
            "titel": topic.title,
            "feed": topic.feed_path,
            "kalender": topic.calendar_path if topic.key in self.dated_topics else None,
        }

    def start(self) -> Page:
        recent = sorted(self.records, key=lambda d: (str(d.data.get("stand", "")), d.id), reverse=True)
        pages = sorted(
            (p for p in self.c.pages.values() if p.id != START_PAGE),
            key=lambda p: (p.data.get("reihenfolge", 100), p.id),
        )
        body = self.c.pages.get(START_PAGE)
        ctx = self.base() | {
            # the network's teaser only when no start text says it (never the same words twice)
            "kurzbeschreibung": "" if body is not None else self.net.get("kurzbeschreibung", ""),
            "herausforderungen": [self.challenge_card(h) for h in self.challenges.values()],
            "handlungsfelder": list(self.fields.values()),
            "matrix": self.matrix(),
            "fortschritt": self.progress_all(),
            "neu": self.summaries(recent[:RECENT]),
            "bereiche": [{"docname": d, "titel": t} for d, t in self.sections()],
            "seiten": [f"seiten/{p.id}" for p in pages] + ["feldreferenz", "daten/index"],
        }
        ctx["seiten"] = [p.docname for p in self.edition_pages()] + ctx["seiten"]
        ctx["ausgabe"] = self.ausgabe
        ctx["bericht"] = self.bericht is not None and self.druck is None  # the intern edition's review
        return Page(
            "index",
            "start.md.j2",
            str(self.net.get("name", "Handbuch")),
            ctx,
            body=body,
            kind=PageKind.START,
            description=str(self.net.get("kurzbeschreibung", "")),
        )

    def sections(self) -> list[tuple[str, str]]:
        """The overview pages the start page's table of contents lists (the rest hang below Themen)."""
        return [
            ("projekte/index", "Projekte"), ("praxis/index", "Gute Praxis"),
            ("plattformen/index", self.names["plattformen"]),
            ("ergebnisse/index", "Plattform-Ergebnisse"), ("veranstaltungen/index", "Veranstaltungen"),
            ("partner/index", self.names["partner"]), ("themen/index", "Themen"),
        ]  # fmt: skip

    def matrix(self) -> dict[str, Any]:
        """Records per partner and field of action: the start page's way in by "my city × my topic"."""
        cells = {pid: dict.fromkeys(self.fields, 0) for pid in self.c.partner}
        for doc in self.records:
            for pid in self.partners_of(doc):
                for fid in doc.data.get("handlungsfelder") or ():
                    if fid in cells[pid]:
                        cells[pid][fid] += 1
        return {
            "felder": [{"id": fid, "titel": str(e.get("titel", fid))} for fid, e in self.fields.items()],
            "zeilen": [
                {"id": pid, "name": doc.title, "zellen": [cells[pid][fid] for fid in self.fields],
                 "summe": sum(1 for d in self.records if pid in self.partners_of(d))}
                for pid, doc in sorted(self.c.partner.items(), key=lambda i: i[1].title)
            ],
        }  # fmt: skip

    def challenge_card(self, entry: dict[str, Any]) -> dict[str, Any]:
        """A challenge as the start page and the challenge list show it (with its count)."""
        cid = entry["id"]
        count = sum(1 for d in self.records if cid in (d.data.get("herausforderungen") or ()))
        return dict(entry) | {"anzahl": count}

    def record(self, doc: model.Document) -> Page:
        data = dict(doc.data)
        data.pop(model.BODY_FIELD, None)
        rtype = doc.record_type
        assert rtype is not None
        summary = self.summary(doc)
        indicators = [
            {
                "id": k,
                "titel": self.indicators.get(k, {}).get("titel", k),
                "einheit": self.indicators.get(k, {}).get("einheit", ""),
                "wert": v,
            }
            for k, v in (data.get("kennzahlen") or {}).items()
        ]
        labels = {
            f: schema.labels(doc.kind, f)
            for f in ("projekttyp", "reifegrad", "uebertragbarkeit", "format")
            if f in schema.schema(doc.kind)["properties"]
        }
        refs = self.references(doc)
        related = sorted({*refs, *self.mentioned_in.get(doc.id, ())} - {doc.id})
        ctx = self.base() | {
            "e": data,
            "s": summary,
            "typ": rtype.name,
            "labels": labels,
            "kennzahlen": indicators,
            "verweist_auf": [self.summary(self.c.records[r]) for r in refs],
            "erwaehnt_in": [
                self.summary(self.c.records[r]) for r in sorted(self.mentioned_in.get(doc.id, ()))
            ],
            "herausforderung_titel": {k: v.get("titel", k) for k, v in self.challenges.items()},
            "schlagwort_slugs": {w: keyword_slug(w) for w in data.get("schlagworte") or []},
            "programme": dict(self.programmes),
            "heute": self.today.isoformat() if doc.kind == "ergebnis" else None,
            "verwandt": self.grouped([self.c.records[r] for r in related]),
            "kontakte": [contact(k) for k in data.get("kontakt") or []],
            "statusleiter": status_ladder(data.get("status"), self.status_labels)
            if doc.kind == "projekt"
            else [],
            "karte": self.map(doc.id),
        }
        return Page(
            record_docname(doc),
            "eintrag.md.j2",
            doc.title,
            ctx,
            body=doc,
            orphan=True,
            objects=[("eintrag", doc.id, doc.title)],
            kind=PageKind.RECORD,
            summary=self.card(doc),
            subject=doc.id,
        )

    def grouped(self, docs: list[model.Document]) -> list[dict[str, Any]]:
        """Cards grouped by record type, in the order of the types, each record once."""
        groups = []
        for rtype in model.RECORD_TYPES:
            found = sorted((d for d in docs if d.kind == rtype.name), key=lambda d: d.title.lower())
            if found:
                groups.append({"typ": rtype.name, "titel": rtype.plural, "eintraege": self.summaries(found)})
        return groups

    def type_lists(self) -> list[Page]:
        pages = []
        for rtype in model.RECORD_TYPES:
            docs = [d for d in self.records if d.kind == rtype.name]
            if rtype.name == "ergebnis" or rtype.name == "veranstaltung":
                docs.sort(key=lambda d: str(d.data.get("datum", "")), reverse=True)
            items = self.summaries(docs)
            if rtype.name == "foerderprogramm":
                for item, doc in zip(items, docs, strict=True):
                    item["frist"] = doc.data.get("frist")
                    item["abgelaufen"] = self._expired(doc.data.get("frist"))
                    item["geber"] = doc.data.get("geber")
                items.sort(
                    key=lambda i: (
                        i["abgelaufen"],
                        i["frist"] in (None, "laufend"),
                        str(i["frist"] or ""),
                    )
                )
            ctx = self.base() | {"typ": rtype.name, "titel": rtype.plural, "eintraege": items}
            by_id = {d.id: d for d in docs}
            pages.append(
                Page(
                    f"{rtype.folder}/index",
                    "typliste.md.j2",
                    rtype.plural,
                    ctx,
                    kind=PageKind.TYPE_LIST,
                    listed=self.cards([by_id[i["id"]] for i in items]),
                    subject=rtype.name,
                )
            )
        return pages

    def _expired(self, frist: object) -> bool:
        return isinstance(frist, str) and frist != "laufend" and frist < self.today.isoformat()

    def partner_pages(self) -> list[Page]:
        pages = []
        for pid, doc in sorted(self.c.partner.items()):
            docs = [d for d in self.records if pid in self.partners_of(d)]
            ctx = self.base() | {
                "p": {k: v for k, v in doc.data.items() if k != model.BODY_FIELD},
                "id": pid,
                "eintraege": self.summaries(docs),
                "nach_feld": [
                    {"id": fid, "titel": str(e.get("titel", fid)), "eintraege": self.summaries(found)}
                    for fid, e in self.fields.items()
                    if (found := [d for d in docs if fid in (d.data.get("handlungsfelder") or ())])
                ]
                + [
                    {"id": "", "titel": "Weitere Einträge", "eintraege": self.summaries(rest)}
                    for rest in [
                        [d for d in docs if not set(d.data.get("handlungsfelder") or ()) & set(self.fields)]
                    ]
                    if rest
                ],
                "nach_status": [
                    {"status": st, "label": label, "anzahl": n}
                    for st, label in self.status_labels.items()
                    if (n := sum(1 for d in docs if d.data.get("status") == st))
                ],
                "kontakte": [contact(k) for k in doc.data.get("kontakt") or []],
                "karte": self.map(pid),
                "plattformen": [
                    k
                    for k, d in sorted(self.c.plattformen.items())
                    if pid in (d.data.get("mitglieder") or [])
                ],
            }
            pages.append(
                Page(
                    f"partner/{pid}",
                    "partner.md.j2",
                    doc.title,
                    ctx,
                    body=doc,
                    objects=[("partner", pid, doc.title)],
                    kind=PageKind.PARTNER,
                    listed=self.cards(docs),
                    subject=pid,
                )
            )
        ctx = self.base() | {
            "partner": [
                {
                    "id": k, "name": d.title, "art": d.data.get("art"), "einwohner": d.data.get("einwohner"),
                    "mitglied_seit": d.data.get("mitglied_seit"),
                    "anzahl": sum(1 for r in self.records if k in self.partners_of(r)),
                }
                for k, d in sorted(self.c.partner.items(), key=lambda i: i[1].title)
            ],
            "karte": self.map(),
        }  # fmt: skip
        pages.append(
            Page(
                "partner/index", "partnerliste.md.j2", self.names["partner"], ctx, kind=PageKind.PARTNER_LIST
            )
        )
        return pages

    def platform_pages(self) -> list[Page]:
        pages = []
        today = self.today.isoformat()
        for pid, doc in sorted(self.c.plattformen.items()):
            results = sorted(
                (d for d in self.records if d.kind == "ergebnis" and d.data.get("plattform") == pid),
                key=lambda d: str(d.data.get("datum", "")),
                reverse=True,
            )
            agreements = []
            for res in results:
                for entry in res.data.get("vereinbarungen") or []:
                    if entry.get("erledigt") is True:
                        continue
                    bis = entry.get("bis")
                    agreements.append(
                        {
                            "was": entry.get("was"),
                            "wer": entry.get("wer"),
                            "bis": bis,
                            "ueberfaellig": model.overdue(entry, self.today),
                            "ergebnis": res.id,
                        }
                    )
            agreements.sort(key=lambda a: (not a["ueberfaellig"], str(a["bis"] or "9999")))
            others = [
                d for d in self.records if d.kind != "ergebnis" and pid in (d.data.get("plattformen") or [])
            ]
            ctx = self.base() | {
                "p": {k: v for k, v in doc.data.items() if k != model.BODY_FIELD},
                "id": pid,
                "ergebnisse": self.summaries(results),
                "vereinbarungen": agreements,
                "eintraege": self.summaries(others),
                "heute": today,
            }
            pages.append(
                Page(
                    f"plattformen/{pid}",
                    "plattform.md.j2",
                    doc.title,
                    ctx,
                    body=doc,
                    objects=[("plattform", pid, doc.title)],
                    kind=PageKind.PLATFORM,
                    listed=self.cards(others) + self.cards(results),
                    subject=pid,
                )
            )
        ctx = self.base() | {
            "plattformen": [
                {
                    "id": k,
                    "titel": d.title,
                    "turnus": d.data.get("turnus"),
                    "handlungsfelder": d.data.get("handlungsfelder") or [],
                }
                for k, d in sorted(self.c.plattformen.items())
            ]
        }
        pages.append(
            Page(
                "plattformen/index",
                "plattformliste.md.j2",
                self.names["plattformen"],
                ctx,
                kind=PageKind.PLATFORM_LIST,
            )
        )
        return pages

    def field_pages(self) -> list[Page]:
        pages = []
        for fid, entry in self.fields.items():
            docs = [d for d in self.records if fid in (d.data.get("handlungsfelder") or [])]
            platforms = [
                k
                for k, d in sorted(self.c.plattformen.items())
                if fid in (d.data.get("handlungsfelder") or [])
            ]
            ctx = self.base() | {
                "f": entry,
                "eintraege": self.summaries(docs),
                "plattformen": platforms,
            }
            pages.append(
                Page(
                    f"handlungsfelder/{fid}",
                    "handlungsfeld.md.j2",
                    entry.get("titel", fid),
                    ctx,
                    objects=[("handlungsfeld", fid, entry.get("titel", fid))],
                    kind=PageKind.FIELD,
                    listed=self.cards(docs),
                    subject=fid,
                    description=str(entry.get("beschreibung") or ""),
                )
            )
        ctx = self.base() | {"handlungsfelder": list(self.fields.values())}
        pages.append(
            Page(
                "handlungsfelder/index",
                "handlungsfeldliste.md.j2",
                self.names["handlungsfelder"],
                ctx,
                kind=PageKind.FIELD_LIST,
            )
        )
        return pages

    def challenge_pages(self) -> list[Page]:
        pages = []
        for cid, entry in self.challenges.items():
            docs = [d for d in self.records if cid in (d.data.get("herausforderungen") or [])]
            ctx = self.base() | {
                "h": entry,
                "eintraege": self.summaries(docs),
                "fortschritt": self.progress(cid),
                "kennzahl": self.indicators.get(entry.get("kennzahl", "")),
            }
            pages.append(
                Page(
                    f"herausforderungen/{cid}",
                    "herausforderung.md.j2",
                    entry.get("titel", cid),
                    ctx,
                    objects=[("herausforderung", cid, entry.get("titel", cid))],
                    kind=PageKind.CHALLENGE,
                    listed=self.cards(docs),
                    subject=cid,
                    description=str(entry.get("ziel") or ""),
                )
            )
        ctx = self.base() | {"herausforderungen": list(self.challenges.values())}
        pages.append(
            Page(
                "herausforderungen/index",
                "herausforderungsliste.md.j2",
                self.names["herausforderungen"],
                ctx,
                kind=PageKind.CHALLENGE_LIST,
            )
        )
        return pages

    def progress(self, cid: str) -> dict[str, Any] | None:
        """A challenge's progress (charts), from this edition's visible records."""
        return charts.challenge_progress(
            self.c, cid, status_labels=self.status_labels, docname_of=record_docname,
            challenge_docname=f"herausforderungen/{cid}",
        )  # fmt: skip

    def progress_all(self) -> list[dict[str, Any]]:
        """The progress of every challenge measured by a Kennzahl (the start page)."""
        found = (self.progress(cid) for cid in self.challenges)
        return [d for d in found if d and d.get("kennzahl")]

    def status_pages(self) -> list[Page]:
        pages = []
        counts = []
        for status, label in self.status_labels.items():
            docs = [d for d in self.records if d.data.get("status") == status]
            if not docs:  # no empty pages: a status nobody has is named on the list page only
                continue
            counts.append({"status": status, "label": label, "anzahl": len(docs)})
            ctx = self.base() | {
                "status": status,
                "label": label,
                "eintraege": self.summaries(docs),
            }
            pages.append(
                Page(
                    f"status/{status}",
                    "status.md.j2",
                    f"Status: {label}",
                    ctx,
                    objects=[("status", status, label)],
                    kind=PageKind.STATUS,
                    listed=self.cards(docs),
                    subject=status,
                )
            )
        if counts:
            pages.append(
                Page(
                    "status/index",
                    "statusliste.md.j2",
                    "Projekte nach Status",
                    self.base() | {"stati": counts, "leiter": status_ladder(None, self.status_labels)},
                    kind=PageKind.STATUS_LIST,
                )
            )
        return pages

    def project_status(self) -> bool:
        return any(d.data.get("status") for d in self.records)

    def keyword_pages(self) -> list[Page]:
        pages = []
        listing = []
        for key, (word, docs) in sorted(self.keywords.items()):
            listing.append({"slug": key, "wort": word, "anzahl": len(docs)})
            ctx = self.base() | {"wort": word, "eintraege": self.summaries(docs)}
            pages.append(
                Page(
                    f"schlagworte/{key}",
                    "schlagwort.md.j2",
                    f"Schlagwort: {word}",
                    ctx,
                    orphan=True,
                    objects=[("schlagwort", key, word)],
                    kind=PageKind.KEYWORD,
                    listed=self.cards(docs),
                    subject=key,
                )
            )
        pages.append(
            Page(
                "schlagworte/index",
                "schlagwortliste.md.j2",
                "Schlagworte",
                self.base() | {"schlagworte": listing},
                kind=PageKind.KEYWORD_LIST,
            )
        )
        return pages

    def free_pages(self) -> list[Page]:
        pages = []
        for pid, doc in sorted(self.c.pages.items()):
            if pid == START_PAGE:
                continue
            # what a {regio-liste} in the body shows is declared by the directive (sphinxext.listing)
            ctx = self.base() | {"titel": doc.data.get("titel"), "eintraege": []}
            title = str(doc.data.get("titel") or _first_heading(doc.body) or pid)
            pages.append(
                Page(
                    f"seiten/{pid}",
                    "seite.md.j2",
                    title,
                    ctx,
                    body=doc,
                    objects=[("seite", pid, title)],
                    kind=PageKind.FREE,
                    subject=pid,
                )
            )
        return pages

    def themes(self) -> Page:
        """The hub of the taxonomies: fields of action, challenges, funding, events, keywords."""
        funding = self.c.of_type("foerderprogramm")
        entries = [
            ("handlungsfelder/index", self.names["handlungsfelder"], len(self.fields),
             ", ".join(str(e.get("titel", k)) for k, e in self.fields.items())),
            ("herausforderungen/index", self.names["herausforderungen"], len(self.challenges),
             ", ".join(str(e.get("titel", k)) for k, e in self.challenges.items())),
            ("foerderung/index", "Förderprogramme", len(funding), "Fördergeber, Quote und Frist"),
            ("schlagworte/index", "Schlagworte", len(self.keywords), "Alle freien Schlagworte der Einträge"),
        ]  # fmt: skip
        if self.project_status():
            entries.append(
                (
                    "status/index",
                    "Projekte nach Status",
                    len(self.c.of_type("projekt")),
                    "Von der Idee bis zur Verstetigung",
                )
            )
        ctx = self.base() | {
            "bereiche": [{"docname": d, "titel": t, "anzahl": n, "text": x} for d, t, n, x in entries]
        }
        return Page("themen/index", "themen.md.j2", "Themen", ctx, kind=PageKind.THEMES)

    def open_data(self) -> Page:
        """What the handbook publishes as data: the schemas always, an edition's files in a release."""
        ctx = self.base() | {
            "ausgabe": self.ausgabe,
            "downloads": list((self.ausgabe or {}).get("downloads") or []),
            "typen": [{"name": t.name, "titel": t.plural} for t in model.RECORD_TYPES],
        }
        return Page("daten/index", "daten.md.j2", "Offene Daten", ctx, kind=PageKind.OPEN_DATA)

    # ------------------------------------------------------------ editions

    def edition_pages(self) -> list[Page]:
        """Pages that exist only when data is passed in: "Was ist neu" and the review."""
        if self.druck is not None:
            return []
        pages = []
        if self.aenderungen is not None:
            ctx = self.base() | {"a": self.aenderungen, "ausgabe": self.ausgabe}
            pages.append(Page("aenderungen", "aenderungen.md.j2", "Was ist neu", ctx, kind=PageKind.CHANGES))
        if self.bericht is not None:
            ctx = self.base() | {"b": self.bericht}
            pages.append(Page("bericht", "bericht.md.j2", "Prüfbericht", ctx, kind=PageKind.REVIEW))
        return pages

    def print_root(self) -> Page:
        """The root of the print edition: the selected records, grouped by type."""
        assert self.druck is not None
        wanted = [i for i in self.druck.get("eintraege") or [] if i in self.c.records]
        groups = []
        for rtype in model.RECORD_TYPES:
            docs = [self.c.records[i] for i in wanted if self.c.records[i].kind == rtype.name]
            if docs:
                groups.append({"titel": rtype.plural, "eintraege": self.summaries(docs)})
        ctx = self.base() | {
            "druck": self.druck,
            "kurzbeschreibung": self.net.get("kurzbeschreibung", ""),
            "gruppen": groups,
        }
        title = str(self.druck.get("titel") or self.net.get("name", "Handbuch"))
        return Page("index", "druck.md.j2", title, ctx, kind=PageKind.PRINT)


def plan(
    content: model.Content,
    *,
    today: dt.date,
    intern: bool = False,
    aenderungen: dict[str, Any] | None = None,
    ausgabe: dict[str, Any] | None = None,
    bericht: dict[str, Any] | None = None,
    druck: dict[str, Any] | None = None,
) -> dict[str, Page]:
    """Every page of one edition of the handbook, by docname.

    The keyword data is computed outside Sphinx (:mod:`regiodocs.editions`) and
    passed in: ``aenderungen`` (a diff of two edition manifests) adds the "Was
    ist neu" page, ``ausgabe`` (name, date, downloads) the edition block of the
    start page, ``bericht`` the review page of the internal edition, and
    ``druck`` (a selection of record ids) makes the root page that of the print
    edition.
    """
    arguments = (today, intern, aenderungen, ausgabe, bericht, druck)
    for planned, kept_arguments, pages in _PLANS:
        if planned is content and kept_arguments == arguments:
            return dict(pages)
    visible = content.visible(intern=intern)
    planner = _Planner(
        visible, today, intern, aenderungen=aenderungen, ausgabe=ausgabe, bericht=bericht, druck=druck
    )
    pages = {p.docname: p for p in planner.pages()}
    _PLANS.insert(0, (content, arguments, pages))
    del _PLANS[_PLANS_KEPT:]
    return dict(pages)


def plan_for(
    content: model.Content, *, today: dt.date, intern: bool, docnames: Collection[str]
) -> dict[str, Page]:
    """The pages named ``docnames`` alone (records, free pages, the start page), planned as
    :func:`plan` plans them but without their breadcrumbs (those need every page).

    ``regiodocs check`` renders the template of each page whose body it judges; planning the
    few pages of an edit costs a fraction of planning every overview of the edition.
    """
    wanted = set(docnames)
    arguments = (today, intern, None, None, None, None)
    for planned, kept_arguments, pages in _PLANS:
        if planned is content and kept_arguments == arguments:
            return {name: page for name, page in pages.items() if name in wanted}
    visible = content.visible(intern=intern)
    planner = _Planner(visible, today, intern)
    found = [planner.record(d) for d in planner.records if record_docname(d) in wanted]
    groups = (("seiten/", planner.free_pages), ("partner/", planner.partner_pages),
              ("plattformen/", planner.platform_pages))  # fmt: skip
    for prefix, pages_of in groups:
        if any(name.startswith(prefix) for name in wanted):
            found += [page for page in pages_of() if page.docname in wanted]
    if "index" in wanted:
        found.append(planner.start())
    for page in found:
        planner.add_subscriptions(page)
    planned = {page.docname: page for page in found}
    everything = {model.body_docname(d) for d in visible.documents() if d.body is not None}
    if (wanted & everything) - set(planned):  # a page of another kind: as the whole plan has it
        return {
            name: page for name, page in plan(content, today=today, intern=intern).items() if name in wanted
        }
    return planned


#: The last plans, by content (the very object: checked content is never changed) and arguments.
#: `regiodocs build` plans while it judges bodies (:mod:`regiodocs.bodies`: the whole content and
#: the public edition) and again when Sphinx starts (:mod:`regiodocs.sphinxext.extension`), on the
#: same checked content in one process: the second plan is free. A plain `sphinx-build` plans itself.
_PLANS: list[tuple[model.Content, tuple[object, ...], dict[str, Page]]] = []
_PLANS_KEPT = 3
