"""The columns and cells of an edition's tables: the CSV rules (see :mod:`.exports`) in one place.

A :class:`Column` per field of a record type (nested fields and lists of entries as columns of
their own, from the schema's field model), and how a value becomes a cell and back: lists joined
with :data:`SEPARATOR`, ``;`` and ``\\`` escaped, formulas neutralised with :data:`QUOTE`
(OWASP, CSV injection). The UTF-8 CSVs (:mod:`.exports`) and the Excel variants (:mod:`.excel`)
write their cells with these functions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .. import model, schema
from . import records as rec

SEPARATOR = "; "
#: A cell beginning with one of these is a formula to a spreadsheet (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: What neutralises it: a leading apostrophe (also put before a cell that begins with one).
QUOTE = "'"
_NUMBER_ARTS = ("ganzzahl", "zahl")


@dataclass(frozen=True)
class Column:
    name: str  # header; a dot marks a nested field
    titel: str  # German
    art: str  # text | ganzzahl | zahl | wahrheitswert | datum | json
    beschreibung: str = ""
    liste: bool = False  # values joined with SEPARATOR
    eintraege: bool = False  # one field of a list of entries: path[0] the list, path[1] the field

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.name.split("."))


# ---------------------------------------------------------------- columns


def columns(kind: str, kennzahlen: list[dict[str, Any]]) -> list[Column]:
    """The CSV columns of a record type, in schema order (``kennzahlen``: the registry)."""
    cols = [
        Column("id", "Kennung", "text", "Eindeutige Kennung des Eintrags (Dateiname)."),
        Column("seite", "Seite", "text", "Adresse der Seite des Eintrags in dieser Ausgabe."),
    ]
    for f in schema.fields(kind):
        if f.name in rec.HIDDEN_FIELDS:
            continue
        if f.name == "kennzahlen":
            for k in kennzahlen:
                unit = f" ({k.get('einheit')})" if k.get("einheit") else ""
                cols.append(
                    Column(
                        f"kennzahlen.{k['id']}",
                        f"Kennzahl: {k.get('titel', k['id'])}{unit}",
                        "zahl",
                        f"Wert der Kennzahl `{k['id']}`.",
                    )
                )
        elif f.properties and "object" in f.types:
            for sub in f.properties:
                cols.append(_column(f"{f.name}.{sub.name}", f"{f.title}: {sub.title}", sub))
        else:
            cols += _columns(f.name, f.title, f)
    cols.append(Column("beschreibung", "Beschreibung", "text", "Ausführlicher Text in Markdown."))
    return cols


def _scalar_art(f: schema.Field) -> str:
    if f.types == ("boolean",):
        return "wahrheitswert"
    if f.types == ("integer",):
        return "ganzzahl"
    if f.types == ("number",):
        return "zahl"
    if f.types == ("string",) and f.format == "date":
        return "datum"
    return "text"  # also ["string", "integer"]: years, normalised to text


def _columns(name: str, title: str, f: schema.Field) -> list[Column]:
    """The columns of one field: one for a value or a list of values, one per field of a list
    of entries (contacts: ``kontakt.organisation``, ``kontakt.email``, …)."""
    item = f.items or schema.UNKNOWN
    if "array" in f.types and not f.tuple_items and ("object" in item.types or item.properties):
        return [
            Column(
                f"{name}.{sub.name}",
                f"{title}: {sub.title}",
                _scalar_art(sub),
                f"{sub.description} Je {title}-Angabe ein Wert, in derselben Reihenfolge.".strip(),
                liste=True,
                eintraege=True,
            )
            for sub in item.properties
        ]
    return [_column(name, title, f)]


def _column(name: str, title: str, f: schema.Field) -> Column:
    if "array" in f.types:
        if f.tuple_items:  # a fixed tuple such as coordinates
            arts = {_scalar_art(i) for i in f.tuple_items}
            return Column(name, title, arts.pop() if len(arts) == 1 else "text", f.description, liste=True)
        item = f.items or schema.UNKNOWN
        if "object" in item.types or item.properties:
            return Column(name, title, "json", f.description)
        return Column(name, title, _scalar_art(item), f.description, liste=True)
    if "object" in f.types:
        return Column(name, title, "json", f.description)
    return Column(name, title, _scalar_art(f), f.description)


OVERVIEW = [
    Column("id", "Kennung", "text", "Eindeutige Kennung des Eintrags (Dateiname)."),
    Column(
        "typ",
        "Typ",
        "text",
        "Typ des Eintrags: " + ", ".join(f"`{t.name}`" for t in model.RECORD_TYPES) + ".",
    ),
    Column("titel", "Titel", "text"),
    Column("kurzbeschreibung", "Kurzbeschreibung", "text"),
    Column("status", "Status", "text", "Nur Projekte: Stand der Umsetzung."),
    Column(
        "partner", "Partner", "text", "Kennungen aller genannten Partner (federführend zuerst).", liste=True
    ),
    Column("handlungsfelder", "Handlungsfelder", "text", "Kennungen der Handlungsfelder.", liste=True),
    Column("plattformen", "Plattformen", "text", "Kennungen der Plattformen.", liste=True),
    Column("stand", "Stand", "datum", "Datum der letzten inhaltlichen Prüfung."),
    Column("seite", "Seite", "text", "Adresse der Seite des Eintrags in dieser Ausgabe."),
]


# ---------------------------------------------------------------- cells


def _escape(item: object) -> str:
    return _cell_scalar(item).replace("\\", "\\\\").replace(";", "\\;")


def _split(text: str) -> list[str]:
    items, current, i = [], [], 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            current.append(text[i + 1])
            i += 2
            continue
        if char == ";":
            items.append("".join(current))
            current = []
            i += 2 if text[i + 1 : i + 2] == " " else 1
            continue
        current.append(char)
        i += 1
    items.append("".join(current))
    return items


def _cell_scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def neutralise(text: str) -> str:
    """A cell as a spreadsheet shows it as text: ``'`` before a formula's first character."""
    return QUOTE + text if text.startswith((*FORMULA_START, QUOTE)) else text


def to_cell(value: object, col: Column) -> str:
    """A CSV cell: :func:`cell_text`, neutralised unless it is a number of a number column."""
    if value is None:
        return ""
    text = cell_text(value, col)
    numbers = [v for v in value if v is not None] if isinstance(value, list) else [value]
    if col.art in _NUMBER_ARTS and numbers and all(_is_number(v) for v in numbers):
        return text  # -3 is a number, not a formula
    return neutralise(text)


def cell_text(value: object, col: Column) -> str:
    """A value as text by the CSV rules (lists joined, escaped), not yet neutralised."""
    if value is None:
        return ""
    if col.art == "json":
        text = json.dumps(value, ensure_ascii=False)
    elif col.liste and isinstance(value, list):
        text = SEPARATOR.join("" if v is None else _escape(v) for v in value)
    else:
        text = _cell_scalar(value)
    return text


def from_cell(text: str, col: Column) -> object:
    """A CSV cell's value (one leading ``'`` of :func:`neutralise` removed)."""
    return from_text(text.removeprefix(QUOTE), col) if text else None


def from_text(text: str, col: Column) -> object:
    """The value of :func:`cell_text`'s text."""
    if text == "":
        return None
    if col.art == "json":
        return json.loads(text)
    if col.liste:
        return [
            None if col.eintraege and item == "" else _parse_scalar(item, col.art) for item in _split(text)
        ]
    return _parse_scalar(text, col.art)


