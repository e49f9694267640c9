"""The word lexicon behind decompounding: Zipf frequencies of German words.

Source: wordfreq's ``large`` German list (634,000 words from Wikipedia, books,
subtitles, news and web text; Zipf scale: 3 = once per million words).
wordfreq is needed only at build time and is imported lazily; without it the
search index is built without compound parts, and a warning says so.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import math
import os
import sqlite3
import tempfile
from functools import cache
from pathlib import Path

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
    """``word -> Zipf frequency`` (0 for unknown words); wordfreq spells ß as ss.

    Looked up in a copy of the list in ``REGIODOCS_CACHE`` (SQLite, made at the first
    look-up) while a build needs few words – an incremental build splits only the words of
    the pages that changed –, then in wordfreq's list itself (read once, ~1 s):
    :class:`LexiconMissing` without wordfreq.
    """
    if importlib.util.find_spec("wordfreq") is None:
        raise LexiconMissing("Das Paket `wordfreq` fehlt: Komposita werden in der Suche nicht zerlegt.")
    table = _Table()

    def zipf(word: str) -> float:
        return table.get(word.replace("ß", "ss"))

    return zipf


#: Look-ups answered by the SQLite copy before the whole list is read into memory.
DB_LOOKUPS = 50_000


class _Table:
    def __init__(self) -> None:
        self.memory: dict[str, float] | None = None
        self.db: sqlite3.Connection | None = None
        self.lookups = 0

    def get(self, word: str) -> float:
        if self.memory is None and self.lookups < DB_LOOKUPS:
            self.lookups += 1
            try:
                row = self._db().execute("SELECT z FROM w WHERE k = ?", (word,)).fetchone()
            except (sqlite3.Error, OSError):
                self.lookups = DB_LOOKUPS
            else:
                return float(row[0]) if row else 0.0
        if self.memory is None:
            self.memory = _zipf()
        return self.memory.get(word, 0.0)

    def _db(self) -> sqlite3.Connection:
        if self.db is None:
            path = _db_path()
            if not path.exists():
                _make_db(path)
            db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
            (count,) = db.execute("SELECT n FROM meta").fetchone()  # written last, in one transaction
            if not count:
                raise sqlite3.DatabaseError("empty lexicon copy")
            self.db = db
        return self.db


def _db_path() -> Path:
    from .cache import cache_dir, code_hash

    key = hashlib.sha256(f"{version()}:{code_hash()}".encode()).hexdigest()[:16]
    return cache_dir() / f"lexikon-{key}.sqlite"


def _make_db(path: Path) -> None:
    """Write the lexicon's copy (atomically: a temporary file renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        db = sqlite3.connect(tmp)
        with db:
            db.execute("CREATE TABLE w (k TEXT PRIMARY KEY, z REAL) WITHOUT ROWID")
            db.executemany("INSERT INTO w VALUES (?, ?)", _zipf().items())
            db.execute("CREATE TABLE meta (n INTEGER)")
            db.execute("INSERT INTO meta VALUES (?)", (len(_zipf()),))
        db.close()
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


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
