"""The static search index: plain data written as small JavaScript files.

Layout of ``_suche/`` in the built site (every file calls a function of
``suche.js``, so the same files load over HTTP and from ``file://``, where a
browser refuses ``fetch`` but runs ``<script>``)::

    index.js      regioSuche.index({...})    version, shard boundaries, facets
                                             with labels, stop words
    t/<n>.js      regioSuche.teil("t/<n>", {"t": {term: postings}, "f": facet codes,
                                            "s": {term: [synonyms it was given]},
                                            "w": [known words: no term, not to split]})
    e/<n>.js      regioSuche.teil("e/<n>", {result card of document n})

Terms are stems (:mod:`.analyse`); the shards hold contiguous ranges of the
sorted terms, cut at about :data:`SHARD_BYTES`, so a query loads the index,
one shard per query word (two for a prefix that crosses a boundary) and the
cards of the results it shows – a few small files whatever the handbook's size.
A shard carries the facet codes of the documents its postings name, so facet
counts need no table of all documents.

Synonyms (the shipped thesaurus and ``content/synonyme.yaml``, :mod:`.vocabulary`) are
applied here, at index time: every term of a group gets the postings of the group's other
terms that occur (:data:`SYNONYM_FACTOR` of their score, the best :data:`MAX_SYNONYM_DOCS`
documents of each), a phrase of two or three words
under its stems joined by spaces (``"offent nahverkehr"``). ``"s"`` names, per term, the
synonyms it was given, for the result page's note and highlighting. A query therefore loads
no thesaurus; of a group of which nothing occurs only its single words remain, as known words
(``"w"``, not to be split by the browser).

Compact encodings (numbers in base 36, documents in ascending order as gaps):

- postings ``"gap.score,gap.score,…"``: document ``n`` scores ``score`` for the term;
- facet codes ``"gap:code gap:code …"``; a code lists per facet (in the order of
  ``facetten`` in ``index.js``, separated by ``|``) the indices of the document's
  values, separated by ``,``: ``"0|3|5|0,3|1|2"``.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..site import Labels
from . import analyse, cache
from .cache import Cuts
from .compounds import FUGEN, Splitter
from .documents import FACETS, WEIGHTS, SearchDoc, type_labels

FOLDER = "_suche"
SHARD_BYTES = 6000
PART_FACTOR = 0.7  # a hit on a compound part counts less than the whole word
SYNONYM_FACTOR = 0.8  # a hit through a synonym counts less than the word itself
MAX_PHRASE = 3  # longest phrase (in indexed words) a query can match as one term
#: A term gets at most this many documents from each synonym (its best-scoring ones), so a
#: common word's shard, and the bytes of a query for it, grow little with the thesaurus.
MAX_SYNONYM_DOCS = 100
#: The term every record carries (no analysed word can be it): an empty query lists all
#: records with its postings, scored newest first (by ``stand``).
ALL_TERM = "*"


@dataclass
class Facet:
    id: str
    name: str
    values: list[tuple[str, str]]  # (id, label), in display order

    def index(self) -> dict[str, int]:
        return {v: i for i, (v, _l) in enumerate(self.values)}


@dataclass
class SearchIndex:
    docs: list[SearchDoc]
    facets: list[Facet]
    postings: dict[str, dict[int, int]]  # term -> doc -> score
    synonyms: list[list[tuple[str, list[str]]]]  # groups of (term, stems a document must contain)
    lexicon: str
    given: dict[str, list[str]] = field(default_factory=dict)  # term -> synonyms it got postings of
    known: set[str] = field(default_factory=set)  # stems of known words that are no term (not split)
    files: dict[str, str] = field(default_factory=dict)  # relative path -> text
    version: str = ""

    labels: dict[str, Any] = field(default_factory=dict)  # facet labels (see facet_labels)
    codes: list[str] = field(default_factory=list)  # facet code of each document (see _render)

    def facet_code(self, doc: SearchDoc) -> str:
        return facet_code(self.facets, doc)


def facet_code(facets: list[Facet], doc: SearchDoc) -> str:
    """``"0|3|5|0,3|1|2"``: per facet the indices of the document's values, base 36."""
    return facet_codes(facets, [doc])[0]