def _parse_scalar(text: str, art: str) -> object:
    try:
        if art == "ganzzahl":
            return int(text)
        if art == "zahl":
            return int(text) if text.lstrip("-").isdigit() else float(text)
    except ValueError:
        return text  # not a number after all (written as text)
    if art == "wahrheitswert":
        return text == "true"
    return text


def _get(data: dict[str, Any], path: tuple[str, ...]) -> object:
    value: Any = data
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def record_value(record: dict[str, Any], col: Column) -> object:
    """What ``col`` holds for ``record`` (a list of the field for a column of a list of entries)."""
    if not col.eintraege:
        return _get(record, col.path)
    entries = record.get(col.path[0])
    if not isinstance(entries, list) or not any(isinstance(e, dict) and col.path[1] in e for e in entries):
        return None
    return [e.get(col.path[1]) if isinstance(e, dict) else None for e in entries]


def row(record: dict[str, Any], cols: list[Column]) -> list[str]:
    """One CSV row from a record as the JSON export has it."""
    return [to_cell(record_value(record, col), col) for col in cols]


def unrow(cells: dict[str, str], cols: list[Column]) -> dict[str, Any]:
    """A record (as the JSON export has it) from one CSV row, by the documented rules."""
    out: dict[str, Any] = {}
    for col in cols:
        value = from_cell(cells.get(col.name, ""), col)
        if value is None:
            continue
        if col.eintraege:  # the entries' values of one field, in order
            entries = out.setdefault(col.path[0], [])
            entries += [{} for _ in range(len(value) - len(entries))]
            for entry, item in zip(entries, value, strict=False):
                if item is not None:
                    entry[col.path[1]] = item
            continue
        target = out
        for key in col.path[:-1]:
            target = target.setdefault(key, {})
        target[col.path[-1]] = value
    return out
