"""Building an edition of the site: Sphinx into a work folder, then publish without a gap.

Sphinx builds into ``_build/.arbeit/<ausgabe>/`` (kept between builds, so
incremental builds stay fast). Only a build without errors or warnings is
published, and publishing never has a gap (see :func:`publish`): the public
folder, e.g. ``_build/html``, is a relative symlink to a complete copy of the
site, and it is switched in one step::

    _build/html -> .html.staende/7      the public path (symlink)
    _build/.html.staende/7/              the published site
    _build/.html.staende/.sperre         lock of the public path (pid of its holder)

One build at a time: a build holds two locks (``flock``, released by the
kernel when the process ends, even when it is killed, so a killed build never
blocks the next one): ``<arbeit>/<ausgabe>/.sperre`` for the work folder and
``.<name>.staende/.sperre`` for the public folder; each file names the pid of
its holder. A second build refuses at once in German, naming that pid – the
person at the terminal learns immediately why, instead of a build that seems
to hang. With ``REGIODOCS_WARTEN=<Sekunden>`` (or ``wait=``) it waits up to
that long for the other build first (for scripts that queue builds).

Failures end in one short German message and exit status 1, never in a
traceback: a full disk, a read-only folder or a missing permission anywhere in
the check, the Sphinx build or publishing names the path and what to do
(:func:`os_error_message`); errors Sphinx reports for the content or the
configuration are printed as such. Leftovers of the failed run are removed (a
Sphinx build that failed on the file system drops its work folder, which
Sphinx's own saved state no longer matches anyway, so that a full disk does
not stay full). Only true bugs are raised to :func:`regiodocs.cli.main`, which
writes their traceback into a log file.
"""

from __future__ import annotations

import contextlib
import errno
import multiprocessing
import os
import re
import runpy
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import audit, checks, report

#: Suffix of the hidden folder next to a public folder that holds its versions.
VERSIONS_SUFFIX = ".staende"
LOCK_FILE = ".sperre"
#: Seconds a build waits for another one before it refuses (default 0: refuse at once).
WAIT_VARIABLE = "REGIODOCS_WARTEN"
#: Build artefacts of Sphinx that are not part of the published site.
NOT_PUBLISHED = frozenset({".buildinfo", ".doctrees"})

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


def build(
    project_root: Path,
    *,
    content: Path,
    intern: bool = False,
    outdir: Path | None = None,
    jobs: str = "auto",
    quiet: bool = False,
    workdir: Path | None = None,
    extra: list[str] | None = None,
    builder: str = "html",
    wait: float | None = None,
) -> int:
    """Check, run Sphinx into the work folder, publish to ``outdir``; 0 on success, else 1 (2: usage).

    ``builder`` is a Sphinx builder name; ``simplepdf`` builds the print
    edition (see :mod:`regiodocs.editions.pdf`). ``wait`` is how many seconds
    to wait for another build holding the work or the public folder (default:
    ``REGIODOCS_WARTEN``, else 0 – refuse at once). ``extra`` holds ``-D
    name=value`` pairs.
    """
    edition = "intern" if intern else "html"
    work = (workdir or project_root / "_build" / ".arbeit").resolve() / edition
    final = public_path(outdir or project_root / "_build" / edition)
    try:
        return _build(project_root, content, intern, final, jobs, quiet, work, extra or [], builder, wait)
    except BuildError as err:
        print(f"regiodocs: {err}", file=sys.stderr)
        return err.status
    except OSError as err:
        message = os_error_message(err)
        if message is None:
            raise
        print(f"regiodocs: {message} {final} bleibt unverändert.", file=sys.stderr)
        return 1


def _build(
    project_root: Path,
    content: Path,
    intern: bool,
    final: Path,
    jobs: str,
    quiet: bool,
    work: Path,
    extra: list[str],
    builder: str,
    wait: float | None,
) -> int:
    parallel = _jobs(jobs)
    seconds = _wait(wait)
    overrides = {
        "regiodocs_inhalt": str(content.resolve()),
        "regiodocs_intern": str(int(intern)),
        **_overrides(extra),
    }
    # the same check as `regiodocs check`, reported plainly before Sphinx starts
    result = checks.check(content, project_root, safe_mode=_safe_mode(project_root, extra))
    if result.errors:
        sys.stderr.write(report.text(result.errors))
        print(f"regiodocs: Bau abgebrochen. {final} bleibt unverändert.", file=sys.stderr)
        return 1
    with _locked(work / LOCK_FILE, seconds), _locked(versions_folder(final) / LOCK_FILE, seconds):
        (work / "quellen").mkdir(parents=True, exist_ok=True)
        status = _sphinx(project_root, work, builder, parallel, overrides, quiet)
        if status != 0:
            print(f"regiodocs: Bau fehlgeschlagen. {final} bleibt unverändert.", file=sys.stderr)
            return 1
        if builder == "html" and not _audited(work / builder, content, final):
            return 1
        _publish(work / builder, final)
    if not quiet and builder == "html":
        print(f"regiodocs: Handbuch gebaut: {final / 'index.html'}")
    return 0


