"""Open data of an edition: JSON, CSV (documented with CSVW), DCAT-AP.de, schema.org, CITATION.cff.

Everything is written into ``<edition>/daten/`` from the public records
(:mod:`.records`) – an intern record cannot appear, because it never becomes
a :class:`~.records.Record`. The files and their rules:

- ``eintraege.json`` – every public record with all fields, nested as in the
  content (lossless); ``<typ>.csv`` (``projekte.csv``, …) – one row per record of
  one type; ``eintraege.csv`` – an overview of all records.
- CSV: UTF-8 without BOM, comma, header row, CRLF, RFC 4180 quoting. Column
  order follows the schema and never changes for a given content model.
  A dot in a column name is a nested field (``ort.gemeinde``,
  ``kennzahlen.radwege_km``). Lists of values are joined with ``"; "``; a
  ``;`` or ``\\`` inside a value is escaped with ``\\``. Lists of entries with
  fields (contacts, links, …) never become JSON in a cell: each field is a column of
  its own (``kontakt.email``) holding the entries' values in order, joined like a list,
  an empty value where an entry lacks the field. Numbers use a decimal point, booleans are
  ``true``/``false``, dates ``YYYY-MM-DD``. An empty cell means "not given".
  CSV injection (OWASP): a cell that begins with ``=``, ``+``, ``-``, ``@``, TAB
  or CR – or with ``'`` itself, so that the rule can be undone exactly – gets a
  ``'`` in front, so that a spreadsheet shows it as text instead of running it
  as a formula; numbers in number columns (``-3``, ``-3.5``) stay as they are.
  A reader removes one leading ``'`` (:func:`read_csv` does).
  The columns and these cell rules live in :mod:`.cells`.
- ``csv-metadata.json`` (W3C CSV on the Web) and ``LIESMICH.md`` document every
  column; :func:`read_csv` reads a CSV back by these rules alone.
- ``dcat.jsonld``: DCAT-AP.de metadata (title, description, publisher, licence,
  political geocoding of the partners' AGS, one distribution per file).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import model
from . import records as rec
from .cells import OVERVIEW, SEPARATOR, Column, columns, row, unrow
from .manifest import dumps, write_atomic

FOLDER = "daten"
JSON_FILE = "eintraege.json"
OVERVIEW_FILE = "eintraege.csv"
CSVW_FILE = "csv-metadata.json"
README_FILE = "LIESMICH.md"
DCAT_FILE = "dcat.jsonld"
CITATION_FILE = "CITATION.cff"
#: What a deliberate test release (``regiodocs release --probe``) says on every page and in every file.
PROBE_TEXT = "Probeausgabe – nicht veröffentlichen"

#: Licence ids (SPDX) → (DCAT-AP.de licence URI, licence text URL).
LICENCES = {
    "CC-BY-4.0": ("http://dcat-ap.de/def/licenses/cc-by/4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": (
        "http://dcat-ap.de/def/licenses/cc-by-sa/4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    "CC0-1.0": (
        "http://dcat-ap.de/def/licenses/cc-zero",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    "DL-DE-BY-2.0": ("http://dcat-ap.de/def/licenses/dl-by-de/2.0", "https://www.govdata.de/dl-de/by-2-0"),
    "DL-DE-ZERO-2.0": (
        "http://dcat-ap.de/def/licenses/dl-zero-de/2.0",
        "https://www.govdata.de/dl-de/zero-2-0",
    ),
}

#: Licence ids (SPDX) → the name a reader knows.
LICENCE_NAMES = {
    "CC-BY-4.0": "CC BY 4.0",
    "CC-BY-SA-4.0": "CC BY-SA 4.0",
    "CC0-1.0": "CC0 1.0",
    "DL-DE-BY-2.0": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
    "DL-DE-ZERO-2.0": "Datenlizenz Deutschland – Zero – Version 2.0",
}

_CSVW_TYPES = {
    "text": "string", "ganzzahl": "integer", "zahl": "number", "wahrheitswert": "boolean",
    "datum": "date", "json": "json",
}  # fmt: skip
_ART_TEXT = {
    "text": "Text", "ganzzahl": "ganze Zahl", "zahl": "Zahl (Dezimalpunkt)",
    "wahrheitswert": "`true` oder `false`", "datum": "Datum JJJJ-MM-TT", "json": "JSON",
}  # fmt: skip


@dataclass
class Edition:
    """What the exports say about the edition they belong to."""

    ausgabe: str
    datum: dt.date
    netzwerk: dict[str, Any]
    partner: list[dict[str, Any]]  # name, art, ags
    handlungsfelder: list[str]  # titles, as keywords
    basis_url: str | None = None  # URL of the editions' folder, e.g. https://…/ausgaben/
    extra_downloads: list[dict[str, str]] = field(default_factory=list)  # e.g. the PDF
    probe: bool = False  # a test release: every file says PROBE_TEXT

    @property
    def titel(self) -> str:
        return f"Handbuch {self.netzwerk.get('name', '')}".strip()

    @property
    def titel_ausgabe(self) -> str:
        """``Handbuch X – Ausgabe 2026-2`` (with :data:`PROBE_TEXT` for a test release)."""
        return f"{self.titel} – Ausgabe {self.ausgabe}" + (f" – {PROBE_TEXT}" if self.probe else "")

    @property
    def edition_url(self) -> str | None:
        return f"{self.basis_url.rstrip('/')}/{self.ausgabe}/" if self.basis_url else None

    def url(self, path: str) -> str:
        """A path inside the edition as a URL (absolute when the basis URL is known)."""
        return f"{self.edition_url}{path}" if self.edition_url else path

    @property
    def lizenz(self) -> str:
        return licence_id(str(self.netzwerk.get("lizenz", "")))


def edition_info(
    content: model.Content, ausgabe: str, datum: dt.date, basis_url: str | None = None
) -> Edition:
    net = dict(content.netzwerk.data) if content.netzwerk else {}
    partner = [
        {"id": k, "name": d.title, "art": d.data.get("art"), "ags": d.data.get("ags")}
        for k, d in sorted(content.partner.items())
    ]
    fields = [str(e.get("titel", e.get("id"))) for e in content.registry("handlungsfelder")]
    return Edition(ausgabe, datum, net, partner, fields, basis_url)


def licence_id(text: str) -> str:
    """``CC BY 4.0`` / ``cc-by-4.0`` → ``CC-BY-4.0`` (SPDX); unknown texts stay as they are."""
    key = "-".join(text.replace("_", " ").split()).upper()
    for known in LICENCES:
        if key == known.upper():
            return known
    return text


# ---------------------------------------------------------------- records as data


def json_record(r: rec.Record, edition: Edition) -> dict[str, Any]:
    """A record as ``eintraege.json`` has it: id, typ, seite, the fields, beschreibung."""
    data: dict[str, Any] = {"id": r.id, "typ": r.kind, "seite": edition.url(r.url)}
    data.update(r.fields)
    if r.text:
        data["beschreibung"] = r.text
    return data


def overview_record(r: rec.Record, edition: Edition) -> dict[str, Any]:
    f = r.fields
    return {
        "id": r.id,
        "typ": r.kind,
        "titel": r.title,
        "kurzbeschreibung": f.get("kurzbeschreibung"),
        "status": f.get("status"),
        "partner": rec.partners_of(r) or None,
        "handlungsfelder": f.get("handlungsfelder"),
        "plattformen": rec.platforms_of(r) or None,
        "stand": f.get("stand"),
        "seite": edition.url(r.url),
    }


def csv_text(header: list[str], rows: list[list[str]], note: str = "") -> str:
    """RFC 4180 CSV; ``note`` (a test release's PROBE_TEXT) as a first comment line (CSVW ``#``)."""
    buffer = io.StringIO(newline="")
    if note:
        buffer.write(f"# {note}\r\n")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


# ---------------------------------------------------------------- writing


@dataclass(frozen=True)
class Download:
    titel: str
    pfad: str  # relative to the edition's root
    format: str  # CSV, JSON, …
    medientyp: str
    anzahl: int | None = None  # records in the file (None: not a table of records)

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"titel": self.titel, "pfad": self.pfad, "format": self.format,
                                "medientyp": self.medientyp}  # fmt: skip
        if self.anzahl is not None:
            data["anzahl"] = self.anzahl
        return data


