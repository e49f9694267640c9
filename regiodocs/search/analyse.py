"""Text analysis for German search: tokens, folding, stems and compound parts.

The same steps run in the browser for the query (``regiodocs/static/suche.js``),
so both sides must agree; ``tests/test_search.py`` checks that they do:

1. ``tokens``: words of letters and digits; gendered forms (``Pendler:innen``,
   ``Planer*innen``) are one word; hyphenated words give their parts.
2. lowercase, then the Snowball German stemmer (snowballstemmer, the stemmer
   Sphinx uses): it also folds ä/ae → a, ö/oe → o, ü/ue → u, ß → ss, so
   "Straßenbäume", "Strassenbaeume" and "Strassenbaume" meet in ``strassenbaum``.
3. stop words (Snowball's German list, as Sphinx ships it) are not indexed.
4. compound parts (:mod:`.zerlegung`) are indexed as extra terms of lower weight.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import snowballstemmer
from sphinx.search.de import SearchGerman

from .zerlegung import Splitter

STOPWORDS: frozenset[str] = frozenset(SearchGerman.stopwords)
#: Shortest word that is indexed (and the shortest compound part).
MIN_WORD = 2

_GENDER = re.compile(r"(?<=\w)[:*_/·](?=innen\b|in\b)", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STEMMER = snowballstemmer.stemmer("german")


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


def tokens(text: str) -> list[str]:
    """Lowercase words of ``text`` (stop words included)."""
    return _WORD.findall(_GENDER.sub("", normalise(text)))


@lru_cache(maxsize=300_000)
def stem(word: str) -> str:
    """Stem of a lowercase word (folds umlauts and ß)."""
    return _STEMMER.stemWord(word)


def indexable(word: str) -> bool:
    return len(word) >= MIN_WORD and word not in STOPWORDS


class Analyser:
    """Terms of a text: ``(term, is_part)`` for every indexable word."""

    def __init__(self, splitter: Splitter | None) -> None:
        self.splitter = splitter
        self._parts: dict[str, tuple[str, ...]] = {}

    def parts(self, word: str) -> tuple[str, ...]:
        """Stems of the compound parts of ``word`` (not its own stem)."""
        found = self._parts.get(word)
        if found is None:
            own = stem(word)
            stems: list[str] = []
            if self.splitter is not None and len(word) >= 6 and word.isalpha():
                for part in self.splitter.parts(word):
                    s = stem(part)
                    if len(s) >= 3 and s != own and s not in stems:
                        stems.append(s)
            found = tuple(stems)
            self._parts[word] = found
        return found

    def terms(self, text: str) -> Iterator[tuple[str, bool]]:
        for word in tokens(text):
            if not indexable(word):
                continue
            yield stem(word), False
            for part in self.parts(word):
                yield part, True
