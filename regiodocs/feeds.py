"""Atom feeds (RFC 4287) of an edition, written with feedgen: one per :class:`~regiodocs.topics.Topic`.

Each entry is one record: its title, its Kurzbeschreibung as the summary, what changed as the
content ("Neu in Ausgabe 2026-1", "Geändert in Ausgabe 2026-2: Status: Planung → Umsetzung")
and a link to its page. The entry's id is derived from the network's name and the record's id
(:func:`entry_id`), never from the build: a record changed in a later edition keeps its id and
gets a new ``updated``, so feed readers update the entry instead of adding one.

Dates come from the editions, never from the clock: a release passes in each record's history
(:mod:`regiodocs.editions.news`, from the editions' manifests): ``published`` is the
``SOURCE_DATE_EPOCH`` of the edition that added the record, ``updated`` that of the edition
that last changed it, the feed's ``updated`` that of this edition. Without a history (a build
that is no release, the internal edition) a record's ``updated`` is its ``stand`` (midnight UTC)
and the feed's is ``SOURCE_DATE_EPOCH`` or midnight of the build date. Entries are ordered by
``updated`` (newest first), then id: the same content, date and epoch give byte-identical files.

Every value passes through feedgen (lxml escapes it); the only links are the handbook's own
pages, relative to the feed or absolute below the edition's https/http address.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from feedgen.feed import FeedGenerator

from . import model, topics
from .templating import date_de

_NAMESPACE = uuid.UUID("6f1d3c2a-8e47-5b9a-a0c1-2d4e6f8a9b10")  # regiodocs' own, fixed forever
GENERATOR = "regiodocs"


@dataclass(frozen=True)
class Entry:
    id: str  # urn:uuid:…, from the network's name and the record's id
    record: str
    title: str
    summary: str
    change: str
    docname: str
    published: dt.datetime
    updated: dt.datetime
    category: str
    topics: tuple[str, ...]


def entry_id(network: str, record: str) -> str:
    """A record's entry id: the same in every edition and every feed it appears in."""
    return uuid.uuid5(_NAMESPACE, f"{network}/eintrag/{record}").urn


def feed_id(network: str, topic: str, intern: bool) -> str:
    return uuid.uuid5(_NAMESPACE, f"{network}/{'intern' if intern else 'feed'}/{topic}").urn


def at_epoch(epoch: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC)


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _stand(doc: model.Document, fallback: dt.datetime) -> dt.datetime:
    try:
        return midnight(dt.date.fromisoformat(str(doc.data.get("stand"))))
    except ValueError:
        return fallback


def entries(
    content: model.Content,
    history: Mapping[str, Any] | None,
    *,
    docname_of: topics.DocnameOf,
    fallback: dt.datetime,
) -> list[Entry]:
    """One entry per visible record, newest first (see the module docstring for the dates)."""
    network = _network(content)
    known = (history or {}).get("eintraege") or {}
    found = []
    for doc in content.records.values():
        rtype = doc.record_type
        if rtype is None:
            continue
        past = known.get(doc.id)
        if past:
            published, updated = at_epoch(past["neu_epoch"]), at_epoch(past["epoch"])
            change = str(past.get("aenderung") or "")
        else:
            published = updated = _stand(doc, fallback)
            change = f"Stand des Eintrags: {date_de(doc.data.get('stand'))}"
        found.append(
            Entry(
                id=entry_id(network, doc.id),
                record=doc.id,
                title=doc.title,
                summary=str(doc.data.get("kurzbeschreibung") or ""),
                change=change,
                docname=docname_of(doc),
                published=published,
                updated=updated,
                category=rtype.label,
                topics=topics.record_topics(doc, content),
            )
        )
    return sorted(found, key=lambda e: (-e.updated.timestamp(), e.id))


def _network(content: model.Content) -> str:
    return str((content.netzwerk.data if content.netzwerk else {}).get("name") or "Handbuch")


def atom(
    topic: topics.Topic,
    items: list[Entry],
    *,
    content: model.Content,
    updated: dt.datetime,
    base: str | None,
    intern: bool,
    subscribe: str | None = None,
) -> bytes:
    """The Atom feed of one topic (``items`` already in feed order)."""
    network = _network(content)
    fg = FeedGenerator()
    fg.id(feed_id(network, topic.key, intern))
    edition = " (interne Ausgabe, nicht zur Weitergabe)" if intern else ""
    fg.title(f"Neuigkeiten: {topic.title} – Handbuch {network}{edition}")
    fg.subtitle(f"Neue und geänderte Einträge im Handbuch {network}{edition}")
    fg.author({"name": network})
    fg.language("de")
    fg.generator(GENERATOR)
    licence = (content.netzwerk.data if content.netzwerk else {}).get("lizenz")
    if licence:
        fg.rights(str(licence))
    if base:
        fg.link(
            href=f"{(subscribe or base).rstrip('/')}/{topic.feed_path}", rel="self", type=topics.FEED_TYPE
        )
        fg.link(href=f"{base.rstrip('/')}/index.html", rel="alternate", type="text/html")
    else:
        fg.link(href="../index.html", rel="alternate", type="text/html")
    fg.updated(updated)
    for item in items:
        fe = fg.add_entry(order="append")
        fe.id(item.id)
        fe.title(item.title)
        fe.link(href=topics.page_link(item.docname, base), rel="alternate", type="text/html")
        fe.published(item.published)
        fe.updated(item.updated)
        if item.summary:
            fe.summary(item.summary)
        fe.content(item.change, type="text")
        fe.category(term=item.category)
    return fg.atom_str(pretty=True, encoding="UTF-8")


def feeds(
    content: model.Content,
    history: Mapping[str, Any] | None,
    *,
    docname_of: topics.DocnameOf,
    epoch: int,
    intern: bool,
) -> dict[str, bytes]:
    """Every topic's feed, by its path below the site's root."""
    fallback = at_epoch(epoch)
    base = topics.safe_base((history or {}).get("basis_url"))
    subscribe = topics.safe_base((history or {}).get("abo_url"))
    updated = at_epoch(epoch)  # the caller's: the release's epoch, else the build's
    items = entries(content, history, docname_of=docname_of, fallback=fallback)
    return {
        topic.feed_path: atom(
            topic,
            [e for e in items if topic.key in e.topics],
            content=content,
            updated=updated,
            base=base,
            intern=intern,
            subscribe=subscribe,
        )
        for topic in topics.topics(content)
    }
