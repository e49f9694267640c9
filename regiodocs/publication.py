"""The public folder of a build: one publisher at a time, and never a gap.

The public path, e.g. ``_build/html``, is a relative symlink to a complete
copy of the site, switched in one step::

    _build/html -> .html.staende/7      the public path (symlink)
    _build/.html.staende/7/              the published site
    _build/.html.staende/.sperre         lock of the public path (pid of its holder)

Locks are ``flock``: the kernel releases them when the process ends, even when
it is killed, so a killed build never blocks the next one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from .failures import FILE_SYSTEM_ERRNOS, BuildError

#: Suffix of the hidden folder next to a public folder that holds its versions.
VERSIONS_SUFFIX = ".staende"
LOCK_FILE = ".sperre"
#: Seconds a build waits for another one before it refuses (default 0: refuse at once).
WAIT_VARIABLE = "REGIODOCS_WARTEN"
#: Build artefacts of Sphinx that are not part of the published site.
NOT_PUBLISHED = frozenset({".buildinfo", ".doctrees"})


@contextlib.contextmanager
def locked(path: Path, wait: float) -> Iterator[None]:
    """Hold ``flock`` on ``path`` (its content: our pid); wait up to ``wait`` s, else refuse."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        deadline = time.monotonic() + wait
        announced = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _holder(path)
                if time.monotonic() >= deadline:
                    waited = f" (nach {wait:g} Sekunden Warten)" if wait else ""
                    raise BuildError(
                        f"Ein anderer Bau läuft gerade ({holder}) und benutzt {path.parent}{waited}. "
                        "Warten Sie, bis er fertig ist, und starten Sie dann erneut "
                        f"(mit {WAIT_VARIABLE}=Sekunden wartet regiodocs selbst)."
                    ) from None
                if not announced:
                    print(
                        f"regiodocs: Ein anderer Bau läuft gerade ({holder}); "
                        f"warte bis zu {wait:g} Sekunden, bis er fertig ist …",
                        file=sys.stderr,
                        flush=True,
                    )
                    announced = True
                time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError as err:
            raise OSError(err.errno, err.strerror, str(path)) from err
        yield
    finally:
        os.close(fd)  # releases the lock (the kernel does the same for a killed process)


def _holder(path: Path) -> str:
    """ "Prozess <pid>" of the lock's holder (it writes its pid right after taking the lock)."""
    for _ in range(10):
        with contextlib.suppress(OSError, ValueError):
            return f"Prozess {int(path.read_text(encoding='ascii').strip())}"
        time.sleep(0.05)
    return "Prozess unbekannt"


def versions_folder(final: Path) -> Path:
    """The hidden folder next to ``final`` that holds its published versions and its lock."""
    return final.with_name(f".{final.name}{VERSIONS_SUFFIX}")


def public_path(path: Path) -> Path:
    """The absolute public path: folders above it resolved, its last part kept (it is our symlink).

    A symlink there that regiodocs did not make (e.g. ``_build/html`` → a web
    server's folder) is followed: the site is published where it points.
    """
    path = Path(os.path.abspath(path))
    path = path.parent.resolve() / path.name
    for _ in range(40):
        if not path.is_symlink() or _current(path) is not None:
            return path
        target = path.parent / os.readlink(path)
        path = target.parent.resolve() / target.name
    return path


def _current(final: Path) -> Path | None:
    """The version folder ``final`` points at, if it is a symlink regiodocs made."""
    try:
        target = os.readlink(final)
    except OSError:
        return None
    match = re.fullmatch(rf"{re.escape(versions_folder(final).name)}/(\d+)", target)
    return versions_folder(final) / match.group(1) if match else None


def publish(built: Path, final: Path, *, wait: float = 0) -> None:
    """Publish a copy of ``built`` at ``final`` without a gap; one publisher at a time.

    ``final`` is always either the complete old or the complete new site, even
    when the process is killed at any instruction:

    1. leftovers of earlier runs are removed: every entry of ``.<name>.staende``
       except the version ``final`` points at (and the lock), and ``<name>.neu`` /
       ``<name>.alt`` of regiodocs versions that published by renaming folders;
    2. ``built`` is copied to ``.<name>.staende/<n>.neu`` and renamed to ``<n>``;
    3. a new relative symlink ``.<name>.staende/<n>`` is made and moved over
       ``final`` with :func:`os.replace` (one ``rename``);
    4. the previous version is removed.

    If ``final`` is still a real folder (published by an older regiodocs), step 3
    swaps it with the symlink in one step (Linux ``renameat2(RENAME_EXCHANGE)``,
    then the old folder is removed). Where the file system cannot swap, the
    folder is renamed away first and the symlink follows: that one-time
    migration has a moment of a few microseconds without ``final``.

    Readers and the web server follow the symlink; whoever copies the site must
    follow it too (``cp -rL``, ``rsync -L`` or a trailing ``/``). To delete a
    published folder use :func:`remove_published` (``shutil.rmtree`` refuses symlinks).
    """
    final = public_path(final)
    with locked(versions_folder(final) / LOCK_FILE, wait):
        publish_locked(built, final)


