"""What the search index keeps between builds (regiodocs/search/cache.py): never what it says.

An index made with the kept analyses must be the index made without them, whatever was
edited in between; a damaged or foreign cache file is ignored.
"""

from __future__ import annotations

import datetime as dt
import marshal
import random
from pathlib import Path

import pytest
import yaml

from regiodocs import checks, search, site
from regiodocs.search import analyse, cache, lexicon
from regiodocs.search.compounds import FUGEN, MIN_PART
from regiodocs.search.index import known_words

from conftest import TODAY, copy_tree

SEED = 16


def _index(content: Path, store: Path | None) -> search.SearchIndex:
    today = dt.date.fromisoformat(TODAY)
    result = checks.check(content, content.parent, today=today)
    assert not result.errors, result.errors
    pages = site.plan(result.content, today=today)
    return search.from_plan(pages, result.content.visible(intern=False), store=store)


def _records(content: Path) -> list[Path]:
    return sorted(p for p in (content / "projekte").rglob("*.yaml"))


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


#: The edits of the random sequence (each once, in a random order, on random records).
EDITS = ("body", "title", "status", "remove", "synonyms", "phrase", "body")


def _random_edit(rng: random.Random, content: Path, kind: str) -> str:
    """One edit of the content tree: a body, a title, a status, a record gone, the synonyms."""
    records = _records(content)
    record = rng.choice(records)
    if kind == "body":
        word = rng.choice(["Mitfahrbank", "Quartiersgarage", "Regenrückhaltebecken", "Lastenradverleih"])
        _edit(
            record, lambda d: d.update(beschreibung=f"{d['beschreibung']}\n\nNeu: die {word} im Stadtteil.")
        )
    elif kind == "title":
        _edit(record, lambda d: d.update(titel=f"{d['titel']} {rng.choice(['Nord', 'Süd', 'Zwei'])}"))
    elif kind == "status":
        _edit(
            record, lambda d: d.update(status=rng.choice(["idee", "planung", "umsetzung", "abgeschlossen"]))
        )
    elif kind == "remove":
        record.unlink()
    elif kind == "phrase":  # a phrase of the fixture's text (stop words skipped)
        _edit(
            content / "synonyme.yaml",
            lambda d: d["gruppen"].append(["Wolkenbruchkunde", "Regenwasser vor Ort"]),
        )
    else:
        path = content / "synonyme.yaml"
        group = rng.choice([["Mitfahrbank", "Mitnahmebank"], ["Stadtteil", "Quartier", "Veedel"]])
        _edit(path, lambda d: d.setdefault("gruppen", []).append(group))
    return f"{kind} {record.name}"


def test_a_warm_index_equals_a_cold_one_after_every_edit(tmp_path: Path):
    """A fixed random sequence of edits; after each the kept index is byte for byte the fresh one."""
    content = copy_tree("suche", tmp_path / "content")
    store = tmp_path / "work" / "suche.marshal"
    rng = random.Random(SEED)
    first = _index(content, store)
    assert store.exists()
    assert first.files == _index(content, None).files
    versions = {first.version}
    edits = list(EDITS)
    rng.shuffle(edits)
    for kind in edits:
        what = _random_edit(rng, content, kind)
        warm, cold = _index(content, store), _index(content, None)
        assert warm.files == cold.files, what
        versions.add(warm.version)
    assert len(versions) > 3  # the edits changed the index


