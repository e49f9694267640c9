"""What changed between two editions, computed from their manifests, in German.

:func:`diff` compares two manifests record by record (by id): records added,
removed, and changed – with every changed field named by its German schema
title and its values shown as readers know them (``Status: Planung →
Umsetzung``, dates as ``15.03.2026``, partner ids as names). The result is
plain data: the "Was ist neu" page renders it, ``regiodocs diff`` prints it.
"""

from __future__ import annotations

from typing import Any

from .. import model, schema
from ..templating import date_de, number_de

#: Texts longer than this are reported as changed, without old and new value.
LONG_TEXT = 160
TEXT_FIELD = "beschreibung"
_NONE = "–"


def diff(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """Records added, removed and changed from manifest ``old`` (None: none) to ``new``."""
    before = {e["id"]: e for e in (old or {}).get("eintraege", [])}
    after = {e["id"]: e for e in new.get("eintraege", [])}
    names = _merge_names((old or {}).get("namen", {}), new.get("namen", {}))
    added = [_summary(after[i]) for i in sorted(after) if i not in before]
    removed = [_summary(before[i]) for i in sorted(before) if i not in after]
    changed = []
    for ident in sorted(set(before) & set(after)):
        a, b = before[ident], after[ident]
        if a.get("hash") == b.get("hash") and a.get("typ") == b.get("typ"):
            continue
        fields = changed_fields(a, b, names)
        if fields:
            changed.append(_summary(b) | {"felder": fields})
    order = {t.name: i for i, t in enumerate(model.RECORD_TYPES)}

    def key(entry: dict[str, Any]) -> tuple[int, str]:
        return (order.get(entry["typ"], 99), entry["titel"].lower())

    return {
        "von": _edition(old),
        "bis": _edition(new),
        "neu": sorted(added, key=key),
        "entfernt": sorted(removed, key=key),
        "geaendert": sorted(changed, key=key),
        "anzahl": {
            "neu": len(added),
            "entfernt": len(removed),
            "geaendert": len(changed),
            "unveraendert": len(set(before) & set(after)) - len(changed),
        },
    }


def _edition(manifest: dict[str, Any] | None) -> dict[str, Any] | None:
    if manifest is None:
        return None
    return {"ausgabe": manifest.get("ausgabe"), "datum": manifest.get("datum")}


def _summary(entry: dict[str, Any]) -> dict[str, Any]:
    rtype = model.RECORD_TYPE_BY_NAME.get(entry.get("typ", ""))
    return {
        "id": entry["id"],
        "typ": entry.get("typ", ""),
        "typ_label": rtype.label if rtype else entry.get("typ", ""),
        "titel": entry.get("titel", entry["id"]),
        "seite": entry.get("seite"),
    }


def _merge_names(old: dict[str, Any], new: dict[str, Any]) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for kind in {*old, *new}:
        merged[kind] = {**(old.get(kind) or {}), **(new.get(kind) or {})}
    return merged


# ---------------------------------------------------------------- fields


def changed_fields(
    a: dict[str, Any], b: dict[str, Any], names: dict[str, dict[str, str]]
) -> list[dict[str, Any]]:
    """The fields that differ between two manifest entries of one record, in schema order."""
    result = []
    kind = b.get("typ", "")
    if a.get("typ") != kind:
        result.append(_change("typ", "Typ", _type_label(a.get("typ")), _type_label(kind)))
    old, new = a.get("felder") or {}, b.get("felder") or {}
    known = [f.name for f in _fields(kind)]
    for name in [*known, *sorted(k for k in {*old, *new} if k not in known)]:
        if name == TEXT_FIELD or old.get(name) == new.get(name):
            continue
        if name == "kennzahlen":
            result += _indicator_changes(old.get(name) or {}, new.get(name) or {}, names)
            continue
        f = _field(kind, name) or _field(a.get("typ", ""), name)
        label = f.title if f else name
        before = display(old.get(name), f or schema.UNKNOWN, names)
        after = display(new.get(name), f or schema.UNKNOWN, names)
        if max(len(before), len(after)) > LONG_TEXT:
            result.append(_change(name, label, None, None, "Text geändert"))
        else:
            result.append(_change(name, label, before, after))
    if a.get("text_hash") != b.get("text_hash"):
        hint = (
            "Text ergänzt" if not a.get("text_hash") else "Text entfernt" if not b.get("text_hash") else None
        )
        result.append(_change(TEXT_FIELD, "Beschreibung", None, None, hint or "Text überarbeitet"))
    return result


def _fields(kind: object) -> tuple[schema.Field, ...]:
    return schema.fields(kind) if isinstance(kind, str) and kind in model.RECORD_TYPE_BY_NAME else ()


def _field(kind: object, name: str) -> schema.Field | None:
    return next((f for f in _fields(kind) if f.name == name), None)


def _change(
    name: str, label: str, old: str | None, new: str | None, hint: str | None = None
) -> dict[str, Any]:
    return {"feld": name, "bezeichnung": label, "alt": old, "neu": new, "hinweis": hint}


def _type_label(kind: object) -> str:
    rtype = model.RECORD_TYPE_BY_NAME.get(str(kind))
    return rtype.label if rtype else str(kind or _NONE)


def _indicator_changes(
    old: dict[str, Any], new: dict[str, Any], names: dict[str, dict[str, str]]
) -> list[dict[str, Any]]:
    result = []
    for key in sorted({*old, *new}):
        if old.get(key) == new.get(key):
            continue
        unit = names.get("einheit", {}).get(key, "")
        label = f"Kennzahl {names.get('kennzahl', {}).get(key, key)}"

        def show(value: object, unit: str = unit) -> str:
            return _NONE if value is None else f"{number_de(value)} {unit}".strip()

        result.append(_change(f"kennzahlen.{key}", label, show(old.get(key)), show(new.get(key))))
    return result


# ---------------------------------------------------------------- values


def display(value: Any, f: schema.Field, names: dict[str, dict[str, str]]) -> str:
    """A field value as readers know it: labels, names, German dates and numbers."""
    if value is None or value == [] or value == {}:
        return _NONE
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, (int, float)):
        return number_de(value)
    if isinstance(value, str):
        if value in f.labels:  # a vocabulary's value, or one allowed besides the ids (x-auch)
            return str(f.labels[value])
        if f.reference:
            return names.get(f.reference, {}).get(value, value)
        if f.format in ("date", "jahr-monat", "jahr", "frist"):
            return date_de(value)
        return " ".join(value.split())
    if isinstance(value, list):
        parts = [display(item, f.entry(index), names) for index, item in enumerate(value)]
        separator = "; " if any(isinstance(v, dict) for v in value) else ", "
        return separator.join(parts)
    if isinstance(value, dict):
        return _object(value, f, names)
    return str(value)


