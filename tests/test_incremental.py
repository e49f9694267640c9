"""Incremental builds equal clean builds: random realistic edits, compared byte for byte.

After every edit the incremental build's published site is compared, file by file and byte
for byte, with a clean build of the same content (nothing normalised: builds are
deterministic for a fixed ``regiodocs_heute``). An edit that makes the content invalid
must fail the build and leave the published site exactly as it was. ``make incremental``
runs the same with 200 edits (``tests/incremental.py``).
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from incremental import KINDS, Project, Run, differences

from conftest import FIXTURES, ROOT, TODAY

SEEDS = (7, 2026)


@pytest.mark.parametrize("seed", SEEDS)
def test_incremental_build_equals_clean_build_after_every_edit(tmp_path: Path, seed: int) -> None:
    run = Run(ROOT, FIXTURES / "basis", tmp_path, seed, TODAY)
    run.start()
    kinds = list(KINDS)
    random.Random(seed).shuffle(kinds)  # every kind of edit once, in an order of the seed
    built = 0
    for number, kind in enumerate(kinds, 1):
        step = run.step(kind)
        assert step.differences == [], f"edit {number} ({step.edit.text}): {step.differences}"
        built += step.built
    assert built >= len(kinds) - 2, "most edits must leave valid content, or the test proves little"


def test_a_renamed_record_title_reaches_a_free_page_that_names_it(tmp_path: Path) -> None:
    """The defect of issue 12: the role's text is the record's title, read late from the domain."""
    run = Run(ROOT, FIXTURES / "basis", tmp_path, 1, TODAY)
    page = run.content / "seiten" / "uebersicht.md"
    page.write_text(
        "---\ntitel: Übersicht\n---\n\nDer {regio:eintrag}`radweg-nord` ist das größte Vorhaben.\n",
        encoding="utf-8",
    )
    run.start()
    record = run.content / "projekte" / "alpha" / "radweg-nord.md"
    record.write_text(
        record.read_text(encoding="utf-8").replace("titel: Radschnellweg Nord", "titel: Veloroute Nord"),
        encoding="utf-8",
    )
    assert run.build(run.published, run.work, "2") == 0
    html = (run.published / "seiten" / "uebersicht.html").read_text(encoding="utf-8")
    assert "Veloroute Nord" in html
    assert "Radschnellweg Nord" not in html
    assert differences(run.published, run.clean()) == []


def test_a_listing_follows_a_record_that_gains_its_keyword(tmp_path: Path) -> None:
    run = Run(ROOT, FIXTURES / "basis", tmp_path, 1, TODAY)  # the overview lists keyword Radverkehr
    run.start()
    listed = (run.published / "seiten" / "uebersicht.html").read_text(encoding="utf-8")
    assert "Quartier Süd" not in listed
    record = run.content / "projekte" / "beta" / "quartier-sued.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("[Wohnen, Flächenrecycling]", "[Wohnen, Radverkehr]"), encoding="utf-8")
    assert run.build(run.published, run.work, "2") == 0
    assert "Quartier Süd" in (run.published / "seiten" / "uebersicht.html").read_text(encoding="utf-8")
    assert differences(run.published, run.clean()) == []


def test_an_edit_that_breaks_the_content_leaves_the_published_site_as_it_was(tmp_path: Path) -> None:
    run = Run(ROOT, FIXTURES / "basis", tmp_path, 1, TODAY)
    run.start()
    record = run.content / "foerderung" / "programm-a.yaml"  # radweg-nord names it: intern is an error
    record.write_text(record.read_text(encoding="utf-8") + "sichtbarkeit: intern\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in run.published.resolve().rglob("*.html")}
    assert run.build(run.published, run.work, "2") == 1
    assert {p.name: p.read_bytes() for p in run.published.resolve().rglob("*.html")} == before


def test_the_edits_are_what_a_contributor_writes(tmp_path: Path) -> None:
    """The generator itself: every kind changes the content, and the content stays loadable."""
    import shutil

    from regiodocs import checks

    shutil.copytree(FIXTURES / "basis", tmp_path / "content")
    project = Project(tmp_path / "content", 3)
    for kind in KINDS:
        before = {p: p.read_bytes() for p in (tmp_path / "content").rglob("*") if p.is_file()}
        edit = project.edit(kind)
        after = {p: p.read_bytes() for p in (tmp_path / "content").rglob("*") if p.is_file()}
        assert after != before, f"{kind}: {edit.text} changed nothing"
    result = checks.check(tmp_path / "content", ROOT, bodies=False)
    assert [f for f in result.errors if f.code.value not in ("RD201", "RD210")] == []


def test_a_retitled_free_page_reaches_the_navigation_of_every_page(tmp_path: Path) -> None:
    """Sphinx writes only what it read; the sidebar on every page names the free pages."""
    run = Run(ROOT, FIXTURES / "basis", tmp_path, 1, TODAY)
    run.start()
    page = run.content / "seiten" / "uebersicht.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("titel: Übersicht Radverkehr", "titel: Überblick Rad"),
        encoding="utf-8",
    )
    assert run.build(run.published, run.work, "2") == 0
    other = (run.published / "projekte" / "alpha" / "radweg-nord.html").read_text(encoding="utf-8")
    assert "Überblick Rad" in other
    assert "Übersicht Radverkehr" not in other
    assert differences(run.published, run.clean()) == []


def _png(rgb: tuple[int, int, int]) -> bytes:
    """A valid 1×1 PNG of one colour."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + bytes(rgb))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _add_image(record: Path, path: str, alt: str, before: str) -> None:
    text = record.read_text(encoding="utf-8")
    entry = f"bilder:\n  - datei: {path}\n    alt: {alt}\n    bildnachweis: Stadt Alpha\n{before}"
    record.write_text(text.replace(before, entry, 1), encoding="utf-8")


