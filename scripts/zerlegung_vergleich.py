"""Compare German decompounders on the planning gold standard (scripts/zerlegung_gold.tsv).

Run with a Python that has the candidates installed (each is optional)::

    python scripts/zerlegung_vergleich.py

Prints, per candidate: exact splits (after Snowball stemming of every part),
compounds split correctly, simple words left whole, recall of the parts
(what search needs), load time and time per word.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import snowballstemmer
from sphinx.search._stopwords.de import GERMAN_STOPWORDS as STOPWORDS

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from regiodocs.search.compounds import Splitter

GOLD = Path(__file__).with_name("zerlegung_gold.tsv")
STEM = snowballstemmer.stemmer("german")


def gold() -> list[tuple[str, tuple[str, ...]]]:
    rows = []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, parts = line.split("\t")
            rows.append((word, tuple(parts.split("+"))))
    return rows


def stems(parts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(STEM.stemWord(p.lower()) for p in parts)


def candidates() -> dict[str, Callable[[], Callable[[str], tuple[str, ...]]]]:
    found: dict[str, Callable[[], Callable[[str], tuple[str, ...]]]] = {}

    def wordfreq_dp() -> Callable[[str], tuple[str, ...]]:
        from regiodocs.search.lexicon import lexicon

        splitter = Splitter(lexicon(), STOPWORDS)
        return lambda w: tuple(p.text for p in splitter.split(w))

    def charsplit() -> Callable[[str], tuple[str, ...]]:
        from compound_split import char_split

        def split(word: str, depth: int = 0) -> tuple[str, ...]:
            if len(word) < 6 or depth > 3:
                return (word,)
            score, left, right = char_split.split_compound(word)[0]
            if score <= 0:
                return (word,)
            left = char_split.cut_off_fugen_s(left.lower())
            return (*split(left, depth + 1), *split(right.lower(), depth + 1))

        return split

    def german_nouns() -> Callable[[str], tuple[str, ...]]:
        from german_nouns.lookup import Nouns

        nouns = Nouns()

        def split(word: str) -> tuple[str, ...]:
            parts = nouns.parse_compound(word)
            return tuple(p.lower() for p in parts) or (word,)

        return split

    def simplemma_dp() -> Callable[[str], tuple[str, ...]]:
        import simplemma

        def known(w: str) -> float:
            return 4.0 if len(w) >= 4 and simplemma.is_known(w, lang="de") else 0.0

        splitter = Splitter(known, STOPWORDS)
        return lambda w: tuple(p.text for p in splitter.split(w))

    found["wordfreq 3.1.1 + Koehn-Knight (regiodocs)"] = wordfreq_dp
    found["compound-split 1.0.2 (CharSplit, rekursiv)"] = charsplit
    found["german-nouns 1.2.5 (parse_compound)"] = german_nouns
    found["simplemma 2.0.0 Lexikon + wenigste Teile"] = simplemma_dp
    return found


def main() -> None:
    rows = gold()
    compounds = [(w, p) for w, p in rows if len(p) > 1]
    simple = [(w, p) for w, p in rows if len(p) == 1]
    print(f"Goldstandard: {len(rows)} Wörter ({len(compounds)} Komposita, {len(simple)} einfache)\n")
    header = (
        f"{'Kandidat':46} {'exakt':>7} {'Komp.':>7} {'einf.':>7} {'Teile-Recall':>12} "
        f"{'Laden':>7} {'µs/Wort':>8}"
    )
    print(header)
    for name, factory in candidates().items():
        try:
            t0 = time.perf_counter()
            split = factory()
            loaded = time.perf_counter() - t0
        except ImportError as err:
            print(f"{name:46} nicht installiert ({err.name})")
            continue
        t1 = time.perf_counter()
        results = {w: split(w) for w, _ in rows}
        per_word = (time.perf_counter() - t1) / len(rows) * 1e6
        exact = sum(stems(results[w]) == stems(p) for w, p in rows)
        ok_compounds = sum(stems(results[w]) == stems(p) for w, p in compounds)
        ok_simple = sum(len(results[w]) == 1 for w, _ in simple)
        wanted = sum(len(p) for _, p in compounds)
        got = sum(len(set(stems(p)) & set(stems(results[w]))) for w, p in compounds)
        print(
            f"{name:46} {exact:>3}/{len(rows):<3} {ok_compounds:>3}/{len(compounds):<3} "
            f"{ok_simple:>3}/{len(simple):<3} {100 * got / wanted:>11.1f}% {loaded:>6.1f}s {per_word:>8.0f}"
        )
        if "-v" in sys.argv:
            for w, p in rows:
                if stems(results[w]) != stems(p):
                    print(f"    {w}: {'+'.join(results[w])} (erwartet {'+'.join(p)})")


if __name__ == "__main__":
    main()
