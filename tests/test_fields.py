"""The one field model (``schema.fields``) and the consumers that read the schemas through it."""

from __future__ import annotations

import ast
import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from regiodocs import cms, loading, model, reference, scaffold, schema
from regiodocs.editions import diff, exports, records, review

from conftest import FIXTURES, ROOT

SCHEMAS = ROOT / "regiodocs" / "schemas"
ALL_KINDS = (*schema.SCHEMA_NAMES, "synonyme")


@cache
def _load(name: str) -> model.Content:
    root = ROOT / "content" if name == "content" else FIXTURES / name
    content, _ = loading.load(root, root.parent)
    return content


def _raw(file: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / file).read_text(encoding="utf-8"))


def _follow(node: dict[str, Any], file: str) -> tuple[dict[str, Any], str]:
    """An independent $ref resolver, to judge the model against."""
    while "$ref" in node:
        target_file, _, pointer = node["$ref"].partition("#")
        file = target_file or file
        node = _raw(file)
        for part in filter(None, pointer.split("/")):
            node = node[part]
    return node, file


def _expected(original: dict[str, Any], file: str, key: str) -> dict[str, Any]:
    node, file = _follow(original, file)
    return {
        "title": original.get("title") or node.get("title") or key,
        "description": original.get("description") or node.get("description") or "",
        "reference": original.get("x-verweis") or node.get("x-verweis"),
        "enum": tuple(node.get("enum", ())),
        "properties": list(node.get("properties", {})),
        "node": node,
        "file": file,
    }


def _walk(f: schema.Field) -> list[schema.Field]:
    nested = [f]
    for sub in f.properties:
        nested += _walk(sub)
    if f.items is not None:
        nested += _walk(f.items)
    return nested


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_the_model_lists_every_property_of_a_schema_with_its_resolved_title(kind: str):
    raw = _raw(f"{kind}.schema.json")
    found = schema.fields(kind)
    assert [f.name for f in found] == list(raw["properties"])
    assert schema.document(kind).needed == tuple(raw.get("required", ()))
    for f in found:
        want = _expected(raw["properties"][f.name], f"{kind}.schema.json", f.name)
        assert (f.title, f.description, f.reference, f.enum) == (
            want["title"], want["description"], want["reference"], want["enum"]
        ), f.path  # fmt: skip
        assert [p.name for p in f.properties] == want["properties"]
        assert f.required == (f.name in raw.get("required", ()))
        assert f.path == f.name


def test_a_nested_ref_is_resolved_into_the_common_schema():
    contact = schema.field("projekt", "kontakt")
    assert contact is not None and contact.items is not None  # kontakt → kontakt_eintrag, both $refs
    entry = contact.items
    assert [p.path for p in entry.properties][:3] == [
        "kontakt[].organisation", "kontakt[].funktion", "kontakt[].email"
    ]  # fmt: skip
    assert entry.child("email").format == "email"  # type: ignore[union-attr]
    assert entry.needed == ("organisation",) and entry.alternatives == ("email", "telefon")
    assert entry.conditional == ("name",)
    links = schema.field("projekt", "links")
    assert links is not None and links.items is not None
    assert links.items.child("url").format == "http-url"  # type: ignore[union-attr]


def test_a_propertys_own_words_win_over_its_definitions():
    date = schema.field("ergebnis", "datum")
    assert date is not None
    assert date.description == "Datum der Sitzung (JJJJ-MM-TT)."  # own; the definition says less
    assert date.format == "date" and date.types == ("string",)  # from the definition
    platform = schema.field("ergebnis", "plattform")
    assert platform is not None and platform.reference == "plattform"
    assert platform.pattern == "^[a-z0-9][a-z0-9-]*$"  # the definition's (kennung)
    who = schema.field("ergebnis", "vereinbarungen").items.child("wer")  # type: ignore[union-attr]
    assert who is not None and who.also == ("geschaeftsstelle",) and who.label("geschaeftsstelle")


def test_maps_and_tuples_keep_their_keys_values_and_positions():
    indicators = schema.field("projekt", "kennzahlen")
    assert indicators is not None and indicators.keys is not None and indicators.values is not None
    assert indicators.keys.reference == "kennzahl" and indicators.values.types == ("number",)
    place = schema.field("projekt", "ort")
    assert place is not None
    coordinates = place.child("koordinaten")
    assert coordinates is not None and len(coordinates.tuple_items) == 2
    assert coordinates.entry(5) is schema.UNKNOWN


