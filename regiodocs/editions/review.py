"""The review report for the Geschäftsstelle (``regiodocs bericht``; a page of the internal edition).

It lists what needs attention, across all records including intern ones:

- records whose ``stand`` is older than twelve months,
- overdue agreements (``vereinbarungen`` with ``bis`` before today, not ``erledigt``),
  by platform and by responsible partner,
- records without a functional contact (a ``kontakt`` entry with ``funktion`` and
  e-mail or telephone – a personal name alone leaves with the person),
- external links: ``kaputt`` when the server answers with an error such as 404,
  ``nicht prüfbar`` when it cannot be reached (no network, unknown host, timeout,
  access refused, server error): the report never calls a link broken because
  the network is down.

The link check is optional (it needs the network); everything else is a pure
function of the content and the date.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import http.client
import socket
import ssl
import urllib.error
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .. import __version__, model, schema, site
from ..templating import date_de

MONTHS = 12
OK, BROKEN, UNCHECKABLE = "ok", "kaputt", "nicht prüfbar"
USER_AGENT = f"regiodocs-linkpruefung/{__version__} (+Handbuch-Prüfbericht)"


@dataclass
class Report:
    heute: str
    stichtag: str  # a record is old when its stand lies before this date
    veraltet: list[dict[str, Any]] = field(default_factory=list)
    vereinbarungen: list[dict[str, Any]] = field(default_factory=list)
    ohne_kontakt: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] | None = None  # None: not checked

    def to_data(self) -> dict[str, Any]:
        by_platform: dict[str, list[dict[str, Any]]] = defaultdict(list)
        by_partner: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for a in self.vereinbarungen:
            by_platform[a["plattform"]].append(a)
            by_partner[a["wer"]].append(a)
        links = self.links
        return {
            "heute": self.heute,
            "stichtag": self.stichtag,
            "monate": MONTHS,
            "veraltet": self.veraltet,
            "vereinbarungen": self.vereinbarungen,
            "nach_plattform": [
                {"id": k, "name": v[0]["plattform_name"], "vereinbarungen": v}
                for k, v in sorted(by_platform.items())
            ],
            "nach_partner": [
                {"id": k, "name": v[0]["wer_name"], "vereinbarungen": v}
                for k, v in sorted(by_partner.items(), key=lambda i: i[1][0]["wer_name"].lower())
            ],
            "ohne_kontakt": self.ohne_kontakt,
            "links": links,
            "links_geprueft": links is not None,
            "links_kaputt": [entry for entry in links or [] if entry["status"] == BROKEN],
            "links_nicht_pruefbar": [entry for entry in links or [] if entry["status"] == UNCHECKABLE],
            "anzahl": {
                "veraltet": len(self.veraltet),
                "vereinbarungen": len(self.vereinbarungen),
                "ohne_kontakt": len(self.ohne_kontakt),
                "links": len(links or []),
                "links_kaputt": sum(1 for e in links or [] if e["status"] == BROKEN),
                "links_nicht_pruefbar": sum(1 for e in links or [] if e["status"] == UNCHECKABLE),
            },
        }


def months_before(day: dt.date, months: int) -> dt.date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _months_between(earlier: dt.date, later: dt.date) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (1 if later.day < earlier.day else 0)


def review(content: model.Content, *, today: dt.date, links: bool = False, timeout: float = 10.0) -> Report:
    """The review report of ``content`` (all records, including intern ones) on ``today``."""
    cutoff = months_before(today, MONTHS)
    report = Report(heute=today.isoformat(), stichtag=cutoff.isoformat())
    partners = {k: d.title for k, d in content.partner.items()}
    platforms = {k: d.title for k, d in content.plattformen.items()}
    docs = sorted(content.records.values(), key=lambda d: (d.kind, d.id))

    for doc in docs:
        stand = doc.data.get("stand")
        try:
            day = dt.date.fromisoformat(str(stand))
        except ValueError:
            continue
        if day < cutoff:
            report.veraltet.append(
                _entry(doc, partners) | {"stand": stand, "monate": _months_between(day, today)}
            )
    report.veraltet.sort(key=lambda e: (e["stand"], e["id"]))

    responsible = _responsible_field()
    for doc in docs:
        if doc.kind != "ergebnis":
            continue
        for index, agreement in enumerate(doc.data.get("vereinbarungen") or []):
            if not model.overdue(agreement, today):
                continue
            bis = agreement["bis"]
            who = str(agreement.get("wer", ""))
            platform = str(doc.data.get("plattform", doc.group or ""))
            report.vereinbarungen.append(
                _entry(doc, partners)
                | {
                    "nummer": index + 1,
                    "was": agreement.get("was", ""),
                    "wer": who,
                    "wer_name": partners.get(who, responsible.label(who)),
                    "bis": bis,
                    "tage": (today - dt.date.fromisoformat(bis)).days,
                    "plattform": platform,
                    "plattform_name": platforms.get(platform, platform),
                }
            )
    report.vereinbarungen.sort(key=lambda a: (a["bis"], a["plattform"], a["id"], a["nummer"]))

    for doc in docs:
        if schema.field(doc.kind, "kontakt") is None:
            continue
        contacts = [k for k in doc.data.get("kontakt") or [] if isinstance(k, dict)]
        if any(_functional(k) for k in contacts):
            continue
        if not contacts:
            reason = "kein Kontakt angegeben"
        elif not any(k.get("email") or k.get("telefon") for k in contacts):
            reason = "kein Kontakt mit E-Mail oder Telefon"
        elif any(k.get("name") for k in contacts):
            reason = "nur persönliche Kontakte, keine Funktion angegeben"
        else:
            reason = "keine Funktion angegeben (z. B. „Projektleitung“)"
        report.ohne_kontakt.append(_entry(doc, partners) | {"grund": reason})

    if links:
        report.links = check_links(collect_links(content), timeout=timeout)
    return report


def _responsible_field() -> schema.Field:
    """``vereinbarungen[].wer``: a partner id or a value the schema allows besides (with its label)."""
    agreements = schema.field("ergebnis", "vereinbarungen")
    found = agreements.items.child("wer") if agreements and agreements.items else None
    return found or schema.UNKNOWN


def _functional(contact: dict[str, Any]) -> bool:
    return bool(contact.get("funktion")) and bool(contact.get("email") or contact.get("telefon"))


def _entry(doc: model.Document, partners: dict[str, str]) -> dict[str, Any]:
    rtype = doc.record_type
    assert rtype is not None
    d = doc.data
    responsible = [
        p
        for p in [d.get("federfuehrung"), *(d.get("partner") or []), d.get("gastgeber")]
        if isinstance(p, str) and p in partners
    ]
    return {
        "id": doc.id,
        "titel": doc.title,
        "typ_label": rtype.label,
        "docname": site.record_docname(doc),
        "datei": doc.path,
        "intern": not doc.public,
        "verantwortlich": [partners[p] for p in dict.fromkeys(responsible)],
    }


# ---------------------------------------------------------------- links


def collect_links(content: model.Content) -> dict[str, list[dict[str, str]]]:
    """Every external URL in the content (``format: http-url``) with where it is used."""
    found: dict[str, list[dict[str, str]]] = defaultdict(list)
    for doc in content.documents():
        if doc.kind == "seite":
            continue
        for _path, node, value, _key in schema.annotated(doc.kind, doc.data, "format"):
            if node.get("format") != "http-url" or not isinstance(value, str):
                continue
            where = {"id": doc.id, "titel": doc.title, "datei": doc.path}
            if where not in found[value]:
                found[value].append(where)
    return dict(sorted(found.items()))


def check_links(
    links: dict[str, list[dict[str, str]]], *, timeout: float = 10.0, workers: int = 8
) -> list[dict[str, Any]]:
    """Check each URL once (HEAD, then GET if the server refuses HEAD)."""
    urls = list(links)
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, min(workers, len(urls) or 1))) as pool:
        results = list(pool.map(lambda u: check_link(u, timeout=timeout), urls))
    return [
        {"url": url, "status": status, "detail": detail, "eintraege": links[url]}
        for url, (status, detail) in zip(urls, results, strict=True)
    ]


def check_link(url: str, *, timeout: float = 10.0) -> tuple[str, str]:
    """``(status, detail)`` for one URL; status is ``ok``, ``kaputt`` or ``nicht prüfbar``."""
    code = None
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return OK, f"HTTP {response.status}"
        except urllib.error.HTTPError as err:
            code = err.code
            err.close()
        except (TimeoutError, urllib.error.URLError, ssl.SSLError, http.client.HTTPException, OSError) as err:
            return UNCHECKABLE, _network_reason(err)
        except ValueError as err:  # a URL urllib cannot parse
            return BROKEN, f"ungültige Adresse ({err})"
    assert code is not None
    if code in (401, 403):
        return UNCHECKABLE, f"HTTP {code}: Zugriff verweigert"
    if code in (408, 429) or code >= 500:
        return UNCHECKABLE, f"HTTP {code}: Server vorübergehend nicht erreichbar"
    return BROKEN, f"HTTP {code}"


def _network_reason(err: BaseException) -> str:
    reason = getattr(err, "reason", err)
    if isinstance(reason, socket.gaierror):
        return "Adresse nicht auflösbar (kein Netz oder unbekannter Server)"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "Zeitüberschreitung"
    if isinstance(reason, ConnectionRefusedError):
        return "Verbindung abgelehnt"
    if isinstance(reason, ssl.SSLError):
        return f"TLS-Fehler ({reason.reason or reason})"
    return f"Netzwerkfehler ({reason})"


# ---------------------------------------------------------------- text


def render_text(data: dict[str, Any]) -> str:
    """The report for the terminal (``regiodocs bericht``)."""
    lines = [f"Prüfbericht vom {date_de(data['heute'])}", ""]
    old = data["veraltet"]
    cutoff, months = date_de(data["stichtag"]), data["monate"]
    lines.append(f"Einträge mit Stand vor dem {cutoff} (älter als {months} Monate): {len(old)}")
    for e in old:
        age = f"Stand {date_de(e['stand'])} ({e['monate']} Monate)"
        lines.append(f"  {e['datei']}: {e['typ_label']} „{e['titel']}“ – {age}")
    lines.append("")
    lines.append(f"Überfällige Vereinbarungen: {len(data['vereinbarungen'])}")
    for group in data["nach_plattform"]:
        lines.append(f"  Plattform {group['name']}:")
        for a in group["vereinbarungen"]:
            lines.append(
                f"    {a['was']} – {a['wer_name']}, fällig {date_de(a['bis'])} ({a['tage']} Tage überfällig)"
            )
    for group in data["nach_partner"]:
        lines.append(f"  {group['name']}: {len(group['vereinbarungen'])} überfällig")
    lines.append("")
    lines.append(f"Einträge ohne Funktionskontakt: {len(data['ohne_kontakt'])}")
    for e in data["ohne_kontakt"]:
        lines.append(f"  {e['datei']}: {e['typ_label']} „{e['titel']}“ – {e['grund']}")
    lines.append("")
    if not data["links_geprueft"]:
        lines.append("Externe Links: nicht geprüft (ohne --ohne-links aufrufen).")
    else:
        n = data["anzahl"]
        lines.append(
            f"Externe Links: {n['links']} geprüft, {n['links_kaputt']} kaputt, "
            f"{n['links_nicht_pruefbar']} nicht prüfbar"
        )
        for entry in data["links_kaputt"] + data["links_nicht_pruefbar"]:
            where = ", ".join(e["datei"] for e in entry["eintraege"])
            lines.append(f"  {entry['status']}: {entry['url']} ({entry['detail']}) – in {where}")
    return "\n".join(lines) + "\n"


def problems(data: dict[str, Any]) -> int:
    """How many findings the report has (broken links count, uncheckable ones do not)."""
    n = data["anzahl"]
    return n["veraltet"] + n["vereinbarungen"] + n["ohne_kontakt"] + n["links_kaputt"]
