"""JSON Schemas (draft-07): the single source for fields, types and vocabularies.

The schemas live in ``regiodocs/schemas/*.schema.json``. Besides standard
keywords they carry a few annotations that editors ignore and regiodocs reads:

``x-verweis``
    the value (or, under ``propertyNames``, the key) names an id of this kind:
    ``partner``, ``handlungsfeld``, ``plattform``, ``herausforderung``,
    ``kennzahl``, ``projekt``, ``praxis``, ``foerderprogramm`` or ``eintrag``
    (a record of any type); ``x-auch`` lists further literal values allowed.
``x-medien``
    the value is a path below ``content/`` (checked by :mod:`regiodocs.checks`).
``x-bezeichnungen``
    German display labels for the values of an ``enum`` (or of ``x-auch``).
``x-abschnitte``
    at a record schema's top: the recommended body sections (``## Ausgangslage``, …);
    one that is present but empty is a warning (:mod:`regiodocs.checks`).
``x-code`` / ``x-meldung`` / ``x-stelle``
    the check code and German message for a violation of this subschema, and
    the key whose line the message points at.

Two standard keywords carry a regiodocs meaning: every text that must say
something has ``"pattern": BLANK_PATTERN`` (a visible character somewhere;
a violation is RD110), and every number has ``minimum`` and ``maximum``
(a violation is RD109). Non-finite numbers (``1e999`` is infinite) are refused
before the schema sees them: NaN would pass any ``maximum``.

:func:`fields` is the one reading of a schema for everyone else (the CMS
configuration, ``regiodocs new``, the field reference, an edition's records,
exports and diff): a tree of :class:`Field` with every ``$ref`` resolved, once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from . import contacts, model, yamlio
from .findings import Code, Finding
from .model import Document

if TYPE_CHECKING:
    import jsonschema

SCHEMA_NAMES = (
    "netzwerk", "partner", "plattform", "projekt", "praxis", "ergebnis",
    "foerderprogramm", "veranstaltung", "seite",
)  # fmt: skip
COMMON = "common.schema.json"

_YEAR = re.compile(r"^[0-9]{4}$")
_YEAR_MONTH = re.compile(r"^([0-9]{4})(?:-([0-9]{2}))?$")
_HTTP = re.compile(r"https?://[^\s/?#\\]+\.[^\s\\<>`]*|https?://[^\s/?#\\]+")

#: Our ``format`` keywords and their checks (a jsonschema ``FormatChecker`` is made of them on
#: first use: jsonschema is imported only when a file must be validated).
FORMATS: dict[str, Callable[[object], bool]] = {}


def _format(name: str) -> Callable[[Callable[[object], bool]], Callable[[object], bool]]:
    def register(check: Callable[[object], bool]) -> Callable[[object], bool]:
        FORMATS[name] = check
        return check

    return register


#: A text with at least one visible character: not only (Unicode or zero-width) spaces.
#: Written for both Python's ``re`` and ECMAScript (editors), which agree on it.
BLANK_PATTERN = r"[^\s\u200b\u200c\u200d\u2060\ufeff]"
#: What YAML writers type for infinity or "not a number"; YAML here reads them as text.
_NOT_FINITE_TEXTS = {".inf", "+.inf", "-.inf", ".nan", "inf", "+inf", "-inf", "nan",
                     "infinity", "+infinity", "-infinity"}  # fmt: skip


@_format("date")
def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        return bool(re.match(r"^\d{4}-\d{2}-\d{2}$", value)) and bool(dt.date.fromisoformat(value))
    except ValueError:
        return False


@_format("jahr-monat")
def _is_year_month(value: object) -> bool:
    match = _YEAR_MONTH.match(str(value)) if isinstance(value, (str, int)) else None
    return bool(match) and (match.group(2) is None or 1 <= int(match.group(2)) <= 12)


@_format("jahr")
def _is_year(value: object) -> bool:
    return not isinstance(value, (str, int)) or bool(_YEAR.match(str(value)))


@_format("frist")
def _is_deadline(value: object) -> bool:
    return value == "laufend" or _is_date(value)


@_format("http-url")
def _is_http_url(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return bool(_HTTP.fullmatch(value)) and contacts.url_problem(value) is None  # fullmatch: no "\n"


@_format("email")
def _is_email(value: object) -> bool:
    return not isinstance(value, str) or contacts.email_problem(value) is None


@_format("telefon")
def _is_phone(value: object) -> bool:
    return not isinstance(value, str) or contacts.phone_problem(value) is None


@cache
def _read(name: str) -> dict[str, Any]:
    text = resources.files("regiodocs.schemas").joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)


@cache
def schema(name: str) -> dict[str, Any]:
    """The schema for a file kind (``projekt``, ``partner``, …)."""
    return _read(f"{name}.schema.json")


@cache
def _validator(name: str) -> jsonschema.Draft7Validator:
    import jsonschema

    checker = jsonschema.FormatChecker(formats=())
    for format_name, check in FORMATS.items():
        checker.checks(format_name)(check)
    # refs are inlined once: resolving them on every instance dominated the check's time
    return jsonschema.Draft7Validator(_inlined(schema(name), f"{name}.schema.json"), format_checker=checker)


def _inlined(node: Any, base: str) -> Any:
    """A copy of ``node`` with every ``$ref`` replaced by its target (our schemas have no cycles)."""
    if isinstance(node, list):
        return [_inlined(item, base) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target, target_base = resolve(node, base)
        siblings = {k: v for k, v in node.items() if k != "$ref" and k.startswith("x-")}
        return {**_inlined(target, target_base), **siblings}
    return {key: _inlined(value, base) for key, value in node.items()}


def resolve(node: dict[str, Any], base: str) -> tuple[dict[str, Any], str]:
    """Follow ``$ref`` (possibly into common.schema.json) to the real subschema."""
    while "$ref" in node:
        ref = node["$ref"]
        file, _, pointer = ref.partition("#")
        base = file or base
        target: Any = _read(base)
        for part in filter(None, pointer.split("/")):
            target = target[part]
        node = target
    return node, base


# ---------------------------------------------------------------- the field model

#: Keywords a property may set beside its ``$ref`` (they win over the definition's).
_OWN_KEYWORDS = ("title", "description", "examples", "x-verweis", "x-auch", "x-bezeichnungen")
_MISSING: Any = object()


@dataclass(frozen=True)
class Field:
    """One field of a file kind as its schema describes it, every ``$ref`` resolved.

    A property's own ``title``, ``description``, ``examples``, ``x-verweis`` and
    ``x-auch`` win over those of the definition it refers to; everything else
    (types, vocabulary, format, limits, nested fields) comes from the definition.
    """

    name: str  # key in its group ("titel"); "" for the entries of a list; the kind for a file
    path: str  # where it sits: "kontakt[].email", "ort.gemeinde"; "" for a file
    title: str  # German; the name where the schema gives none
    description: str = ""
    types: tuple[str, ...] = ()  # JSON types as the schema names them (may be none)
    required: bool = False  # its group (or file) needs it
    needed: tuple[str, ...] = ()  # required nested fields, in the schema's order
    enum: tuple[Any, ...] = ()
    labels: dict[str, str] = dataclass_field(default_factory=dict)  # x-bezeichnungen: value → label
    default: Any = _MISSING
    format: str | None = None
    pattern: str | None = None
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    min_items: int | None = None
    max_items: int | None = None
    reference: str | None = None  # x-verweis: the kind of id the value names
    also: tuple[str, ...] = ()  # x-auch: further literal values allowed besides the ids
    media: bool = False  # x-medien: a path below content/
    examples: tuple[Any, ...] = ()
    properties: tuple[Field, ...] = ()  # nested fields of a group, in schema order
    items: Field | None = None  # the entries of a list
    tuple_items: tuple[Field, ...] = ()  # the positions of a fixed tuple (coordinates)
    keys: Field | None = None  # propertyNames: the keys of a map (e.g. kennzahl ids)
    values: Field | None = None  # additionalProperties: the values of a map
    alternatives: tuple[str, ...] = ()  # one of these nested fields is needed (anyOf)
    conditional: tuple[str, ...] = ()  # nested fields that bring a condition (if)

    @property
    def kind(self) -> str:
        """The (first) JSON type; a schema without one is a group if it has fields, else text."""
        return self.types[0] if self.types else ("object" if self.properties else "string")

    @property
    def has_default(self) -> bool:
        return self.default is not _MISSING

    def child(self, name: str) -> Field | None:
        """The nested field ``name`` of a group."""
        return next((f for f in self.properties if f.name == name), None)

    def entry(self, index: int) -> Field:
        """The field of a list's entry ``index`` (a fixed tuple has one field per position)."""
        if self.tuple_items:
            return self.tuple_items[index] if index < len(self.tuple_items) else UNKNOWN
        return self.items or UNKNOWN

    def label(self, value: object) -> str:
        """The German label of a value (``x-bezeichnungen``), else the value."""
        return str(self.labels.get(value, value)) if isinstance(value, str) else str(value)