def test_the_model_is_read_once():
    assert schema.fields("projekt") is schema.fields("projekt")
    assert schema.labels("projekt", "status") == schema.field("projekt", "status").labels  # type: ignore[union-attr]


# ---------------------------------------------------------------- consumers agree with the model


@pytest.mark.parametrize("name", ["content", "lhsr"])
def test_the_web_editor_labels_every_field_as_the_model_does(name: str):
    content = _load(name)
    config = cms.config(content.visible(intern=False), cms.Backend())
    for collection in config["collections"]:
        kind = collection["name"].split("-")[0]
        by_name = {f.name: f for f in schema.fields(kind)}
        for shown in collection["fields"]:
            if shown["name"] in by_name and shown["name"] != model.BODY_FIELD:
                f = by_name[shown["name"]]
                assert (shown["label"], shown["required"]) == (f.title, f.required)
                assert shown.get("hint", "") == f.description


def test_the_field_reference_has_a_row_for_every_field_of_the_model():
    ref = reference.field_reference()
    for entry in ref["dateitypen"]:
        rows = {r["name"]: r for r in entry["fields"]}
        model_fields = [g for f in schema.fields(entry["name"]) for g in _walk(f) if g.name]
        assert list(rows) == [g.path for g in model_fields]
        for g in model_fields:
            assert rows[g.path]["titel"] == g.title and rows[g.path]["pflicht"] == g.required


def test_reference_examples_are_ids_of_the_given_network():
    def examples(content: model.Content | None) -> set[str]:
        found = set()
        for entry in reference.field_reference(content)["dateitypen"]:
            for row in entry["fields"]:
                if "(" in row["typ"]:  # a reference: "Kennung (partner)", "Liste von Kennungen (…)"
                    value = row["beispiel"]
                    found |= set(value) if isinstance(value, list) else {value}
        return found

    lhsr = _load("lhsr")
    kinds = ("partner", "plattform", "eintrag", *model.REGISTRY_OF_KIND, *model.RECORD_TYPE_BY_NAME)
    known = {i for kind in kinds for i, _t in model.vocabulary(lhsr, kind)}
    assert examples(lhsr) <= known | {reference.PLACEHOLDER_ID}
    assert "duesseldorf" in examples(lhsr) and "neuss" not in examples(lhsr)
    assert examples(None) == {reference.PLACEHOLDER_ID}


@pytest.mark.parametrize("name", ["content", "lhsr"])
def test_scaffold_asks_the_models_required_fields(name: str):
    content = _load(name)
    for rtype in model.RECORD_TYPES:
        doc = schema.document(rtype.name)
        asked = {q.key for q in scaffold.questions(rtype.name, content) if q.group is None}
        groups = {q.group for q in scaffold.questions(rtype.name, content) if q.group}
        assert asked | groups == set(doc.needed) - set(scaffold.AUTO_FIELDS)
        views = scaffold.field_views(rtype.name, {}, content)
        assert [v["name"] for v in views] == [
            k for k in [*doc.needed, *(f.name for f in doc.properties if f.name not in doc.needed)]
            if k != model.BODY_FIELD
        ]  # fmt: skip
        for view in views:
            assert view["titel"] == schema.field(rtype.name, view["name"]).title  # type: ignore[union-attr]


@pytest.mark.parametrize("name", ["content", "lhsr"])
def test_exports_and_records_follow_the_models_order_and_titles(name: str):
    content = _load(name)
    kennzahlen = content.registry("kennzahlen")
    for rtype in model.RECORD_TYPES:
        order = [f.name for f in schema.fields(rtype.name)]
        titles = {f.name: f.title for f in schema.fields(rtype.name)}
        for col in exports.columns(rtype.name, kennzahlen):
            top = col.name.split(".")[0]
            if top in titles and top != "kennzahlen":
                assert col.titel.startswith(titles[top])
    for rec in records.records(content):
        order = [f.name for f in schema.fields(rec.kind)]
        assert list(rec.fields) == [k for k in order if k in rec.fields]