def size_text(size: int) -> str:
    """``1234`` → ``1,2 KB``; ``987`` → ``987 Bytes`` (German, 1 KB = 1000 Bytes)."""
    if size < 1000:
        return "1 Byte" if size == 1 else f"{size} Bytes"
    for unit, factor in (("MB", 1_000_000), ("KB", 1000)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}".replace(".", ",")
    return f"{size} Bytes"  # pragma: no cover


def described(downloads: list[Download], root: Path, edition: Edition) -> list[dict[str, Any]]:
    """What ``daten/index.html`` shows of each file: its data plus size in bytes, licence, count.

    Keys: ``titel``, ``pfad``, ``format``, ``medientyp``, ``anzahl`` (records, or None),
    ``anzahl_text`` (``1 Eintrag``/``12 Einträge``/``""``), ``groesse`` (bytes, None if the
    file is not below ``root``), ``groesse_text``, ``lizenz`` (SPDX id), ``lizenz_url``.
    """
    out = []
    licence_url = LICENCES.get(edition.lizenz, ("", ""))[1]
    for d in downloads:
        file = root / d.pfad
        size = file.stat().st_size if file.is_file() else None
        count = d.anzahl
        out.append(
            d.to_data()
            | {
                "anzahl": count,
                "anzahl_text": "" if count is None else ("1 Eintrag" if count == 1 else f"{count} Einträge"),
                "groesse": size,
                "groesse_text": size_text(size) if size is not None else "",
                "lizenz": edition.lizenz,
                "lizenz_url": licence_url,
            }
        )
    return out