#: A field the schema says nothing about (an unknown key): every value passes as it is.
UNKNOWN = Field(name="", path="", title="")


def _build(original: dict[str, Any], base: str, name: str, path: str, required: bool) -> Field:
    node, base = resolve(original, base)
    own = {key: original.get(key) or node.get(key) for key in _OWN_KEYWORDS}
    needed = tuple(node.get("required", ()))

    def sub(value: Any, key: str, where: str, req: bool = False) -> Field | None:
        return _build(value, base, key, where, req) if isinstance(value, dict) else None

    props = node.get("properties", {})
    items = node.get("items")
    kinds = node.get("type", ())
    return Field(
        name=name,
        path=path,
        title=str(own["title"] or name),
        description=str(own["description"] or ""),
        types=(kinds,) if isinstance(kinds, str) else tuple(kinds),
        required=required,
        needed=needed,
        enum=tuple(node.get("enum", ())),
        labels=dict(own["x-bezeichnungen"] or {}),
        default=node.get("default", _MISSING),
        format=node["format"] if isinstance(node.get("format"), str) else None,
        pattern=node.get("pattern"),
        max_length=node.get("maxLength"),
        minimum=node.get("minimum"),
        maximum=node.get("maximum"),
        min_items=node.get("minItems"),
        max_items=node.get("maxItems"),
        reference=own["x-verweis"] or None,
        also=tuple(own["x-auch"] or ()),
        media=bool(node.get("x-medien")),
        examples=tuple(own["examples"] or ()),
        properties=tuple(
            _build(value, base, key, f"{path}.{key}" if path else key, key in needed)
            for key, value in props.items()
        ),
        items=sub(items, "", f"{path}[]"),
        tuple_items=tuple(
            _build(value, base, "", f"{path}[{index}]", False)
            for index, value in enumerate(items if isinstance(items, list) else [])
        ),
        keys=sub(node.get("propertyNames"), "", f"{path}.<schlüssel>"),
        values=sub(node.get("additionalProperties"), "", f"{path}.<wert>"),
        alternatives=tuple(a["required"][0] for a in node.get("anyOf", ()) if set(a) == {"required"}),
        conditional=tuple(node.get("if", {}).get("required", ())),
    )


