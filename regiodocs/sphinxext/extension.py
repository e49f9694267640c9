"""Wires the Sphinx integration (like sphinx-design's ``extension.py``).

At ``config-inited`` the content is loaded and checked with exactly the steps
of ``regiodocs check``; any error stops the build with the same file:line
messages. Then the page plan is computed and one small stub per page is
synchronised into the source folder: a stub is rewritten only when its
page's fingerprint changed, so Sphinx's own change detection re-reads exactly
the pages whose view changed, and removes the pages that are gone.
"""

from __future__ import annotations

import json
import logging as logging_
import os
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import SphinxError
from sphinx.util import logging

from .. import checks, loading, model, report, safety, schema, site
from ..codehash import code_hash
from ..templating import templates_hash
from .anchors import setup_anchors
from .config import RegioConfig, setup_config
from .contact import setup_contact
from .domain import setup_domain
from .guard import build_targets, setup_guard
from .listing import setup_listing
from .navigation import setup_navigation
from .parser import RegioParser, setup_reading
from .publishing import setup_publishing
from .searchindex import setup_search
from .state import State, get_state, has_state, set_state, template_dirs
from .subscriptions import setup_subscriptions
from .tables import setup_tables
from .theme import setup_theme
from .widgets import setup_widgets
from .workers import setup_workers

logger = logging.getLogger(__name__)

STUB_SUFFIX = ".rd"
MARKER = ".regiodocs-quellen"
INTERN_BANNER = "Interne Ausgabe – enthält interne Einträge. Nicht veröffentlichen."


class ContentError(SphinxError):
    category = "Fehler im Inhalt"


class _Noise(logging_.Filter):
    """What Sphinx and MyST print on every build that no contributor needs (MyST's whole
    configuration, each static file Sphinx renders from a template)."""

    def filter(self, record: logging_.LogRecord) -> bool:
        if getattr(record, "subtype", None) == "template_evaluation":
            return False
        return not str(record.msg).startswith("\x1b[01mmyst v") and not str(record.msg).startswith("myst v")


_QUIETED = ("sphinx.myst_parser.sphinx_ext.main", "sphinx.sphinx.util.fileutil")


def _quiet() -> None:
    for name in _QUIETED:
        target = logging_.getLogger(name)
        if not any(isinstance(f, _Noise) for f in target.filters):
            target.addFilter(_Noise())


def setup_extension(app: Sphinx) -> None:
    _quiet()
    setup_config(app)
    app.add_source_suffix(STUB_SUFFIX, "regiodocs")
    app.add_source_parser(RegioParser)
    setup_reading(app)
    setup_workers(app)
    setup_domain(app)
    setup_guard(app)
    setup_widgets(app)
    setup_anchors(app)
    setup_tables(app)
    setup_contact(app)
    setup_listing(app)
    setup_navigation(app)
    setup_search(app)
    app.connect("config-inited", prepare, priority=400)
    app.connect("builder-inited", _add_static)
    app.connect("build-finished", prune_output)
    setup_publishing(app)
    setup_subscriptions(app)
    setup_theme(app)
    app.connect("html-page-context", _edition_page_context)
    app.connect("doctree-resolved", _print_downloads)


def _add_static(app: Sphinx) -> None:
    static = Path(__file__).parent.parent / "static"
    app.config.html_static_path.append(str(static))
    app.add_js_file("regiodocs.js", defer="defer")


def prepare(app: Sphinx, config: Config) -> None:
    regio = RegioConfig.from_sphinx(config)
    if regio.pruefung:  # `regiodocs check` parses bodies itself (regiodocs.bodies)
        return
    confdir = Path(app.confdir)
    root = regio.content_root(confdir)
    result = checks.check(root, confdir, today=regio.today(), safe_mode=regio.sicher, bodies=False)
    for finding in result.warnings:
        logger.info("%s:%s: %s Hinweis: %s", finding.file, finding.line, finding.code.value, finding.message)
    if result.errors:
        raise ContentError("\n" + report.text(result.errors))
    data = _edition_data(regio, confdir)
    pages = site.plan(
        result.content,
        today=regio.today(),
        intern=regio.intern,
        aenderungen=data["aenderungen"],
        ausgabe=data["ausgabedaten"],
        bericht=data["bericht"],
        druck=data["druck"],
    )
    dirs = template_dirs(confdir, regio)
    state = State(regio, result.content.visible(intern=regio.intern), pages, dirs, news=data["neuigkeiten"])
    set_state(app, state)
    salt = f"{code_hash()}:{templates_hash(dirs)}:{regio.intern}"
    _sync_stubs(Path(app.srcdir), pages, salt)
    _sync_media(Path(app.srcdir), root, state, result.content)
    state.targets = build_targets(app)
    if regio.intern:
        options = dict(config.html_theme_options or {})
        options["announcement"] = INTERN_BANNER
        config.html_theme_options = options
    config.html_context = {
        **(config.html_context or {}),
        "regiodocs_intern": regio.intern,
        "regiodocs_ausgabe": regio.ausgabe,
        "regiodocs_ausgaben": data["ausgaben"],
        "regiodocs_ausgabedaten": data["ausgabedaten"],
        "regiodocs_druck": data["druck"],
    }


_DATA_FILES = ("ausgaben", "ausgabedaten", "aenderungen", "bericht", "druck", "neuigkeiten")


def _edition_data(regio: RegioConfig, confdir: Path) -> dict[str, Any]:
    """The JSON files that regiodocs.editions passes into a build (release, review, print)."""
    data: dict[str, Any] = {}
    for name in _DATA_FILES:
        path = regio.data_file(confdir, name)
        if path is None:
            data[name] = None
            continue
        try:
            data[name] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise ContentError(f"regiodocs_{name}: {path} ist nicht lesbar ({err}).") from err
    return data


