"""``regiodocs serve``: a local preview that rebuilds when a file is saved.

sphinx-autobuild runs the same Sphinx build as ``regiodocs build`` (check at
``config-inited``, stubs, MyST), but into its own work folder
``_build/.arbeit/vorschau`` and without turning warnings into errors, and serves
the result on 127.0.0.1 with live reload. It watches ``content/``,
``templates/`` and ``conf.py``; the stub folder it builds from is ignored, since
the build itself rewrites it. A content error stops only that rebuild: the
messages appear in the terminal and the last good preview stays online.
"""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path
from typing import Any

from . import checks, report, settings

DEFAULT_PORT = 8000
HOST = "127.0.0.1"


def free_port(preferred: int = DEFAULT_PORT, host: str = HOST) -> int:
    """``preferred`` if it is free, otherwise any free port."""
    for port in (preferred, 0):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((host, port))
            except OSError:
                continue
            return int(probe.getsockname()[1])
    raise OSError("Kein freier Port gefunden.")


def autobuild_args(
    project_root: Path, content: Path, work: Path, *, port: int, intern: bool, today: str | None
) -> list[str]:
    """The sphinx-autobuild command line (Sphinx options, folders, watch list)."""
    args = [
        "-b", "html", "-c", str(project_root), "-d", str(work / "doctrees"), "-q",
        "-D", f"regiodocs_inhalt={content.resolve()}",
        "-D", f"regiodocs_intern={int(intern)}",
        *(["-D", f"regiodocs_heute={today}"] if today else []),
        "--host", HOST, "--port", str(port),
        "--watch", str(content.resolve()),
        "--ignore", str(work / "**"), "--ignore", "*.tmp", "--ignore", "*~", "--ignore", "*.swp",
    ]  # fmt: skip
    for extra in (project_root / "templates", project_root / "conf.py"):
        if extra.exists():
            args += ["--watch", str(extra)]
    return [*args, str(work / "quellen"), str(work / "html")]


def add_command(commands: Any) -> None:
    serve = commands.add_parser(
        "serve",
        help="Vorschau im Browser, die sich beim Speichern neu baut.",
        description="Baut das Handbuch, zeigt es unter http://127.0.0.1:<port>/ und baut bei "
        "jeder gespeicherten Änderung in content/ oder templates/ neu.",
    )
    serve.add_argument("--port", type=int, default=None, help=f"Port (Standard: {DEFAULT_PORT} oder frei)")
    serve.add_argument("--inhalt", default="content", metavar="ORDNER")
    serve.add_argument("--intern", action="store_true", help="interne Ausgabe (mit internen Einträgen)")
    serve.add_argument("--arbeit", default=None, metavar="ORDNER", help="Arbeitsordner der Vorschau")
    serve.add_argument("--heute", default=None, metavar="JJJJ-MM-TT", help="Baudatum festlegen")
    serve.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sphinx_autobuild.__main__ import main as autobuild  # Sphinx only when serving

    project_root = settings.project_root()
    content = Path(args.inhalt)
    if not content.is_dir():
        print(f"regiodocs: Inhaltsordner `{content}` nicht gefunden.", file=sys.stderr)
        return 2
    edition = "vorschau-intern" if args.intern else "vorschau"
    work = (Path(args.arbeit) if args.arbeit else project_root / "_build" / ".arbeit").resolve() / edition
    (work / "quellen").mkdir(parents=True, exist_ok=True)
    result = checks.check(content, Path.cwd())
    if result.findings:
        sys.stdout.write(report.text(result.findings))
    if result.errors:
        print("regiodocs: Die Vorschau startet trotzdem; sie zeigt den letzten fehlerfreien Stand.")
    defines = []
    if args.intern and not result.errors:  # the review as of the start (offline, no link check)
        from .building import review_file

        review = review_file(work, result.content, settings.build_date(args.heute))
        defines = ["-D", f"regiodocs_bericht={review}"]
    port = args.port if args.port is not None else free_port()
    url = f"http://{HOST}:{port}/"
    print(
        f"regiodocs: Vorschau unter {url} – wird beim Speichern neu gebaut. Beenden mit Strg+C.", flush=True
    )
    options = autobuild_args(project_root, content, work, port=port, intern=args.intern, today=args.heute)
    autobuild([*defines, *options])
    return 0