@cache
def document(name: str) -> Field:
    """The field model of a file kind (``projekt``, ``partner``, …): the file as one group."""
    return _build(schema(name), f"{name}.schema.json", name, "", True)


def fields(name: str) -> tuple[Field, ...]:
    """The top-level fields of a file kind, in schema order, every ``$ref`` resolved."""
    return document(name).properties


def field(name: str, key: str) -> Field | None:
    """The top-level field ``key`` of a file kind (None: the schema has no such field)."""
    return document(name).child(key)


def sections(name: str) -> tuple[str, ...]:
    """The recommended body sections of a file kind (``x-abschnitte``), in order; may be none."""
    return tuple(str(s) for s in schema(name).get("x-abschnitte", ()))


def labels(name: str, key: str) -> dict[str, str]:
    """German labels of an enum field of a schema (``x-bezeichnungen``)."""
    found = field(name, key)
    if found is None:
        raise KeyError(key)
    return dict(found.labels)


# ---------------------------------------------------------------- validation

_TYPE_NAMES = {
    "string": "ein Text", "integer": "eine ganze Zahl", "number": "eine Zahl",
    "boolean": "`true` oder `false`", "array": "eine Liste", "object": "eine Gruppe von Feldern",
    "null": "leer",
}  # fmt: skip


