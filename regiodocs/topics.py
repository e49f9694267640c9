"""What readers can follow without visiting the handbook: feed topics and dated items.

A :class:`Topic` is one subscription: the whole handbook, a record type, a partner, a platform
or a field of action. Each has an Atom feed (``abonnieren/<key>.atom``) and, when it has dates,
a calendar (``abonnieren/<key>.ics``). :func:`record_topics` says in which topics a record
appears; a record's page links exactly those feeds.

A :class:`Dated` item is one calendar entry: an event (Veranstaltung), a funding deadline
(Förderprogramm ``frist``) and, in the internal edition only, an open agreement of a platform
meeting (``vereinbarungen`` with ``bis``). Its ``uid`` is derived from the record id (for an
agreement: the result's id and a hash of ``was``, numbered when one meeting agrees the same
words twice), never from the build, so that a re-published calendar updates its events instead
of adding them. (An agreement whose words are edited is a new event.) Each item has a calendar file of its own
(``kalender/<uid>.ics``) behind the "In den Kalender" links.

Pure Python: plain data from the (visible) content; the files are written by
:mod:`regiodocs.feeds` and :mod:`regiodocs.calendars`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from . import model, schema

ALL = "alle"
FEED_FOLDER = "abonnieren"
CALENDAR_FOLDER = "kalender"
FEED_TYPE = "application/atom+xml"
CALENDAR_TYPE = "text/calendar"
OFFICE = "geschaeftsstelle"

#: How the caller names a record's page (the planner's convention, :func:`regiodocs.site.record_docname`).
DocnameOf = Callable[[model.Document], str]


@dataclass(frozen=True)
class Topic:
    key: str  # "alle", "typ-projekt", "partner-alpha", "plattform-mobil", "handlungsfeld-mobilitaet"
    title: str  # "Alle Einträge", "Projekte", "Stadt Alpha", …
    kind: str  # "alle" | "typ" | "partner" | "plattform" | "handlungsfeld"

    @property
    def feed_path(self) -> str:
        return f"{FEED_FOLDER}/{self.key}.atom"

    @property
    def calendar_path(self) -> str:
        return f"{FEED_FOLDER}/{self.key}.ics"


def topics(content: model.Content) -> list[Topic]:
    """Every topic of an edition (of its visible content), in a fixed order."""
    found = [Topic(ALL, "Alle Einträge", ALL)]
    found += [Topic(f"typ-{t.name}", t.plural, "typ") for t in model.RECORD_TYPES]
    found += [Topic(f"partner-{k}", d.title, "partner") for k, d in sorted(content.partner.items())]
    found += [Topic(f"plattform-{k}", d.title, "plattform") for k, d in sorted(content.plattformen.items())]
    found += [
        Topic(f"handlungsfeld-{e['id']}", str(e.get("titel", e["id"])), "handlungsfeld")
        for e in content.registry("handlungsfelder")
        if "id" in e
    ]
    return found


def record_topics(doc: model.Document, content: model.Content) -> tuple[str, ...]:
    """The topics a record appears in: all, its type, its partners, platforms and fields."""
    data = doc.data
    platforms = list(data.get("plattformen") or [])
    if doc.kind == "ergebnis" and data.get("plattform"):
        platforms.insert(0, data["plattform"])
    fields = {str(e.get("id")) for e in content.registry("handlungsfelder")}
    keys = [ALL, f"typ-{doc.kind}"]
    keys += [f"partner-{p}" for p in model.partner_ids(data) if p in content.partner]
    keys += [f"plattform-{p}" for p in platforms if p in content.plattformen]
    keys += [f"handlungsfeld-{f}" for f in data.get("handlungsfelder") or () if f in fields]
    return tuple(dict.fromkeys(keys))


def page_link(docname: str, base: str | None, folder: str = FEED_FOLDER) -> str:
    """The address of a handbook page from a file in ``folder``: absolute below ``base``, else relative."""
    path = f"{docname}.html"
    if base:
        return f"{base.rstrip('/')}/{path}"
    return posixpath.relpath(path, folder)


#: What an address may not hold (RFC 3986 has no place for them unescaped): controls, space,
#: quotes, angle brackets and the like – ``urlsplit`` would silently drop tabs and line breaks.
_NOT_IN_URL = re.compile(r'[\x00-\x20\x7f"<>\\^`{|}]')


def safe_base(base: object) -> str | None:
    """The edition's address if it is an https/http URL with a host and nothing an address
    cannot hold unescaped (anything else: no base, the links stay relative)."""
    text = str(base or "")
    if _NOT_IN_URL.search(text):
        return None
    parts = urlsplit(text)
    return text if parts.scheme in ("https", "http") and parts.netloc else None


# ---------------------------------------------------------------- dated items


@dataclass(frozen=True)
class Dated:
    uid: str  # stable: "veranstaltung-salon-1", "frist-programm-a", "vereinbarung-treffen-1-3f2a…"
    record: str  # id of the record whose page shows the item
    docname: str  # that page
    date: dt.date
    title: str
    place: str
    description: str
    topics: tuple[str, ...]
    category: str  # "Veranstaltung", "Förderfrist", "Vereinbarung"

    @property
    def path(self) -> str:
        """The item's own calendar file (the "In den Kalender" link)."""
        return f"{CALENDAR_FOLDER}/{self.uid}.ics"


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def dated(content: model.Content, *, intern: bool, docname_of: DocnameOf) -> list[Dated]:
    """The calendar entries of an edition, by date and uid; agreements only when ``intern``."""
    found: list[Dated] = []
    formats = schema.labels("veranstaltung", "format")
    for doc in content.of_type("veranstaltung"):
        day = _date(doc.data.get("datum"))
        if day is None:
            continue
        label = str(formats.get(str(doc.data.get("format")), "Veranstaltung"))
        found.append(
            Dated(
                uid=f"veranstaltung-{doc.id}",
                record=doc.id,
                docname=docname_of(doc),
                date=day,
                title=doc.title,
                place=str(doc.data.get("ort") or ""),
                description=f"{label}: {doc.data.get('kurzbeschreibung', '')}".strip(),
                topics=record_topics(doc, content),
                category="Veranstaltung",
            )
        )
    for doc in content.of_type("foerderprogramm"):
        day = _date(doc.data.get("frist"))  # "laufend" is no date
        if day is None:
            continue
        found.append(
            Dated(
                uid=f"frist-{doc.id}",
                record=doc.id,
                docname=docname_of(doc),
                date=day,
                title=f"Frist: {doc.title}",
                place="",
                description=f"Förderfrist ({doc.data.get('geber', '')}): "
                f"{doc.data.get('kurzbeschreibung', '')}",
                topics=record_topics(doc, content),
                category="Förderfrist",
            )
        )
    if intern:
        found += _agreements(content, docname_of)
    return sorted(found, key=lambda d: (d.date, d.uid))