def facet_codes(facets: list[Facet], docs: list[SearchDoc]) -> list[str]:
    """:func:`facet_code` of each of ``docs``."""
    indices = [(facet.id, facet.index()) for facet in facets]
    return [
        "|".join(",".join(_b36(idx[v]) for v in doc.facets.get(f, []) if v in idx) for f, idx in indices)
        for doc in docs
    ]


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_B36 = [a + b for a in ("", *_DIGITS[1:]) for b in _DIGITS]  # 0 … 36² - 1


def _b36(n: int) -> str:
    if n < len(_B36):
        return _B36[n]
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = _DIGITS[r] + out
        if not n:
            return out


def _tf(count: int) -> float:
    return 1 + math.log(count) if count else 0.0


def doc_scores(doc: SearchDoc, analyser: analyse.Analyser) -> dict[str, int]:
    """The score of each term of one document (its fields' weights, term frequencies, parts)."""
    scores: dict[str, float] = defaultdict(float)
    for code, text in doc.fields:
        counts: dict[tuple[str, bool], int] = defaultdict(int)
        for term, is_part in analyser.terms(text):
            counts[(term, is_part)] += 1
        for (term, is_part), count in counts.items():
            scores[term] += WEIGHTS[code] * _tf(count) * (PART_FACTOR if is_part else 1.0)
    return {term: max(1, round(value)) for term, value in scores.items()}


def score_postings(
    docs: list[SearchDoc], analyser: analyse.Analyser, known: list[dict[str, int] | None] | None = None
) -> dict[str, dict[int, int]]:
    """Postings of all documents; ``known``: per document its :func:`doc_scores`, if known."""
    postings: dict[str, dict[int, int]] = defaultdict(dict)
    for n, doc in enumerate(docs):
        scores = known[n] if known is not None else None
        if scores is None:
            scores = doc_scores(doc, analyser)
        for term, value in scores.items():
            postings[term][n] = value
    records = sorted((n for n, d in enumerate(docs) if d.record), key=lambda n: (docs[n].stand or "", -n))
    if records:
        postings[ALL_TERM] = {n: rank + 1 for rank, n in enumerate(records)}  # newest: the highest score
    return postings


def synonym_groups(groups: list[list[str]]) -> list[list[tuple[str, list[str]]]]:
    """Each term of each group with the stems a document must contain (stop words left out)."""
    result = []
    for group in groups:
        alternatives: list[tuple[str, list[str]]] = []
        for term in group:
            stems = [analyse.stem(w) for w in analyse.tokens(term) if analyse.indexable(w)]
            if stems and all(stems != s for _t, s in alternatives):
                alternatives.append((term, stems))
        if len(alternatives) > 1:
            result.append(alternatives)
    return result


def doc_phrases(doc: SearchDoc, keys: set[tuple[str, ...]]) -> dict[str, int]:
    """The score of each phrase of ``keys`` that occurs in one document as a phrase."""
    lengths = {len(k) for k in keys}
    scores: dict[str, float] = defaultdict(float)
    for code, text in doc.fields:
        words = [analyse.stem(w) for w in analyse.tokens(text) if analyse.indexable(w)]
        counts: dict[tuple[str, ...], int] = defaultdict(int)
        for size in lengths:
            for i in range(len(words) - size + 1):
                run = tuple(words[i : i + size])
                if run in keys:
                    counts[run] += 1
        for run, count in counts.items():
            scores[" ".join(run)] += WEIGHTS[code] * _tf(count)
    return {key: max(1, round(value)) for key, value in scores.items()}


