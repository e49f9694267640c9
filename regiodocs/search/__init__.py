"""Search for the handbook: German analysis and a static, sharded index.

Pure Python, no Sphinx: :func:`from_plan` turns an edition's page plan into a
:class:`~.index.SearchIndex`, :func:`~.index.write` puts it into the built
site, and ``regiodocs/static/suche.js`` answers queries in the browser.

- :mod:`.analyse` – tokens, Snowball stems (which fold umlauts and ß), stop words
- :mod:`.compounds` – compound parts (Koehn & Knight with a frequency lexicon)
- :mod:`.lexicon` – the lexicon: wordfreq's German word frequencies
- :mod:`.vocabulary` – the planning thesaurus (package data) and ``content/synonyme.yaml``
- :mod:`.documents` – fields, facets and result card of each page
- :mod:`.index` – scoring, shards and the files under ``_suche/``
- :mod:`.cache` – what a build keeps for the next (dictionary stems, pages' analyses)
"""

from __future__ import annotations

from pathlib import Path

from .. import model, site
from . import analyse, cache, lexicon, vocabulary
from .compounds import Splitter
from .documents import documents
from .index import FOLDER, KNOWN_LENGTH, KNOWN_ZIPF, SearchIndex, build, facet_labels, write

__all__ = ["FOLDER", "SearchIndex", "from_plan", "splitter", "write"]


def splitter() -> tuple[Splitter | None, str]:
    """The compound splitter and a description of its lexicon (None if wordfreq is missing)."""
    try:
        lex = lexicon.lexicon()
    except lexicon.LexiconMissing:
        return None, "ohne Lexikon"
    return Splitter(lex, analyse.STOPWORDS), lexicon.version()


def synonyms(content: model.Content) -> list[list[str]]:
    """The shipped thesaurus with the content's ``synonyme.yaml`` (see :mod:`.vocabulary`)."""
    doc = content.synonyme
    return vocabulary.groups(doc.data if doc is not None else None)


def from_plan(
    pages: dict[str, site.Page],
    content: model.Content,
    *,
    split: tuple[Splitter | None, str] | None = None,
    store: Path | None = None,
) -> SearchIndex:
    """The search index of one edition: its plan's pages, the content's synonyms.

    ``content`` is the edition's (visible) content: facet labels name only what it holds.
    ``store``: a file in the build's work folder that keeps the pages' analyses between
    builds (:class:`.cache.Store`); the index is the same with or without it.
    """
    splitter_, lexicon_name = split if split is not None else splitter()
    labels = site.labels(content)
    kept = cache.Store.open(store, lexicon_name)
    cuts: cache.Cuts = {}
    if splitter_ is not None:
        cuts = cache.dictionary_cuts(
            lexicon_name, lexicon.words, analyse.stem, min_zipf=KNOWN_ZIPF, min_length=KNOWN_LENGTH
        )
    index = build(
        documents(pages, labels, kept.pages),
        labels=facet_labels(labels),
        synonyms=synonyms(content),
        splitter=splitter_,
        lexicon=lexicon_name,
        cuts=cuts,
        store=kept,
    )
    kept.save()
    return index
