"""Command line: ``regiodocs check | build | …``. Thin: it calls the steps and prints.

``check`` and ``build`` live here. Further commands live in their own modules,
each exposing ``add_command(commands)`` that adds its subparser and sets
``func``; they are listed in :data:`COMMAND_MODULES` and must import heavy
dependencies (Sphinx, WeasyPrint) only inside the command function.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import importlib
import os
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NoReturn

from . import __version__, checks, loading, report, settings
from .findings import EXIT_BUG, EXIT_INTERRUPTED, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE

#: Modules that add further subcommands (``add_command(commands)``).
COMMAND_MODULES: tuple[str, ...] = (
    # contributing: new, serve, schemas
    "regiodocs.scaffold",
    "regiodocs.preview",
    "regiodocs.cms",
    # editions: release, diff, bericht
    "regiodocs.editions.commands",
)


#: argparse's English (its gettext messages, Python 3.11) → German.
GERMAN: dict[str, str] = {
    "usage: ": "Aufruf: ",
    "positional arguments": "Angaben",
    "options": "Optionen",
    "show this help message and exit": "diese Hilfe zeigen und beenden",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "unrecognized arguments: %s": "unbekannte Angaben: %s",
    "the following arguments are required: %s": "diese Angaben fehlen: %s",
    "one of the arguments %s is required": "eine dieser Angaben ist nötig: %s",
    "not allowed with argument %s": "nicht zusammen mit %s erlaubt",
    "ignored explicit argument %r": "Wert %r hier nicht erlaubt",
    "expected one argument": "erwartet einen Wert",
    "expected at most one argument": "erwartet höchstens einen Wert",
    "expected at least one argument": "erwartet mindestens einen Wert",
    "expected %s argument": "erwartet %s Wert",
    "expected %s arguments": "erwartet %s Werte",
    "ambiguous option: %(option)s could match %(matches)s":
        "mehrdeutige Option: %(option)s passt zu %(matches)s",
    "unexpected option string: %s": "unerwartete Option: %s",
    "invalid %(type)s value: %(value)r": "ungültiger Wert: %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "%(value)r ist nicht möglich (möglich sind: %(choices)s)",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "unbekannter Befehl %(parser_name)r (möglich sind: %(choices)s)",
    "can't open '%(filename)s': %(error)s": "„%(filename)s“ lässt sich nicht öffnen: %(error)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: Aufruf fehlerhaft: %(message)s\n",
}  # fmt: skip


def _gettext(message: str) -> str:
    return GERMAN.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


@contextlib.contextmanager
def german_argparse() -> Iterator[None]:
    """argparse speaks German while parsers are built and arguments parsed (no global change)."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _gettext, _ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # German usage errors, exit 2
        self.print_usage(sys.stderr)
        hint = report.command(*self.prog.split()[1:], "--help")
        self.exit(EXIT_USAGE, f"regiodocs: Aufruf fehlerhaft: {message}\nHilfe: {hint}\n")


def _parser(*, others: bool = True) -> argparse.ArgumentParser:
    parser = _Parser(prog="regiodocs", description="Handbuch des Netzwerks prüfen und bauen.")
    parser.add_argument(
        "--version", action="version", version=f"regiodocs {__version__}", help="Version zeigen und beenden"
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="BEFEHL", title="Befehle", parser_class=_Parser
    )

    check = commands.add_parser("check", help="Inhalte prüfen (ohne Sphinx).")
    check.add_argument(
        "paths",
        nargs="*",
        metavar="PFAD",
        help="nur Meldungen zu diesen Dateien oder Ordnern zeigen",
    )
    check.add_argument(
        "--format",
        choices=report.FORMATS,
        default="text",
        help="Ausgabe: text (Standard), github, gitlab (Code Quality) oder json",
    )
    check.add_argument("--strict", action="store_true", help="Warnungen zählen als Fehler")
    check.add_argument(
        "--inhalt", default="content", metavar="ORDNER", help="Inhaltsordner (Standard: content)"
    )
    check.set_defaults(func=_check)

    build = commands.add_parser("build", help="Handbuch als Website bauen.")
    build.add_argument(
        "--intern",
        action="store_true",
        help="interne Ausgabe (mit internen Einträgen) nach _build/intern bauen",
    )
    build.add_argument(
        "--inhalt", default="content", metavar="ORDNER", help="Inhaltsordner (Standard: content)"
    )
    build.add_argument("--ziel", default=None, metavar="ORDNER", help="Ausgabeordner")
    build.add_argument(
        "--arbeit",
        default=None,
        metavar="ORDNER",
        help="Arbeitsordner für inkrementelle Bauten (Standard: _build/.arbeit)",
    )
    build.add_argument(
        "-D",
        dest="define",
        action="append",
        default=[],
        metavar="NAME=WERT",
        help="Sphinx-Einstellung überschreiben, z. B. regiodocs_heute=2026-11-22",
    )
    build.add_argument("-j", "--jobs", default="auto", help="parallele Prozesse (Standard: auto)")
    build.add_argument("-q", "--quiet", action="store_true", help="nur Fehler und Warnungen ausgeben")
    build.set_defaults(func=_build)
    for name in COMMAND_MODULES if others else ():
        importlib.import_module(name).add_command(commands)
    return parser


