"""Building an edition of the site: check, Sphinx into a work folder, audit, publish.

Sphinx builds into ``_build/.arbeit/<ausgabe>/`` (kept between builds, so
incremental builds stay fast). Only a build without errors or warnings whose
written files pass :mod:`regiodocs.audit` is published, without a gap
(:mod:`regiodocs.publication`).

One build at a time: a build holds two locks, ``<arbeit>/<ausgabe>/.sperre``
for the work folder and ``.<name>.staende/.sperre`` for the public folder;
each names the pid of its holder. A second build refuses at once in German,
naming that pid – the person at the terminal learns immediately why, instead
of a build that seems to hang. With ``REGIODOCS_WARTEN=<Sekunden>`` (or
``wait=``) it waits up to that long for the other build first.

Failures end in one short German message and exit status 1, never in a
traceback (:mod:`regiodocs.failures`); leftovers of the failed run are removed
(a Sphinx build that failed on the file system drops its work folder, so that
a full disk does not stay full). Only true bugs are raised to
:func:`regiodocs.cli.main`, which writes their traceback into a log file.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import audit, checks, model, report, schema, settings
from .failures import BuildError, errno_in_text, file_system_cause, os_error_message, with_path
from .publication import (
    LOCK_FILE,
    WAIT_VARIABLE,
    locked,
    public_path,
    publish_locked,
    remove,
    versions_folder,
)


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
    tags: Sequence[str] = (),
) -> int:
    """Check, run Sphinx into the work folder, publish to ``outdir``; 0 on success, else 1 (2: usage).

    ``builder`` is a Sphinx builder name; ``simplepdf`` with the tag ``druck``
    builds the print edition (see :mod:`regiodocs.editions.pdf`; conf.py adds
    sphinx-simplepdf under that tag). ``wait`` is how many seconds to wait for
    another build holding the work or the public folder (default:
    ``REGIODOCS_WARTEN``, else 0 – refuse at once). ``extra`` holds ``-D
    name=value`` pairs, ``tags`` Sphinx tags (``-t``) that conf.py sees.

    An intern build without a ``regiodocs_bericht`` of its own gets the offline
    review report (:func:`regiodocs.editions.review.review`, no link check) as
    that JSON file; ``regiodocs bericht`` adds the links.
    """
    edition = "intern" if intern else "html"
    work = (workdir or project_root / "_build" / ".arbeit").resolve() / edition
    final = public_path(outdir or project_root / "_build" / edition)
    try:
        return _build(
            project_root, content, intern, final, jobs, quiet, work, extra or [], builder, wait, tuple(tags)
        )
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
    tags: tuple[str, ...],
) -> int:
    parallel = _jobs(jobs)
    seconds = _wait(wait)
    _epoch_from_environment()
    overrides = {
        "regiodocs_inhalt": str(content.resolve()),
        "regiodocs_intern": str(int(intern)),
        **_overrides(extra),
    }
    conf = _conf(project_root, overrides, tags)
    # the same check as `regiodocs check`, reported plainly before Sphinx starts
    result = checks.check(content, project_root, today=conf.today, safe_mode=conf.safe_mode)
    if result.errors:
        sys.stderr.write(report.text(result.errors))
        print(f"regiodocs: Bau abgebrochen. {final} bleibt unverändert.", file=sys.stderr)
        return 1
    with locked(work / LOCK_FILE, seconds), locked(versions_folder(final) / LOCK_FILE, seconds):
        (work / "quellen").mkdir(parents=True, exist_ok=True)
        if intern and not conf.bericht:
            overrides["regiodocs_bericht"] = str(review_file(work, result.content, conf.today))
        status = _sphinx(project_root, work, builder, parallel, overrides, quiet, tags)
        if status != 0:
            print(f"regiodocs: Bau fehlgeschlagen. {final} bleibt unverändert.", file=sys.stderr)
            return 1
        media = schema.publishable_media(result.content, intern=intern)
        if builder == "html" and not _audited(work / builder, content, media, final, parallel):
            return 1
        publish_locked(work / builder, final)
    if not quiet and builder == "html":
        print(f"regiodocs: Handbuch gebaut: {final / 'index.html'}")
    return 0


AUDIT_CACHE = "audit-urteile.json"


def _audited(site: Path, content: Path, media: set[str], final: Path, workers: int) -> bool:
    """Defence in depth: the written site, parsed and judged before anyone can read it.

    Verdicts of unchanged files are kept beside the Sphinx output (``audit-urteile.json``); the
    files not judged before are parsed by as many processes as the build's ``-j``."""
    problems = audit.audit_site(
        site,
        content_root=content,
        media=media,
        cache=site.parent / AUDIT_CACHE,
        workers=workers,
    )
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


