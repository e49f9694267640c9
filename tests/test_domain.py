"""The ``regio`` domain on its own, in a real Sphinx application (``sphinx.testing``).

A minimal project loads MyST and only the domain (no planner, no guard): what the domain
does by itself – resolving roles, warning about dangling ones in German, declaring what a
document read, forgetting a removed document – is what is tested here.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from regiodocs.sphinxext.domain import RegioDomain

CONF = """
extensions = ["myst_parser"]
language = "de"
suppress_warnings = ["myst.header"]

def setup(app):
    from regiodocs.sphinxext.domain import setup_domain
    setup_domain(app)
    app.connect("source-read", _declare)

def _declare(app, docname, source):
    # stands in for the planner: the record page declares its object
    if docname == "radweg":
        app.env.domains["regio"].note("eintrag", "radweg-nord", "Radschnellweg Nord", docname)
"""


def _project(tmp_path: Path, pages: dict[str, str]) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    for name, text in pages.items():
        (src / f"{name}.md").write_text(text, encoding="utf-8")
    return src


def _build(src: Path, **kwargs: object) -> tuple[SphinxTestApp, str]:
    warnings = io.StringIO()
    app = SphinxTestApp("html", srcdir=src, warning=warnings, **kwargs)  # type: ignore[arg-type]
    try:
        app.build()
    finally:
        app.cleanup()
    return app, warnings.getvalue()


INDEX = """# Start

```{toctree}
radweg
```

Siehe {regio:eintrag}`radweg-nord`, oder mit eigenem Text: {regio:eintrag}`den Weg <radweg-nord>`.
"""
RECORD = "# Radschnellweg Nord\n\nText.\n"


def test_a_role_shows_the_title_of_the_record_and_links_its_page(tmp_path: Path) -> None:
    src = _project(tmp_path, {"index": INDEX, "radweg": RECORD})
    app, warnings = _build(src)
    assert warnings == ""
    html = (Path(app.outdir) / "index.html").read_text(encoding="utf-8")
    assert '<a class="reference internal" href="radweg.html" title="Radschnellweg Nord">' in html
    assert '<span class="regio-ref regio-ref-eintrag">Radschnellweg Nord</span>' in html
    # an explicit text stays the writer's
    assert '<span class="pre">den</span> <span class="pre">Weg</span></code></a>' in html


def test_a_dangling_role_is_a_german_warning_at_its_line(tmp_path: Path) -> None:
    src = _project(tmp_path, {"index": "# Start\n\nZeile zwei.\n\nSiehe {regio:eintrag}`gibt-es-nicht`.\n"})
    _app, warnings = _build(src)
    assert "index.md:5: WARNING: RD201 `gibt-es-nicht` ist keine bekannte Kennung für Eintrag" in warnings
    assert "reference target not found" not in warnings


def test_a_dangling_role_fails_a_build_with_warnings_as_errors(tmp_path: Path) -> None:
    src = _project(tmp_path, {"index": "# Start\n\nSiehe {regio:partner}`niemand`.\n"})
    with pytest.raises(Exception, match="RD201"):
        _build(src, warningiserror=True, exception_on_warning=True)


def test_a_document_forgets_its_objects_and_reads_when_it_is_removed(tmp_path: Path) -> None:
    domain = RegioDomain.__new__(RegioDomain)
    domain.data = {"objects": {}, "reads": {}, "listed": {}}
    domain.note("eintrag", "a", "A", "doc-a")
    domain.note("eintrag", "b", "B", "doc-b")
    domain.reads["doc-a"] = {("regio", "eintrag", "b"): "x"}
    domain.listed["doc-a"] = ["doc-b"]
    domain.clear_doc("doc-a")
    assert domain.objects == {("eintrag", "b"): ("doc-b", "B")}
    assert domain.reads == {}
    assert domain.listed == {}


def test_parallel_workers_merge_only_their_documents(tmp_path: Path) -> None:
    domain = RegioDomain.__new__(RegioDomain)
    domain.data = {"objects": {("eintrag", "old"): ("x", "Alt")}, "reads": {}, "listed": {}}
    other = {
        "objects": {("eintrag", "a"): ("doc-a", "A"), ("eintrag", "z"): ("not-mine", "Z")},
        "reads": {"doc-a": {("regio", "eintrag", "old"): "d1"}, "not-mine": {("doc", "x"): "d2"}},
        "listed": {"doc-a": ["x"], "not-mine": ["y"]},
    }
    domain.merge_domaindata(["doc-a"], other)
    assert domain.objects == {("eintrag", "old"): ("x", "Alt"), ("eintrag", "a"): ("doc-a", "A")}
    assert domain.reads == {"doc-a": {("regio", "eintrag", "old"): "d1"}}
    assert domain.listed == {"doc-a": ["x"]}


def test_an_undeclared_kind_of_input_is_refused(tmp_path: Path) -> None:
    domain = RegioDomain.__new__(RegioDomain)
    domain.data = {"objects": {}, "reads": {}, "listed": {}}
    with pytest.raises(KeyError, match="no digest"):
        domain.note_read("doc", ("wetter", "morgen"), "x")
