"""Calendars (iCalendar, RFC 5545) of an edition, written with the ``icalendar`` library.

One subscription calendar per :class:`~regiodocs.topics.Topic` that has dates
(``abonnieren/<key>.ics``) and one file per item (``kalender/<uid>.ics``, the "In den
Kalender" link): events, funding deadlines and – in the internal edition only – open
agreements with their ``bis`` date and who is responsible. Items are all-day events
(``DTSTART;VALUE=DATE``); their ``UID`` is the item's stable uid (:mod:`regiodocs.topics`)
and the network, so a re-published calendar updates its events. ``DTSTAMP`` is the build's
``SOURCE_DATE_EPOCH`` (a release's, or midnight of the build date): the same content, date and
epoch give byte-identical files. Every value passes through icalendar (escaped, folded); the
only link (``URL``) is the item's page in the handbook, and only when the edition's https/http
address is known.
"""

from __future__ import annotations

import datetime as dt

import icalendar

from . import model, topics

PRODUCT = "-//regiodocs//Handbuch//DE"


def _network(content: model.Content) -> str:
    return str((content.netzwerk.data if content.netzwerk else {}).get("name") or "Handbuch")


def _domain(content: model.Content) -> str:
    """The right-hand side of every UID: the network's name as a slug."""
    name = _network(content).lower()
    slug = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in name).strip("-")
    return "-".join(part for part in slug.split("-") if part) or "handbuch"


def uid(item: topics.Dated, content: model.Content) -> str:
    return f"{item.uid}@{_domain(content)}.regiodocs"


def event(
    item: topics.Dated, *, content: model.Content, stamp: dt.datetime, base: str | None
) -> icalendar.Event:
    ev = icalendar.Event()
    ev.add("uid", uid(item, content))
    ev.add("dtstamp", stamp)
    ev.add("dtstart", item.date)
    if item.date < dt.date.max:  # without DTEND an all-day event lasts its day (RFC 5545 3.6.1)
        ev.add("dtend", item.date + dt.timedelta(days=1))
    ev.add("summary", item.title)
    if item.place:
        ev.add("location", item.place)
    description = item.description
    if base:
        ev.add("url", topics.page_link(item.docname, base))
    else:
        description += f"\nIm Handbuch: {item.docname}.html"
    ev.add("description", description)
    ev.add("categories", [item.category])
    ev.add("transp", "TRANSPARENT")  # a date to know, not time that is taken
    return ev


def calendar(
    name: str,
    items: list[topics.Dated],
    *,
    content: model.Content,
    stamp: dt.datetime,
    base: str | None,
) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODUCT)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # TEXT values (escaped: line breaks, ";", ","); icalendar would write these unknown names raw
    cal.add("name", icalendar.vText(name))
    cal.add("x-wr-calname", icalendar.vText(name))
    for item in items:
        cal.add_component(event(item, content=content, stamp=stamp, base=base))
    return cal.to_ical()


def calendars(
    content: model.Content,
    items: list[topics.Dated],
    *,
    epoch: int,
    base: str | None,
    intern: bool,
) -> dict[str, bytes]:
    """Every calendar file by its path: one per topic with dates, one per item."""
    stamp = dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    network = _network(content)
    where = f"{network} (intern)" if intern else network
    files = {}
    for topic in topics.topics(content):
        found = [i for i in items if topic.key in i.topics]
        if found:
            name = f"Termine: {topic.title} – {where}"
            files[topic.calendar_path] = calendar(name, found, content=content, stamp=stamp, base=base)
    for item in items:
        files[item.path] = calendar(
            f"{item.title} – {where}", [item], content=content, stamp=stamp, base=base
        )
    return files