def write(target: Path, content: model.Content, edition: Edition) -> list[Download]:
    """Write ``daten/`` into the edition folder ``target``; returns what was written."""
    folder = target / FOLDER
    records = rec.records(content)
    kennzahlen = [e for e in content.registry("kennzahlen") if isinstance(e.get("id"), str)]
    downloads = []

    payload = {
        **({"hinweis": PROBE_TEXT, "probe": True} if edition.probe else {}),
        "titel": edition.titel,
        "ausgabe": edition.ausgabe,
        "datum": edition.datum.isoformat(),
        "lizenz": edition.lizenz,
        "herausgeber": edition.netzwerk.get("name", ""),
        "beschreibung_der_felder": f"{README_FILE}, {CSVW_FILE}",
        "anzahl": len(records),
        "eintraege": [json_record(r, edition) for r in records],
    }
    write_atomic(folder / JSON_FILE, dumps(payload))
    downloads.append(
        Download("Alle Einträge (JSON)", f"{FOLDER}/{JSON_FILE}", "JSON", "application/json", len(records))
    )

    tables = []
    filled = []  # the tables with their records, for the Excel variants
    overview_records = [overview_record(r, edition) for r in records]
    overview = [row(record, OVERVIEW) for record in overview_records]
    note = PROBE_TEXT if edition.probe else ""
    write_atomic(folder / OVERVIEW_FILE, csv_text([c.name for c in OVERVIEW], overview, note))
    downloads.append(
        Download(
            "Übersicht aller Einträge (CSV)", f"{FOLDER}/{OVERVIEW_FILE}", "CSV", "text/csv", len(overview)
        )
    )
    tables.append((OVERVIEW_FILE, "Übersicht aller Einträge", OVERVIEW))
    filled.append((OVERVIEW_FILE, "Übersicht", OVERVIEW, overview_records))
    for rtype in model.RECORD_TYPES:
        cols = columns(rtype.name, kennzahlen)
        of_type = [json_record(r, edition) for r in records if r.kind == rtype.name]
        name = f"{rtype.folder}.csv"
        write_atomic(folder / name, csv_text([c.name for c in cols], [row(x, cols) for x in of_type], note))
        downloads.append(
            Download(f"{rtype.plural} (CSV)", f"{FOLDER}/{name}", "CSV", "text/csv", len(of_type))
        )
        tables.append((name, rtype.plural, cols))
        filled.append((name, rtype.plural, cols, of_type))

    from . import excel  # the Excel variants of the same tables (openpyxl)

    downloads += excel.write(folder, filled, edition)

    write_atomic(folder / CSVW_FILE, dumps(csvw(tables, edition)))
    write_atomic(folder / README_FILE, readme(tables, edition, len(records)))
    downloads.append(
        Download("Beschreibung der Daten", f"{FOLDER}/{README_FILE}", "Markdown", "text/markdown")
    )
    all_downloads = downloads + [Download(**d) for d in edition.extra_downloads]
    write_atomic(folder / DCAT_FILE, dumps(dcat(edition, all_downloads, target)))
    downloads.append(
        Download("Metadaten (DCAT-AP.de)", f"{FOLDER}/{DCAT_FILE}", "JSON-LD", "application/ld+json")
    )
    return downloads


