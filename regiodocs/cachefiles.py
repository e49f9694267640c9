"""Where regiodocs keeps what one run computed for the next, and how it writes it.

The cache folder is ``REGIODOCS_CACHE``, else ``$XDG_CACHE_HOME/regiodocs``, else
``~/.cache/regiodocs``. Every cache file is written atomically (a temporary file beside it,
then renamed), so that a killed run leaves the old file or the new one, never half of one; a
cache that cannot be written only costs time and is no error. Pure standard library.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def cache_dir() -> Path:
    """The folder for caches that outlive a work folder (verdicts, readings, dictionary stems).

    Without a home folder (a container user without a passwd entry and no ``HOME``): a private
    folder (0700) of this user's below the system's temporary folder – if someone else made it,
    or it is not private, a new private folder for this run only: a cache is trusted like the
    tool's own output, so nobody else may be able to write it.
    """
    if os.environ.get("REGIODOCS_CACHE"):
        return Path(os.environ["REGIODOCS_CACHE"])
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "regiodocs"
    try:
        return Path.home() / ".cache" / "regiodocs"
    except (RuntimeError, KeyError, OSError):
        return _private(Path(tempfile.gettempdir()) / f"regiodocs-cache-{os.getuid()}")


def _private(folder: Path) -> Path:
    with contextlib.suppress(OSError):
        folder.mkdir(mode=0o700)
    try:
        info = os.lstat(folder)
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077:
            return folder
    except OSError:
        pass
    return Path(tempfile.mkdtemp(prefix="regiodocs-cache-"))


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically; False (and nothing changed) when it cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:  # 0600 (mkstemp): caches may hold intern records
                out.write(data)
            os.replace(name, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(name)
            raise
    except (OSError, ValueError):
        return False
    return True