def _audited(site: Path, content: Path, final: Path) -> bool:
    """Defence in depth: the written site, parsed and judged before anyone can read it."""
    problems = audit.audit_site(site, content_root=content)
    if not problems:
        return True
    shown = "".join(f"  {p}\n" for p in problems[:20])
    more = f"  … und {len(problems) - 20} weitere\n" if len(problems) > 20 else ""
    sys.stderr.write(
        f"regiodocs: Die Prüfung der gebauten Seiten hat Unsicheres gefunden:\n{shown}{more}"
        f"regiodocs: Nicht veröffentlicht; {final} bleibt unverändert. Bitte melden Sie das der "
        "Geschäftsstelle: die Eingabeprüfung hätte es abweisen müssen.\n"
    )
    return False


def _safe_mode(project_root: Path, extra: list[str]) -> bool:
    """Safe mode as conf.py (or a ``-D regiodocs_sicher=…`` override) sets it."""
    value: object = runpy.run_path(str(project_root / "conf.py")).get("regiodocs_sicher", True)
    for setting in extra:
        if setting.startswith("regiodocs_sicher="):
            value = setting.partition("=")[2]
    if isinstance(value, str):
        return value.strip().lower() not in ("0", "false", "nein", "no")
    return bool(value)


def _jobs(jobs: str) -> int:
    """``-j``: a positive number or ``auto`` (one per CPU), as ``sphinx-build`` reads it."""
    if str(jobs).strip() == "auto":
        return multiprocessing.cpu_count()
    try:
        number = int(jobs)
    except ValueError:
        number = 0
    if number <= 0:
        raise BuildError(f"-j erwartet eine positive Zahl oder `auto`, nicht `{jobs}`.", status=2)
    return number


def _wait(wait: float | None) -> float:
    if wait is not None:
        return max(0.0, float(wait))
    raw = os.environ.get(WAIT_VARIABLE, "").strip()
    if not raw:
        return 0.0
    try:
        return max(0.0, float(raw.replace(",", ".")))
    except ValueError:
        message = f"{WAIT_VARIABLE} muss eine Zahl (Sekunden) sein, nicht `{raw}`."
        raise BuildError(message, status=2) from None


def _overrides(extra: list[str]) -> dict[str, str]:
    """``-D name=value`` pairs (or ``-Dname=value``) → Sphinx's configuration overrides."""
    overrides: dict[str, str] = {}
    words = iter(extra)
    for word in words:
        if word == "-D":
            setting = next(words, None)
            if setting is None:
                raise BuildError("-D erwartet NAME=WERT.", status=2)
        elif word.startswith("-D"):
            setting = word[2:]
        else:
            raise ValueError(f"building.build: only -D settings are passed to Sphinx, not {word!r}")
        name, _, value = setting.partition("=")
        overrides[name] = value
    return overrides


# ---------------------------------------------------------------- Sphinx


class _Warnings:
    """Sphinx's warning stream: warnings pass on to ``stream``, except file-system errors.

    Sphinx turns some of them into warnings (e.g. "error writing file …: [Errno 28] …", one per
    page); they are held back in :attr:`errors` and reported once, in German.
    """

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.errors: list[OSError] = []
        self._pending = ""

    @property
    def encoding(self) -> str:
        return getattr(self.stream, "encoding", None) or "utf-8"

    def isatty(self) -> bool:
        return bool(getattr(self.stream, "isatty", lambda: False)())

    def write(self, text: str) -> int:
        self._pending += text
        *lines, self._pending = self._pending.split("\n")
        for line in lines:
            self._line(line)
        return len(text)

    def _line(self, line: str) -> None:
        found = _errno_in_text(line)
        if found is not None:
            self.errors.append(found)
        else:
            self.stream.write(line + "\n")

    def flush(self) -> None:
        self.stream.flush()

    def close(self) -> None:
        if self._pending:
            self._line(self._pending)
            self._pending = ""
        self.flush()