def _type_of(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def _field(path: tuple[Any, ...]) -> str:
    parts = [str(p) if isinstance(p, str) else f"[{p + 1}]" for p in path]
    return ".".join(parts).replace(".[", "[") or "(Datei)"


def validate(doc: Document) -> list[Finding]:
    """Schema findings for one document, each at the right line."""
    parsed: yamlio.Parsed = doc.positions
    findings: list[Finding] = []
    refused = []
    for path, value in _non_finite(doc.data, ()):
        refused.append(path)
        findings.append(_finding(doc, parsed.position(path), Code.NUMBER, _non_finite_message(path, value)))
    errors = list(_validator(_schema_name(doc)).iter_errors(doc.data))
    patterned = {tuple(e.absolute_path) for e in errors if e.validator == "pattern"}
    for error in errors:
        where = tuple(error.absolute_path)
        if any(where[: len(path)] == path for path in refused):
            continue  # the value is already refused as not finite
        if error.validator == "format" and where in patterned:
            continue  # one finding per value: its pattern already refuses it (e.g. a telephone number)
        findings.extend(_translate(doc, parsed, error))
    return findings


def _non_finite(data: object, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], float]]:
    if isinstance(data, float) and not math.isfinite(data):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _non_finite(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _non_finite(value, (*path, index))


def _non_finite_message(path: tuple[Any, ...], value: float) -> str:
    if math.isnan(value):
        what = "sie ist „keine Zahl“ (NaN)"
    elif value < 0:
        what = "sie ist zu klein, um gerechnet zu werden (minus unendlich)"
    else:
        what = "sie ist zu groß, um gerechnet zu werden (unendlich)"
    return (
        f"`{_field(path)}` ist keine endliche Zahl: {what}. Schreiben Sie eine gewöhnliche Zahl "
        "ohne Exponenten, z. B. `450` oder `12.5`."
    )


def german_number(value: object) -> str:
    """``1000000000000`` → ``1.000.000.000.000``, ``52.6`` → ``52,6``; ``2000`` stays (DIN 5008)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".") if abs(value) >= 10_000 else str(value)
    text = repr(value) if "e" in repr(value) else f"{value:,}"
    return text.translate({ord(","): ".", ord("."): ","})


def _schema_name(doc: Document) -> str:
    return doc.kind


def _finding(doc: Document, pos: yamlio.Pos, code: Code, message: str) -> Finding:
    return Finding(doc.path, pos.line, pos.column, code, message)


def _translate(doc: Document, parsed: yamlio.Parsed, error: Any) -> Iterator[Finding]:
    path = tuple(error.absolute_path)
    where = parsed.position(path)
    name = _field(path)
    sub = error.schema if isinstance(error.schema, dict) else {}
    validator = error.validator
    if "x-code" in sub:
        if "x-stelle" in sub and isinstance(error.instance, dict):
            where = parsed.position((*path, sub["x-stelle"]), key=True)
        elif "x-stelle" in sub:
            where = parsed.position((*path[:-1], sub["x-stelle"]), key=True)
        yield _finding(doc, where, Code(sub["x-code"]), sub["x-meldung"])
        return
    if validator == "required":
        missing = [k for k in error.validator_value if k not in (error.instance or {})]
        for key in missing:
            info = _describe(sub, key, doc)
            where_text = "" if not path else f" in `{name}`"
            yield _finding(
                doc,
                parsed.position(path),
                Code.REQUIRED,
                f"Das Pflichtfeld `{key}` fehlt{where_text}. {info}".strip(),
            )
        return
    if validator == "additionalProperties" and error.validator_value is False:
        known = sorted(_properties(sub, doc))
        for key in error.instance:
            if key in known:
                continue
            hint = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            suggestion = f" Meinten Sie `{hint[0]}`?" if hint else ""
            allowed = f" Erlaubt sind: {', '.join(f'`{k}`' for k in known)}." if not hint else ""
            yield _finding(
                doc,
                parsed.position((*path, key), key=True),
                Code.UNKNOWN_KEY,
                f"Das Feld `{key}` ist unbekannt.{suggestion}{allowed}",
            )
        return
    if validator == "anyOf" and all(set(s) == {"required"} for s in error.validator_value):
        options = " oder ".join(f"`{s['required'][0]}`" for s in error.validator_value)
        yield _finding(doc, where, Code.REQUIRED, f"In `{name}` fehlt eine Angabe: nötig ist {options}.")
        return
    if validator == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, list) else [expected]
        wanted = " oder ".join(_TYPE_NAMES[t] for t in expected)
        got = _type_of(error.instance)
        if (
            got == "string"
            and {"number", "integer"} & set(expected)
            and error.instance.strip().lower() in _NOT_FINITE_TEXTS
        ):
            yield _finding(
                doc,
                where,
                Code.NUMBER,
                f"`{name}: {error.instance}` ist keine erlaubte Zahl: „unendlich“ und „keine Zahl“ "
                "(NaN) gibt es im Handbuch nicht. Schreiben Sie eine gewöhnliche Zahl, "
                "z. B. `450` oder `12.5`.",
            )
            return
        hint = ""
        if got == "string" and "integer" in expected and str(error.instance).startswith("0"):
            hint = " Zahlen dürfen nicht mit 0 beginnen."
        elif got == "string" and "boolean" in expected:
            hint = " Schreiben Sie `true` oder `false` (nicht „ja“/„nein“)."
        elif got == "string" and "array" in expected:
            hint = f" Schreiben Sie z. B. `{path[-1] if path else 'feld'}: [{error.instance}]`."
        yield _finding(
            doc,
            where,
            Code.TYPE,
            f"`{name}` muss {wanted} sein, ist aber {_TYPE_NAMES[got]}.{hint}",
        )
        return
    if validator == "enum" and error.instance is None:
        return  # the empty value is already reported as a type error
    if validator == "enum":
        allowed = sub.get("x-bezeichnungen") or {v: v for v in error.validator_value}
        listing = ", ".join(f"`{k}` ({v})" if k != v else f"`{k}`" for k, v in allowed.items())
        close = difflib.get_close_matches(str(error.instance), list(allowed), n=1, cutoff=0.5)
        suggestion = f" Meinten Sie `{close[0]}`?" if close else ""
        yield _finding(
            doc,
            where,
            Code.VOCABULARY,
            f"`{name}: {error.instance}` ist nicht erlaubt.{suggestion} Erlaubt sind: {listing}.",
        )
        return
    if validator in ("maxLength", "minLength", "maxItems", "minItems", "uniqueItems"):
        yield _finding(doc, where, Code.LENGTH, _length_message(name, validator, error))
        return
    if validator == "format":
        yield _format_finding(doc, where, name, error)
        return
    if validator == "pattern" and error.validator_value == BLANK_PATTERN:
        if error.instance != "":  # an empty text is already reported by minLength
            yield _finding(doc, where, Code.BLANK, _blank_message(doc, path, name, sub))
        return
    if validator == "pattern" and sub.get("format") in _FORMAT_REASONS:
        yield _format_finding(doc, where, name, error, sub["format"])  # says what exactly is wrong
        return
    if validator == "pattern":
        description = sub.get("description", "")
        yield _finding(
            doc,
            where,
            Code.PATTERN,
            f"`{name}: {error.instance}` hat nicht das erwartete Format. {description}".strip(),
        )
        return
    if validator in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        yield _finding(doc, where, Code.NUMBER, _range_message(name, validator, error, sub))
        return
    yield _finding(doc, where, Code.SCHEMA, f"`{name}` ist ungültig ({error.message}).")


def _blank_message(doc: Document, path: tuple[Any, ...], name: str, sub: dict[str, Any]) -> str:
    description = str(sub.get("description") or "").strip().rstrip(".")
    if path and isinstance(path[-1], int):
        remedy = "oder entfernen Sie den Listeneintrag"
    elif path and path[-1] in _node_at(_validator(_schema_name(doc)).schema, path[:-1]).get("required", ()):
        remedy = "(Pflichtfeld)"
    else:
        remedy = "oder lassen Sie das Feld weg"
    what = f": {description}" if description else ""
    return f"`{name}` besteht nur aus Leerzeichen. Tragen Sie einen Text ein {remedy}{what}."


def _node_at(node: Any, path: tuple[Any, ...]) -> dict[str, Any]:
    """The (inlined) subschema for the value at ``path``; ``{}`` where there is none."""
    for part in path:
        if not isinstance(node, dict):
            return {}
        if isinstance(part, int):
            items = node.get("items", {})
            node = items[part] if isinstance(items, list) and part < len(items) else items
        elif part in node.get("properties", {}):
            node = node["properties"][part]
        else:
            node = node.get("additionalProperties", {})
    return node if isinstance(node, dict) else {}


def _range_message(name: str, validator: str, error: Any, sub: dict[str, Any]) -> str:
    limit = german_number(error.validator_value)
    if validator == "minimum":
        problem = f"ist kleiner als erlaubt (mindestens {limit})"
    elif validator == "maximum":
        problem = f"ist größer als erlaubt (höchstens {limit})"
    elif validator == "exclusiveMinimum":
        problem = f"ist zu klein (erlaubt ist nur mehr als {limit})"
    else:
        problem = f"ist zu groß (erlaubt ist nur weniger als {limit})"
    description = str(sub.get("description") or "").strip()
    hint = f" {description}" if description else ""
    return f"`{name}: {error.instance}` {problem}. Prüfen Sie die Zahl (Tippfehler, Nullen?).{hint}"


def _length_message(name: str, validator: str, error: Any) -> str:
    limit = error.validator_value
    if validator == "maxLength":
        return (
            f"`{name}` ist {len(error.instance)} Zeichen lang; erlaubt sind höchstens {limit}. "
            "Kürzen Sie den Text."
        )
    if validator == "minLength":
        return f"`{name}` darf nicht leer sein."
    if validator == "maxItems":
        return f"`{name}` hat {len(error.instance)} Einträge; erlaubt sind höchstens {limit}."
    if validator == "minItems":
        wanted = "einen Eintrag" if limit == 1 else f"{limit} Einträge"
        return f"`{name}` braucht mindestens {wanted}, hat aber {len(error.instance)}."
    return f"`{name}` enthält einen Wert doppelt."


_FORMAT_MESSAGES = {
    "date": (Code.DATE, "ist kein gültiges Datum. Schreiben Sie JJJJ-MM-TT, z. B. 2026-03-15."),
    "jahr-monat": (
        Code.DATE,
        "ist kein gültiges Jahr oder Monat. Schreiben Sie JJJJ oder JJJJ-MM, z. B. 2025-04.",
    ),
    "jahr": (Code.DATE, "ist keine gültige Jahreszahl. Schreiben Sie JJJJ, z. B. 2019."),
    "frist": (Code.DATE, "ist keine gültige Frist. Schreiben Sie JJJJ-MM-TT oder `laufend`."),
    "http-url": (
        Code.LINK_SCHEME,
        "ist keine erlaubte Webadresse. Erlaubt sind nur Adressen, die mit https:// "
        "oder http:// beginnen.",
    ),
    "email": (Code.PATTERN, "ist keine gültige E-Mail-Adresse."),
    "telefon": (Code.PATTERN, "ist keine gültige Telefonnummer."),
}  # fmt: skip
#: Formats whose reason :mod:`regiodocs.contacts` tells (what exactly is wrong with the value).
_FORMAT_REASONS = {
    "email": contacts.email_problem, "telefon": contacts.phone_problem, "http-url": contacts.url_problem,
}  # fmt: skip


def _format_finding(
    doc: Document, where: yamlio.Pos, name: str, error: Any, fmt: str | None = None
) -> Finding:
    fmt = fmt or error.validator_value
    code, text = _FORMAT_MESSAGES.get(fmt, (Code.PATTERN, "hat ein ungültiges Format."))
    reason = _FORMAT_REASONS[fmt](error.instance) if fmt in _FORMAT_REASONS else None
    if fmt == "http-url" and not re.match(r"https?://", str(error.instance), re.IGNORECASE):
        # not even http(s)://: the message says what is allowed, the reason what was perhaps meant
        reason = reason if reason and reason.startswith("Meinten Sie") else None
    elif fmt == "http-url":
        text = "ist keine gültige Webadresse."  # the scheme is right; the reason says what is not
    return _finding(doc, where, code, f"`{name}: {error.instance}` {text}" + (f" {reason}" if reason else ""))


def _properties(sub: dict[str, Any], doc: Document) -> set[str]:
    return set(sub.get("properties", {}))


def _describe(sub: dict[str, Any], key: str, doc: Document) -> str:
    prop = sub.get("properties", {}).get(key)
    if not prop:
        return ""
    node, _ = resolve(prop, f"{doc.kind}.schema.json")
    return str(prop.get("description") or node.get("description") or "")


# ---------------------------------------------------------------- annotations


def annotated(name: str, data: object, keyword: str) -> Iterator[tuple[tuple[Any, ...], Any, object, bool]]:
    """Walk ``data`` along schema ``name``; yield every value annotated with ``keyword``.

    Yields ``(path, annotation, value, is_key)``; ``is_key`` is true where the
    annotation sits on ``propertyNames`` (the value is then a mapping key).
    """
    yield from _walk(schema(name), f"{name}.schema.json", data, (), keyword)


def _walk(
    node: dict[str, Any], base: str, data: object, path: tuple[Any, ...], keyword: str
) -> Iterator[tuple[tuple[Any, ...], Any, object, bool]]:
    if not _reaches(node, base, keyword):
        return  # no annotation anywhere below: the data need not be walked
    if keyword in node:
        yield path, node, data, False
    node, base = resolve(node, base)
    if keyword in node and "$ref" not in node:
        yield path, node, data, False
    if isinstance(data, dict):
        props = node.get("properties", {})
        extra = node.get("additionalProperties")
        names = node.get("propertyNames")
        for key, value in data.items():
            if names and keyword in names:
                yield (*path, key), names, key, True
            if key in props:
                yield from _walk(props[key], base, value, (*path, key), keyword)
            elif isinstance(extra, dict):
                yield from _walk(extra, base, value, (*path, key), keyword)
    elif isinstance(data, list):
        items = node.get("items")
        for index, value in enumerate(data):
            item = items[index] if isinstance(items, list) and index < len(items) else items
            if isinstance(item, dict):
                yield from _walk(item, base, value, (*path, index), keyword)


#: Per schema node and keyword: whether :func:`_walk` can find the keyword at or below it (the
#: node is kept with the answer, so that its ``id`` cannot be another node's later).
_REACHED: dict[tuple[int, str, str], tuple[dict[str, Any], bool]] = {}


def _reaches(node: dict[str, Any], base: str, keyword: str) -> bool:
    """Whether walking ``node`` can yield an annotation ``keyword``: else the data below it need
    not be walked (most of a record is text)."""
    key = (id(node), base, keyword)
    known = _REACHED.get(key)
    if known is not None:
        return known[1]
    _REACHED[key] = (node, True)  # while it is computed (a cycle): walk, as without this shortcut
    target, target_base = resolve(node, base)
    children: list[Any] = [*target.get("properties", {}).values(), target.get("additionalProperties")]
    items = target.get("items")
    children += items if isinstance(items, list) else [items]
    names = target.get("propertyNames")
    reached = (
        keyword in node
        or keyword in target
        or (isinstance(names, dict) and keyword in names)
        or any(isinstance(child, dict) and _reaches(child, target_base, keyword) for child in children)
    )
    _REACHED[key] = (node, reached)
    return reached


def used_media(content: model.Content) -> set[str]:
    """The media paths (content-relative, normalised) that any document names in its fields."""
    return media_of(content.documents())


def media_path(value: str) -> str:
    """A media field's path as the check compares it: ``/`` separators, normalised."""
    return posixpath.normpath(value.replace("\\", "/"))


def media_of(docs: Iterable[model.Document]) -> set[str]:
    """The media paths (content-relative, normalised) that ``docs`` name in their fields."""
    used = set()
    for doc in docs:
        for _path, _node, value, _k in annotated(doc.kind, doc.data, "x-medien"):
            if isinstance(value, str):
                used.add(media_path(value))
    return used


def intern_media(content: model.Content) -> set[str]:
    """Media an intern record names: never published, even if a public record names them too."""
    return media_of(d for d in content.documents() if not d.public)


def publishable_media(content: model.Content, *, intern: bool) -> set[str]:
    """The existing media files an edition copies: those its records name (none of an intern
    record's in the public edition)."""
    used = used_media(content.visible(intern=intern))
    if not intern:
        used -= intern_media(content)
    return {rel for rel in used if rel in content.media}
