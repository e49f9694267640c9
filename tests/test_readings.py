"""Kept readings (regiodocs.readings): a check with the cache says exactly what a check without it says."""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
from pathlib import Path

import pytest

from regiodocs import checks, readings, schema, yamlio

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 11, 22)


def _check(root: Path, cache: Path, monkeypatch: pytest.MonkeyPatch, only: set[str] | None = None) -> list:
    monkeypatch.setenv("REGIODOCS_CACHE", str(cache))
    checks._LAST.clear()  # the in-process memo would answer a second run without reading
    result = checks.check(root, root.parent, today=TODAY, only=only, bodies=False)
    return [f.as_dict() for f in result.findings]


def _tree(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(FIXTURES / "basis", root)
    return root


def _text_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in (".md", ".yaml") and p.is_file())


def _mutate(path: Path, rng: random.Random) -> None:
    """One random edit of a file, as contributors make them: good ones and broken ones."""
    lines = path.read_text(encoding="utf-8").split("\n")
    i = rng.randrange(len(lines))
    edit = rng.choice(["delete", "duplicate", "value", "key", "control", "indent", "email", "append", "swap"])
    if edit == "delete":
        del lines[i]
    elif edit == "duplicate":
        lines.insert(i, lines[i])
    elif edit == "value" and ": " in lines[i]:
        key, _, _ = lines[i].partition(": ")
        lines[i] = f"{key}: {rng.choice(['2026-13-01', 'planung', '42', 'x' * 3, '[a, b', 'https://x.de'])}"
    elif edit == "key":
        lines.insert(i, rng.choice(["titel: Doppelt", "unbekannt: 1", "statsu: idee", "- frei"]))
    elif edit == "control":
        lines[i] += "\x1b"
    elif edit == "indent":
        lines[i] = "\t" + lines[i]
    elif edit == "email":
        lines.insert(i, "  email: kein-at.de")
    elif edit == "append":
        lines.append(rng.choice(["Ein Satz mehr.", "## Neu", "- Punkt"]))
    elif edit == "swap" and len(lines) > 1:
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize("seed", [20261202, 7, 1234])
def test_after_random_edits_a_check_with_kept_readings_reports_what_a_fresh_check_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
):
    rng = random.Random(seed)
    root = _tree(tmp_path)
    kept = tmp_path / "kept"
    files = _text_files(root)
    _check(root, kept, monkeypatch)
    compared = 0
    for step in range(25):
        for path in rng.sample(files, rng.choice([1, 1, 2])):
            _mutate(path, rng)
        only = None
        if step % 4 == 3:  # now and then a check of some files, as a pre-commit hook runs it
            only = {p.relative_to(root).as_posix() for p in rng.sample(files, 2)}
        fresh = _check(root, tmp_path / f"frisch-{step}", monkeypatch, only)
        with_cache = _check(root, kept, monkeypatch, only)
        assert with_cache == fresh, f"step {step}"
        compared += bool(fresh)
    assert compared > 5  # the edits produced findings to compare, lines and all


def test_an_unchanged_file_is_not_parsed_again_and_its_findings_keep_their_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    root = _tree(tmp_path)
    record = sorted((root / "projekte").rglob("*.md"))[0]
    record.write_text(record.read_text(encoding="utf-8").replace("status:", "statsu:", 1), encoding="utf-8")
    first = _check(root, tmp_path / "kept", monkeypatch)
    assert any(f["file"].endswith(record.name) and f["line"] > 1 for f in first)
    parsed: list[str] = []
    real_parse = yamlio.parse
    monkeypatch.setattr(yamlio, "parse", lambda text, **kw: parsed.append(text) or real_parse(text, **kw))
    assert _check(root, tmp_path / "kept", monkeypatch) == first
    assert parsed == []
    record.write_text(record.read_text(encoding="utf-8") + "\nNoch ein Satz.\n", encoding="utf-8")
    assert _check(root, tmp_path / "kept", monkeypatch) == first
    assert len(parsed) == 1  # only the edited file


