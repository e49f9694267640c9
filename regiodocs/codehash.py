"""A fingerprint of regiodocs' own code: a changed tool invalidates what it made before."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from . import __version__


@functools.cache
def code_hash() -> str:
    """Hash of the package's version and every module: pages and cached verdicts depend on it."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(Path(__file__).resolve().parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