#: The CSV-injection rule in words (CSVW metadata and LIESMICH.md).
CSV_INJECTION_RULE = (
    "Schutz vor Formel-Einschleusung (CSV-Injection, nach OWASP): Beginnt eine Zelle mit `=`, "
    "`+`, `-`, `@`, einem Tabulator oder einem Wagenrücklauf (CR) – oder selbst mit `'` –, ist "
    "ihr ein Apostroph `'` vorangestellt, damit eine Tabellenkalkulation sie als Text zeigt und "
    "nicht als Formel ausführt. Zahlen in Zahlenspalten (z. B. `-3` oder `-3.5`) bleiben, wie "
    "sie sind. Wer die Daten einliest, entfernt genau ein führendes `'`."
)


def csvw(tables: list[tuple[str, str, list[Column]]], edition: Edition) -> dict[str, Any]:
    """W3C CSV on the Web metadata for the CSV files."""
    return {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "de"}],
        "dc:title": edition.titel_ausgabe,
        "dc:license": {"@id": LICENCES.get(edition.lizenz, ("", edition.lizenz))[1] or edition.lizenz},
        "dialect": {
            "encoding": "utf-8",
            "delimiter": ",",
            "header": True,
            "lineTerminators": ["\r\n"],
            "commentPrefix": "#",
        },
        "dc:description": CSV_INJECTION_RULE,
        "tables": [
            {
                "url": name,
                "dc:title": title,
                "tableSchema": {
                    "primaryKey": "id",
                    "columns": [_csvw_column(c) for c in cols],
                },
            }
            for name, title, cols in tables
        ],
    }


def _csvw_column(col: Column) -> dict[str, Any]:
    data: dict[str, Any] = {"name": col.name, "titles": col.titel, "datatype": _CSVW_TYPES[col.art]}
    if col.liste:
        data["separator"] = SEPARATOR
    if col.eintraege:
        data["dc:isPartOf"] = col.path[0]  # one field of the list of entries named so
    if col.beschreibung:
        data["dc:description"] = col.beschreibung
    if col.name == "id":
        data["required"] = True
    return data


def csvw_columns(table: dict[str, Any]) -> list[Column]:
    """The columns of one table of ``csv-metadata.json``."""
    arts = {v: k for k, v in _CSVW_TYPES.items()}
    return [
        Column(
            c["name"], c["titles"], arts[c["datatype"]], liste="separator" in c, eintraege="dc:isPartOf" in c
        )
        for c in table["tableSchema"]["columns"]
    ]