def phrase_postings(
    docs: list[SearchDoc],
    keys: set[tuple[str, ...]],
    known: list[dict[str, int] | None] | None = None,
) -> dict[str, dict[int, int]]:
    """Documents in which a phrase of the thesaurus occurs as a phrase (its words in a row,
    stop words between them skipped): ``"offent verkehr"`` → {doc: score}.

    So a multi-word synonym ("öffentlicher Verkehr") is not met by loose words in one record
    ("Öffentlichkeitsarbeit" … "Fußverkehrs"). ``known``: per document its
    :func:`doc_phrases` of these keys, if known.
    """
    found: dict[str, dict[int, int]] = defaultdict(dict)
    for n, doc in enumerate(docs):
        scores = known[n] if known is not None else None
        if scores is None:
            scores = doc_phrases(doc, keys)
        for key, value in scores.items():
            found[key][n] = value
    return dict(found)


#: A group term gets the documents of compounds with it as their head or modifier only when
#: its stem is at least this long (short words are parts of too many unrelated compounds).
MIN_COMPOUND_STEM = 6


def compound_postings(
    postings: dict[str, dict[int, int]],
    stems: set[str],
    splitter: Splitter | None,
    memo: dict[tuple[str, bool], bool] | None = None,
) -> dict[str, dict[int, float]]:
    """Per single-word group term: the documents of indexed words that are compounds with it
    as head or modifier (``retention`` → ``retentionsraum``), at :data:`PART_FACTOR`.

    The splitter keeps a word whole when the lexicon knows it better than its parts
    ("Retentionsräume"), so its parts are not indexed; a thesaurus term must still reach it.
    A cut counts when the rest (minus a linking element) is a word the splitter accepts
    (``memo``: such verdicts of earlier builds, kept up to date).
    """
    if splitter is None:
        return {}
    terms = sorted(t for t in postings if t.isalpha())
    backwards = sorted(t[::-1] for t in terms)
    found: dict[str, dict[int, float]] = {}
    verdicts = memo if memo is not None else {}

    def known(part: str, *, head: bool) -> bool:
        if len(part) < 4:
            return False
        verdict = verdicts.get((part, head))
        if verdict is None:
            verdict = any(splitter._score(part + e, head=head, stem=not head) for e in ("", "e", "en", "n"))
            verdicts[(part, head)] = verdict
        return verdict

    def add(target: dict[int, float], term: str) -> None:
        for doc, score in postings[term].items():
            target[doc] = max(target.get(doc, 0.0), score * PART_FACTOR)

    for s in stems:
        if len(s) < MIN_COMPOUND_STEM:
            continue
        target: dict[int, float] = {}
        i = bisect.bisect_left(terms, s)
        while i < len(terms) and terms[i].startswith(s):  # s is the modifier
            rest = terms[i][len(s) :]
            if rest and any(rest.startswith(f) and known(rest[len(f) :], head=True) for f in FUGEN):
                add(target, terms[i])
            i += 1
        r = s[::-1]
        i = bisect.bisect_left(backwards, r)
        while i < len(backwards) and backwards[i].startswith(r):  # s is the head
            term = backwards[i][::-1]
            rest = term[: -len(s)]
            if rest and any(
                rest.endswith(f) and known(rest[: len(rest) - len(f)], head=False) for f in FUGEN
            ):
                add(target, term)
            i += 1
        if target:
            found[s] = target
    return found


def _matches(
    postings: dict[str, dict[int, int]],
    stems: list[str],
    phrases: dict[str, dict[int, int]] | None = None,
    compounds: dict[str, dict[int, float]] | None = None,
) -> dict[int, float]:
    """Documents of a group term: a word's own and its compounds' (``compounds``), a phrase's
    where its words occur in a row (``phrases``; without them: every stem in the document)."""
    if len(stems) > 1 and phrases is not None:
        return dict(phrases.get(" ".join(stems), {}))
    if len(stems) == 1:
        own: dict[int, float] = dict((compounds or {}).get(stems[0], {}))
        for doc, score in postings.get(stems[0], {}).items():
            own[doc] = max(own.get(doc, 0.0), score)
        return own
    maps = [postings.get(s) for s in stems]
    if not maps or any(m is None for m in maps):
        return {}
    first, *rest = maps  # type: ignore[misc]
    return {
        doc: (score + sum(m[doc] for m in rest)) / len(maps)
        for doc, score in first.items()
        if all(doc in m for m in rest)
    }


