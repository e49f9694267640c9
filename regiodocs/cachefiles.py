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

#: New cache files get the permissions of any file this user creates (``mkstemp`` would make
#: them private): read once, at import, before any thread could create a file.
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def cache_dir() -> Path:
    """The folder for caches that outlive a work folder (verdicts, readings, dictionary stems).

    Without a home folder (a container user without a passwd entry and no ``HOME``): a folder
    of this user's below the system's temporary folder.
    """
    if os.environ.get("REGIODOCS_CACHE"):
        return Path(os.environ["REGIODOCS_CACHE"])
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "regiodocs"
    try:
        return Path.home() / ".cache" / "regiodocs"
    except (RuntimeError, KeyError, OSError):
        return Path(tempfile.gettempdir()) / f"regiodocs-cache-{os.getuid()}"


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically; False (and nothing changed) when it cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                os.fchmod(out.fileno(), 0o666 & ~_UMASK)
                out.write(data)
            os.replace(name, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(name)
            raise
    except (OSError, ValueError):
        return False
    return True
