"""The handbook's search: German analysis, the static index, and the search in a real browser.

Quality is measured with the query set ``tests/search_queries.yaml`` against the fixture
``tests/fixtures/suche`` through the real search page in headless Chromium;
``scripts/suchvergleich.py`` runs the same set through Sphinx's and Pagefind's search.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from regiodocs import checks, search, site
from regiodocs.findings import Code
from regiodocs.search import analyse, vocabulary
from regiodocs.search.documents import OVERVIEW_TYPE, _unique_sentences, markdown_blocks, sentences
from regiodocs.search.index import SHARD_BYTES

from browser import (
    AXE_JS,
    WCAG_TAGS,
    describe_violations,
    open_page,
    serve,
)
from conftest import FIXTURES, ROOT, TODAY, build_site, built_fixture, copy_tree

MARKER = "Geheimwortzebra"  # appears only in the intern fixture records
MIN_HITS_AT_5 = 0.95  # share of the query set whose expected records are all in the top five


def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def splitter():
    found, _name = search.splitter()
    if found is None:
        pytest.fail("wordfreq fehlt: die Suche zerlegt keine Komposita", pytrace=False)
    return found


@pytest.fixture(scope="session")
def suche_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The search-quality fixture (about 35 realistic records), built once."""
    return built_fixture(tmp_path_factory, "suche")


@pytest.fixture(scope="session")
def variant_sites(tmp_path_factory: pytest.TempPathFactory, suche_site: Path):
    """Built sites of the query set's content trees, with and without their synonyme.yaml."""
    compare = _load_script("suchvergleich")
    built: dict[tuple[str, str], Path] = {("suche", "mit"): suche_site}

    def get(tree: str, variant: str) -> Path:
        if (tree, variant) not in built:
            base = tmp_path_factory.mktemp(f"{tree}-{variant}")
            content = compare.content_copy(tree, variant, base / "content")
            assert (content / "synonyme.yaml").exists() == (variant == "mit")
            build_site(content, base / "html")
            built[(tree, variant)] = base / "html"
        return built[(tree, variant)]

    return get


def _plan(name: str, *, intern: bool = False):
    result = checks.check(FIXTURES / name, FIXTURES, today=dt.date.fromisoformat(TODAY))
    assert not result.errors, result.errors
    content = result.content
    return site.plan(content, today=dt.date.fromisoformat(TODAY), intern=intern), content.visible(
        intern=intern
    )


# --------------------------------------------------------------------- analysis


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("klimafolgenanpassung", {"klima", "folgen", "anpassung"}),
        ("quartiersentwicklung", {"quartier", "entwicklung"}),
        ("bebauungsplanverfahren", {"bebauungsplan", "verfahren", "plan"}),
        ("radschnellweg", {"rad", "schnellweg", "weg"}),
        ("straßenbäume", {"straße", "bäume"}),
        ("dachbegrünung", {"dach", "begrünung"}),
    ],
)
def test_compounds_are_split_at_both_ends_and_inside(splitter, word: str, parts: set[str]):
    # compared as stems: the linking element of a part (Folge-n-, Quartier-s-) does not matter
    assert {analyse.stem(p) for p in parts} <= {analyse.stem(p) for p in splitter.parts(word)}


@pytest.mark.parametrize(
    "word", ["verkehr", "beteiligung", "landschaft", "anpassung", "entwicklung", "region"]
)
def test_simple_words_stay_whole(splitter, word: str):
    assert splitter.parts(word) == []


