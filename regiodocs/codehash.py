"""A fingerprint of regiodocs' own code: a changed tool invalidates what it made before."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from . import __version__


@functools.cache
def code_hash() -> str:
    """Hash of the package's version and every file it ships: modules, the theme (a stylesheet
    it adds changes every page's head), the schemas (their labels reach pages, feeds and
    calendars), the print templates. Pages and cached verdicts depend on it."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(p for p in package.rglob("*") if p.is_file() and _shipped(p.relative_to(package))):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _shipped(relative: Path) -> bool:
    """Not bytecode, not an editor's or a tool's leftovers (``.x.swp``, ``x~``, ``#x#``, ``.DS_Store``)."""
    return not any(
        part == "__pycache__" or part.startswith((".", "#")) or part.endswith(("~", ".swp", ".orig"))
        for part in relative.parts
    )
