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
    files = (p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in sorted(files):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
