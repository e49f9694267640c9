"""Text analysis for German search: tokens, folding, stems and compound parts.

The same steps run in the browser for the query (``regiodocs/static/suche.js``),
so both sides must agree; ``tests/test_search.py`` checks that they do:

1. ``tokens``: words of letters and digits; gendered forms (``Pendler:innen``,
   ``Planer*innen``) are one word; hyphenated words give their parts, except that a single
   letter before a hyphen stays with its word (``E-Bike`` → ``ebike``, ``B-Plan`` →
   ``bplan``; the index also gets the word after the hyphen as a part: ``bike``).
2. lowercase, then the Snowball German stemmer (snowballstemmer, the stemmer
   Sphinx uses): it also folds ä/ae → a, ö/oe → o, ü/ue → u, ß → ss, so
   "Straßenbäume", "Strassenbaeume" and "Strassenbaume" meet in ``strassenbaum``.
3. stop words (Snowball's German list, the one Sphinx ships; kept here so that the
   search needs no Sphinx) are not indexed.
4. compound parts (:mod:`.compounds`) are indexed as extra terms of lower weight.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

import snowballstemmer

from .compounds import Splitter

#: Snowball's German stop words (snowball-website ``algorithms/german/stop.txt``), the same list
#: as Sphinx's ``sphinx.search.de`` (``tests/test_architecture.py`` compares them).
_STOP = """
    aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes
    anderm andern anderr anders auch auf aus bei bin bis bist da damit dann das dasselbe dazu daß
    dein deine deinem deinen deiner deines dem demselben den denn denselben der derer derselbe
    derselben des desselben dessen dich die dies diese dieselbe dieselben diesem diesen dieser
    dieses dir doch dort du durch ein eine einem einen einer eines einig einige einigem einigen
    einiger einiges einmal er es etwas euch euer eure eurem euren eurer eures für gegen gewesen hab
    habe haben hat hatte hatten hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres
    im in indem ins ist jede jedem jeden jeder jedes jene jenem jenen jener jenes jetzt kann kein
    keine keinem keinen keiner keines können könnte machen man manche manchem manchen mancher
    manches mein meine meinem meinen meiner meines mich mir mit muss musste nach nicht nichts noch
    nun nur ob oder ohne sehr sein seine seinem seinen seiner seines selbst sich sie sind so solche
    solchem solchen solcher solches soll sollte sondern sonst um und uns unse unsem unsen unser
    unses unter viel vom von vor war waren warst was weg weil weiter welche welchem welchen welcher
    welches wenn werde werden wie wieder will wir wird wirst wo wollen wollte während würde würden
    zu zum zur zwar zwischen über
"""
STOPWORDS: frozenset[str] = frozenset(_STOP.split())
#: Shortest word that is indexed (and the shortest compound part).
MIN_WORD = 2

_GENDER = re.compile(r"(?<=\w)[:*_/·](?=innen\b|in\b)", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_LETTER_HYPHEN = re.compile(r"(?<![^\W_])([^\W\d_])-([^\W_]+)")
_STEMMER = snowballstemmer.stemmer("german")


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


def _prepared(text: str) -> str:
    return _GENDER.sub("", normalise(text))


def tokens(text: str) -> list[str]:
    """Lowercase words of ``text`` (stop words included)."""
    return _WORD.findall(_LETTER_HYPHEN.sub(r"\1\2", _prepared(text)))


def glued(text: str) -> dict[str, str]:
    """Words that :func:`tokens` glued to a single letter: ``{"ebike": "bike"}``."""
    return {m.group(1) + m.group(2): m.group(2) for m in _LETTER_HYPHEN.finditer(_prepared(text))}


@lru_cache(maxsize=300_000)
def stem(word: str) -> str:
    """Stem of a lowercase word (folds umlauts and ß)."""
    return _STEMMER.stemWord(word)


def indexable(word: str) -> bool:
    return len(word) >= MIN_WORD and word not in STOPWORDS


class Analyser:
    """Terms of a text: ``(term, is_part)`` for every indexable word."""

    def __init__(self, splitter: Splitter | None, memo: dict[str, tuple[str, ...]] | None = None) -> None:
        """``memo``: compound parts of words found before with the same splitter (kept up to date)."""
        self.splitter = splitter
        self._parts: dict[str, tuple[str, ...]] = memo if memo is not None and splitter is not None else {}

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
        glue = glued(text) if "-" in text else {}
        for word in tokens(text):
            if not indexable(word):
                continue
            yield stem(word), False
            for part in self.parts(word):
                yield part, True
            rest = glue.get(word)
            if rest is not None and indexable(rest):
                yield stem(rest), True
                for part in self.parts(rest):
                    yield part, True
