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
from typing import Any

from .. import model, schema, site
from ..templating import spelled_email

#: Fields an edition does not publish as data: the body is ``text``; visibility is implied.
HIDDEN_FIELDS = (model.BODY_FIELD, "sichtbarkeit")


@dataclass(frozen=True)
class Record:
    id: str
    kind: str  # record type name, e.g. "projekt"
    docname: str  # page of the record, e.g. "projekte/alpha/radweg-nord"
    title: str
    fields: dict[str, Any]  # normalised fields in schema order, without HIDDEN_FIELDS
    text: str  # Markdown body, stripped ("" if none)

    @property
    def kind_label(self) -> str:
        return model.RECORD_TYPE_BY_NAME[self.kind].label

    @property
    def url(self) -> str:
        """Path of the record's page, relative to the edition's root."""
        return f"{self.docname}.html"

    @property
    def stand(self) -> str | None:
        value = self.fields.get("stand")
        return str(value) if value is not None else None

    @property
    def hash(self) -> str:
        """A content hash over type, fields and text (not over formatting of the source)."""
        data = json.dumps([self.kind, self.fields, self.text], ensure_ascii=False, sort_keys=True)
        return "sha256:" + hashlib.sha256(data.encode()).hexdigest()


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
        kind=doc.kind,
        docname=site.record_docname(doc),
        title=doc.title,
        fields=normalise(doc.kind, doc.data),
        text=text,
    )


def normalise(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """The fields of a record as an edition publishes them (see the module docstring)."""
    out = {}
    for f in schema.fields(kind):
        if f.name in HIDDEN_FIELDS or f.name not in data:
            continue
        value = _normal(data[f.name], f)
        if not _empty(value):
            out[f.name] = value
    return out


def _normal(value: Any, f: schema.Field) -> Any:
    if f.format == "email" and isinstance(value, str):
        return spelled_email(value)  # editions never publish a harvestable address
    if isinstance(value, dict):
        known = [p.name for p in f.properties]
        out = {}
        for key in [*known, *sorted(k for k in value if k not in known)]:
            if key not in value:
                continue
            item = _normal(value[key], f.child(key) or f.values or schema.UNKNOWN)
            if not _empty(item):
                out[key] = item
        return out
    if isinstance(value, list):
        return [_normal(item, f.entry(index)) for index, item in enumerate(value)]
    if isinstance(value, int) and not isinstance(value, bool) and "string" in f.types:
        return str(value)  # a year written as a number
    return value


def _empty(value: Any) -> bool:
    return value is None or value == [] or value == {}


def names(content: model.Content) -> dict[str, dict[str, str]]:
    """Display names for ids, by kind (as ``x-verweis`` names them); records: public ones only."""
    net = content.netzwerk.data if content.netzwerk else {}
    public = content.visible(intern=False)
    kinds = ("partner", "plattform", "handlungsfeld", "herausforderung", "kennzahl")
    found = {kind: dict(model.vocabulary(public, kind)) for kind in kinds}
    found["einheit"] = {
        str(e["id"]): str(e.get("einheit", "")) for e in content.registry("kennzahlen") if "id" in e
    }
    found["eintrag"] = dict(model.vocabulary(public, "eintrag"))
    found["netzwerk"] = {"name": str(net.get("name", ""))}
    return found


def partners_of(rec: Record) -> list[str]:
    """Partner ids a record names as lead, participant, host or attendee (first mention first)."""
    return model.partner_ids(rec.fields)


def platforms_of(rec: Record) -> list[str]:
    values = list(rec.fields.get("plattformen") or [])
    if rec.fields.get("plattform"):
        values.insert(0, rec.fields["plattform"])
    return values