def test_a_check_of_one_file_keeps_the_readings_of_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    root = _tree(tmp_path)
    _check(root, tmp_path / "kept", monkeypatch)
    one = sorted((root / "projekte").rglob("*.md"))[0].relative_to(root).as_posix()
    _check(root, tmp_path / "kept", monkeypatch, only={one})
    stored = json.loads(next((tmp_path / "kept").glob("lesungen-*.json")).read_bytes())
    assert set(stored["dateien"]) == {p.relative_to(root).as_posix() for p in _text_files(root)}


def _entries(change):
    """A damage done to every kept entry (each is a JSON text of its own inside the cache)."""

    def damage(text: str) -> str:
        stored = json.loads(text)
        for rel, entry in stored["dateien"].items():
            stored["dateien"][rel] = json.dumps(change(json.loads(entry)))
        return json.dumps(stored)

    return damage


def _positions(entry: dict) -> dict:
    if entry["d"] and entry["d"][4]:
        entry["d"][4] = entry["d"][4][:-3]
    return entry


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],
        lambda text: json.dumps({"schluessel": "fremd", "dateien": json.loads(text)["dateien"]}),
        lambda text: "[" * 100_000,
        lambda text: json.dumps({"schluessel": json.loads(text)["schluessel"], "dateien": [1, 2]}),
        _entries(lambda e: e | {"h": "0" + e["h"]}),
        _entries(lambda e: e | {"f": [[1, "x", "RD000", 3, "?"]]}),
        _entries(lambda e: e | {"f": ""}),
        _entries(lambda e: e | {"f": {}}),
        _entries(lambda e: e | {"s": ""}),
        _entries(lambda e: e | {"s": ["kaputt"]}),
        _entries(lambda e: e | {"d": None, "f": []}),
        _entries(lambda e: e | {"d": [[], *(e["d"] or [None])[1:]]}),
        _entries(lambda e: [e]),
    ],
)
def test_a_damaged_cache_changes_no_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage):
    root = _tree(tmp_path)
    record = sorted((root / "projekte").rglob("*.md"))[0]
    record.write_text(record.read_text(encoding="utf-8").replace("status:", "statsu:", 1), encoding="utf-8")
    first = _check(root, tmp_path / "kept", monkeypatch)
    assert first
    cache = next((tmp_path / "kept").glob("lesungen-*.json"))
    damaged = damage(cache.read_text(encoding="utf-8"))
    assert damaged != cache.read_text(encoding="utf-8")
    cache.write_text(damaged, encoding="utf-8")
    assert _check(root, tmp_path / "kept", monkeypatch) == first
    assert _check(root, tmp_path / "kept", monkeypatch) == first


def test_damaged_positions_only_move_the_messages_to_the_first_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    root = _tree(tmp_path)
    record = sorted((root / "projekte").rglob("*.md"))[0]
    record.write_text(record.read_text(encoding="utf-8").replace("status:", "statsu:", 1), encoding="utf-8")
    first = _check(root, tmp_path / "kept", monkeypatch)
    cache = next((tmp_path / "kept").glob("lesungen-*.json"))
    cache.write_text(_entries(_positions)(cache.read_text(encoding="utf-8")), encoding="utf-8")
    # the documented limit of a lazily decoded cache: same findings, at the file's first line
    assert [(f["file"], f["code"]) for f in _check(root, tmp_path / "kept", monkeypatch)] == [
        (f["file"], f["code"]) for f in first
    ]


def test_a_cache_that_is_a_fifo_is_ignored_without_waiting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import os

    root = _tree(tmp_path)
    first = _check(root, tmp_path / "kept", monkeypatch)
    cache = next((tmp_path / "kept").glob("lesungen-*.json"))
    cache.unlink()
    os.mkfifo(cache)
    assert _check(root, tmp_path / "kept", monkeypatch) == first  # would block in open() or read()