def _selected(finding_file: str, paths: Sequence[str]) -> bool:
    if not paths:
        return True
    file = Path(os.path.abspath(finding_file))  # a symlink's own path, never what it points at
    for raw in paths:
        path = Path(os.path.abspath(raw))
        if file == path or path in file.parents:
            return True
    return False


#: Files every record depends on: a change to one of them is checked against the whole tree.
_SHARED_KINDS = {"netzwerk", "partner", "plattform", "synonyme", "medien"}


def _only(root: Path, paths: Sequence[str]) -> set[str] | None:
    """Content-relative files to check in depth, or None for the whole tree.

    Only when every path is a record or page file is the rest read shallowly;
    a folder or a registry change can affect every record, so it checks all.
    """
    if not paths:
        return None
    only = set()
    for raw in paths:
        path = Path(os.path.abspath(raw))
        try:
            rel = path.relative_to(root.resolve()).as_posix()
        except ValueError:
            return None
        slot = loading.classify(rel)
        if path.is_symlink() or not path.is_file() or isinstance(slot, str) or slot.kind in _SHARED_KINDS:
            return None
        only.add(rel)
    return only


def _check(args: argparse.Namespace) -> int:
    root = Path(args.inhalt)
    if not root.is_dir():
        print(f"regiodocs: Inhaltsordner `{root}` nicht gefunden.", file=sys.stderr)
        return EXIT_USAGE
    missing = [raw for raw in args.paths if not os.path.lexists(raw)]
    if missing:  # a mistyped path must not read as "no problems"
        for raw in missing:
            print(f"regiodocs: `{raw}` gibt es nicht (Tippfehler im Pfad?). Nichts geprüft.", file=sys.stderr)
        return EXIT_USAGE
    result = checks.check(root, Path.cwd(), only=_only(root, args.paths))
    findings = [f for f in result.findings if _selected(f.file, args.paths)]
    sys.stdout.write(report.render(findings, args.format))
    failing = [f for f in findings if f.is_error or args.strict]
    return EXIT_PROBLEMS if failing else EXIT_OK


def _build(args: argparse.Namespace) -> int:
    from .building import build  # Sphinx is imported only when building
    from .failures import target_problem

    for raw, option, what in (
        (args.ziel, "--ziel", "Zielordner"),
        (args.arbeit, "--arbeit", "Arbeitsordner"),
    ):
        problem = target_problem(Path(raw), folder=True, option=option, what=what) if raw else None
        if problem:
            print(f"regiodocs: {problem}", file=sys.stderr)
            return EXIT_USAGE
    extra = [arg for pair in args.define for arg in ("-D", pair)]
    return build(
        settings.project_root(),
        content=Path(args.inhalt),
        intern=args.intern,
        outdir=Path(args.ziel) if args.ziel else None,
        jobs=args.jobs,
        quiet=args.quiet,
        workdir=Path(args.arbeit) if args.arbeit else None,
        extra=extra,
    )