def read_csv(path: Path, metadata: Path | None = None) -> list[dict[str, Any]]:
    """Read a CSV export back into records, using only its CSVW description."""
    meta = json.loads((metadata or path.with_name(CSVW_FILE)).read_text(encoding="utf-8"))
    table = next(t for t in meta["tables"] if t["url"] == path.name)
    cols = csvw_columns(table)
    with path.open(encoding="utf-8", newline="") as handle:
        text = handle.read()
    lines = text.splitlines(keepends=True)
    while lines and lines[0].startswith("#"):  # a comment line (a test release's note)
        lines.pop(0)
    return [unrow(cells, cols) for cells in csv.DictReader(io.StringIO("".join(lines), newline=""))]


def read_json(path: Path) -> list[dict[str, Any]]:
    return list(json.loads(path.read_text(encoding="utf-8"))["eintraege"])


def _public_count(count: int) -> str:
    return "1 öffentlicher Eintrag" if count == 1 else f"{count} öffentliche Einträge"


def readme(tables: list[tuple[str, str, list[Column]]], edition: Edition, count: int) -> str:
    lines = [
        f"# Offene Daten: {edition.titel}, Ausgabe {edition.ausgabe}",
        "",
        *([f"**{PROBE_TEXT}.** Diese Dateien stammen aus einer Probeausgabe.", ""] if edition.probe else []),
        f"Stand: {edition.datum.strftime('%d.%m.%Y')}. {_public_count(count)}. "
        f"Lizenz: {edition.lizenz or 'siehe Impressum'}. Herausgeber: {edition.netzwerk.get('name', '')}.",
        "",
        "Interne Einträge sind nicht enthalten. Die Dateien einer Ausgabe ändern sich nie;",
        "jede neue Ausgabe steht in einem eigenen Ordner.",
        "",
        "## Dateien",
        "",
        f"- `{JSON_FILE}`: alle Einträge mit allen Feldern, verschachtelt wie im Handbuch (verlustfrei).",
        f"- `{OVERVIEW_FILE}`: eine Zeile je Eintrag, die wichtigsten Felder aller Typen.",
        "- `<typ>.csv`: eine Zeile je Eintrag eines Typs, alle Felder.",
        f"- `{CSVW_FILE}`: Beschreibung der CSV-Dateien nach W3C „CSV on the Web“.",
        f"- `{DCAT_FILE}`: Metadaten nach DCAT-AP.de (JSON-LD).",
        "",
        "## Regeln der CSV-Dateien",
        "",
        "- Zeichensatz UTF-8 (ohne BOM), Trennzeichen Komma, erste Zeile mit Spaltennamen,",
        "  Zeilenende CRLF, Anführungszeichen nach RFC 4180.",
        "- Die Reihenfolge der Spalten folgt dem Inhaltsmodell und bleibt zwischen Ausgaben gleich.",
        "- Ein Punkt im Spaltennamen bezeichnet ein Unterfeld (`ort.gemeinde`, `kennzahlen.radwege_km`).",
        f"- Listen von Werten sind mit `{SEPARATOR}` verbunden; ein `;` oder `\\` in einem Wert ist",
        "  mit `\\` maskiert (`\\;`, `\\\\`).",
        "- Listen von Angaben mit mehreren Feldern (Kontakt, Links, Dokumente, Förderung, …): jedes Feld",
        "  hat eine eigene Spalte (`kontakt.organisation`, `kontakt.email`, …) mit den Werten aller",
        "  Angaben in derselben Reihenfolge, verbunden wie eine Liste; fehlt einer Angabe das Feld, ist",
        "  ihr Wert leer (z. B. `; 02131 90-0`: die erste Angabe hat kein Telefon). Kein JSON in Zellen.",
        "- Zahlen mit Dezimalpunkt, Wahrheitswerte als `true`/`false`, Daten als JJJJ-MM-TT.",
        "- Eine leere Zelle bedeutet: nicht angegeben.",
        f"- {CSV_INJECTION_RULE}",
        "",
    ]
    for name, title, cols in tables:
        lines += [
            f"## `{name}` – {title}",
            "",
            "| Spalte | Bezeichnung | Art | Beschreibung |",
            "|---|---|---|---|",
        ]
        for c in cols:
            art = _ART_TEXT[c.art] + (" (Liste)" if c.liste else "")
            text = " ".join(c.beschreibung.split()).replace("|", "\\|")
            lines.append(f"| `{c.name}` | {c.titel} | {art} | {text} |")
        lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------- metadata