def _edition_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: object
) -> None:
    """The edition switcher in the sidebar, and schema.org JSON-LD on the start page."""
    edition = context.get("regiodocs_ausgabedaten") or {}
    if pagename == app.config.root_doc and edition.get("jsonld"):
        text = json.dumps(edition["jsonld"], ensure_ascii=False, sort_keys=True, indent=1)
        text = text.replace("<", "\\u003c")  # no "</script>" inside the script element
        context["metatags"] = (
            f'{context.get("metatags", "")}\n<script type="application/ld+json">\n{text}\n</script>'
        )


def _print_downloads(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """In the print edition a download is named, not linked (the PDF would link the build folder)."""
    if not has_state(app) or not get_state(app).config.druck:
        return
    for node in list(doctree.findall(addnodes.download_reference)):
        node.replace_self(nodes.inline("", "", *node.children, classes=["regio-download"]))


def _claim(srcdir: Path) -> None:
    """Only ever write into a source folder that regiodocs owns."""
    srcdir.mkdir(parents=True, exist_ok=True)
    marker = srcdir / MARKER
    if not marker.exists():
        if any(p.name != MARKER for p in srcdir.iterdir()):
            raise ContentError(
                f"Der Quellordner {srcdir} ist nicht leer und gehört nicht regiodocs. "
                "Bauen Sie mit `regiodocs build`."
            )
        marker.write_text("Von regiodocs erzeugt; wird bei jedem Bau abgeglichen.\n", encoding="utf-8")


def _write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _write_if_changed(path: Path, text: str) -> bool:
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return True


def _sync_stubs(srcdir: Path, pages: dict[str, site.Page], salt: str) -> None:
    _claim(srcdir)
    wanted = set()
    for docname, page in pages.items():
        stub = srcdir / f"{docname}{STUB_SUFFIX}"
        wanted.add(stub)
        _write_if_changed(stub, f"% regiodocs page {docname}: {page.fingerprint(salt)}\n")
    for stub in srcdir.rglob(f"*{STUB_SUFFIX}"):
        if stub not in wanted:
            stub.unlink()


def _sync_media(srcdir: Path, content_root: Path, state: State, full: model.Content) -> None:
    """Copy the media that visible records use; nothing of an intern record.

    Only regular files inside ``content/medien/`` are read, never through a symlink
    (the check refuses symlinks; this holds even if one appears after it).
    """
    used = schema.publishable_media(full, intern=state.config.intern)
    media_dir = srcdir / safety.MEDIA_FOLDER
    copies = {safety.media_source(rel): rel for rel in sorted(used)}
    if len(copies) < len(used):  # `a--b.png` and `a/b.png`: refuse rather than show the wrong one
        clashes = sorted(rel for rel in used if list(copies.values()).count(rel) == 0)
        raise ContentError(
            f"Die Mediendateien {', '.join(clashes)} kollidieren mit einer anderen Datei, wenn "
            "Unterordner als `--` geschrieben werden. Benennen Sie eine davon um."
        )
    for name, rel in copies.items():
        source, target = content_root / rel, srcdir / name
        try:
            data = loading.read_bytes(source, loading.MAX_MEDIA_BYTES)
        except loading.Unreadable as err:
            raise ContentError(f"{source}: {err.message}") from None
        if not (target.is_file() and target.read_bytes() == data):
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_bytes(target, data)
    state.media = used
    if media_dir.exists():
        for path in sorted(media_dir.rglob("*"), key=lambda p: len(p.parts), reverse=True):
            if path.is_file() and path.relative_to(srcdir).as_posix() not in copies:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()


_SPHINX_PAGES = {"search", "genindex", "py-modindex"}


def prune_output(app: Sphinx, exception: BaseException | None) -> None:
    """Remove output of pages, images and downloads that no longer exist.

    Sphinx leaves them behind; here they would survive a record that was
    deleted or turned intern.
    """
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    env = app.env
    sources = outdir / "_sources"  # html_copy_source is off: Sphinx leaves the folder empty
    if sources.is_dir() and not any(sources.iterdir()):
        sources.rmdir()
    for page in outdir.rglob("*.html"):
        rel = page.relative_to(outdir).as_posix()
        if rel.startswith("_"):
            continue
        if rel.removesuffix(".html") not in env.all_docs and rel.removesuffix(".html") not in _SPHINX_PAGES:
            page.unlink()
    keep_downloads = {Path(dest).as_posix() for _docs, dest in env.dlfiles.values()}
    downloads = outdir / "_downloads"
    if downloads.exists():
        for file in downloads.rglob("*"):
            if file.is_file() and file.relative_to(downloads).as_posix() not in keep_downloads:
                file.unlink()
    images = outdir / "_images"
    if images.exists():
        names = {Path(name).name for _docs, name in env.images.values()}
        for file in images.iterdir():
            if file.is_file() and file.name not in names:
                file.unlink()
    _remove_empty_folders(outdir)


def _remove_empty_folders(outdir: Path) -> None:
    """Folders left empty by what was pruned (a partner's last record gone, the last download).

    ``os.walk`` reads each folder once and tells folders from files without a ``stat`` per entry;
    bottom-up, so that a folder that held only empty folders is empty when its turn comes.
    """
    top = os.fspath(outdir)
    for folder, _dirs, _files in os.walk(top, topdown=False):
        if folder != top and not os.listdir(folder):
            os.rmdir(folder)