def run() -> NoReturn:
    """The console entry point: :func:`main`, then leave without tearing the interpreter down.

    A build leaves some million objects (environment, plan, search index) that Python would
    free one by one at shutdown, for seconds after everything is written (3.6 s after a full
    build of 1,000 records). The exit handlers still run (logging, temporary folders); then the
    streams are flushed and the process ends with ``main``'s status. While another thread still
    runs, Python's own shutdown waits for it as usual.
    """
    status = main()
    if threading.active_count() > 1:
        sys.exit(status)
    atexit._run_exitfuncs()
    status = _flushed(status)
    os._exit(status)


def _flushed(status: int) -> int:
    """Flush the output. A reader that left (``… | head``) is no error; a full disk or a failing
    device under a redirected output is reported, since what the command printed is lost."""
    try:
        if sys.stdout is not None:  # None: the command ran with its output closed (`>&-`)
            sys.stdout.flush()
    except BrokenPipeError:
        pass
    except OSError as err:
        from .failures import os_error_message

        advice = os_error_message(err) or str(err)
        print(f"regiodocs: Die Ausgabe ist unvollständig geschrieben. {advice}", file=sys.stderr)
        status = status or EXIT_PROBLEMS
    with contextlib.suppress(Exception):
        sys.stderr.flush()
    return status


def main(argv: Sequence[str] | None = None) -> int:
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:  # started with the stream closed (`>&-`): nobody reads it
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
    words = list(sys.argv[1:] if argv is None else argv)
    command = next((w for w in words if not w.startswith("-")), None)
    # check and build live here: a pre-commit check need not import the other commands
    with german_argparse():
        args = _parser(others=command not in ("check", "build")).parse_args(words)
    try:
        return int(args.func(args))
    except BrokenPipeError:
        # the reader of the output left (`regiodocs check | head`): stop quietly, output silenced
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print("regiodocs: Abgebrochen.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as err:
        return _failed(err, words)


def _failed(err: Exception, words: Sequence[str]) -> int:
    """A full disk, a read-only folder, a missing permission: German advice; anything else is a bug.

    A bug is reported in one line that names a log file with the full traceback
    (``_build/`` of the project if there is one, else the temporary folder).
    """
    if isinstance(err, OSError):
        from .failures import os_error_message  # no Sphinx import: that happens only in build()

        message = os_error_message(err)
        if message is not None:
            print(f"regiodocs: {message}", file=sys.stderr)
            return EXIT_PROBLEMS
    log = _write_log(err, words)
    where = f"die Protokolldatei {log}" if log else "die folgenden Zeilen"
    print(
        f"regiodocs: Unerwarteter Programmfehler ({type(err).__name__}) – das liegt nicht an Ihren "
        f"Inhalten. Bitte schicken Sie {where} an die Geschäftsstelle; darin steht der genaue Ablauf.",
        file=sys.stderr,
    )
    if log is None:
        sys.stderr.write(_log_text(err, words))
    return EXIT_BUG


def _log_text(err: BaseException, words: Sequence[str]) -> str:
    import datetime as dt
    import platform
    import traceback

    lines = [
        f"regiodocs {__version__}: unerwarteter Programmfehler",
        f"Zeit: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"Aufruf: regiodocs {' '.join(words)}",
        f"Ordner: {Path.cwd()}",
        f"Python {platform.python_version()} auf {platform.platform()}",
    ]
    sphinx = sys.modules.get("sphinx")
    if sphinx is not None:
        lines.append(f"Sphinx {getattr(sphinx, '__display_version__', '?')}")
    text = "\n".join(lines) + "\n\n" + "".join(traceback.format_exception(err))
    worker = getattr(err, "traceback", None)  # Sphinx's error of a parallel worker
    if isinstance(worker, str) and worker.strip():
        text += "\nIm parallelen Arbeitsprozess:\n" + worker
    return text


def _write_log(err: BaseException, words: Sequence[str]) -> Path | None:
    """Write the traceback to a new log file; its path (None if nothing is writable)."""
    import os
    import tempfile
    import time

    name = f"regiodocs-fehler-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
    build_dir = Path.cwd() / "_build"
    folders = [build_dir] if build_dir.is_dir() or Path("conf.py").is_file() else []
    folders.append(Path(tempfile.gettempdir()))
    text = _log_text(err, words)
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder.resolve() / name
            path.write_text(text, encoding="utf-8")
        except OSError:
            continue
        return path
    return None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
