"""Doctree snapshots of what the Sphinx integration makes (like sphinx-design's test_snippets).

Small projects are built with ``sphinx.testing`` (a real Sphinx application, the
``regiodocs`` extension, the installation's templates) from ``tests/fixtures/basis``
plus the pages in ``tests/fixtures/doctrees``. Each test snapshots a doctree with
``pytest-regressions`` (``tests/test_doctrees/*.xml``): a changed template, role,
directive or domain changes the text and fails the test with a diff. After an intended
change, rerun with ``--force-regen`` and review the diff of the snapshot files.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docutils import nodes
from sphinx import addnodes
from sphinx.testing.util import SphinxTestApp

from conftest import FIXTURES, ROOT, TODAY

MARKER = ".regiodocs-quellen"  # the extension writes its stubs only into a folder it owns
CONF = f"""\
extensions = ["myst_parser", "sphinx_design", "regiodocs"]
language = "de"
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header"]
regiodocs_inhalt = "content"
regiodocs_vorlagen = {str(ROOT / "templates" / "regiodocs")!r}
regiodocs_heute = {TODAY!r}
exclude_patterns = ["content", "_build"]
"""
RECORD = "projekte/alpha/radweg-nord"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def make_project(root: Path) -> Path:
    """A Sphinx project: conf.py, the basis network with the doctree pages under content/."""
    shutil.copytree(FIXTURES / "basis", root / "content")
    shutil.copytree(FIXTURES / "doctrees", root / "content", dirs_exist_ok=True)
    (root / "conf.py").write_text(CONF, encoding="utf-8")
    (root / MARKER).write_text("regiodocs-Quellordner der Tests\n", encoding="utf-8")
    return root


def build(src: Path, *, parallel: int = 0) -> SphinxTestApp:
    app = SphinxTestApp("html", srcdir=src, parallel=parallel)
    try:
        app.build()
    except BaseException:
        app.cleanup()
        raise
    return app


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, SphinxTestApp]]:
    src = make_project(tmp_path_factory.mktemp("doctrees") / "quelle")
    app = build(src)
    yield src, app
    app.cleanup()


def normalise(text: str, src: Path) -> str:
    """Snapshot text without this machine's paths."""
    return text.replace(str(src), "<quelle>").replace(str(ROOT), "<projekt>")


def pformat(node: nodes.Node, src: Path) -> str:
    if isinstance(node, nodes.document):
        node.attributes.pop("translation_progress", None)
    return normalise(node.pformat(), src)


def read_doctree(app: SphinxTestApp, docname: str) -> nodes.document:
    """The doctree as read (before post-transforms: references still pending)."""
    return app.env.get_doctree(docname)


def resolved_doctree(app: SphinxTestApp, docname: str) -> nodes.document:
    """The doctree as written (post-transforms ran: references resolved)."""
    return app.env.get_and_resolve_doctree(docname, app.builder, tags=app.tags)


def steckbrief(doctree: nodes.document) -> nodes.Element:
    found = [n for n in doctree.findall(nodes.container) if "regio-steckbrief" in n["classes"]]
    assert len(found) == 1, f"{len(found)} Steckbriefe"
    return found[0]


def check(file_regression: Any, text: str, basename: str) -> None:
    file_regression.check(text, basename=basename, extension=".xml", encoding="utf-8")


# ---------------------------------------------------------------- record page: Steckbrief


def test_record_steckbrief_as_read(project: tuple[Path, SphinxTestApp], file_regression: Any):
    src, app = project
    check(file_regression, pformat(steckbrief(read_doctree(app, RECORD)), src), "steckbrief_gelesen")


def test_record_steckbrief_resolved(project: tuple[Path, SphinxTestApp], file_regression: Any):
    src, app = project
    check(file_regression, pformat(steckbrief(resolved_doctree(app, RECORD)), src), "steckbrief_aufgeloest")


def test_record_page_as_read(project: tuple[Path, SphinxTestApp], file_regression: Any):
    """The whole page: breadcrumb, title, badges, summary, Steckbrief and the contribution's body."""
    src, app = project
    check(file_regression, pformat(read_doctree(app, RECORD), src), "eintrag_seite")


# ---------------------------------------------------------------- {regio-liste} on a free page


def test_listing_directive_with_filters(project: tuple[Path, SphinxTestApp], file_regression: Any):
    src, app = project
    check(file_regression, pformat(resolved_doctree(app, "seiten/liste"), src), "regio_liste")


# ---------------------------------------------------------------- roles of the regio domain


def test_roles_as_read_are_pending_references(project: tuple[Path, SphinxTestApp], file_regression: Any):
    src, app = project
    check(file_regression, pformat(read_doctree(app, "seiten/verweise"), src), "rollen_gelesen")


