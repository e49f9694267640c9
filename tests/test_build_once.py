"""`regiodocs build` loads and checks the content once and plans each plan once.

The build judges bodies before Sphinx starts (which plans the whole content to know every
target), then Sphinx's ``config-inited`` (``sphinxext.extension.prepare``) checks and plans the
edition: in the same process both are served from what the build has (``checks._LAST``,
``site._PLANS``) – a plain ``sphinx-build`` still checks and plans itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from regiodocs import building, loading, site

from conftest import ROOT, TODAY, copy_tree


def _counted(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[object]:
    calls: list[object] = []
    original = getattr(owner, name)

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(kwargs.get("intern", args[2] if len(args) > 2 else None))
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    return calls


def test_a_build_loads_once_and_plans_the_whole_content_and_the_edition_once_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = copy_tree("basis", tmp_path / "content")
    record = content / "projekte" / "alpha" / "radweg-nord.md"
    # a reference in a body: the check judges it against every target of the content
    record.write_text(
        record.read_text(encoding="utf-8") + "\nPartner: {regio:partner}`alpha`.\n", encoding="utf-8"
    )
    monkeypatch.setenv("REGIODOCS_CACHE", str(tmp_path / "cache"))  # cold: the bodies are parsed
    monkeypatch.setattr(site, "_PLANS", [], raising=False)
    loads = _counted(monkeypatch, loading, "load")
    plans: list[bool] = []
    original = site._Planner.pages

    def pages(self: site._Planner) -> object:
        plans.append(self.intern)
        return original(self)

    monkeypatch.setattr(site._Planner, "pages", pages)
    out = tmp_path / "html"
    status = building.build(
        ROOT,
        content=content,
        outdir=out,
        jobs="1",
        quiet=True,
        workdir=tmp_path / "arbeit",
        extra=["-D", f"regiodocs_heute={TODAY}"],
    )
    assert status == 0
    assert (out / "index.html").is_file()
    assert len(loads) == 1
    # the whole content (bodies' anchors and targets) and the public edition: one plan each
    assert sorted(plans) == [False, True]