def _sphinx(
    project_root: Path, work: Path, builder: str, parallel: int, overrides: dict[str, str], quiet: bool
) -> int:
    """Run Sphinx like ``sphinx-build -b builder -W --keep-going -j N -D … [-q]``; its status.

    Own ``try``: file-system errors become :class:`OSError` (German message in
    :func:`build`), content and configuration errors are printed; bugs are raised.
    """
    from sphinx.application import Sphinx
    from sphinx.errors import ExtensionError, SphinxError, SphinxParallelError
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    with contextlib.suppress(ImportError):  # sphinx-build does the same (private module)
        from sphinx._cli.util.colour import disable_colour, terminal_supports_colour

        if not terminal_supports_colour():
            disable_colour()
    warnings = _Warnings(sys.stderr)
    try:
        with patch_docutils(project_root), docutils_namespace():
            app = Sphinx(
                srcdir=work / "quellen",
                confdir=project_root,
                outdir=work / builder,
                doctreedir=work / "doctrees",
                buildername=builder,
                confoverrides=overrides,
                status=None if quiet else sys.stdout,
                warning=warnings,  # type: ignore[arg-type]
                freshenv=False,
                warningiserror=True,  # -W: a warning fails the build …
                tags=(),
                verbosity=0,
                parallel=parallel,
                keep_going=False,  # … after all of it ran (--keep-going is Sphinx's only mode now)
            )
            app.build(False, [])
            status = int(app.statuscode)
    except Exception as err:
        warnings.close()
        cause = file_system_cause(err)
        if cause is not None:
            _drop_work(work, builder)
            if cause is err and _with_path(err, work) is err:
                raise
            raise _with_path(cause, work) from err
        if isinstance(err, ExtensionError) and isinstance(err.orig_exc, BaseException):
            err.orig_exc.add_note(f"(Sphinx: {err.message})")
            raise err.orig_exc from None  # a bug in an event handler: its own traceback
        if isinstance(err, SphinxParallelError) or not isinstance(err, SphinxError):
            raise  # a bug (in a parallel worker: its traceback travels in err.traceback)
        text = str(err).strip("\n")
        print(f"regiodocs: {_CATEGORIES.get(type(err).__name__, err.category)}: {text}", file=sys.stderr)
        return 1
    warnings.close()
    if status != 0 and warnings.errors:
        _drop_work(work, builder)
        raise _with_path(warnings.errors[0], work)
    return status


def _with_path(err: OSError, where: Path) -> OSError:
    """``err`` with a path to name: its own, else ``where`` (writes to a full disk often have none)."""
    if err.filename is not None or err.filename2 is not None:
        return err
    return OSError(err.errno, err.strerror, str(where))


_CATEGORIES = {
    "ConfigError": "Fehler in der Konfiguration (conf.py)",
    "ThemeError": "Fehler im Theme",
    "ExtensionError": "Fehler in einer Sphinx-Erweiterung",
    "VersionRequirementError": "Sphinx-Version passt nicht",
    "BuildEnvironmentError": "Fehler im gespeicherten Bauzustand",
    "DocumentError": "Fehler in einem Dokument",
    "ApplicationError": "Sphinx-Fehler",
}


def _drop_work(work: Path, builder: str) -> None:
    """Remove what this failed build wrote into the work folder (never a foreign source folder)."""
    from .sphinxext.extension import MARKER

    sources = work / "quellen"
    parts = [work / builder, work / "doctrees"]
    if sources.is_dir() and ((sources / MARKER).exists() or not any(sources.iterdir())):
        parts.append(sources)
    for part in parts:
        _remove(part, ignore_errors=True)


def _errno_in_text(text: str | None) -> OSError | None:
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
            found = _errno_in_text(text) if isinstance(text, str) else None
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
        while folder is not None and folder.name.startswith(".") and folder.name.endswith(VERSIONS_SUFFIX):
            folder = folder.parent  # the whole file system is read-only: name the user's folder
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


# ---------------------------------------------------------------- locks


@contextlib.contextmanager
def _locked(path: Path, wait: float) -> Iterator[None]:
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


# ---------------------------------------------------------------- publishing


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
    with _locked(versions_folder(final) / LOCK_FILE, wait):
        _publish(built, final)


def _publish(built: Path, final: Path) -> None:
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
        _copy(built, fresh)
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
                _remove(leftover, ignore_errors=True)
        raise
    if old is not None:
        _remove(old, ignore_errors=True)  # else removed as a leftover by the next publish


def _copy(source: Path, target: Path) -> None:
    """Copy a built site (files' contents and times; symlinks followed); stop at the first error."""
    os.mkdir(target)
    with os.scandir(source) as entries:
        for entry in entries:
            if entry.name in NOT_PUBLISHED:
                continue
            if entry.is_dir():
                _copy(Path(entry.path), target / entry.name)
                continue
            try:
                shutil.copy2(entry.path, target / entry.name)
            except OSError as err:
                if err.errno not in FILE_SYSTEM_ERRNOS:
                    raise
                raise OSError(err.errno, err.strerror, str(target / entry.name)) from err
    shutil.copystat(source, target)


def _remove_leftovers(final: Path, *, keep: Path | None) -> None:
    versions = versions_folder(final)
    versions.mkdir(parents=True, exist_ok=True)
    for entry in versions.iterdir():
        if entry.name != LOCK_FILE and entry != keep:
            _remove(entry)
    for legacy in (final.with_name(f"{final.name}.neu"), final.with_name(f"{final.name}.alt")):
        _remove(legacy)


def _remove(path: Path, *, ignore_errors: bool = False) -> None:
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
        with _locked(versions / LOCK_FILE, 0):
            _remove(final)
            for entry in versions.iterdir():
                if entry.name != LOCK_FILE:
                    _remove(entry)
        _remove(versions)
    else:
        _remove(final)