def publish_locked(built: Path, final: Path) -> None:
    """:func:`publish`; the caller holds the lock of ``final``."""
    versions = versions_folder(final)
    current = _current(final)
    _remove_leftovers(final, keep=current)
    if final.exists() and current is None and not final.is_dir():
        raise BuildError(
            f"{final} ist eine Datei, kein Ordner. Entfernen Sie sie oder wählen Sie ein anderes Ziel."
        )
    numbers = [int(m.group(1)) for p in versions.iterdir() if (m := re.match(r"(\d+)", p.name))]
    number = max(numbers, default=0) + 1
    fresh, target = versions / f"{number}.neu", versions / str(number)
    link = versions / f".verweis-{os.getpid()}"
    try:
        _copy(built, fresh, current)
        os.rename(fresh, target)
        os.symlink(f"{versions.name}/{number}", link, target_is_directory=True)
        if current is None and final.is_dir() and not final.is_symlink():
            old: Path | None = _exchange(link, final)  # the folder of an older regiodocs
        else:
            old = current
            os.replace(link, final)
    except BaseException:
        if _current(final) != target:  # not published: nothing of this run stays
            for leftover in (fresh, target, link):
                remove(leftover, ignore_errors=True)
        raise
    if old is not None:
        remove(old, ignore_errors=True)  # else removed as a leftover by the next publish


def _copy(source: Path, target: Path, previous: Path | None = None) -> None:
    """Copy a built site (files' contents and times; symlinks followed); stop at the first error.

    A file that the published version ``previous`` holds unchanged (same size, modification
    time, mode and bytes) is hard-linked from there instead of copied. Published versions are
    never written to, so sharing an inode between two of them is safe; an edit rewrites only a
    few pages, so an incremental publish links almost everything. The bytes are compared, not
    trusted from the times: Sphinx gives a copied static file its source's time, and a package
    may ship a changed file with the same size and time.
    """
    os.mkdir(target)
    with os.scandir(source) as entries:
        for entry in entries:
            if entry.name in NOT_PUBLISHED:
                continue
            old = None if previous is None else previous / entry.name
            if entry.is_dir():
                _copy(Path(entry.path), target / entry.name, old)
                continue
            try:
                if old is None or not _linked(entry, old, target / entry.name):
                    shutil.copy2(entry.path, target / entry.name)
            except OSError as err:
                if err.errno not in FILE_SYSTEM_ERRNOS:
                    raise
                raise OSError(err.errno, err.strerror, str(target / entry.name)) from err
    shutil.copystat(source, target)


def _linked(entry: os.DirEntry[str], old: Path, target: Path) -> bool:
    """Hard-link ``old`` to ``target`` if it is the same file as the built ``entry``."""
    try:
        built, published = entry.stat(), os.lstat(old)
    except OSError:
        return False
    if not stat.S_ISREG(published.st_mode) or (built.st_size, built.st_mtime_ns, built.st_mode) != (
        published.st_size,
        published.st_mtime_ns,
        published.st_mode,
    ):
        return False
    if not _same_bytes(entry.path, old):
        return False
    try:
        os.link(old, target, follow_symlinks=False)
    except OSError as err:
        if err.errno in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EACCES):
            return False  # a file system without hard links: copy
        raise
    return True


def _same_bytes(first: str | Path, second: Path, chunk: int = 1 << 20) -> bool:
    with open(first, "rb") as one, open(second, "rb") as other:
        while True:
            a, b = one.read(chunk), other.read(chunk)
            if a != b:
                return False
            if not a:
                return True


def _remove_leftovers(final: Path, *, keep: Path | None) -> None:
    versions = versions_folder(final)
    versions.mkdir(parents=True, exist_ok=True)
    for entry in versions.iterdir():
        if entry.name != LOCK_FILE and entry != keep:
            remove(entry)
    for legacy in (final.with_name(f"{final.name}.neu"), final.with_name(f"{final.name}.alt")):
        remove(legacy)


def remove(path: Path, *, ignore_errors: bool = False) -> None:
    """Remove a file, symlink (not what it points at) or folder, if it is there."""
    try:
        if path.is_symlink() or (path.exists() and not path.is_dir()):
            path.unlink()
        elif path.exists():
            shutil.rmtree(path)
    except OSError:
        if not ignore_errors:
            raise


def _exchange(link: Path, folder: Path) -> Path:
    """Put ``link`` where ``folder`` is; return where the old folder is now."""
    if _rename_exchange(link, folder):
        return link  # the names swapped: the old folder is at the link's former name
    aside = link.with_name(f"{link.name}.alt")
    os.rename(folder, aside)
    try:
        os.replace(link, folder)
    except BaseException:
        os.rename(aside, folder)
        raise
    return aside


def _rename_exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2``); False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (ImportError, OSError, AttributeError):
        return False
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_cwd, exchange = -100, 2  # AT_FDCWD, RENAME_EXCHANGE
    if function(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def remove_published(final: Path) -> None:
    """Delete a published folder: the symlink and every version (or a plain folder)."""
    final = public_path(final)
    versions = versions_folder(final)
    if versions.is_dir():
        with locked(versions / LOCK_FILE, 0):
            remove(final)
            for entry in versions.iterdir():
                if entry.name != LOCK_FILE:
                    remove(entry)
        remove(versions)
    else:
        remove(final)