class _Conf:
    """What the build needs of conf.py before Sphinx starts (read by Sphinx, :mod:`.settings`)."""

    def __init__(self, values: dict[str, Any]) -> None:
        try:
            self.safe_mode = settings.as_bool(values["regiodocs_sicher"], name="regiodocs_sicher")
            self.today = settings.build_date(str(values["regiodocs_heute"] or ""))
        except ValueError as err:
            raise BuildError(str(err), status=2) from None
        self.bericht = str(values["regiodocs_bericht"] or "")


def _conf(project_root: Path, overrides: dict[str, str], tags: tuple[str, ...]) -> _Conf:
    from sphinx.errors import ConfigError

    defaults = {"regiodocs_sicher": True, "regiodocs_heute": "", "regiodocs_bericht": ""}
    try:
        return _Conf(settings.conf_values(project_root, defaults, overrides=overrides, tags=tags))
    except ConfigError as err:
        raise BuildError(f"{_CATEGORIES['ConfigError']}: {str(err).strip()}") from None


def review_file(work: Path, content: model.Content, today: Any) -> Path:
    """The intern edition's "Prüfbericht" (offline: no link check) as ``work/bericht.json``.

    The build reads it through ``regiodocs_bericht`` (also ``regiodocs serve --intern``).
    """
    from .editions import review  # plain data; regiodocs bericht adds the link check

    data = review.review(content, today=today).to_data()
    path = work / "bericht.json"
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)
    if not (path.is_file() and path.read_text(encoding="utf-8") == text):
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    return path


def _epoch_from_environment() -> None:
    """``SOURCE_DATE_EPOCH``, when set, must be whole seconds since 1970 (reproducible-builds.org:
    a malformed value stops the build); the feeds and calendars date themselves by it."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value and not value.strip().isdigit():
        raise BuildError(
            f"SOURCE_DATE_EPOCH ist `{value}`, erwartet sind ganze Sekunden seit 1970 (z. B. "
            "`1795651200`). Setzen Sie den Wert richtig oder entfernen Sie ihn.",
            status=2,
        )


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
        found = errno_in_text(line)
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
    project_root: Path,
    work: Path,
    builder: str,
    parallel: int,
    overrides: dict[str, str],
    quiet: bool,
    tags: tuple[str, ...] = (),
) -> int:
    """Run Sphinx like ``sphinx-build -b builder -W --keep-going -j N -D … [-q]``; its status.

    Own ``try``: file-system errors become :class:`OSError` (German message in
    :func:`build`), content and configuration errors are printed; bugs are raised.
    """
    import sphinx.locale
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
                tags=tags,
                verbosity=0,
                parallel=parallel,
                keep_going=False,  # … after all of it ran (--keep-going is Sphinx's only mode now)
            )
            try:
                app.build(False, [])
            finally:
                # Sphinx chains this build's message catalogs onto the previous build's: in one
                # process (a release, `make incremental`) the chain would grow by one per build
                # until gettext exceeds the recursion limit (sphinx.testing clears them too)
                sphinx.locale.translators.clear()
            status = int(app.statuscode)
    except Exception as err:
        warnings.close()
        cause = file_system_cause(err)
        if cause is not None:
            _drop_work(work, builder)
            if cause is err and with_path(err, work) is err:
                raise
            raise with_path(cause, work) from err
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
        raise with_path(warnings.errors[0], work)
    return status


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
        remove(part, ignore_errors=True)
