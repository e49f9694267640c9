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
#: The example of a reference when no content is given (the reference knows no network).
PLACEHOLDER_ID = "kennung"


def _example_ids(content: model.Content | None) -> dict[str, str]:
    """The first public id of each reference kind in ``content``: examples a reader recognises."""
    if content is None:
        return {}
    public = content.visible(intern=False)
    kinds = {"partner", "plattform", "eintrag", *model.REGISTRY_OF_KIND, *model.RECORD_TYPE_BY_NAME}
    return {kind: ids[0][0] for kind in kinds if (ids := model.vocabulary(public, kind))}


def _describe(f: schema.Field, examples: dict[str, str]) -> list[dict[str, Any]]:
    kinds = f.types or (f.kind,)
    typ = " oder ".join(_TYPES.get(k, k) for k in kinds)
    fmt = _FORMATS.get(f.format or "")
    example: object = fmt[1] if fmt else None
    if fmt:
        typ = fmt[0]
    reference = f.reference
    values = [(v, f.label(v)) for v in f.enum]
    if f.items is not None:
        reference = reference or f.items.reference
        kind = f.items.types[0] if f.items.types else "string"
        typ = f"Liste von {'Kennungen' if reference else _TYPES.get(kind, 'Werten')}"
    if reference:
        known = examples.get(reference, PLACEHOLDER_ID)
        example = [known] if f.items is not None else known
        typ += f" ({reference})"
    if values:
        example = values[0][0]
    if f.examples:
        example = f.examples[0]
    if example is None:
        example = {"integer": 450, "number": 12.5, "boolean": True}.get(kinds[0], "…")
    rows = [{
        "name": f.path, "titel": f.title, "beschreibung": f.description, "typ": typ,
        "pflicht": f.required, "werte": values, "beispiel": example, "max": f.max_length,
    }]  # fmt: skip
    nested = f.items if f.items is not None else (f if kinds[0] == "object" else None)
    for sub in nested.properties if nested is not None else ():
        rows += _describe(sub, examples)
    return rows


def file_type(name: str, content: model.Content | None = None) -> dict[str, Any]:
    """A file kind's fields as rows of the reference (examples of ids from ``content``'s public ids)."""
    doc = schema.document(name)
    examples = _example_ids(content)
    fields = [row for f in doc.properties for row in _describe(f, examples)]
    return {"name": name, "titel": doc.title, "beschreibung": doc.description, "fields": fields}


def field_reference(content: model.Content | None = None) -> dict[str, Any]:
    """Every file type with its fields, and every check code. Example ids come from the public
    records and registries of ``content``; without it, a placeholder (``kennung``)."""
    return {
        "dateitypen": [file_type(name, content) | {"pfad": path} for name, path in FILE_TYPES],
        "codes": [{"code": c.value, "titel": c.title} for c in Code],
    }