def test_roles_resolve_to_the_object_pages_with_their_titles(
    project: tuple[Path, SphinxTestApp], file_regression: Any
):
    src, app = project
    doctree = resolved_doctree(app, "seiten/verweise")
    assert not list(doctree.findall(addnodes.pending_xref))
    check(file_regression, pformat(doctree, src), "rollen_aufgeloest")


def test_unknown_partner_id_is_reported_at_its_line_and_shown_as_text(tmp_path: Path, file_regression: Any):
    src = make_project(tmp_path / "quelle")
    page = src / "content" / "seiten" / "unbekannt.md"
    page.write_text("# Unbekannt\n\nText.\n\nEin Partner {regio:partner}`gamma` fehlt.\n", encoding="utf-8")
    app = build(src)
    try:
        warnings = normalise(app.warning.getvalue(), src)
        text = pformat(resolved_doctree(app, "seiten/unbekannt"), src)
    finally:
        app.cleanup()
    lines = [ANSI.sub("", line) for line in warnings.splitlines() if "gamma" in line]
    assert len(lines) == 1, warnings
    # the location names the contribution's file and line (its exact form is not snapshotted:
    # Sphinx prints a docname location as srcdir/<name> + ".rst")
    assert "content/seiten/unbekannt.md" in lines[0] and ":5: ERROR: " in lines[0], lines[0]
    assert lines[0].endswith("RD201 `gamma` ist keine bekannte Kennung für Partner."), lines[0]
    check(file_regression, text, "rolle_unbekannt")


# ---------------------------------------------------------------- the regio domain


def objects_text(app: SphinxTestApp) -> str:
    objects = app.env.domains["regio"].data["objects"]
    return "".join(
        f"{kind}:{ident} -> {doc} | {title}\n" for (kind, ident), (doc, title) in sorted(objects.items())
    )


@pytest.mark.parametrize("parallel", [0, 2], ids=["seriell", "parallel"])
def test_domain_objects_after_reading(tmp_path: Path, file_regression: Any, parallel: int):
    """Serial and parallel reads (merge_domaindata) give the same objects: one snapshot."""
    src = make_project(tmp_path / "quelle")
    app = build(src, parallel=parallel)
    try:
        text = objects_text(app)
    finally:
        app.cleanup()
    check(file_regression, text, "domain_objekte")


def test_rebuild_after_removing_a_record_drops_its_object(tmp_path: Path):
    src = make_project(tmp_path / "quelle")
    app = build(src)
    try:
        before = objects_text(app).splitlines()
    finally:
        app.cleanup()
    assert "eintrag:salon-1 -> veranstaltungen/salon-1 | RegioSalon Mobilität" in before
    (src / "content" / "veranstaltungen" / "salon-1.md").unlink()
    again = build(src)  # the same source and doctree folders: an incremental build
    try:
        after = objects_text(again).splitlines()
        assert "veranstaltungen/salon-1" not in again.env.all_docs
    finally:
        again.cleanup()
    assert sorted(set(before) - set(after)) == [
        "eintrag:salon-1 -> veranstaltungen/salon-1 | RegioSalon Mobilität"
    ]
    assert set(after) <= set(before)


# ---------------------------------------------------------------- smart quotes


SMART_TEXTS = [
    "Ein Satz ohne etwas. Noch einer – mit „deutschen“ Zeichen.",
    'Er sagte "ja" und ging.',
    "Das ist's, sagte sie.",
    "Von 2024--2026 und---dann.",
    "Und dann... so.",
    "Oder . . . so.",
    "Nur -- so.",
    r"Ein maskiertes \"Zeichen\" und ein \\ Backslash.",
    "Eine Referenz &#34;wie diese&#34; und &#39;diese&#39;.",
    'Ein `Backtick` und *betont "drinnen"* und ``wörtlich "so"``.',
    'Ein Satz ohne etwas, gefolgt von *betont*. Dann:\n\n- ein Punkt "mit"\n- ein Punkt ohne',
]


@pytest.mark.parametrize("text", SMART_TEXTS)
def test_quiet_smart_quotes_changes_exactly_what_docutils_changes(text: str):
    """The build's SmartQuotes skips blocks it could not change: the doctree stays docutils' own."""
    from docutils.core import publish_doctree
    from docutils.transforms.universal import SmartQuotes
    from sphinx.transforms import SphinxSmartQuotes

    from regiodocs.sphinxext.parser import QuietSmartQuotes

    settings = {"smart_quotes": False, "language_code": "de", "report_level": 5}
    theirs = publish_doctree(text, settings_overrides=settings)
    ours = theirs.deepcopy()
    for document in (theirs, ours):
        document.settings.smart_quotes = True
    expected = SphinxSmartQuotes(theirs, theirs)  # Sphinx's node rules, docutils' loop
    expected.smartquotes_action = "qDe"
    SmartQuotes.apply(expected)
    quiet = QuietSmartQuotes(ours, ours)
    quiet.smartquotes_action = "qDe"
    quiet._educate()
    assert ours.pformat() == theirs.pformat()
