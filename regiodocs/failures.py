"""What can go wrong in a build, said in German: the usage errors and the file system's.

A full disk, a read-only folder or a missing permission is something a user
can fix: :func:`os_error_message` names the path and what to do, wherever the
error surfaced (behind Sphinx's wrappers, in a parallel worker's text, in
:class:`shutil.Error`). Everything else is a bug and goes to the log file of
:func:`regiodocs.cli.main`.
"""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

_ERRNO_TEXT = re.compile(r"\[Errno (\d+)\] [^:'\n]*(?::\s*'((?:[^'\\\n]|\\.)*)')?")
_ERRNO_REPR = re.compile(r"\b\w*Error\((\d+), '[^'\n]*'(?:, '((?:[^'\\\n]|\\.)*)')?")
_DISK_FULL = {errno.ENOSPC, errno.EDQUOT}
_READ_ONLY = {errno.EROFS}
_NO_PERMISSION = {errno.EACCES, errno.EPERM}
_DEVICE = {errno.EIO}
#: Errors of the file system a user can fix; reported in German, never as a bug.
FILE_SYSTEM_ERRNOS = frozenset(_DISK_FULL | _READ_ONLY | _NO_PERMISSION | _DEVICE)


class BuildError(Exception):
    """A German message for the command line: the build stops, nothing is published."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def target_problem(
    path: Path, *, folder: bool, option: str = "--ziel", what: str | None = None, example: str = "datei"
) -> str | None:
    """Why ``path`` cannot be written as the folder (``folder``) or file a command was told to
    write (``--ziel``), in German; ``None``: it can be. Checked before any work, so a mistyped or
    unwritable target is a wrong call (exit 2), not a bug: a file where a folder is meant (or the
    reverse), a path below a file, a symlink loop, a folder that cannot be written (tried with a
    file that vanishes again). A link to a place that does not exist yet is followed."""
    what = what or ("Zielordner" if folder else "Zieldatei")
    try:
        real = Path(os.path.realpath(path, strict=False))
        path.resolve()  # a loop raises here (realpath may leave it half-resolved)
    except (OSError, RuntimeError):
        return (
            f"{what} `{path}` führt über einen Verweis (Symlink), der im Kreis zeigt. Wählen Sie einen "
            f"anderen Pfad ({option})."
        )
    if real.exists():
        if folder and not real.is_dir():
            return f"{what} `{path}` ist eine Datei, kein Ordner. Wählen Sie einen Ordner ({option})."
        if not folder and real.is_dir():
            return f"{what} `{path}` ist ein Ordner. Geben Sie einen Dateinamen an, z. B. `{path / example}`."
    parent = real if real.is_dir() else real.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        return (
            f"{what} `{path}` lässt sich nicht anlegen: `{parent}` ist eine Datei, kein Ordner. "
            f"Prüfen Sie den Pfad ({option})."
        )
    # what is written: into the folder itself (an editions folder), or next to the given path
    # (a build publishes a new version beside it and switches the link)
    probe = real if folder and path.is_dir() and not path.is_symlink() else path.parent
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    problem = _unwritable(probe)
    if problem is not None:
        return f"{problem.replace('(z. B. mit --ziel)', f'(z. B. mit {option})')} {path} bleibt unverändert."
    return None


def _unwritable(folder: Path) -> str | None:
    """Why no file can be created in ``folder`` (German, as :func:`os_error_message` says it), or
    ``None``. Tried for real, with a temporary file without a name where the system allows it:
    permissions, a read-only mount and pseudo file systems all say no."""
    import tempfile

    try:
        with tempfile.TemporaryFile(dir=folder):
            return None
    except OSError as err:
        known = os_error_message(with_path(err, folder))
        return known or (
            f"In {folder} kann nicht geschrieben werden. Wählen Sie einen beschreibbaren Ordner "
            "(z. B. mit --ziel)."
        )


def with_path(err: OSError, where: Path) -> OSError:
    """``err`` with a path to name: its own, else ``where`` (writes to a full disk often have none)."""
    if err.filename is not None or err.filename2 is not None:
        return err
    return OSError(err.errno, err.strerror, str(where))


def errno_in_text(text: str | None) -> OSError | None:
    """A file-system error written as text: ``[Errno 28] No space left on device: '/x'`` or a repr."""
    for pattern in (_ERRNO_TEXT, _ERRNO_REPR):
        for match in pattern.finditer(text or ""):
            code = int(match.group(1))
            if code in FILE_SYSTEM_ERRNOS:
                path = match.group(2)
                return OSError(code, os.strerror(code), *([path] if path else []))
    return None


def file_system_cause(err: BaseException) -> OSError | None:
    """The file-system error (:data:`FILE_SYSTEM_ERRNOS`) behind ``err``, if any.

    Looks through causes, Sphinx's wrapped exceptions (``orig_exc``), the text of
    errors from parallel workers (``SphinxParallelError`` carries only text) and
    :class:`shutil.Error`'s list of failures.
    """
    seen: set[int] = set()
    todo: list[BaseException | None] = [err]
    while todo:
        current = todo.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in FILE_SYSTEM_ERRNOS:
            return current
        texts = [getattr(current, "message", None), getattr(current, "traceback", None)]
        if isinstance(current, OSError) and current.errno is None:
            texts.append(str(current))  # shutil.Error: a list of (source, target, reason)
        for text in texts:
            found = errno_in_text(text) if isinstance(text, str) else None
            if found is not None:
                return found
        orig = getattr(current, "orig_exc", None)
        todo += [orig if isinstance(orig, BaseException) else None, current.__cause__, current.__context__]
    return None


def os_error_message(err: OSError) -> str | None:
    """What to do about a file-system error, in German; None for other errors (bugs)."""
    cause = file_system_cause(err)
    if cause is None:
        return None
    names = [cause.filename, cause.filename2]
    if cause.errno not in _NO_PERMISSION:
        names.reverse()  # a copy names source and target: the target is what could not be written
    raw = next((name for name in names if name is not None), None)
    path = Path(os.fsdecode(raw)) if raw is not None else None
    shown = str(path) if path is not None else "unbekannter Pfad"
    if cause.errno in _DISK_FULL:
        what = (
            "Kein Platz mehr auf dem Datenträger"
            if cause.errno == errno.ENOSPC
            else "Ihr Speicherkontingent ist erschöpft"
        )
        return (
            f"{what} ({shown}). Geben Sie Speicherplatz frei (z. B. alte Bauten unter _build löschen) "
            "und starten Sie dann erneut."
        )
    if cause.errno in _READ_ONLY:
        folder = _existing(path)
        if folder is not None and not folder.is_dir():
            folder = folder.parent
        while folder is not None and folder.name.startswith("."):
            folder = folder.parent  # e.g. the versions folder: name the user's folder
        return (
            f"Der Ordner {folder or shown} ist schreibgeschützt. Heben Sie den Schreibschutz auf "
            "oder wählen Sie einen beschreibbaren Ordner (z. B. mit --ziel)."
        )
    if cause.errno in _NO_PERMISSION:
        return (
            f"Keine Berechtigung für {_existing(path) or shown}. Prüfen Sie die Zugriffsrechte oder "
            "wählen Sie einen Ordner, in den Sie schreiben dürfen (z. B. mit --ziel)."
        )
    return f"Lese- oder Schreibfehler auf dem Datenträger ({shown}). Prüfen Sie den Datenträger."


def _existing(path: Path | None) -> Path | None:
    """``path``, or the nearest folder above it that exists (what failed to be created is not there)."""
    while path is not None and not path.exists():
        path = path.parent if path.parent != path else None
    return path
