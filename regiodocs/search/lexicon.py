"""The word lexicon behind decompounding: Zipf frequencies of German words.

Source: wordfreq's ``large`` German list (634,000 words from Wikipedia, books,
subtitles, news and web text; Zipf scale: 3 = once per million words).
wordfreq is needed only at build time and is imported lazily; without it the
search index is built without compound parts, and a warning says so.
"""

from __future__ import annotations

import math
from functools import cache

from .compounds import Lexicon

LANGUAGE = "de"


class LexiconMissing(RuntimeError):
    pass


@cache
def _zipf() -> dict[str, float]:
    try:
        import wordfreq
    except ImportError as err:  # pragma: no cover - depends on the installation
        raise LexiconMissing(
            "Das Paket `wordfreq` fehlt: Komposita werden in der Suche nicht zerlegt."
        ) from err
    freqs = wordfreq.get_frequency_dict(LANGUAGE, wordlist="large")
    return {word: math.log10(freq * 1e9) for word, freq in freqs.items()}


def lexicon() -> Lexicon:
    """``word -> Zipf frequency`` (0 for unknown words); wordfreq spells ß as ss."""
    table = _zipf()

    def zipf(word: str) -> float:
        return table.get(word.replace("ß", "ss"), 0.0)

    return zipf


def words() -> list[tuple[str, float]]:
    """The lexicon's words with their Zipf frequency (empty without wordfreq)."""
    try:
        return list(_zipf().items())
    except LexiconMissing:
        return []


def version() -> str:
    try:
        from importlib.metadata import version as dist_version

        return f"wordfreq {dist_version('wordfreq')}"
    except Exception:  # pragma: no cover
        return "ohne Lexikon"