def test_diff_names_partners_of_top_level_references_and_the_offices_label():
    names = {"partner": {"neuss": "Stadt Neuss"}, "plattform": {"mobil": "Mobilität"}}
    before = {"id": "x", "typ": "ergebnis", "felder": {}}
    after = {"id": "x", "typ": "ergebnis", "felder": {
        "gastgeber": "neuss", "plattform": "mobil",
        "vereinbarungen": [{"was": "A", "wer": "geschaeftsstelle"}, {"was": "B", "wer": "neuss"}],
    }}  # fmt: skip
    shown = {c["feld"]: c["neu"] for c in diff.changed_fields(before, after, names)}
    who = schema.field("ergebnis", "vereinbarungen").items.child("wer")  # type: ignore[union-attr]
    assert shown["gastgeber"] == "Stadt Neuss" and shown["plattform"] == "Mobilität"
    assert shown["vereinbarungen"] == f"A (Wer: {who.label('geschaeftsstelle')}); B (Wer: Stadt Neuss)"


# ---------------------------------------------------------------- one helper each


def test_vocabulary_and_types_exist_once():
    assert not hasattr(cms, "vocabulary") and not hasattr(scaffold, "known_ids")
    assert not hasattr(exports, "_types") and not hasattr(records, "_types")
    lhsr = _load("lhsr")
    assert [i for i, _t in model.vocabulary(lhsr, "handlungsfeld")] == [
        e["id"] for e in lhsr.registry("handlungsfelder")
    ]
    assert model.vocabulary(lhsr, "partner") == sorted((k, d.title) for k, d in lhsr.partner.items())


@pytest.mark.parametrize(
    ("agreement", "expected"),
    [
        ({"was": "a", "wer": "x", "bis": "2026-11-21"}, True),
        ({"was": "a", "wer": "x", "bis": "2026-11-22"}, False),  # due today: not yet overdue
        ({"was": "a", "wer": "x", "bis": "2026-01-01", "erledigt": True}, False),
        ({"was": "a", "wer": "x", "bis": "2026-01-01", "erledigt": False}, True),
        ({"was": "a", "wer": "x"}, False),  # no deadline
    ],
)
def test_an_agreement_is_overdue_after_its_deadline_until_done(agreement: dict[str, Any], expected: bool):
    assert model.overdue(agreement, dt.date(2026, 11, 22)) is expected


def test_the_review_lists_exactly_the_overdue_agreements():
    content = _load("content")
    day = dt.date(2026, 11, 22)
    listed = {(a["id"], a["nummer"]) for a in review.review(content, today=day).vereinbarungen}
    expected = {
        (d.id, i + 1)
        for d in content.of_type("ergebnis")
        for i, a in enumerate(d.data.get("vereinbarungen") or [])
        if model.overdue(a, day)
    }
    assert listed == expected and listed
    office = [a for a in review.review(content, today=day).vereinbarungen if a["wer"] == "geschaeftsstelle"]
    assert office and {a["wer_name"] for a in office} == {"Geschäftsstelle"}  # from the schema's label


# ---------------------------------------------------------------- no network in the code

MODULES = ("schema.py", "cms.py", "scaffold.py", "reference.py", "model.py", "editions/records.py",
           "editions/exports.py", "editions/diff.py", "editions/review.py",
           "editions/manifest.py")  # fmt: skip


def _literals(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and ast.get_docstring(node)
    }
    return {
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings
    }


def test_the_field_modules_know_no_id_of_the_shipped_network():
    content = _load("content")
    ids = {i for kind in ("partner", "plattform", "eintrag", *model.REGISTRY_OF_KIND)
           for i, _t in model.vocabulary(content, kind)}  # fmt: skip
    words = {f.name for kind in ALL_KINDS for f in _walk(schema.document(kind))}  # field names
    words |= {t.folder for t in model.RECORD_TYPES} | {t.name for t in model.RECORD_TYPES}
    ids = (ids - words) | {"geschaeftsstelle", "regionetzwerk/handbuch"}
    for module in MODULES:
        found = _literals(ROOT / "regiodocs" / module) & ids
        assert not found, f"{module}: {sorted(found)}"