def geocoding(partner: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(politicalGeocodingURI, level URI) for each partner with an AGS."""
    base = "http://dcat-ap.de/def/politicalGeocoding/"
    result = []
    for p in partner:
        ags = str(p.get("ags") or "").strip()
        if not ags.isdigit():
            continue
        if p.get("art") == "kreis" or len(ags) == 5:
            result.append((f"{base}districtKey/{ags[:5]}", f"{base}Level/administrativeDistrict"))
        elif len(ags) == 8:
            result.append((f"{base}municipalityKey/{ags}", f"{base}Level/municipality"))
    return result


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def dcat(edition: Edition, downloads: list[Download], target: Path) -> dict[str, Any]:
    """DCAT-AP.de metadata of the edition's data (JSON-LD)."""
    net = edition.netzwerk
    licence = LICENCES.get(edition.lizenz, (edition.lizenz, ""))[0]
    geo = geocoding(edition.partner)
    lang = {"@id": "http://publications.europa.eu/resource/authority/language/DEU"}
    publisher: dict[str, Any] = {"@type": "foaf:Organization", "foaf:name": net.get("name", "")}
    if net.get("website"):
        publisher["foaf:homepage"] = {"@id": net["website"]}
    formats = {
        "CSV": "CSV",
        "JSON": "JSON",
        "JSON-LD": "JSON_LD",
        "PDF": "PDF",
        "Markdown": "TXT",
        "XLSX": "XLSX",
        "Atom": "ATOM",
        "iCalendar": "ICS",
    }
    distributions = []
    for d in downloads:
        file = target / d.pfad
        # relative to daten/dcat.jsonld when no basis URL is known
        url = edition.url(d.pfad) if edition.basis_url else _relative(d.pfad)
        dist: dict[str, Any] = {
            "@type": "dcat:Distribution",
            "dct:title": d.titel,
            "dcat:accessURL": {"@id": url},
            "dcat:downloadURL": {"@id": url},
            "dct:format": {
                "@id": "http://publications.europa.eu/resource/authority/file-type/"
                + formats.get(d.format, "BIN")
            },
            "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/{d.medientyp}"},
            "dct:license": {"@id": licence},
        }
        if file.is_file():
            dist["dcat:byteSize"] = {"@value": str(file.stat().st_size), "@type": "xsd:decimal"}
            dist["spdx:checksum"] = {
                "@type": "spdx:Checksum",
                "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
                "spdx:checksumValue": _sha256(file),
            }
        distributions.append(dist)
    data: dict[str, Any] = {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "dcatde": "http://dcat-ap.de/def/dcatde/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "owl": "http://www.w3.org/2002/07/owl#",
            "spdx": "http://spdx.org/rdf/terms#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": edition.url(f"{FOLDER}/{DCAT_FILE}#datensatz") if edition.basis_url else "#datensatz",
        "@type": "dcat:Dataset",
        "dct:title": {"@value": edition.titel_ausgabe, "@language": "de"},
        "dct:description": {
            "@value": (f"{PROBE_TEXT}. " if edition.probe else "")
            + " ".join(str(net.get("kurzbeschreibung", "")).split()),
            "@language": "de",
        },
        "dct:publisher": publisher,
        "dct:license": {"@id": licence},
        "dct:issued": {"@value": edition.datum.isoformat(), "@type": "xsd:date"},
        "owl:versionInfo": edition.ausgabe,
        "dct:language": lang,
        "dcat:theme": [{"@id": "http://publications.europa.eu/resource/authority/data-theme/REGI"}],
        "dcat:keyword": edition.handlungsfelder,
        "dcatde:politicalGeocodingURI": [{"@id": uri} for uri, _l in geo],
        "dcatde:politicalGeocodingLevelURI": [{"@id": level} for level in sorted({lvl for _u, lvl in geo})],
        "dct:spatial": [{"@id": uri} for uri, _l in geo],
        "dcatde:geocodingDescription": {
            "@value": ", ".join(str(p["name"]) for p in edition.partner),
            "@language": "de",
        },
        "dcat:distribution": distributions,
    }
    if edition.edition_url:
        data["dcat:landingPage"] = {"@id": edition.edition_url}
    return data