def _best(docs: dict[int, float]) -> dict[int, float]:
    if len(docs) <= MAX_SYNONYM_DOCS:
        return docs
    return dict(sorted(docs.items(), key=lambda item: (-item[1], item[0]))[:MAX_SYNONYM_DOCS])


def expand_synonyms(
    postings: dict[str, dict[int, int]],
    groups: list[list[tuple[str, list[str]]]],
    phrases: dict[str, dict[int, int]] | None = None,
    compounds: dict[str, dict[int, float]] | None = None,
) -> dict[str, list[str]]:
    """Give each term of each group the postings of its occurring synonyms (in place).

    Only the original postings are read, so the order of the groups does not matter and
    synonyms are not chained. Returns, per term that gained documents, the synonyms' texts.
    """
    added: dict[str, dict[int, float]] = defaultdict(dict)
    given: dict[str, list[str]] = defaultdict(list)
    for group in groups:
        found = [(text, stems, _best(_matches(postings, stems, phrases, compounds))) for text, stems in group]
        found = [f for f in found if f[2]]
        if not found:
            continue
        for _text, stems in group:
            if len(stems) > MAX_PHRASE:
                continue
            key = " ".join(stems)
            own = postings.get(key, {})
            target = added[key]
            for text, other, docs in found:
                if other == stems:
                    continue
                gained = False
                for doc, score in docs.items():
                    value = score * SYNONYM_FACTOR
                    if value > own.get(doc, 0) and value > target.get(doc, 0):
                        target[doc] = value
                        gained = True
                if gained and text not in given[key]:
                    given[key].append(text)
    for key, docs in added.items():
        if docs:
            merged = postings.setdefault(key, {})
            for doc, value in docs.items():
                merged[doc] = max(merged.get(doc, 0), max(1, round(value)))
    return {k: v for k, v in given.items() if v}


#: Dictionary words at least this common (Zipf) and long are known words for :func:`known_words`.
KNOWN_ZIPF = 3.0
KNOWN_LENGTH = 6


def known_words(
    postings: dict[str, dict[int, int]],
    groups: list[list[tuple[str, list[str]]]],
    cuts: Cuts,
) -> set[str]:
    """Stems of words that are no index term but must not be split by the browser.

    The browser splits an unknown query word into parts that are index terms ("Altstadt" →
    alt + stadt, both somewhere in the content), which finds unrelated records. A word is
    known, and left whole, when it is a single-word thesaurus term or a common dictionary
    word (Zipf ≥ :data:`KNOWN_ZIPF`: "Altstadt" is a word of its own, not alt + stadt); a
    coined or rare compound ("Pendlerradroute") is still split. Of the dictionary words only
    those the browser could cut into two index terms are shipped.

    ``cuts``: the dictionary's words by stem with their cuts (:func:`dictionary_cuts`; empty
    without a lexicon).
    """
    known = {stems[0] for group in groups for _t, stems in group if len(stems) == 1}
    for own, word_cuts in cuts.items():
        if own in postings or own in known:
            continue
        for head, modifiers in word_cuts:  # the browser's split: modifier, linking element, head
            if head in postings and any(m in postings for m in modifiers):
                known.add(own)
                break
    return {k for k in known if k not in postings and k.isalpha()}


def dictionary_cuts(dictionary: Iterable[tuple[str, float]]) -> Cuts:
    """The cuts of the dictionary's common words for :func:`known_words` (computed now)."""
    return cache.compute_cuts(dictionary, analyse.stem, min_zipf=KNOWN_ZIPF, min_length=KNOWN_LENGTH)


