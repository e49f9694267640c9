"""The search's vocabulary: the planning thesaurus shipped with regiodocs and the network's own.

The thesaurus (package data in ``thesaurus/``, see its README.md) holds several hundred
groups of German planning language: ``planung.txt`` (curated: planning law, abbreviations,
colloquial and technical pairs, status words) and ``openthesaurus.txt`` (OpenThesaurus,
LGPL, filtered for the domain by ``scripts/thesaurus_erzeugen.py``).
``content/synonyme.yaml`` extends it per network:

- ``gruppen``: the network's own groups, added to the thesaurus;
- ``aus``: terms whose thesaurus groups are switched off (every shipped group with one of
  them, compared like queries: case, inflection and ä/ae do not matter);
- ``thesaurus: false``: the network's groups only.

The groups are applied when the index is built (:func:`.index.expand_synonyms`), so a
query downloads no thesaurus, only the postings of its own terms.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from . import analyse

FOLDER = Path(__file__).with_name("thesaurus")
FILES = ("planung.txt", "openthesaurus.txt")


def read(path: Path) -> list[list[str]]:
    """Groups of a thesaurus file: one per line, terms separated by ``;``, ``#`` comments."""
    groups = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            terms = [t.strip() for t in line.split(";") if t.strip()]
            if len(terms) > 1:
                groups.append(terms)
    return groups


@cache
def shipped() -> tuple[tuple[str, ...], ...]:
    """The thesaurus shipped with regiodocs."""
    return tuple(tuple(g) for name in FILES for g in read(FOLDER / name))


def key(term: str) -> tuple[str, ...]:
    """A term as the search compares it: the stems of its indexable words."""
    return tuple(analyse.stem(w) for w in analyse.tokens(term) if analyse.indexable(w))


def groups(data: dict[str, Any] | None) -> list[list[str]]:
    """The groups of one edition: the thesaurus (minus what ``aus`` switches off) and the own.

    ``data``: the content of ``synonyme.yaml``, or None when the content has none.
    """
    data = data or {}
    own = [[str(t) for t in g] for g in data.get("gruppen") or [] if isinstance(g, list)]
    if data.get("thesaurus", True) is False:
        return own
    off = {key(str(t)) for t in data.get("aus") or []}
    off.discard(())
    if not off:
        return [list(g) for g in shipped()] + own
    base = [list(g) for g in shipped() if not any(key(t) in off for t in g)]
    return base + own