def _relative(path: str) -> str:
    """A path inside the edition, relative to ``daten/``."""
    return path.removeprefix(f"{FOLDER}/") if path.startswith(f"{FOLDER}/") else f"../{path}"


def schema_org(edition: Edition, downloads: list[Download]) -> dict[str, Any]:
    """schema.org ``Dataset`` for the edition's start page (JSON-LD)."""
    net = edition.netzwerk
    organisation: dict[str, Any] = {"@type": "Organization", "name": net.get("name", "")}
    if net.get("website"):
        organisation["url"] = net["website"]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": f"{edition.titel} – Ausgabe {edition.ausgabe}",
        "description": " ".join(str(net.get("kurzbeschreibung", "")).split()),
        "version": edition.ausgabe,
        "datePublished": edition.datum.isoformat(),
        "inLanguage": "de",
        "isAccessibleForFree": True,
        "license": LICENCES.get(edition.lizenz, ("", edition.lizenz))[1] or edition.lizenz,
        "publisher": organisation,
        "creator": organisation,
        "keywords": edition.handlungsfelder,
        "spatialCoverage": [
            {
                "@type": "AdministrativeArea",
                "name": p["name"],
                **(
                    {"identifier": {"@type": "PropertyValue", "propertyID": "AGS", "value": str(p["ags"])}}
                    if p.get("ags")
                    else {}
                ),
            }
            for p in edition.partner
        ],
        "distribution": [
            {
                "@type": "DataDownload",
                "name": d.titel,
                "encodingFormat": d.medientyp,
                "contentUrl": edition.url(d.pfad),
            }
            for d in downloads
        ],
    }
    if edition.edition_url:
        data["url"] = edition.edition_url
    return data


def citation(edition: Edition) -> str:
    """``CITATION.cff`` (Citation File Format 1.2.0) for the edition."""
    net = edition.netzwerk

    def q(text: object) -> str:  # a JSON string is a valid YAML scalar
        return json.dumps(str(text), ensure_ascii=False)

    lines = [
        "# Zitierangaben dieser Ausgabe (Citation File Format, https://citation-file-format.github.io)",
        "cff-version: 1.2.0",
        f"message: {q('Bitte zitieren Sie diese Ausgabe des Handbuchs mit den folgenden Angaben.')}",
        "type: dataset",
        f"title: {q(edition.titel_ausgabe)}",
        f"version: {q(edition.ausgabe)}",
        f"date-released: {q(edition.datum.isoformat())}",
        "authors:",
        f"  - name: {q(net.get('name', ''))}",
    ]
    if net.get("website"):
        lines.append(f"    website: {q(net['website'])}")
    if edition.lizenz in LICENCES:
        lines.append(f"license: {q(edition.lizenz)}")
    if net.get("kurzbeschreibung"):
        lines.append(f"abstract: {q(' '.join(str(net['kurzbeschreibung']).split()))}")
    if edition.handlungsfelder:
        lines.append("keywords:")
        lines += [f"  - {q(k)}" for k in edition.handlungsfelder]
    if edition.edition_url:
        lines.append(f"url: {q(edition.edition_url)}")
    return "\n".join(lines) + "\n"