def agreement_uid(result_id: str, was: object) -> str:
    """An agreement's stable uid: its result's id and a hash of what was agreed."""
    digest = hashlib.sha256(" ".join(str(was).split()).encode()).hexdigest()[:12]
    return f"vereinbarung-{result_id}-{digest}"


def responsible(wer: object, content: model.Content) -> str:
    """Who is responsible for an agreement, by name (a partner's title, the Geschäftsstelle)."""
    key = str(wer or "")
    if key == OFFICE:
        return "Geschäftsstelle"
    partner = content.partner.get(key)
    return partner.title if partner is not None else key


def _agreements(content: model.Content, docname_of: DocnameOf) -> list[Dated]:
    found = []
    for doc in content.of_type("ergebnis"):
        platform = content.plattformen.get(str(doc.data.get("plattform")))
        seen: dict[str, int] = {}
        for entry in doc.data.get("vereinbarungen") or []:
            day = _date(entry.get("bis"))
            if day is None or entry.get("erledigt") is True:
                continue
            who = responsible(entry.get("wer"), content)
            keys = [ALL, "typ-ergebnis"]
            if str(entry.get("wer")) in content.partner:
                keys.append(f"partner-{entry.get('wer')}")
            if platform is not None:
                keys.append(f"plattform-{platform.id}")
            base_uid = agreement_uid(doc.id, entry.get("was"))
            seen[base_uid] = seen.get(base_uid, 0) + 1
            # the same words agreed twice at one meeting: the second and later get their number
            uid = base_uid if seen[base_uid] == 1 else f"{base_uid}-{seen[base_uid]}"
            found.append(
                Dated(
                    uid=uid,
                    record=doc.id,
                    docname=docname_of(doc),
                    date=day,
                    title=f"Vereinbarung fällig: {entry.get('was')}",
                    place="",
                    description=(
                        f"Verantwortlich: {who}. Vereinbart beim Treffen „{doc.title}“"
                        + (f" der Plattform {platform.title}." if platform is not None else ".")
                    ),
                    topics=tuple(keys),
                    category="Vereinbarung",
                )
            )
    return found