def test_two_images_of_the_same_name_in_different_folders_keep_their_names(tmp_path: Path) -> None:
    """Found by the attack round: Sphinx numbers clashing image names in reading order."""
    run = Run(ROOT, FIXTURES / "basis", tmp_path, 1, TODAY)
    (run.content / "medien" / "b").mkdir()
    (run.content / "medien" / "b" / "bild.png").write_bytes(_png((0, 0, 255)))
    record = run.content / "projekte" / "alpha" / "radweg-nord.md"
    _add_image(record, "medien/b/bild.png", "Blau", "verwandt:")
    run.start()
    (run.content / "medien" / "a").mkdir()
    (run.content / "medien" / "a" / "bild.png").write_bytes(_png((255, 0, 0)))
    _add_image(run.content / "praxis" / "gute-sache.md", "medien/a/bild.png", "Rot", "stand:")
    assert run.build(run.published, run.work, "2") == 0
    assert differences(run.published, run.clean()) == []


def test_a_folder_left_empty_by_a_moved_record_is_removed(tmp_path: Path) -> None:
    run = Run(ROOT, FIXTURES / "basis", tmp_path, 1, TODAY)
    run.start()
    old = run.content / "projekte" / "alpha" / "radweg-nord.md"
    text = old.read_text(encoding="utf-8").replace("federfuehrung: alpha", "federfuehrung: beta")
    (run.content / "projekte" / "beta" / "radweg-nord.md").write_text(
        text.replace("beteiligte: [beta]", "beteiligte: [alpha]"), encoding="utf-8"
    )
    old.unlink()
    assert run.build(run.published, run.work, "2") == 0
    assert not (run.published / "projekte" / "alpha").exists()
    assert differences(run.published, run.clean()) == []


def test_a_free_page_title_that_changes_only_its_markup_reaches_the_navigation(tmp_path: Path) -> None:
    run = Run(ROOT, FIXTURES / "basis", tmp_path, 1, TODAY)
    page = run.content / "seiten" / "mitmachen.md"
    page.write_text("# Mitmachen\n\nText.\n", encoding="utf-8")
    run.start()
    page.write_text("# *Mitmachen*\n\nText.\n", encoding="utf-8")
    assert run.build(run.published, run.work, "2") == 0
    assert differences(run.published, run.clean()) == []


def test_a_link_without_text_shows_the_page_title_and_follows_it(tmp_path: Path) -> None:
    run = Run(ROOT, FIXTURES / "basis", tmp_path, 1, TODAY)
    record = run.content / "praxis" / "gute-sache.md"
    record.write_text(
        record.read_text(encoding="utf-8") + "\nMehr: [](../seiten/uebersicht.md).\n", encoding="utf-8"
    )
    run.start()
    html = (run.published / "praxis" / "gute-sache.html").read_text(encoding="utf-8")
    assert '<span class="doc">Übersicht Radverkehr</span>' in html
    page = run.content / "seiten" / "uebersicht.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("Übersicht Radverkehr", "Radverkehr im Überblick"),
        encoding="utf-8",
    )
    assert run.build(run.published, run.work, "2") == 0
    html = (run.published / "praxis" / "gute-sache.html").read_text(encoding="utf-8")
    assert '<span class="doc">Radverkehr im Überblick</span>' in html
    assert differences(run.published, run.clean()) == []


def test_a_link_to_a_section_of_another_page_is_reported_not_dropped(tmp_path: Path) -> None:
    import shutil

    from regiodocs import checks

    shutil.copytree(FIXTURES / "basis", tmp_path / "content")
    record = tmp_path / "content" / "praxis" / "gute-sache.md"
    text = record.read_text(encoding="utf-8")
    record.write_text(text + "\nSiehe [dort](../projekte/alpha/radweg-nord.md#ziele).\n", encoding="utf-8")
    line = len(text.splitlines()) + 2
    result = checks.check(tmp_path / "content", ROOT, today=dt.date.fromisoformat(TODAY))
    found = [(f.line, f.code.value) for f in result.errors if f.file.endswith("gute-sache.md")]
    assert found == [(line, "RD303")]
    assert "Sprungmarken auf einer anderen Seite (`#ziele`)" in result.errors[0].message


def test_a_reordered_registry_reaches_the_lists_and_facets_that_show_its_order(tmp_path: Path) -> None:
    """The fingerprint keeps the order of the context (it sorted keys: a registry's order was lost)."""
    from incremental import reorder

    run = Run(ROOT, FIXTURES / "basis", tmp_path, 1, TODAY)
    run.start()
    network = run.content / "netzwerk.yaml"
    network.write_text(reorder(network.read_text(encoding="utf-8"), "handlungsfelder", random.Random(1)))
    assert run.build(run.published, run.work, "2") == 0
    assert differences(run.published, run.clean()) == []
