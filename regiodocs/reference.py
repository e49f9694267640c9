"""The field reference: every file type, field, vocabulary and an example, from the schemas.

Plain data for the "Feldreferenz" page (and anything else that documents the
contract, such as the CMS configuration): the schemas stay the single source.
"""

from __future__ import annotations

from typing import Any

from . import model, schema
from .findings import Code


def _record_path(rtype: model.RecordType) -> str:
    group = f"<{rtype.group_registry}>/" if rtype.group_registry else ""
    return f"content/{rtype.folder}/{group}<kennung>.md oder .yaml"


FILE_TYPES: tuple[tuple[str, str], ...] = (
    *((t.name, _record_path(t)) for t in model.RECORD_TYPES),
    ("partner", "content/partner/<kennung>.yaml"),
    ("plattform", "content/plattformen/<kennung>.yaml"),
    ("netzwerk", "content/netzwerk.yaml"),
    ("seite", "content/seiten/<kennung>.md"),
)  # fmt: skip

_TYPES = {
    "string": "Text", "integer": "ganze Zahl", "number": "Zahl", "boolean": "true/false",
    "array": "Liste", "object": "Gruppe von Feldern",
}  # fmt: skip
_FORMATS = {
    "date": ("Datum JJJJ-MM-TT", "2026-03-15"), "jahr-monat": ("Jahr oder Monat", "2025-04"),
    "jahr": ("Jahr JJJJ", "2019"), "http-url": ("Webadresse", "https://www.example.org/projekt"),
    "email": ("E-Mail-Adresse", "stadtplanung@example.org"), "frist": ("Datum oder `laufend`", "2027-05-31"),
}  # fmt: skip
_REFERENCES = {
    "partner": "neuss", "handlungsfeld": "mobilitaet", "plattform": "nachhaltige-mobilitaet",
    "herausforderung": "pendelverkehr", "kennzahl": "radwege_km", "projekt": "radschnellweg-neuss",
    "praxis": "mobilitaetskonzept-im-bebauungsplan", "foerderprogramm": "foerderrichtlinien-nahmobilitaet",
    "eintrag": "radschnellweg-neuss",
}  # fmt: skip


def _describe(
    name: str, node: dict[str, Any], base: str, required: bool, prefix: str
) -> list[dict[str, Any]]:
    original = node
    node, base = schema.resolve(node, base)
    title = original.get("title") or node.get("title") or name
    description = original.get("description") or node.get("description") or ""
    kinds = node.get("type", "object" if "properties" in node else "string")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    typ = " oder ".join(_TYPES.get(k, k) for k in kinds)
    fmt = _FORMATS.get(node.get("format", ""))
    example: object = fmt[1] if fmt else None
    if fmt:
        typ = fmt[0]
    reference = original.get("x-verweis") or node.get("x-verweis")
    values = list((node.get("x-bezeichnungen") or {v: v for v in node.get("enum", [])}).items())
    items = node.get("items") if isinstance(node.get("items"), dict) else None
    if items is not None:
        item, _ = schema.resolve(items, base)
        reference = reference or items.get("x-verweis") or item.get("x-verweis")
        typ = f"Liste von {'Kennungen' if reference else _TYPES.get(item.get('type', 'string'), 'Werten')}"
    if reference:
        example = [_REFERENCES.get(reference, "kennung")] if items is not None else _REFERENCES.get(reference)
        typ += f" ({reference})"
    if values:
        example = values[0][0]
    examples = original.get("examples") or node.get("examples")
    if examples:
        example = examples[0]
    if example is None:
        example = {"integer": 450, "number": 12.5, "boolean": True}.get(kinds[0], "…")
    rows = [{
        "name": prefix + name, "titel": title, "beschreibung": description, "typ": typ,
        "pflicht": required, "werte": values, "beispiel": example,
        "max": node.get("maxLength"),
    }]  # fmt: skip
    nested = items if items is not None else (node if kinds[0] == "object" else None)
    if nested is not None:
        nested, nbase = schema.resolve(nested, base)
        needed = set(nested.get("required", []))
        suffix = "[]." if items is not None else "."
        for key, sub in nested.get("properties", {}).items():
            rows += _describe(key, sub, nbase, key in needed, f"{prefix}{name}{suffix}")
    return rows


def file_type(name: str) -> dict[str, Any]:
    root = schema.schema(name)
    required = set(root.get("required", []))
    fields: list[dict[str, Any]] = []
    for key, node in root.get("properties", {}).items():
        fields += _describe(key, node, f"{name}.schema.json", key in required, "")
    return {"name": name, "titel": root["title"], "beschreibung": root["description"], "fields": fields}


def field_reference() -> dict[str, Any]:
    return {
        "dateitypen": [file_type(name) | {"pfad": path} for name, path in FILE_TYPES],
        "codes": [{"code": c.value, "titel": c.title} for c in Code],
    }
