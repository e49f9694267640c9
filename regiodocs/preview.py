"""``regiodocs serve``: a local preview that rebuilds when a file is saved.

sphinx-autobuild runs the same Sphinx build as ``regiodocs build`` (check at
``config-inited``, stubs, MyST), but into its own work folder
``_build/.arbeit/vorschau`` and without turning warnings into errors, and serves
the result on 127.0.0.1 with live reload. It watches ``content/``,
``templates/`` and ``conf.py``; the stub folder it builds from is ignored, since
the build itself rewrites it. A content error stops only that rebuild: the
messages appear in the terminal and the last good preview stays online.

The local web editor: ``serve`` also starts Decap's proxy ``decap-server`` (npm, pinned in
package.json; its file system backend behind a Host/Origin check, ``editor/decap-server.cjs``)
on 127.0.0.1 and a free port, rooted at the content folder, and builds the preview with
``regiodocs_cms_lokal`` set to its API: the preview's ``/admin/`` then reads and writes the
working tree (Decap's ``local_backend``), so a file saved in the browser lands in ``content/``
and the preview rebuilds. Both stop together: the proxy is ended when ``serve`` ends (Strg+C,
SIGTERM) and, on Linux, when its parent dies.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from . import checks, report, settings

DEFAULT_PORT = 8000
EDITOR_PORT = 8081  # decap-server's own default
HOST = "127.0.0.1"
DECAP_SERVER = Path("node_modules") / "decap-server"
#: decap-server's file system backend behind a Host and Origin check (DNS rebinding).
GUARDED_SERVER = Path(__file__).resolve().parent / "editor" / "decap-server.cjs"
EDITOR_START_SECONDS = 30.0


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


def editor_api(port: int) -> str:
    """The API address of a ``decap-server`` on ``port`` (``regiodocs_cms_lokal``)."""
    return f"http://{HOST}:{port}/api/v1"


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the proxy gets SIGTERM when ``serve`` dies, even by SIGKILL (no orphans)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((HOST, port)) == 0


class EditorError(RuntimeError):
    """The local editor's proxy could not be started (German message)."""