def test_changed_synonyms_reach_a_warm_index(tmp_path: Path):
    content = copy_tree("suche", tmp_path / "content")
    store = tmp_path / "suche.marshal"
    before = _index(content, store)
    group = ["Zebrastreifenwunder", "Regenwasser vor Ort"]  # a phrase of the fixture's text
    _edit(content / "synonyme.yaml", lambda d: d["gruppen"].append(group))
    after = _index(content, store)
    assert after.files == _index(content, None).files
    assert after.version != before.version
    assert analyse.stem("zebrastreifenwunder") in after.postings  # gets the phrase's records
    assert analyse.stem("zebrastreifenwunder") not in before.postings


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign", "wrong shape"])
def test_a_damaged_or_foreign_store_is_ignored(tmp_path: Path, damage: str):
    content = copy_tree("suche", tmp_path / "content")
    store = tmp_path / "suche.marshal"
    clean = _index(content, store)
    data = store.read_bytes()
    if damage == "garbage":
        store.write_bytes(b"\x00nonsense" * 100)
    elif damage == "truncated":
        store.write_bytes(data[: len(data) // 2])
    elif damage == "foreign":  # another version of regiodocs wrote it
        store.write_bytes(cache.MAGIC + marshal.dumps((("andere", "version"), ({}, {}, {}, ()))))
    else:
        key = marshal.loads(data[len(cache.MAGIC) :])[0]
        store.write_bytes(cache.MAGIC + marshal.dumps((key, ["keine", "Tabelle"])))
    assert _index(content, store).files == clean.files
    assert cache.load(store, cache.Store.open(store, clean.lexicon).key) is not None  # written anew


def _old_known_words(postings, groups, dictionary) -> set[str]:
    """known_words as it was before the cache (regiodocs 68ef46e): the reference."""
    known = {stems[0] for group in groups for _t, stems in group if len(stems) == 1}

    def cuttable(word: str) -> bool:
        for cut in range(MIN_PART, len(word) - MIN_PART + 1):
            if analyse.stem(word[cut:]) not in postings:
                continue
            for fuge in FUGEN:
                end = cut - len(fuge)
                if end >= MIN_PART and word[end:cut] == fuge and analyse.stem(word[:end]) in postings:
                    return True
        return False

    for word, zipf in dictionary:
        if zipf < 3.0 or len(word) < 6 or not word.isalpha():
            continue
        own = analyse.stem(word)
        if own not in postings and own not in known and cuttable(word):
            known.add(own)
    return {k for k in known if k not in postings and k.isalpha()}


DICTIONARY = [
    ("altstadt", 3.5), ("altstädte", 3.1), ("radweg", 3.9), ("radwege", 3.4), ("stadtrand", 3.2),
    ("randweg", 2.0), ("wegesrand", 3.0), ("stadtrat", 4.1), ("seltenwort", 1.0), ("x-stadt", 3.5),
    ("bahnsteig", 3.6), ("steigung", 3.3), ("stadtbahn", 3.2), ("bahn", 4.5), ("radweges", 3.0),
]  # fmt: skip


def test_known_words_from_the_cached_cuts_are_the_old_ones():
    postings = {analyse.stem(w): {0: 1} for w in ("alt", "stadt", "rad", "weg", "rand", "bahn", "rat")}
    groups = [[("Bahnsteig", [analyse.stem("bahnsteig")]), ("Gleis", [analyse.stem("gleis")])]]
    cuts = cache.compute_cuts(DICTIONARY, analyse.stem, min_zipf=3.0, min_length=6)
    for drop in [(), ("rad",), ("stadt",), ("alt", "weg")]:
        have = {t: d for t, d in postings.items() if t not in {analyse.stem(w) for w in drop}}
        assert known_words(have, groups, cuts) == _old_known_words(have, groups, DICTIONARY), drop
    assert analyse.stem("altstadt") in known_words(postings, groups, cuts)


def test_the_dictionary_cache_is_keyed_and_ignored_when_damaged(tmp_path: Path):
    calls = []

    def dictionary():
        calls.append(1)
        return DICTIONARY

    def cuts(name: str = "lexikon 1"):
        return cache.dictionary_cuts(
            name, dictionary, analyse.stem, min_zipf=3.0, min_length=6, folder=tmp_path
        )

    fresh = cuts()
    assert cuts() == fresh and len(calls) == 1  # kept
    (path,) = tmp_path.glob("suche-woerter-*.marshal")
    path.write_bytes(path.read_bytes()[:-20])
    assert cuts() == fresh and len(calls) == 2  # damaged: made again
    assert cuts("lexikon 2") == fresh and len(calls) == 3  # another lexicon: another file
    assert len(list(tmp_path.glob("suche-woerter-*.marshal"))) == 2


def test_the_lexicon_copy_answers_like_wordfreq_and_a_broken_copy_falls_back(tmp_path, monkeypatch):
    monkeypatch.setenv("REGIODOCS_CACHE", str(tmp_path))
    try:
        table = lexicon._zipf()
    except lexicon.LexiconMissing:
        pytest.skip("ohne wordfreq")
    words = [*random.Random(SEED).sample(sorted(table), 300), "straße", "xyzzyquux", "radweg"]
    expected = [table.get(w.replace("ß", "ss"), 0.0) for w in words]
    assert [lexicon.lexicon()(w) for w in words] == expected  # makes the copy
    (copy,) = tmp_path.glob("lexikon-*.sqlite")
    assert [lexicon.lexicon()(w) for w in words] == expected  # reads it
    copy.write_bytes(b"kein SQLite")
    assert [lexicon.lexicon()(w) for w in words] == expected  # falls back to wordfreq