def test_decompounding_meets_the_gold_standard(splitter):
    """scripts/zerlegung_gold.tsv: the expected parts are found (stemmed), simple words stay whole."""
    wanted = found = simple = simple_whole = 0
    for line in (ROOT / "scripts" / "zerlegung_gold.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        word, expected = line.split("\t")
        parts = expected.split("+")
        produced = {analyse.stem(p) for p in [*splitter.parts(word), *(x.text for x in splitter.split(word))]}
        if len(parts) == 1:
            simple += 1
            simple_whole += len(splitter.split(word)) == 1
        else:
            wanted += len(parts)
            found += sum(analyse.stem(p) in produced for p in parts)
    assert found / wanted >= 0.95, f"Teile gefunden: {found}/{wanted}"
    assert simple_whole / simple >= 0.9, f"einfache Wörter ganz: {simple_whole}/{simple}"


def test_umlaut_spellings_and_inflections_meet_in_one_stem():
    assert len({analyse.stem(w) for w in ("straßenbäume", "strassenbaeume", "strassenbaume")}) == 1
    assert analyse.stem("schwammstädte") == analyse.stem("schwammstadt")
    assert analyse.stem("radschnellwege") == analyse.stem("radschnellweg")
    assert analyse.tokens("Pendler:innen und Planer*innen") == ["pendlerinnen", "und", "planerinnen"]
    assert analyse.stem("pendlerinnen") == analyse.stem("pendler")


# --------------------------------------------------------------------- the index


def test_public_index_is_built_from_the_public_plan_only():
    pages, content = _plan("basis")
    index = search.from_plan(pages, content)
    everything = "".join(index.files.values())
    assert MARKER.lower() not in everything.lower()
    assert "intern-vorhaben" not in everything
    assert any(d.url == "projekte/alpha/radweg-nord.html" for d in index.docs)

    pages, content = _plan("basis", intern=True)
    intern = search.from_plan(pages, content)
    assert any(d.url == "projekte/alpha/intern-vorhaben.html" for d in intern.docs)


def test_built_index_files_contain_no_intern_marker(basis_site: Path, suche_site: Path):
    for built in (basis_site, suche_site):
        files = [p for p in (built / search.FOLDER).rglob("*") if p.is_file()]
        assert len(files) > 3
        for path in files:
            data = path.read_bytes()
            assert MARKER.encode() not in data and MARKER.lower().encode() not in data, path
            assert b"intern-vorhaben" not in data and b"intern-flaechentausch" not in data, path


def test_shards_are_small_sorted_and_hold_every_term():
    pages, content = _plan("suche")
    index = search.from_plan(pages, content)
    meta = json.loads(index.files["index.js"].removeprefix("regioSuche.index(").removesuffix(");\n"))
    bounds = meta["grenzen"]
    assert bounds == sorted(bounds) and bounds[0] == ""
    shards = {}
    for i in range(len(bounds)):
        text = index.files[f"t/{i}.js"]
        shards[i] = json.loads(text[text.index(",") + 1 : -3])
        if len(shards[i]["t"]) > 1:
            assert len(text.encode()) <= 2 * SHARD_BYTES, f"t/{i}.js ist zu groß"
    for term, postings in index.postings.items():
        shard = max(i for i, b in enumerate(bounds) if b <= term)
        assert shards[shard]["t"][term] == search.index.encode_postings(postings), term
        codes = dict(_decode_codes(shards[shard]["f"]))
        for doc in postings:  # facet codes travel with the postings
            assert codes[doc] == index.facet_code(index.docs[doc])
    assert len(index.files) == 1 + len(bounds) + len(index.docs)


def _decode_codes(encoded: str) -> list[tuple[int, str]]:
    doc, out = 0, []
    for entry in encoded.split(" ") if encoded else []:
        gap, _, code = entry.partition(":")
        doc += int(gap, 36)
        out.append((doc, code))
    return out


POSTINGS = [
    {},
    {0: 5},
    {0: 5, 3: 120, 40: 7, 41: 36},
    {7: 0, 36: 35, 1295: 1296, 46_655: 10**9},  # base-36 digit boundaries in gaps and scores
    {n: (n * 7919) % 5000 for n in range(0, 3000, 3)},
]
CODES = [{}, {2: "0|1", 40: "2|"}, {0: "|||||", 35: "0,a|3|z|0,3|1|2", 36: "1|", 1296: "b,c|"}]
# suche.js keeps its decoders private; for the test, the browser's own functions are exposed.
_EXPOSE_ANCHOR = "window.regioSuche.analyse = {"
_DECODE_JS = r"""
const fs = require("fs"), vm = require("vm");
const [source, anchor, cases] = JSON.parse(fs.readFileSync(0, "utf8"));
const window = {};
const document = {readyState: "complete", getElementById: () => null};
const hook = "window.regioTest = {Index: Index, decodeCodes: decodeCodes};\n";
const exposed = source.replace(anchor, hook + anchor);
vm.runInNewContext(exposed, {window, document, console});
const {Index, decodeCodes} = window.regioTest;
console.log(JSON.stringify({
  postings: cases.postings.map(enc => {
    const index = new Index({facetten: [], synonyme: [], stopp: []});
    index.terms.wort = enc;
    return Object.fromEntries(index.postings("wort"));
  }),
  codes: cases.codes.map(enc => { const out = {}; decodeCodes(enc, out); return out; }),
}));
"""


def _decode_postings(encoded: str) -> dict[int, int]:
    """The documented format ``gap.score,gap.score`` (base 36), read independently of the encoder."""
    doc, out = 0, {}
    for pair in encoded.split(",") if encoded else []:
        gap, _, score = pair.partition(".")
        doc += int(gap, 36)
        out[doc] = int(score, 36)
    return out


def test_postings_encoding_round_trips():
    assert search.index.encode_postings({0: 5, 3: 120, 40: 7, 41: 36}) == "0.5,3.3c,11.7,1.10"
    assert search.index.encode_codes({2: "0|1", 40: "2|"}) == "2:0|1 12:2|"
    for postings in POSTINGS:
        assert _decode_postings(search.index.encode_postings(postings)) == postings
    for codes in CODES:
        assert dict(_decode_codes(search.index.encode_codes(codes))) == codes


def test_postings_encoded_in_python_decode_unchanged_in_the_browsers_script():
    """The index is written by Python and read by ``suche.js``: decoded there, it is the same."""
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node fehlt: der Suchindex lässt sich nicht mit suche.js lesen")
        pytest.skip("!!! node fehlt: Dekodierung in suche.js nicht geprüft !!!")
    source = (ROOT / "regiodocs/static/suche.js").read_text(encoding="utf-8")
    assert _EXPOSE_ANCHOR in source, "suche.js changed: adapt the test's hook"
    cases = {
        "postings": [search.index.encode_postings(p) for p in POSTINGS],
        "codes": [search.index.encode_codes(c) for c in CODES],
    }
    run = subprocess.run(
        [node, "-e", _DECODE_JS],
        input=json.dumps([source, _EXPOSE_ANCHOR, cases]),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    decoded = json.loads(run.stdout)
    assert [{int(k): v for k, v in p.items()} for p in decoded["postings"]] == POSTINGS
    assert [{int(k): v for k, v in c.items()} for c in decoded["codes"]] == CODES


def test_records_outrank_pages_and_title_hits_outrank_body_hits():
    pages, content = _plan("suche")
    index = search.from_plan(pages, content)
    urls = [d.url for d in index.docs]
    term = analyse.stem("radschnellweg")
    scores = {urls[n]: s for n, s in index.postings[term].items()}
    in_title = scores["projekte/neuss/radschnellweg-neuss-duesseldorf.html"]
    in_body = [s for u, s in scores.items() if u.startswith("veranstaltungen/")]
    assert in_body and in_title > 3 * max(in_body)
    records = [d.record for d in index.docs]
    assert records == sorted(records, reverse=True)  # records are numbered first


def test_index_files_are_rewritten_only_when_changed(tmp_path: Path):
    pages, content = _plan("basis")
    index = search.from_plan(pages, content)
    search.write(index, tmp_path)
    first = {p: p.stat().st_mtime_ns for p in (tmp_path / search.FOLDER).rglob("*.js")}
    stale = tmp_path / search.FOLDER / "e" / "999.js"
    stale.write_text("alt", encoding="utf-8")
    search.write(index, tmp_path)
    assert {p: p.stat().st_mtime_ns for p in first} == first
    assert not stale.exists()


def test_synonyms_file_is_checked_like_every_registry(tmp_path: Path):
    content = copy_tree("basis", tmp_path / "content")
    (content / "synonyme.yaml").write_text(
        "gruppen:\n  - [Radschnellweg, Radschnellverbindung]\n  - [Alleinstehend]\nsynonym: []\n",
        encoding="utf-8",
    )
    result = checks.check(content, tmp_path, today=dt.date.fromisoformat(TODAY))
    found = {(f.file.rsplit("/", 1)[-1], f.line, f.code) for f in result.errors}
    assert ("synonyme.yaml", 3, Code.LENGTH) in found
    assert ("synonyme.yaml", 4, Code.UNKNOWN_KEY) in found


def test_synonym_groups_are_analysed_like_queries():
    groups = search.index.synonym_groups([["ÖPNV", "öffentlicher Verkehr", "Bus und Bahn"]])
    assert groups == [[("ÖPNV", ["opnv"]), ("öffentlicher Verkehr", ["offent", "verkehr"]),
                       ("Bus und Bahn", ["bus", "bahn"])]]  # fmt: skip


# --------------------------------------------------------------------- the thesaurus


def test_the_shipped_thesaurus_knows_planning_language():
    groups = vocabulary.shipped()
    assert len(groups) >= 300
    together = {(a, b) for g in groups for a in map(vocabulary.key, g) for b in map(vocabulary.key, g)}
    for a, b in [("FNP", "Flächennutzungsplan"), ("ISEK", "integriertes Stadtentwicklungskonzept"),
                 ("BauGB", "Baugesetzbuch"), ("LEP", "Landesentwicklungsplan"),
                 ("SPNV", "Schienenpersonennahverkehr"), ("B-Plan", "Bebauungsplan"),
                 ("ÖPNV", "Nahverkehr"), ("Kita", "Kindertagesstätte"), ("Pedelec", "E-Bike"),
                 ("gescheitert", "abgebrochen"), ("Fehlschlag", "Negativbeispiel")]:  # fmt: skip
        assert (vocabulary.key(a), vocabulary.key(b)) in together, (a, b)
    readme = (vocabulary.FOLDER / "README.md").read_text(encoding="utf-8")
    assert "LGPL" in readme and "thesaurus_erzeugen.py" in readme
    derived = (vocabulary.FOLDER / "openthesaurus.txt").read_text(encoding="utf-8")
    assert "GNU Lesser General Public License" in derived and "OpenThesaurus" in derived
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in (vocabulary.FOLDER / "LGPL-2.1.txt").read_text("utf-8")


def test_the_generated_thesaurus_is_what_the_script_makes():
    source = Path("/usr/share/openthesaurus-de/openthesaurus.txt")
    if not source.is_file():
        pytest.skip("openthesaurus-de-text nicht installiert: erzeugte Datei nicht nachgeprüft")
    script = _load_script("thesaurus_erzeugen")
    groups, stamp = script.generate(source)
    assert script.render(groups, stamp) == script.TARGET.read_text(encoding="utf-8")


def test_synonyme_yaml_extends_the_thesaurus_and_switches_groups_off():
    shipped = [list(g) for g in vocabulary.shipped()]
    assert vocabulary.groups(None) == shipped
    own = [["Radvorrangroute", "Fahrradautobahn"]]
    assert vocabulary.groups({"gruppen": own}) == shipped + own
    without_kita = vocabulary.groups({"gruppen": own, "aus": ["KITA"]})  # compared like a query
    assert not any("Kita" in g for g in without_kita) and own[0] in without_kita
    assert len(without_kita) == len(shipped) + 1 - sum("Kita" in g for g in shipped)
    assert vocabulary.groups({"gruppen": own, "thesaurus": False}) == own


def test_synonyme_yaml_with_aus_and_thesaurus_is_valid(tmp_path: Path):
    content = copy_tree("basis", tmp_path / "content")
    (content / "synonyme.yaml").write_text("aus: [Rat]\nthesaurus: true\n", encoding="utf-8")
    result = checks.check(content, tmp_path, today=dt.date.fromisoformat(TODAY))
    assert not result.errors, result.errors
    (content / "synonyme.yaml").write_text("thesaurus: nein\n", encoding="utf-8")
    result = checks.check(content, tmp_path, today=dt.date.fromisoformat(TODAY))
    assert any(f.file.endswith("synonyme.yaml") for f in result.errors)


def _index_without_synonyms_file(name: str):
    pages, content = _plan(name)
    content.synonyme = None
    return search.from_plan(pages, content), content


def test_the_thesaurus_is_applied_at_index_time_and_costs_a_query_nothing():
    index, content = _index_without_synonyms_file("suche")
    meta = index.files["index.js"]
    assert "synonyme" not in meta and "Kindertagesstätte" not in meta
    # the thesaurus term gets the postings of the word the content uses (Kita)
    urls = [d.url for d in index.docs]
    kita = {urls[n] for n in index.postings[analyse.stem("kita")]}
    assert {urls[n] for n in index.postings[analyse.stem("kindertagesstätte")]} == kita
    assert index.given[analyse.stem("kindertagesstätte")] == ["Kita"]
    # a group of which nothing occurs leaves no trace
    assert analyse.stem("baugesetzbuch") not in index.postings
    # index.js holds no thesaurus: it grows only by the boundaries of a few more term shards
    content.synonyme = None
    pages, _c = _plan("suche")
    plain = search.index.build(
        search.documents(pages, site.labels(content)), labels=index.labels, synonyms=[],
        splitter=search.splitter()[0], lexicon=index.lexicon,
    )  # fmt: skip
    assert len(meta) - len(plain.files["index.js"]) < 0.05 * len(meta)
    assert len(index.files) - len(plain.files) < 0.1 * len(plain.files)


def test_a_term_gets_only_the_best_documents_of_each_synonym():
    cap, factor = search.index.MAX_SYNONYM_DOCS, search.index.SYNONYM_FACTOR
    kita, krippe, kts = (analyse.stem(w) for w in ("kita", "krippe", "kindertagesstätte"))
    postings = {kita: {n: n + 1 for n in range(cap + 50)}, krippe: {3: 500}}
    groups = search.index.synonym_groups([["Kita", "Kindertagesstätte", "Krippe"]])
    given = search.index.expand_synonyms(postings, groups)
    assert set(postings[kts]) == {3} | set(range(50, cap + 50))  # Kita's best, and Krippe's one
    assert postings[kts][3] == round(500 * factor) and given[kts] == ["Kita", "Krippe"]
    assert postings[krippe][cap + 49] == round((cap + 50) * factor)
    assert postings[kita][3] == round(500 * factor)  # higher through Krippe than its own 4
    assert postings[kita][10] == 11  # its own score where no synonym beats it


def test_failure_words_find_the_failed_and_the_negative_examples():
    result = checks.check(ROOT / "content", ROOT, today=dt.date.fromisoformat(TODAY))
    pages = site.plan(result.content, today=dt.date.fromisoformat(TODAY))
    content = result.content.visible(intern=False)
    content.synonyme = None  # the shipped thesaurus alone
    index = search.from_plan(pages, content)
    scores = {index.docs[n].url: s for n, s in index.postings[analyse.stem("gescheitert")].items()}
    failed = set(scores)
    negative = {
        f"{p.docname}.html"
        for p in pages.values()
        if p.kind is site.PageKind.RECORD
        and p.body is not None
        and p.body.data.get("negativbeispiel") is True
    }
    aborted = {
        f"{p.docname}.html"
        for p in pages.values()
        if p.kind is site.PageKind.RECORD and p.summary is not None and p.summary.status == "abgebrochen"
    }
    assert negative | aborted and negative | aborted <= failed
    best = sorted(scores, key=scores.__getitem__, reverse=True)[: len(negative | aborted)]
    assert set(best) == negative | aborted  # above a text that mentions a stopped step


def test_a_failure_query_finds_a_record_whose_status_is_abgebrochen(tmp_path: Path):
    content = copy_tree("basis", tmp_path / "content")
    record = content / "projekte" / "beta" / "quartier-sued.yaml"
    record.write_text(record.read_text("utf-8").replace("status: planung", "status: abgebrochen"), "utf-8")
    (content / "synonyme.yaml").unlink(missing_ok=True)
    result = checks.check(content, tmp_path, today=dt.date.fromisoformat(TODAY))
    assert not result.errors, result.errors
    pages = site.plan(result.content, today=dt.date.fromisoformat(TODAY))
    index = search.from_plan(pages, result.content.visible(intern=False))
    for word in ("gescheitert", "Fehlschlag", "misslungen"):
        found = {index.docs[n].url for n in index.postings.get(analyse.stem(word.lower()), {})}
        assert "projekte/beta/quartier-sued.html" in found, word


def test_letter_hyphen_words_stay_whole_and_give_their_part():
    assert analyse.tokens("E-Bike und B-Plan-Verfahren an der S-Bahn") == [
        "ebike", "und", "bplan", "verfahren", "an", "der", "sbahn",
    ]  # fmt: skip
    terms = list(analyse.Analyser(None).terms("S-Bahn"))
    assert terms == [("sbahn", False), ("bahn", True)]


def test_free_pages_are_titled_by_their_heading_with_a_clean_excerpt():
    body = _Body(
        "---\nkurzbeschreibung: Wie man beiträgt\n---\n"
        "# Mitmachen\n\n## Problem\nNeue Wohnquartiere entstehen.\n"
    )
    page = site.Page(
        "seiten/mitmachen",
        "seite.md.j2",
        "mitmachen",
        {},
        body=body,
        kind=site.PageKind.FREE,
        subject="mitmachen",
    )  # type: ignore[arg-type]
    doc = search.documents({"seiten/mitmachen": page}, site.Labels({}, {}, {}, {}, {}))[0]
    assert doc.title == "Mitmachen"
    assert doc.kurz == "Neue Wohnquartiere entstehen."
    assert "---" not in doc.text and "kurzbeschreibung" not in doc.text
    assert "Problem Neue" not in doc.text and "Problem\nNeue Wohnquartiere entstehen." in doc.text


class _Body:
    def __init__(self, body: str) -> None:
        self.body = body
        self.data: dict = {}


def test_markdown_blocks_keep_headings_apart_and_sentences_are_said_once():
    assert markdown_blocks("## Problem\nNeue *Wohn*quartiere.\n\n- eins\n- zwei") == [
        (True, "Problem"), (False, "Neue Wohn quartiere."), (False, "eins"), (False, "zwei"),
    ]  # fmt: skip
    text = "Ein Satz. Noch einer!\nEin Satz. Neu."
    assert _unique_sentences(text) == "Ein Satz. Noch einer!\nNeu."


def test_overview_pages_are_found_by_their_title_only():
    pages, content = _plan("suche")
    index = search.from_plan(pages, content)
    overviews = [d for d in index.docs if d.facets["typ"] == [OVERVIEW_TYPE]]
    assert overviews and all(d.fields == [("t", d.title)] for d in overviews)
    keyword = next(
        d for d in overviews if d.url.startswith("schlagworte/") and d.url != "schlagworte/index.html"
    )
    assert keyword.kurz.split(":")[0].endswith(("Eintrag", "Einträge"))


def _written(site_dir: Path) -> tuple[dict[str, dict], dict[str, str]]:
    """The written index of a built site: cards by url, and every term's encoded postings."""
    folder = site_dir / "_suche"
    cards = {c["u"]: c for c in (_read_js(p) for p in sorted((folder / "e").glob("*.js")))}
    terms: dict[str, str] = {}
    for path in sorted((folder / "t").glob("*.js")):
        terms.update(_read_js(path)["t"])
    return cards, terms


def _read_js(path: Path) -> dict:
    """The data of one ``regioSuche.teil("key", {...});`` file."""
    return json.loads(path.read_text("utf-8").split(",", 1)[1].rsplit(");", 1)[0])


def test_stored_result_text_is_clean_on_the_shipped_content(variant_sites):
    """Numbers are not cut at their thousands dot, closing quotes stay with their sentence,
    list items are not glued, no shortened teaser next to its full text, no code example."""
    cards, _terms = _written(variant_sites("content", "mit"))
    texts = {u: f"{c['k']}\n{c.get('x', '')}" for u, c in cards.items()}
    everything = "\n".join(texts.values())
    assert "140.000" in everything
    assert not re.search(r"\d\. \d{3}\b", everything), re.search(r".{30}\d\. \d{3}\b.{30}", everything)
    assert not re.search(r"[.!?] [“”»]", everything), re.search(r".{30}[.!?] [“”»].{10}", everything)
    assert "lehrt Gemeinsame" not in everything and "lehrt\nGemeinsame" in everything
    mitmachen = texts["seiten/mitmachen.html"]
    assert "federfuehrung" not in mitmachen and "handlungsfelder:" not in mitmachen
    platform = cards["plattformen/nachhaltige-mobilitaet.html"]
    assert "attraktive …" not in platform["x"]
    for text in texts.values():
        said = [s for line in text.split("\n")[1:] for s in sentences(line)]
        assert len(said) == len(set(said)), said


def test_thesaurus_reaches_compounds_and_phrases_match_in_a_row(variant_sites):
    """Regenrückhaltung ↔ Retention reaches "Retentionsräume"; ÖPNV ↔ "öffentlicher Verkehr"
    is not met by "Öffentlichkeitsarbeit" … "Fußverkehrs"; code examples are not indexed."""
    for variant in ("mit", "ohne"):
        folder = variant_sites("content", variant) / "_suche"
        cards = {int(p.stem): _read_js(p)["u"] for p in (folder / "e").glob("*.js")}
        terms: dict[str, str] = {}
        for path in (folder / "t").glob("*.js"):
            terms.update(_read_js(path)["t"])

        def docs(term: str, cards: dict[int, str] = cards, terms: dict[str, str] = terms) -> set[str]:
            return {cards[n] for n in _decode_postings(terms.get(term, ""))}

        assert any(u.endswith("/quartier-furth-schwammstadt.html") for u in docs("regenruckhalt")), variant
        assert not any(u.endswith("foerderrichtlinien-nahmobilitaet-nrw.html") for u in docs("opnv")), variant
        assert "seiten/mitmachen.html" not in docs("berufsverkehr") | docs("federfuehr"), variant


def test_the_browser_splits_with_the_index_sides_linking_elements():
    source = (ROOT / "regiodocs/static/suche.js").read_text(encoding="utf-8")
    fugen = re.search(r"var FUGEN = (\[[^\]]*\]);", source)
    min_part = re.search(r"var MIN_PART = (\d+);", source)
    assert fugen and json.loads(fugen.group(1)) == list(search.compounds.FUGEN)
    assert min_part and int(min_part.group(1)) == search.compounds.MIN_PART


# --------------------------------------------------------------------- in the browser


@pytest.fixture(scope="module")
def suche_url(suche_site: Path) -> Iterator[str]:
    with serve(suche_site) as url:
        yield url


def _results(page) -> list[str]:
    page.wait_for_function(
        "() => { const s = document.getElementById('regio-suche-status').textContent;"
        " return s && !s.includes('läuft'); }"
    )
    page.wait_for_function(
        "() => [...document.querySelectorAll('.regio-treffer-eintrag')].every(li => li.querySelector('a'))"
    )
    return page.eval_on_selector_all(".regio-treffer-eintrag h3 a", "els => els.map(a => a.href)")


@pytest.mark.browser
@pytest.mark.parametrize(
    ("tree", "variant"), [("suche", "mit"), ("suche", "ohne"), ("content", "mit"), ("content", "ohne")]
)
def test_search_quality_on_the_query_set(chromium, variant_sites, tree: str, variant: str):
    """hits@5 and MRR of the real search page over tests/search_queries.yaml, per content tree,
    with its synonyme.yaml and without it (the shipped thesaurus alone)."""
    compare = _load_script("suchvergleich")
    queries = compare.queries(tree=tree)
    assert len(queries) >= (25 if tree == "suche" else 20)
    with serve(variant_sites(tree, variant)) as url:
        context = chromium.new_context(locale="de-DE")
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        result, tester, known = compare.Result(), compare.Result(), compare.Result()
        for q in queries:
            found = compare.record_ids(compare.ours(page, url, q.text))
            (known if q.known_miss else result).add(q, found)
            if q.source == "unabhaengig":
                tester.add(q, found)
        context.close()
    print(f"\n{tree}, {variant} synonyme.yaml: hits@5 {result.hits}/{result.total}, MRR {result.mrr:.2f}")
    if result.misses:
        print("  verfehlt:\n  " + "\n  ".join(result.misses))
    if tester.total:
        print(f"  unabhängiger Test: hits@5 {tester.hits}/{tester.total}, MRR {tester.mrr:.2f}")
    if known.total:
        print("  bekannt verfehlt (nicht gezählt):\n  " + "\n  ".join(known.misses or ["– alle getroffen"]))
    assert not errors
    assert result.hits >= MIN_HITS_AT_5 * result.total, "verfehlt:\n" + "\n".join(result.misses)


_CARDS_JS = """els => els.map(e => ({
  titel: e.querySelector('h3').textContent, href: e.querySelector('h3 a').href,
  art: e.querySelector('.regio-treffer-typ').textContent,
  auszug: e.querySelector('.regio-treffer-auszug').textContent,
  stand: (e.querySelector('.regio-treffer-stand') || {}).textContent || ''}))"""


def _cards(page) -> list[dict[str, str]]:
    _results(page)
    return page.eval_on_selector_all(".regio-treffer-eintrag", _CARDS_JS)


@pytest.mark.browser
def test_result_cards_are_clean_on_the_shipped_content(chromium, variant_sites):
    """Free pages by their heading, no front matter, no repeated sentence, headings apart,
    overview pages only by their title."""
    with serve(variant_sites("content", "mit")) as url:
        with open_page(chromium, url + "search.html?q=" + quote("Web-Editor Merge Request")) as visit:
            pages = _cards(visit.page)
        with open_page(chromium, url + "search.html?q=Wohnquartiere") as visit:
            quartiere = _cards(visit.page)
        with open_page(chromium, url + "search.html?q=Pedelec") as visit:
            pedelec = _cards(visit.page)
            assert not visit.errors
        with open_page(chromium, url + "search.html?q=" + quote("attraktive Alternativen")) as visit:
            attraktiv = _cards(visit.page)
        with open_page(chromium, url + "search.html?q=Duisburg") as visit:
            duisburg = _cards(visit.page)
        with open_page(chromium, url + "search.html?q=Pendler") as visit:
            pendler = _cards(visit.page)
            assert not visit.errors
    platform = next(c for c in attraktiv if c["href"].endswith("plattformen/nachhaltige-mobilitaet.html"))
    assert platform["art"] == "Plattform" and "attraktive …" not in platform["auszug"], platform
    partner = next(c for c in duisburg if c["href"].endswith("partner/duisburg.html"))
    assert partner["art"] == "Partner", partner
    for card in attraktiv + duisburg + pendler:
        assert not re.search(r"\d\. \d{3}\b|[.!?] [“”»]", card["auszug"]), card
        assert not card["auszug"].startswith(("000 ", "“")), card
        assert card["auszug"].count("„") <= card["auszug"].count("“") + card["auszug"].count("…"), card
    mitmachen = [c for c in pages if c["href"].endswith("seiten/mitmachen.html")]
    assert mitmachen and mitmachen[0]["titel"] == "Mitmachen" and mitmachen[0]["art"] == "Seite"
    for card in pages + quartiere + pedelec + attraktiv + duisburg + pendler:
        assert not card["auszug"].lstrip().startswith("---") and "kurzbeschreibung:" not in card["auszug"]
        sentences = [s.strip(" …") for s in re.split(r"(?<=[.!?])\s+| … ", card["auszug"]) if s.strip(" …")]
        assert len(sentences) == len(set(sentences)), card
    konzept = next(c for c in quartiere if c["href"].endswith("mobilitaetskonzept-im-bebauungsplan.html"))
    assert "Problem Neue" not in konzept["auszug"] and "Neue Wohnquartiere" in konzept["auszug"]
    overviews = [c for c in pedelec if c["art"] == "Übersicht"]
    assert overviews and all("pedelec" in c["titel"].lower() for c in overviews)
    assert [c["art"] for c in pedelec][: len(pedelec) - len(overviews)] == [
        c["art"] for c in pedelec if c["art"] != "Übersicht"
    ]  # records first


@pytest.mark.browser
def test_a_known_word_is_not_split_into_unrelated_parts(chromium, variant_sites):
    """ "Altstadt" (a dictionary word) and "Innenentwicklung" (a thesaurus term) occur nowhere in
    the shipped content: no results, not records that say "alt…" and "…stadt" somewhere; a
    coined compound is still split."""
    with serve(variant_sites("content", "ohne")) as url:
        found = {}
        for query in ("Altstadt", "Innenentwicklung", "Pendlerradroute"):
            with open_page(chromium, url + "search.html?q=" + quote(query)) as visit:
                found[query] = (_results(visit.page), visit.page.inner_text("#regio-suche-hinweis"))
                assert not visit.errors
    for query in ("Altstadt", "Innenentwicklung"):
        assert found[query] == ([], ""), found[query]
    urls, hint = found["Pendlerradroute"]
    assert any(u.endswith("/nm-2026-06-radpendlerrouten.html") for u in urls) and "Wortteilen" in hint


@pytest.mark.browser
def test_an_empty_query_lists_every_record_newest_first_with_facets(chromium, variant_sites):
    built = variant_sites("content", "mit")
    result = checks.check(ROOT / "content", ROOT, today=dt.date.fromisoformat(TODAY))
    records = len(result.content.visible(intern=False).records)
    with serve(built) as url, open_page(chromium, url + "search.html") as visit:
        cards = _cards(visit.page)
        status = visit.page.inner_text("#regio-suche-status")
        facets = visit.page.locator(".regio-facette").count()
        assert not visit.errors
    assert status.startswith(f"{records} Einträge") and "neueste zuerst" in status
    assert len(cards) == min(records, 10) and all(c["art"] not in ("Seite", "Übersicht") for c in cards)
    dates = [dt.datetime.strptime(c["stand"].removeprefix("Stand: "), "%d.%m.%Y").date() for c in cards]
    assert dates == sorted(dates, reverse=True)
    assert facets >= 2


@pytest.mark.browser
def test_browser_stemmer_and_tokens_match_the_index(chromium, suche_url: str, suche_site: Path):
    words = sorted(
        {w for p in (FIXTURES / "suche").rglob("*.yaml") for w in analyse.tokens(p.read_text("utf-8"))}
    )
    with open_page(chromium, suche_url + "search.html") as visit:
        visit.page.wait_for_function("() => window.regioSuche && window.regioSuche.analyse")
        stems = visit.page.evaluate("ws => ws.map(w => window.regioSuche.analyse.stem(w))", words)
        text = "Pendler:innen, Schwammstadt-Prinzip; Straßenbäume 2040 ÖPNV"
        js_tokens = visit.page.evaluate("t => window.regioSuche.analyse.tokens(t)", text)
    assert len(words) > 500
    assert [w for w, s in zip(words, stems, strict=True) if s != analyse.stem(w)] == []
    assert js_tokens == analyse.tokens(text)


@pytest.mark.browser
def test_results_link_to_record_pages_best_first(chromium, suche_url: str, suche_site: Path):
    with open_page(chromium, suche_url + "search.html?q=" + quote("Radschnellwege")) as visit:
        hrefs = _results(visit.page)
        input_value = visit.page.input_value("#regio-suche-q")
        status = visit.page.inner_text("#regio-suche-status")
        kinds = visit.page.eval_on_selector_all(".regio-treffer-typ", "els => els.map(e => e.textContent)")
        marks = visit.page.eval_on_selector_all(".regio-treffer mark", "els => els.map(e => e.textContent)")
        assert not visit.errors and not visit.blocked
    assert input_value == "Radschnellwege"
    assert status.startswith(f"{len(hrefs)} Ergebnis")
    paths = [urlsplit(h).path.lstrip("/") for h in hrefs]
    assert paths[0] in ("projekte/neuss/radschnellweg-neuss-duesseldorf.html",
                        "projekte/duesseldorf/radschnellweg-duesseldorf-ratingen.html")  # fmt: skip
    assert all((suche_site / p).is_file() for p in paths)
    # records come before pages and overview pages; an overview page only matching in its title
    pages = ("Seite", "Übersicht")
    first_page = min((kinds.index(k) for k in pages if k in kinds), default=len(kinds))
    assert all(k in pages for k in kinds[first_page:]) and not any(k in pages for k in kinds[:first_page])
    keyword_pages = [urlsplit(h).path for h in hrefs if "/schlagworte/" in h]
    assert all("radschnellweg" in path for path in keyword_pages), keyword_pages
    assert any("Radschnellweg" in m for m in marks)


@pytest.mark.browser
def test_search_facets_combine_and_are_shared_by_url(chromium, suche_url: str):
    with open_page(chromium, suche_url + "search.html?q=Radverkehr") as visit:
        page = visit.page
        everything = _results(page)
        page.check("#regio-suche-f-typ-0")  # Projekt
        projects = _results(page)
        page.check("input[name=partner][value=neuss]")
        both = _results(page)
        shared = page.url
        label = page.inner_text("label[for=regio-suche-f-partner-2]")
        assert not visit.errors
    assert len(everything) > len(projects) > len(both) >= 1
    params = parse_qs(urlsplit(shared).query)
    assert params == {"q": ["Radverkehr"], "typ": ["projekt"], "partner": ["neuss"]}
    assert re.search(r"\(\d+\)", label), label  # counts beside the values

    with open_page(chromium, shared) as visit:
        again = _results(visit.page)
        assert visit.page.is_checked("input[name=partner][value=neuss]")
        assert visit.page.is_checked("input[name=typ][value=projekt]")
        visit.page.click(".regio-zuruecksetzen")
        reset = _results(visit.page)
        assert parse_qs(urlsplit(visit.page.url).query) == {"q": ["Radverkehr"]}
    assert again == both and reset == everything


@pytest.mark.browser
def test_overview_list_facets_filter_and_are_shared_by_url(chromium, suche_url: str):
    with open_page(chromium, suche_url + "projekte/index.html") as visit:
        page = visit.page
        page.wait_for_selector(".regio-facetten-klappe summary")
        total = page.locator(".regio-listen-eintrag:not([hidden])").count()
        page.click(".regio-facetten-klappe summary")
        page.check("input[name=partner][value=ratingen]")
        page.check("input[name=status][value=planung]")
        shown = page.locator(".regio-listen-eintrag:not([hidden])").count()
        status = page.inner_text(".regio-listen-status")
        shared = page.url
        assert not visit.errors
    assert total > shown >= 1
    assert status.startswith(f"{shown} von {total}")
    assert parse_qs(urlsplit(shared).query) == {"partner": ["ratingen"], "status": ["planung"]}
    with open_page(chromium, shared) as visit:
        visit.page.wait_for_selector(".regio-listen-status")
        assert visit.page.locator(".regio-listen-eintrag:not([hidden])").count() == shown
        assert visit.page.locator(".regio-facetten-klappe[open]").count() == 1


@pytest.mark.browser
def test_search_works_from_a_folder_opened_from_disk(chromium, suche_site: Path):
    context = chromium.new_context(locale="de-DE")
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((suche_site / "search.html").as_uri() + "?q=Schwammst%C3%A4dte")
        hrefs = _results(page)
        assert not errors
    finally:
        context.close()
    assert any(h.endswith("quartier-furth-schwammstadt.html") for h in hrefs)
    assert all(h.startswith("file://") for h in hrefs)


_AXE_IN = """async ([selectors, tags]) => {
  const result = await axe.run({include: selectors.map(s => [s])},
    {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target, html: n.html, summary: n.failureSummary}))}));
}"""


def _axe(page, *selectors: str) -> list[dict]:
    """axe-core (WCAG 2.1 A/AA) on the parts of the page the search draws.

    The theme's frame around them (sidebar, header, record cards) is audited page by
    page in test_browser.py.
    """
    page.add_script_tag(path=str(AXE_JS))
    page.wait_for_function("() => typeof window.axe !== 'undefined'")
    return page.evaluate(_AXE_IN, [list(selectors), list(WCAG_TAGS)])


@pytest.mark.browser
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_search_page_with_results_passes_axe(chromium, suche_url: str, color_scheme: str):
    url = suche_url + "search.html?q=Radschnellweg&typ=projekt"
    with open_page(chromium, url, color_scheme=color_scheme) as visit:
        _results(visit.page)
        visit.page.wait_for_selector(".regio-treffer mark")
        assert visit.page.locator(".regio-facette").count() >= 3
        violations = _axe(visit.page, "#regio-suche")
    assert not violations, describe_violations(violations)


@pytest.mark.browser
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_overview_list_facets_pass_axe(chromium, suche_url: str, color_scheme: str):
    with open_page(
        chromium, suche_url + "projekte/index.html?partner=neuss", color_scheme=color_scheme
    ) as visit:
        visit.page.wait_for_selector(".regio-facetten-klappe[open]")
        violations = _axe(visit.page, ".regio-listen-facetten", ".regio-listen-status")
    assert not violations, describe_violations(violations)
