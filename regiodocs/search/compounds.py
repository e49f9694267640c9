"""German decompounding: the parts of a compound, found with a word-frequency lexicon.

The method is Koehn & Knight's (2003), applied recursively: a word is cut in
two where the modifier (minus a linking element -s-, -es-, -n-, -en-, -e-,
-er-, -ens-) and the head are known words whose mean Zipf frequency beats the
uncut word's own, so "Verkehr" (frequent) stays whole while "Radschnellweg"
(rare) becomes rad + schnellweg and then rad + schnell + weg. A modifier may
be a verb stem ("Wohn-", "Lade-"): accepted when stem + -en/-n/-e is known.

For search every contiguous run of parts counts: "Bebauungsplanverfahren"
yields bebauung, plan, verfahren, bebauungsplan and planverfahren, so a query
finds the compound by its head, its modifier or anything inside.

The lexicon is any ``word -> Zipf frequency`` function (0 when unknown; see
:mod:`regiodocs.search.lexicon`), so the algorithm is tested on its own and the
data source can be exchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import NamedTuple

Lexicon = Callable[[str], float]

#: Linking elements (Fugenelemente) that may follow a modifier, longest first.
FUGEN = ("ens", "nen", "es", "en", "er", "s", "n", "e", "")
#: Endings that turn a verb-stem modifier into a known word (Wohn- → wohnen).
STEM_ENDINGS = ("en", "n", "e")
#: Derivational affixes: never a part of their own.
AFFIXES = frozenset(
    [
        "ung", "ungs", "heit", "keit", "schaft", "schaften", "lich", "isch", "tion", "ion", "ieren",
        "tät", "ismus", "chen", "lein", "nis", "sal", "tum", "bar", "sam", "haft", "los", "voll",
        "weise", "artig", "mäßig", "ige", "igen", "iges", "ver", "ent", "zer",
    ]
)  # fmt: skip
MIN_PART = 3
MIN_ZIPF = 2.5  # a modifier must be at least this common
MIN_ZIPF_SHORT = 3.9  # three-letter parts must be common words (Rad, Bus, Weg, Bau)
MIN_ZIPF_HEAD = 1.0  # a long head may be a rare technical word (Rigolen)
MIN_HEAD_LONG = 6
MARGIN = 0.1  # a known word is cut only when its parts are clearly more common


class Part(NamedTuple):
    text: str  # the part as a word (without linking element)
    start: int  # where it begins in the compound
    end: int  # where it ends, without its linking element


class Splitter:
    """Split German compounds with a frequency lexicon."""

    def __init__(self, lexicon: Lexicon, stopwords: Iterable[str] = ()) -> None:
        self.lexicon = lexicon
        # Snowball's stop list has the adverb "weg"; in compounds it is the noun (Radweg)
        self.blocked = AFFIXES | (frozenset(stopwords) - {"weg"})
        self._cache: dict[str, tuple[Part, ...]] = {}

    def split(self, word: str) -> tuple[Part, ...]:
        """The smallest parts of ``word`` (lowercase); one part if it is no compound."""
        found = self._cache.get(word)
        if found is None:
            found = tuple(self._leaves(word, 0))
            if len(self._cache) < 500_000:
                self._cache[word] = found
        return found

    def parts(self, word: str) -> list[str]:
        """Every contiguous run of parts of ``word`` except the whole word."""
        leaves = self.split(word)
        if len(leaves) < 2:
            return []
        runs = []
        for i in range(len(leaves)):
            for j in range(i, len(leaves)):
                if i == 0 and j == len(leaves) - 1:
                    continue
                text = leaves[i].text if i == j else word[leaves[i].start : leaves[j].end]
                if j > i and leaves[j].text != word[leaves[j].start : leaves[j].end]:
                    text = word[leaves[i].start : leaves[j].start] + leaves[j].text
                runs.append(text)
        return runs

    # ------------------------------------------------------------------ internals

    def _score(self, part: str, *, head: bool, stem: bool = False) -> float:
        """Zipf frequency of ``part`` as a part of a compound, or 0 if it cannot be one.

        ``stem``: the part may be a verb stem (a modifier without linking element).
        """
        if len(part) < MIN_PART or part in self.blocked:
            return 0.0
        value = self.lexicon(part)
        if stem:
            for ending in STEM_ENDINGS:
                value = max(value, self.lexicon(part + ending) - 0.5)
        if len(part) == MIN_PART:
            floor = MIN_ZIPF_SHORT
        elif head and len(part) >= MIN_HEAD_LONG:
            floor = MIN_ZIPF_HEAD
        else:
            floor = MIN_ZIPF
        return value if value >= floor else 0.0

    @lru_cache(maxsize=200_000)  # noqa: B019 - one splitter per build, bounded
    def _cut(self, word: str) -> tuple[float, int, int] | None:
        """Best cut of ``word`` in two: (score, end of modifier, start of head)."""
        best: tuple[float, int, int] | None = None
        for cut in range(MIN_PART, len(word) - MIN_PART + 1):
            head = word[cut:]
            head_score = self._score(head, head=True) or self._analysable(head)
            if not head_score:
                continue
            for fuge in FUGEN:
                end = cut - len(fuge)
                if end < MIN_PART or not word[:cut].endswith(fuge):
                    continue
                modifier = word[:end]
                mod_score = self._score(modifier, head=False, stem=not fuge) or self._analysable(modifier)
                if mod_score:
                    score = (mod_score + head_score) / 2
                    if best is None or score > best[0]:
                        best = (score, end, cut)
        return best

    def _analysable(self, word: str) -> float:
        """The score of ``word`` as a compound itself (0 if it has no cut)."""
        if len(word) < 2 * MIN_PART:
            return 0.0
        cut = self._cut(word)
        return cut[0] - 0.25 if cut else 0.0  # a nested compound counts a little less

    def _leaves(self, word: str, offset: int) -> list[Part]:
        whole = self.lexicon(word)
        cut = self._cut(word) if len(word) >= 2 * MIN_PART else None
        if cut is None or cut[0] <= whole + MARGIN:
            return [Part(word, offset, offset + len(word))]
        _score, end, start = cut
        return self._leaves(word[:end], offset) + self._leaves(word[start:], offset + start)
