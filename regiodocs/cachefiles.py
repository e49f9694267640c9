"""Where regiodocs keeps what one run computed for the next, and how it writes it.

The cache folder is ``REGIODOCS_CACHE``, else ``$XDG_CACHE_HOME/regiodocs``, else
``~/.cache/regiodocs``. Every cache file is written atomically (a temporary file beside it,
then renamed), so that a killed run leaves the old file or the new one, never half of one; a
cache that cannot be written only costs time and is no error. Pure standard library.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def cache_dir() -> Path:
    """The folder for caches that outlive a work folder (verdicts, dictionary stems)."""
    return Path(
        os.environ.get("REGIODOCS_CACHE")
        or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "regiodocs"
    )


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically; False (and nothing changed) when it cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(name, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(name)
            raise
    except (OSError, ValueError):
        return False
    return True