def _object(value: dict[str, Any], f: schema.Field, names: dict[str, dict[str, str]]) -> str:
    """``Erste Angabe (Feld: Wert; Feld: Wert)`` – an item of a list such as a contact."""
    known = [p.name for p in f.properties]
    parts = []
    for key in [*known, *sorted(k for k in value if k not in known)]:
        if key not in value:
            continue
        sub = f.child(key) or schema.UNKNOWN
        parts.append((sub.title or key, display(value[key], sub, names)))
    if not parts:
        return _NONE
    first, rest = parts[0][1], [f"{label}: {text}" for label, text in parts[1:]]
    return f"{first} ({'; '.join(rest)})" if rest else first


# ---------------------------------------------------------------- text


def render_text(d: dict[str, Any]) -> str:
    """The diff for the terminal."""
    lines = [headline(d), ""]
    sections = (("Neu", "neu", "+"), ("Geändert", "geaendert", "~"), ("Entfernt", "entfernt", "-"))
    for title, key, mark in sections:
        entries = d[key]
        if not entries:
            continue
        lines.append(f"{title} ({len(entries)}):")
        for e in entries:
            lines.append(f"  {mark} {e['typ_label']} „{e['titel']}“ ({e['id']})")
            for f in e.get("felder", []):
                lines.append(f"      {change_text(f)}")
        lines.append("")
    if not any(d[k] for _t, k, _m in sections):
        lines += ["Keine Änderungen.", ""]
    return "\n".join(lines)


def headline(d: dict[str, Any]) -> str:
    n = d["anzahl"]
    counts = f"{n['neu']} neu, {n['geaendert']} geändert, {n['entfernt']} entfernt"
    bis = _edition_text(d["bis"])
    if d["von"] is None:
        return f"{bis}: erste Ausgabe – {counts}"
    return f"Von {_edition_text(d['von'])} zu {bis}: {counts}"


def _edition_text(edition: dict[str, Any] | None) -> str:
    if not edition:
        return "?"
    if not edition.get("ausgabe"):  # a manifest of today's content, not of an edition
        return f"Inhalt vom {date_de(edition.get('datum'))}"
    when = f" ({date_de(edition['datum'])})" if edition.get("datum") else ""
    return f"Ausgabe {edition.get('ausgabe')}{when}"


def change_text(f: dict[str, Any]) -> str:
    if f.get("hinweis"):
        return f"{f['bezeichnung']}: {f['hinweis']}"
    return f"{f['bezeichnung']}: {f['alt']} → {f['neu']}"
