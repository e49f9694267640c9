"""What the search index keeps between builds, so a build computes only what changed.

- :func:`dictionary_cuts` – the Snowball stems of the lexicon's common words and of their
  cut parts (:func:`.index.known_words` needs them): a pure function of wordfreq's list, the
  stemmer and this code, kept in ``REGIODOCS_CACHE`` (default ``~/.cache/regiodocs``).
- :class:`Store` – per page its search document and analysed terms (by a key of everything
  :mod:`.documents` reads of it), per word its compound parts, kept in the build's work
  folder: an edit re-analyses one page.

Files hold marshal data (plain values, no code) behind a magic line and a key naming all
they depend on (the search's code, stemmer, Markdown parser, lexicon); they are written atomically, and a
file that does not load or carries another key is ignored – a build without them gives
the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import cachefiles
from .compounds import FUGEN, MIN_PART

MAGIC = b"regiodocs-suche 1\n"
#: A memo of words (compound parts, known parts) is dropped when it grows beyond this.
MEMO_LIMIT = 400_000

#: ``own stem -> ((head stem, (modifier stems …)), …)`` of the lexicon's common words.
Cuts = dict[str, tuple[tuple[str, tuple[str, ...]], ...]]


#: Libraries whose version the analyses depend on (stems, Markdown text, front matter).
LIBRARIES = ("snowballstemmer", "markdown-it-py", "PyYAML")


@functools.cache
def code_hash() -> str:
    """Hash of the search package's code (``regiodocs.codehash`` would pull in Sphinx)."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _version(library: str) -> str:
    try:
        return f"{library} {metadata.version(library)}"
    except metadata.PackageNotFoundError:  # pragma: no cover - depends on the installation
        return f"{library} ?"


def base_key(lexicon: str) -> tuple[str, ...]:
    """What every cached analysis depends on: this code, the libraries, the lexicon."""
    return (code_hash(), *map(_version, LIBRARIES), lexicon)


def load(path: Path, key: object) -> Any | None:
    """The value stored in ``path`` under ``key``; None if missing, corrupt or foreign."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(MAGIC):
        return None
    try:
        stored, value = marshal.loads(data[len(MAGIC) :])
    except Exception:
        return None
    return value if stored == key else None


def save(path: Path, key: object, value: object) -> None:
    """Store ``value`` under ``key`` atomically (a temporary file renamed); errors are ignored."""
    try:
        data = MAGIC + marshal.dumps((key, value))
    except ValueError:  # a value marshal cannot hold: nothing is kept
        return
    cachefiles.write_atomic(path, data)


def cache_dir() -> Path:
    return cachefiles.cache_dir()


def compute_cuts(
    dictionary: Iterable[tuple[str, float]], stem: Callable[[str], str], *, min_zipf: float, min_length: int
) -> Cuts:
    """Per common dictionary word (by its stem): every cut the browser could make, as the
    stem of the head and the stems of the modifier (minus each linking element)."""
    cuts: dict[str, dict[tuple[str, tuple[str, ...]], None]] = {}
    for word, zipf in dictionary:
        if zipf < min_zipf or len(word) < min_length or not word.isalpha():
            continue
        found = cuts.setdefault(stem(word), {})
        for cut in range(MIN_PART, len(word) - MIN_PART + 1):
            mods = {
                stem(word[: cut - len(f)]): None
                for f in FUGEN
                if cut - len(f) >= MIN_PART and word[cut - len(f) : cut] == f
            }
            if mods:
                found[(stem(word[cut:]), tuple(mods))] = None
    return {own: tuple(found) for own, found in cuts.items()}


def dictionary_cuts(
    lexicon: str,
    dictionary: Callable[[], Iterable[tuple[str, float]]],
    stem: Callable[[str], str],
    *,
    min_zipf: float,
    min_length: int,
    folder: Path | None = None,
) -> Cuts:
    """:func:`compute_cuts` of the lexicon, from the cache when it holds them."""
    key = (*base_key(lexicon), "woerter", min_zipf, min_length)
    name = hashlib.sha256(repr(key).encode()).hexdigest()[:16]
    path = (folder or cache_dir()) / f"suche-woerter-{name}.marshal"
    found = load(path, key)
    if isinstance(found, dict):
        return found
    cuts = compute_cuts(dictionary(), stem, min_zipf=min_zipf, min_length=min_length)
    save(path, key, cuts)
    return cuts


@dataclass
class Store:
    """Per-page documents and terms, per-word compound parts: one file in the work folder.

    ``pages``: page key → (document as a tuple, its scores, (phrase key, its phrase scores));
    ``parts``: word → stems of its compound parts; ``known``: (part, head) → whether the
    splitter knows the part. Only the pages of this build are written back.
    """

    path: Path | None = None
    key: tuple[str, ...] = ()
    pages: dict[str, Any] = field(default_factory=dict)
    parts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    known: dict[tuple[str, bool], bool] = field(default_factory=dict)
    groups: tuple[str, Any] | tuple[()] = ()  # (hash of the synonym groups, their stems)
    used: dict[str, Any] = field(default_factory=dict)
    changed: bool = False

    @classmethod
    def open(cls, path: Path | None, lexicon: str) -> Store:
        """The store in ``path`` (None: a store that keeps nothing)."""
        if path is None:
            return cls()
        key = (*base_key(lexicon), "seiten")
        data = load(path, key)
        store = cls(path=path, key=key)
        if (
            isinstance(data, tuple)
            and len(data) == 4
            and all(isinstance(d, dict) for d in data[:3])
            and isinstance(data[3], tuple)
        ):
            store.pages, store.parts, store.known, store.groups = data
        store._loaded = (len(store.parts), len(store.known), store.groups[:1])
        return store

    _loaded: tuple[Any, ...] = ()

    def put(self, key: str, value: Any, *, fresh: bool) -> None:
        """Keep ``value`` of a page of this build (``fresh``: computed now, not loaded)."""
        self.used[key] = value
        self.changed |= fresh

    def save(self) -> None:
        """Write back the pages of this build and the memos (when anything changed)."""
        if self.path is None:
            return
        grown = (len(self.parts), len(self.known), self.groups[:1]) != self._loaded
        if not (self.changed or grown or self.used.keys() != self.pages.keys()):
            return
        parts = self.parts if len(self.parts) <= MEMO_LIMIT else {}
        known = self.known if len(self.known) <= MEMO_LIMIT else {}
        save(self.path, self.key, (self.used, parts, known, self.groups))