def build(
    docs: list[SearchDoc],
    *,
    labels: dict[str, Any],
    synonyms: list[list[str]],
    splitter: Splitter | None,
    lexicon: str,
    dictionary: Iterable[tuple[str, float]] = (),
    cuts: Cuts | None = None,
    store: cache.Store | None = None,
) -> SearchIndex:
    """The index of ``docs``; ``labels`` names facet values (see :func:`facets`).

    ``cuts``: :func:`dictionary_cuts` of ``dictionary`` if known (else computed here);
    ``store``: the analyses of earlier builds (:class:`.cache.Store`), updated.
    """
    store = store if store is not None else cache.Store()
    analyser = analyse.Analyser(splitter, store.parts)
    groups_id = hashlib.sha256(repr(synonyms).encode()).hexdigest()
    if store.groups and store.groups[0] == groups_id:
        groups = [[(t, list(stems)) for t, stems in group] for group in store.groups[1]]
    else:
        groups = synonym_groups(synonyms)
    store.groups = (groups_id, groups)
    keys = {tuple(stems) for group in groups for _t, stems in group if 1 < len(stems) <= MAX_PHRASE}
    keys_id = hashlib.sha256(repr(sorted(keys)).encode()).hexdigest()
    entries = [store.pages.get(d.key) if d.key else None for d in docs]
    scores = [e[1] if e is not None else doc_scores(d, analyser) for d, e in zip(docs, entries, strict=True)]
    phrase_scores = [
        e[3] if e is not None and e[2] == keys_id else doc_phrases(d, keys)
        for d, e in zip(docs, entries, strict=True)
    ]
    postings = score_postings(docs, analyser, scores)
    phrases = phrase_postings(docs, keys, phrase_scores)
    for doc, entry, own, found in zip(docs, entries, scores, phrase_scores, strict=True):
        if doc.key:
            fresh = entry is None or entry[2] != keys_id
            store.put(doc.key, (entry[0] if entry else doc.as_tuple(), own, keys_id, found), fresh=fresh)
    singles = {stems[0] for group in groups for _t, stems in group if len(stems) == 1}
    compounds = compound_postings(postings, singles, splitter, store.known)
    given = expand_synonyms(postings, groups, phrases, compounds)
    if cuts is None:
        cuts = dictionary_cuts(dictionary) if splitter is not None else {}
    index = SearchIndex(
        docs=docs,
        facets=facets(docs, labels),
        postings=postings,
        synonyms=groups,
        given=given,
        lexicon=lexicon,
        labels=labels,
        known=known_words(postings, groups, cuts),
    )
    _render(index)
    return index


def facets(docs: list[SearchDoc], labels: dict[str, Any]) -> list[Facet]:
    """The facets with the values that occur, in the order the handbook lists them."""
    used: dict[str, set[str]] = {f: set() for f in FACETS}
    for doc in docs:
        for f in FACETS:
            used[f].update(doc.facets.get(f, []))
    names = labels["namen"]
    result = []
    for f in FACETS:
        if f == "jahr":
            values = [(y, y) for y in sorted(used[f], reverse=True)]
        else:
            known: dict[str, str] = labels[f]
            values = [(k, v) for k, v in known.items() if k in used[f]]
            values += [(k, k) for k in sorted(used[f] - set(known))]
        result.append(Facet(f, names[f], values))
    return result


def facet_labels(labels: Labels) -> dict[str, Any]:
    """The names of the facets and of their values, from the edition's labels."""
    return {
        "namen": {
            "typ": "Art",
            "partner": labels.sections.get("partner", "Partner"),
            "feld": labels.sections.get("handlungsfelder", "Handlungsfelder"),
            "plattform": labels.sections.get("plattformen", "Plattformen"),
            "status": "Status",
            "jahr": "Jahr",
        },
        "typ": type_labels(),
        "partner": dict(labels.partners),
        "feld": dict(labels.fields),
        "plattform": dict(labels.platforms),
        "status": dict(labels.status),
    }


# ---------------------------------------------------------------------- files