def test_a_content_root_whose_path_is_not_utf8_is_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import os

    folder = Path(os.fsdecode(bytes(tmp_path) + b"/ordner-\xe4"))
    root = folder / "content"
    shutil.copytree(FIXTURES / "basis", root)
    fresh = _check(root, tmp_path / "frisch", monkeypatch)
    assert _check(root, tmp_path / "kept", monkeypatch) == fresh
    parsed: list[str] = []
    real_parse = yamlio.parse
    monkeypatch.setattr(yamlio, "parse", lambda text, **kw: parsed.append(text) or real_parse(text, **kw))
    assert _check(root, tmp_path / "kept", monkeypatch) == fresh
    assert parsed == []  # the readings were kept for that tree and recalled


def test_without_a_home_folder_a_cache_folder_someone_else_could_write_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import os
    import pathlib
    import tempfile

    from regiodocs import cachefiles

    monkeypatch.delenv("REGIODOCS_CACHE", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(pathlib.Path, "home", staticmethod(no_home))
    usual = tmp_path / f"regiodocs-cache-{os.getuid()}"
    assert cachefiles.cache_dir() == usual and usual.stat().st_mode & 0o777 == 0o700
    usual.chmod(0o777)  # as if another user had made it, open to all
    other = cachefiles.cache_dir()
    assert other != usual and other.parent == tmp_path and other.stat().st_mode & 0o777 == 0o700


def test_a_cache_file_is_private_to_its_user(tmp_path: Path):
    from regiodocs import cachefiles

    assert cachefiles.write_atomic(tmp_path / "c" / "x.json", b"{}")
    assert (tmp_path / "c" / "x.json").stat().st_mode & 0o777 == 0o600


def test_a_lone_surrogate_in_a_value_is_kept_and_read_back(tmp_path: Path):
    from regiodocs import model

    kept = readings.Readings(tmp_path / "lesungen.json")
    blank = model.Document(kind="seite", id="x", path="content/seiten/x.md", rel="seiten/x.md", data={})
    blank.source_hash = "ab"
    doc = model.Document(
        kind="seite", id="x", path=blank.path, rel=blank.rel, data={"titel": "a\ud800b"}, source_hash="ab"
    )
    kept.remember(blank, doc, [])
    kept.save()
    again = readings.Readings(tmp_path / "lesungen.json")
    recalled = again.recall(blank)
    assert recalled is not None and recalled[0] is not None
    assert recalled[0].data == {"titel": "a\ud800b"}


def test_changing_a_recalled_document_does_not_change_what_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    root = _tree(tmp_path)
    _check(root, tmp_path / "kept", monkeypatch)
    monkeypatch.setenv("REGIODOCS_CACHE", str(tmp_path / "kept"))
    kept = readings.Readings.of(root)
    checks._LAST.clear()
    from regiodocs import loading

    content, _ = loading.load(root, root.parent, memory=kept)
    for doc in content.documents():
        doc.data["titel"] = "verändert"
        kept.validate(doc)
    kept.changed = True
    kept.save()
    again = readings.Readings.of(root)
    content, _ = loading.load(root, root.parent, memory=again)
    assert "verändert" not in {doc.data.get("titel") for doc in content.documents()}


def test_the_pruned_schema_walk_finds_every_annotation_the_full_walk_finds(monkeypatch: pytest.MonkeyPatch):
    from regiodocs import loading

    content, _ = loading.load(FIXTURES / "basis", FIXTURES)
    docs = list(content.documents())
    keywords = ("x-verweis", "x-medien")
    pruned = [list(schema.annotated(d.kind, d.data, k)) for d in docs for k in keywords]
    monkeypatch.setattr(schema, "_reaches", lambda *args: True)
    full = [list(schema.annotated(d.kind, d.data, k)) for d in docs for k in keywords]
    assert pruned == full
    assert sum(map(len, full)) > 20