@contextlib.contextmanager
def editor_server(
    project_root: Path,
    port: int,
    *,
    content: Path | None = None,
    log: Path | None = None,
    origins: Sequence[str],
) -> Iterator[str]:
    """Run ``decap-server``'s file system backend (from ``project_root``'s node_modules) on
    127.0.0.1:``port`` and yield its API address.

    It reads and writes the content folder only (``content``, default ``project_root/content``;
    no git commits): rooted there, a request cannot reach ``conf.py`` or the code. It answers
    only requests addressed to 127.0.0.1/localhost:``port`` and, when a browser names its
    origin, from ``origins`` (the preview): a page elsewhere cannot write through DNS rebinding
    (:data:`GUARDED_SERVER`). Ended (SIGTERM, then SIGKILL) when the block is left. Raises
    :class:`EditorError` in German when it is missing or does not start.
    """
    node = shutil.which("node")
    if node is None:
        raise EditorError(
            "Für den lokalen Web-Editor fehlt Node.js (der Befehl `node`). Installieren Sie Node.js "
            "(z. B. `apt-get install nodejs`) und danach einmal `npm ci`."
        )
    if not (project_root / DECAP_SERVER / "package.json").exists():
        raise EditorError(
            f"Der lokale Web-Editor fehlt: {DECAP_SERVER} wurde nicht gefunden (einmal `npm ci` ausführen)."
        )
    env = os.environ | {
        "PORT": str(port),
        "BIND_HOST": HOST,
        "GIT_REPO_DIRECTORY": str((content or project_root / "content").resolve()),
        "LOG_LEVEL": os.environ.get("REGIODOCS_EDITOR_LOG", "warn"),
        "NODE_PATH": str((project_root / "node_modules").resolve()),
        "REGIODOCS_EDITOR_ORIGINS": " ".join(origins),
    }
    output = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    try:
        process = subprocess.Popen(
            [node, str(GUARDED_SERVER)],
            cwd=project_root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT if log else None,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
        try:
            deadline = time.monotonic() + EDITOR_START_SECONDS
            while not _listening(port):
                if process.poll() is not None:
                    raise EditorError(
                        f"Der lokale Web-Editor (decap-server) ist beim Start beendet worden "
                        f"(Exit-Code {process.returncode})."
                    )
                if time.monotonic() > deadline:
                    raise EditorError(
                        f"Der lokale Web-Editor (decap-server) lauscht nach {EDITOR_START_SECONDS:.0f} s "
                        f"noch nicht auf {HOST}:{port}."
                    )
                time.sleep(0.1)
            yield editor_api(port)
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
    finally:
        if log:
            output.close()  # type: ignore[union-attr]


def autobuild_args(
    project_root: Path,
    content: Path,
    work: Path,
    *,
    port: int,
    intern: bool,
    today: str | None,
    editor: str = "",
) -> list[str]:
    """The sphinx-autobuild command line (Sphinx options, folders, watch list).

    ``editor``: the API of a running ``decap-server`` (the preview's ``/admin/`` works on it)."""
    args = [
        "-b", "html", "-c", str(project_root), "-d", str(work / "doctrees"), "-q",
        "-D", f"regiodocs_inhalt={content.resolve()}",
        "-D", f"regiodocs_intern={int(intern)}",
        *(["-D", f"regiodocs_heute={today}"] if today else []),
        *(["-D", f"regiodocs_cms_lokal={editor}"] if editor else []),
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
        "jeder gespeicherten Änderung in content/ oder templates/ neu. Unter /admin/ läuft der "
        "Web-Editor: Er speichert Einträge direkt in content/ dieser Arbeitskopie.",
    )
    serve.add_argument("--port", type=int, default=None, help=f"Port (Standard: {DEFAULT_PORT} oder frei)")
    serve.add_argument(
        "--inhalt", default="content", metavar="ORDNER", help="Inhaltsordner (Standard: content)"
    )
    serve.add_argument("--intern", action="store_true", help="interne Ausgabe (mit internen Einträgen)")
    serve.add_argument("--arbeit", default=None, metavar="ORDNER", help="Arbeitsordner der Vorschau")
    serve.add_argument("--heute", default=None, metavar="JJJJ-MM-TT", help="Baudatum festlegen")
    serve.add_argument(
        "--editor-port",
        type=int,
        default=None,
        help=f"Port des Web-Editors (Standard: {EDITOR_PORT} oder frei)",
    )
    serve.add_argument("--ohne-editor", action="store_true", help="ohne den lokalen Web-Editor starten")
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
    with contextlib.ExitStack() as stack:
        editor = (
            "" if args.ohne_editor else _start_editor(stack, project_root, content, port, args.editor_port)
        )
        url = f"http://{HOST}:{port}/"
        print(f"regiodocs: Vorschau unter {url} – wird beim Speichern neu gebaut.", flush=True)
        if editor:
            folder = content.resolve().relative_to(project_root.resolve()).as_posix()
            print(
                f"regiodocs: Web-Editor unter {url}admin/ – „Veröffentlichen“ schreibt die Datei in "
                f"{folder}/ dieser Arbeitskopie ({project_root}); danach `make check`.\n"
                f"regiodocs: Dafür läuft decap-server auf {editor.removesuffix('/api/v1')} (nur von "
                "diesem Rechner erreichbar).",
                flush=True,
            )
        print("regiodocs: Beenden mit Strg+C (beendet Vorschau und Web-Editor).", flush=True)
        options = autobuild_args(
            project_root, content, work, port=port, intern=args.intern, today=args.heute, editor=editor
        )
        autobuild([*defines, *options])
    return 0


def _start_editor(
    stack: contextlib.ExitStack, project_root: Path, content: Path, port: int, wanted: int | None
) -> str:
    """Start the local editor's proxy (or say in German why not); its API address or ``""``."""
    try:
        content.resolve().relative_to(project_root.resolve())
    except ValueError:
        print(
            f"regiodocs: Ohne Web-Editor: der Inhaltsordner `{content}` liegt nicht in der Arbeitskopie "
            f"{project_root}.",
            flush=True,
        )
        return ""
    editor_port = wanted if wanted is not None else free_port(EDITOR_PORT)
    if editor_port == port:
        editor_port = free_port(0)
    try:
        origins = (f"http://{HOST}:{port}", f"http://localhost:{port}")  # the preview
        return stack.enter_context(editor_server(project_root, editor_port, content=content, origins=origins))
    except EditorError as err:
        print(f"regiodocs: Ohne Web-Editor: {err}", flush=True)
        return ""