def _js(call: str, key: str | None, data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    text = text.replace("</", "<\\/")
    args = f'"{key}",{text}' if key else text
    return f"regioSuche.{call}({args});\n"


def encode_postings(postings: dict[int, int]) -> str:
    """``{3: 120, 40: 7}`` → ``"3.3c,b.7"`` (document gaps and scores in base 36)."""
    out, last = [], 0
    for doc in sorted(postings):
        out.append(f"{_b36(doc - last)}.{_b36(postings[doc])}")
        last = doc
    return ",".join(out)


def encode_codes(codes: dict[int, str]) -> str:
    """``{3: "0|1", 40: "2|"}`` → ``"3:0|1 b:2|"`` (document gaps in base 36)."""
    out, last = [], 0
    for doc in sorted(codes):
        out.append(f"{_b36(doc - last)}:{codes[doc]}")
        last = doc
    return " ".join(out)


def _shards(index: SearchIndex) -> list[tuple[str, dict[str, Any]]]:
    """Contiguous ranges of sorted terms, each about SHARD_BYTES: (first term, data)."""
    codes = index.codes or facet_codes(index.facets, index.docs)
    shards: list[tuple[str, dict[str, Any]]] = []
    terms: dict[str, str] = {}
    given: dict[str, list[str]] = {}
    docs: dict[int, str] = {}
    first, size = "", 0

    def close() -> None:
        data: dict[str, Any] = {"t": terms, "f": encode_codes(docs)}
        if given:
            data["s"] = given
        if known:
            data["w"] = known
        shards.append((first, data))

    known: list[str] = []
    for term in sorted(set(index.postings) | index.known):
        if term not in index.postings:  # a known word: no postings, only "do not split"
            if terms and size + len(term) + 3 > SHARD_BYTES:
                close()
                terms, given, docs, known, first, size = {}, {}, {}, [], term, 0
            known.append(term)
            size += len(term) + 3
            continue
        encoded = encode_postings(index.postings[term])
        extra = sum(len(s) + 3 for s in index.given.get(term, []))
        new = [n for n in index.postings[term] if n not in docs]
        grown = len(term) + len(encoded) + extra + sum(len(codes[n]) + 4 for n in new)
        if terms and size + grown > SHARD_BYTES:
            close()
            terms, given, docs, known, first, size = {}, {}, {}, [], term, 0
            new = list(index.postings[term])
        terms[term] = encoded
        if term in index.given:
            given[term] = index.given[term]
        for n in new:
            docs[n] = codes[n]
        size += len(term) + len(encoded) + extra + 6 + sum(len(codes[n]) + 4 for n in new)
    if terms or known or not shards:
        close()
    return shards


def _render(index: SearchIndex) -> None:
    files: dict[str, str] = {}
    index.codes = facet_codes(index.facets, index.docs)
    shards = _shards(index)
    for i, (_first, data) in enumerate(shards):
        files[f"t/{i}.js"] = _js("teil", f"t/{i}", data)
    for n, doc in enumerate(index.docs):
        card = {"u": doc.url, "t": doc.title, "f": index.codes[n], "k": doc.kurz, "x": doc.text}
        if doc.stand:
            card["d"] = doc.stand
        if doc.record:
            card["r"] = 1
        files[f"e/{n}.js"] = _js("teil", f"e/{n}", card)
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode())
        digest.update(files[name].encode())
    index.version = digest.hexdigest()[:12]
    meta = {
        "v": index.version,
        "n": len(index.docs),
        "grenzen": [first for first, _d in shards],
        "facetten": [{"id": f.id, "name": f.name, "werte": f.values} for f in index.facets],
        "stopp": sorted(analyse.STOPWORDS),
        "lexikon": index.lexicon,
        "alle": ALL_TERM,
    }
    files["index.js"] = _js("index", None, meta)
    index.files = files


def write(index: SearchIndex, outdir: Path) -> dict[str, int]:
    """Write the index into ``outdir/_suche`` (only files that changed); remove stale files.

    Returns the sizes in bytes by kind (``index``, ``t``, ``e``).
    """
    folder = outdir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    sizes: dict[str, int] = defaultdict(int)
    for rel, text in index.files.items():
        path = folder / rel
        data = text.encode("utf-8")
        sizes[rel.split("/")[0].removesuffix(".js")] += len(data)
        if path.exists() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    for path in sorted(folder.rglob("*"), reverse=True):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and rel not in index.files:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return dict(sizes)
