"""A fingerprint of regiodocs' own code: a changed tool invalidates what it made before."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from . import __version__


@functools.cache
def code_hash() -> str:
    """Hash of the package's version, every module and the theme's files (templates, styles,
    scripts: a stylesheet the theme adds changes every page's head): pages and cached verdicts
    depend on it."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    files = [*package.rglob("*.py"), *(package / "theme").rglob("*.*"), *(package / "static").rglob("*.*")]
    for path in sorted(p for p in files if "__pycache__" not in p.parts):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
