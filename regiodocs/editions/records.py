"""Public records as normalised plain data: the one source of manifests, diffs and exports.

A :class:`Record` is what an edition publishes about one record: its fields in
schema order, its Markdown text and a hash over both. Normalising makes equal
content equal data, however it was written: years written as numbers become
strings (``beginn: 2025`` and ``beginn: "2025"`` are the same), empty lists and
maps are dropped, mapping keys follow the schema's order, and ``sichtbarkeit``
is left out (an edition's records are all public).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from .. import model, schema, site
from ..templating import spelled_email

#: Fields an edition does not publish as data: the body is ``text``; visibility is implied.
HIDDEN_FIELDS = (model.BODY_FIELD, "sichtbarkeit")


@dataclass(frozen=True)
class Field:
    """A top-level field of a record type, as the schema describes it."""

    name: str
    label: str  # German title from the schema
    node: dict[str, Any]  # the resolved schema node
    base: str  # schema file the node lives in (for further $refs)


@dataclass(frozen=True)
class Record:
    id: str
    typ: str  # record type name, e.g. "projekt"
    docname: str  # page of the record, e.g. "projekte/alpha/radweg-nord"
    titel: str
    felder: dict[str, Any]  # normalised fields in schema order, without HIDDEN_FIELDS
    text: str  # Markdown body, stripped ("" if none)

    @property
    def typ_label(self) -> str:
        return model.RECORD_TYPE_BY_NAME[self.typ].label

    @property
    def url(self) -> str:
        """Path of the record's page, relative to the edition's root."""
        return f"{self.docname}.html"

    @property
    def stand(self) -> str | None:
        value = self.felder.get("stand")
        return str(value) if value is not None else None

    @property
    def hash(self) -> str:
        """A content hash over type, fields and text (not over formatting of the source)."""
        data = json.dumps([self.typ, self.felder, self.text], ensure_ascii=False, sort_keys=True)
        return "sha256:" + hashlib.sha256(data.encode()).hexdigest()


@cache
def fields(kind: str) -> tuple[Field, ...]:
    """The fields of a record type in schema order (German labels from the schema)."""
    base = f"{kind}.schema.json"
    result = []
    for name, original in schema.schema(kind)["properties"].items():
        node, node_base = schema.resolve(original, base)
        label = str(original.get("title") or node.get("title") or name)
        result.append(Field(name, label, node, node_base))
    return tuple(result)


def field(kind: str, name: str) -> Field | None:
    for f in fields(kind):
        if f.name == name:
            return f
    return None


def records(content: model.Content) -> list[Record]:
    """Every public record of ``content``, ordered by type (as in the handbook) and id."""
    order = {t.name: i for i, t in enumerate(model.RECORD_TYPES)}
    docs = sorted(
        (d for d in content.records.values() if d.public and d.record_type is not None),
        key=lambda d: (order[d.kind], d.id),
    )
    return [record(d) for d in docs]


def record(doc: model.Document) -> Record:
    text = (doc.body or "").replace("\r\n", "\n").strip()
    return Record(
        id=doc.id,
        typ=doc.kind,
        docname=site.record_docname(doc),
        titel=doc.title,
        felder=normalise(doc.kind, doc.data),
        text=text,
    )


def normalise(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """The fields of a record as an edition publishes them (see the module docstring)."""
    out = {}
    for f in fields(kind):
        if f.name in HIDDEN_FIELDS or f.name not in data:
            continue
        value = _normal(data[f.name], f.node, f.base)
        if not _empty(value):
            out[f.name] = value
    return out


def _types(node: dict[str, Any]) -> list[str]:
    kinds = node.get("type", [])
    return [kinds] if isinstance(kinds, str) else list(kinds)


def _normal(value: Any, node: dict[str, Any], base: str) -> Any:
    node, base = schema.resolve(node, base)
    if node.get("format") == "email" and isinstance(value, str):
        return spelled_email(value)  # editions never publish a harvestable address
    if isinstance(value, dict):
        props = node.get("properties", {})
        extra = node.get("additionalProperties")
        out = {}
        for key in [*props, *sorted(k for k in value if k not in props)]:
            if key not in value:
                continue
            sub = props.get(key, extra if isinstance(extra, dict) else {})
            item = _normal(value[key], sub, base)
            if not _empty(item):
                out[key] = item
        return out
    if isinstance(value, list):
        items = node.get("items")
        result = []
        for index, item in enumerate(value):
            sub = items[index] if isinstance(items, list) and index < len(items) else items
            result.append(_normal(item, sub if isinstance(sub, dict) else {}, base))
        return result
    if isinstance(value, int) and not isinstance(value, bool) and "string" in _types(node):
        return str(value)  # a year written as a number
    return value


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {}


def names(content: model.Content) -> dict[str, dict[str, str]]:
    """Display names for ids, by kind (as ``x-verweis`` names them)."""
    net = content.netzwerk.data if content.netzwerk else {}

    def registry(key: str) -> dict[str, str]:
        return {
            e["id"]: str(e.get("titel", e["id"]))
            for e in content.registry(key)
            if isinstance(e.get("id"), str)
        }

    return {
        "partner": {k: d.title for k, d in sorted(content.partner.items())},
        "plattform": {k: d.title for k, d in sorted(content.plattformen.items())},
        "handlungsfeld": registry("handlungsfelder"),
        "herausforderung": registry("herausforderungen"),
        "kennzahl": registry("kennzahlen"),
        "einheit": {
            e["id"]: str(e.get("einheit", ""))
            for e in content.registry("kennzahlen")
            if isinstance(e.get("id"), str)
        },
        "eintrag": {k: d.title for k, d in sorted(content.records.items()) if d.public},
        "netzwerk": {"name": str(net.get("name", ""))},
    }


def partners_of(rec: Record) -> list[str]:
    """Partner ids a record names as lead, participant, host or attendee (first mention first)."""
    return model.partner_ids(rec.felder)


def platforms_of(rec: Record) -> list[str]:
    values = list(rec.felder.get("plattformen") or [])
    if rec.felder.get("plattform"):
        values.insert(0, rec.felder["plattform"])
    return values
