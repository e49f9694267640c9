"""The built handbook: pages, overview lists, visibility, parallel and incremental builds."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from bs4 import BeautifulSoup

from regiodocs import checks, site
from regiodocs.sphinxext import workers

from conftest import FIXTURES, ROOT, STRICT_WARNINGS, TODAY, build_site, copy_tree, run_regiodocs

MARKER = "Geheimwortzebra"  # appears only in the intern fixture record


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def listed_records(page: Path) -> set[str]:
    """Ids of the record pages an overview page links to (inside its main content)."""
    main = soup(page).find("article") or soup(page)
    ids = set()
    for a in main.find_all("a", href=True):
        href = a["href"].split("#")[0]
        if not href.endswith(".html") or "://" in href:
            continue
        target = (page.parent / href).resolve()
        parts = target.parts
        for folder in ("projekte", "praxis", "ergebnisse", "foerderung", "veranstaltungen"):
            if folder in parts and target.name != "index.html":
                ids.add(target.stem)
    return ids


def expected_records(predicate) -> set[str]:
    content = checks.check(FIXTURES / "basis", FIXTURES).content.visible(intern=False)
    return {d.id for d in content.records.values() if predicate(d)}


def test_every_public_record_has_a_page_at_a_stable_url(basis_site: Path):
    content = checks.check(FIXTURES / "basis", FIXTURES).content
    for doc in content.records.values():
        page = basis_site / f"{site.record_docname(doc)}.html"
        assert page.exists() == doc.public, page
    assert (basis_site / "projekte/alpha/radweg-nord.html").exists()


def test_record_page_shows_steckbrief_and_body(basis_site: Path):
    page = soup(basis_site / "projekte/alpha/radweg-nord.html")
    text = page.get_text(" ", strip=True)
    assert page.find(class_="regio-steckbrief") is not None
    assert "Federführung" in text and "Stand" in text
    assert page.find("h1").get_text(strip=True).startswith("Radschnellweg Nord")


def test_overview_pages_list_exactly_the_right_records(basis_site: Path):
    assert listed_records(basis_site / "partner/alpha.html") == expected_records(
        lambda d: (
            "alpha"
            in [
                d.data.get("federfuehrung"),
                *(d.data.get("beteiligte") or []),
                *(d.data.get("partner") or []),
                d.data.get("gastgeber"),
                *(d.data.get("teilnehmende") or []),
            ]
        )
    )
    assert listed_records(basis_site / "handlungsfelder/mobilitaet.html") == expected_records(
        lambda d: "mobilitaet" in (d.data.get("handlungsfelder") or [])
    )
    assert listed_records(basis_site / "status/planung.html") == expected_records(
        lambda d: d.data.get("status") == "planung"
    )
    assert listed_records(basis_site / "projekte/index.html") == expected_records(
        lambda d: d.kind == "projekt"
    )


def test_intern_record_leaves_no_trace_in_the_public_build(basis_site: Path):
    for file in basis_site.rglob("*"):
        if file.is_file():
            assert MARKER.encode() not in file.read_bytes(), file
            assert b"intern-vorhaben" not in file.read_bytes(), file


def test_intern_edition_contains_the_intern_record_and_says_so(basis_intern_site: Path):
    page = basis_intern_site / "projekte/alpha/intern-vorhaben.html"
    assert MARKER in page.read_text(encoding="utf-8")
    links = [
        a["href"] for a in soup(page).find_all("a", href=True) if a["href"].endswith("/intern-lageplan.pdf")
    ]
    assert len(links) == 1, links  # the intern record's document is offered as a download …
    download = (page.parent / links[0]).resolve()
    assert download.parent.parent == (basis_intern_site / "_downloads").resolve()
    # … and the download is the content's file
    assert download.read_bytes() == (FIXTURES / "basis/medien/intern-lageplan.pdf").read_bytes()
    for html in [basis_intern_site / "index.html", page]:
        assert "Interne Ausgabe" in html.read_text(encoding="utf-8")


def test_second_network_builds_with_its_own_registries(tmp_path: Path):
    content = copy_tree("lhsr", tmp_path / "content")
    build_site(content, tmp_path / "html")
    start = (tmp_path / "html/index.html").read_text(encoding="utf-8")
    assert "Zukunftsfelder" in start
    assert (tmp_path / "html/partner/rhein-kreis-neuss.html").exists()


def html_files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in root.rglob("*.html")}


def test_parallel_build_equals_serial_build(tmp_path: Path):
    content = copy_tree("basis", tmp_path / "content")
    build_site(content, tmp_path / "serial", jobs="1")
    build_site(content, tmp_path / "parallel", jobs="2")
    serial, parallel = html_files(tmp_path / "serial"), html_files(tmp_path / "parallel")
    assert serial.keys() == parallel.keys()
    assert [k for k in serial if serial[k] != parallel[k]] == []


def all_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_parallel_build_that_reads_in_workers_equals_a_serial_build_byte_for_byte(tmp_path: Path):
    """Enough pages that the parallel build reads them in two worker processes (each its own
    chunk of every second page, :func:`regiodocs.sphinxext.workers.read_chunks`) and writes them
    in Sphinx's chunks: every file of the site is the serial build's."""
    sys.path.insert(0, str(ROOT / "bench"))
    import synthetic

    content = synthetic.generate(tmp_path / "content", 60)
    build_site(content, tmp_path / "serial", jobs="1")
    build_site(content, tmp_path / "parallel", jobs="2")
    # serial, keeping none of the doctrees it read: every page is read from its file to be written
    build_site(content, tmp_path / "knapp", jobs="1", extra=["-D", "regiodocs_lesepuffer=0"])
    one, two = all_files(tmp_path / "serial"), all_files(tmp_path / "parallel")
    assert len([name for name in one if name.endswith(".html")]) > 2 * workers.SERIAL_READ_BELOW
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []
    assert all_files(tmp_path / "knapp") == one


def test_each_read_worker_gets_one_chunk_of_every_nth_page_and_writing_keeps_sphinxs_chunks():
    from sphinx.util.parallel import make_chunks

    chunks = workers.read_chunks(make_chunks)
    pages = [f"seite-{i:03}" for i in range(100)]
    assert chunks(pages, 2) == make_chunks(pages, 2)  # not reading: Sphinx's own
    assert len(make_chunks(pages, 2)) > 2
    workers._reading[0] = True
    try:
        assert chunks(pages, 2) == [pages[0::2], pages[1::2]]
        assert chunks(pages, 3) == [pages[0::3], pages[1::3], pages[2::3]]
        assert chunks(pages[:1], 2) == make_chunks(pages[:1], 2)
    finally:
        workers._reading[0] = False


def test_incremental_build_updates_lists_and_leaves_unrelated_pages(tmp_path: Path):
    content = copy_tree("basis", tmp_path / "content")
    out, work = tmp_path / "html", tmp_path / "arbeit"
    build_site(content, out, work=work)
    built = work / "html" / "html"
    before = {p: p.stat().st_mtime_ns for p in built.rglob("*.html")}
    record = content / "projekte/alpha/radweg-nord.md"
    assert "status: umsetzung" in record.read_text(encoding="utf-8"), "fixture changed"
    record.write_text(
        record.read_text(encoding="utf-8").replace("status: umsetzung", "status: abgeschlossen"),
        encoding="utf-8",
    )
    build_site(content, out, work=work)
    assert "radweg-nord" in listed_records(out / "status/abgeschlossen.html")
    # it was the only project in umsetzung: that status has no page any more (no empty pages)
    assert not (out / "status/umsetzung.html").exists()
    assert "status/umsetzung.html" not in (out / "status/index.html").read_text(encoding="utf-8")
    rewritten = {
        p.relative_to(built).as_posix() for p, t in before.items() if p.exists() and p.stat().st_mtime_ns != t
    }
    assert "status/index.html" in rewritten
    assert "projekte/alpha/radweg-nord.html" in rewritten
    assert "veranstaltungen/salon-1.html" in rewritten  # it names the project
    unrelated = {
        "handlungsfelder/siedlungsentwicklung.html",
        "schlagworte/wohnen.html",
        "schlagworte/flaechenrecycling.html",
    }
    assert unrelated.isdisjoint(rewritten), sorted(rewritten)

    (content / "veranstaltungen/salon-1.md").unlink()
    build_site(content, out, work=work)
    assert not (out / "veranstaltungen/salon-1.html").exists()
    for html in out.rglob("*.html"):
        assert "salon-1.html" not in html.read_text(encoding="utf-8"), html


def test_content_error_fails_the_build_and_keeps_the_published_site(tmp_path: Path):
    content = copy_tree("basis", tmp_path / "content")
    out = tmp_path / "html"
    build_site(content, out)
    index = (out / "index.html").read_bytes()
    record = content / "projekte/alpha/radweg-nord.md"
    record.write_text(
        record.read_text(encoding="utf-8").replace("status: umsetzung", "status: geplant"),
        encoding="utf-8",
    )
    result = build_site(content, out, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "radweg-nord.md:" in result.stderr + result.stdout and "RD104" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    assert (out / "index.html").read_bytes() == index


def test_listing_directive_filters_and_reports_bad_filters_at_their_line(tmp_path: Path):
    content = copy_tree("basis", tmp_path / "content")
    page = content / "seiten/mobil-liste.md"
    page.write_text(
        "# Mobil\n\nText.\n\n:::{regio-liste}\n:typ: projekt\n:handlungsfeld: mobilitaet\n"
        ":darstellung: tabelle\n:::\n",
        encoding="utf-8",
    )
    build_site(content, tmp_path / "html")
    assert listed_records(tmp_path / "html/seiten/mobil-liste.html") == expected_records(
        lambda d: d.kind == "projekt" and "mobilitaet" in (d.data.get("handlungsfelder") or [])
    )
    page.write_text("# Mobil\n\nText.\n\n:::{regio-liste}\n:partner: gibtsnicht\n:::\n", encoding="utf-8")
    result = build_site(content, tmp_path / "html2", check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "seiten/mobil-liste.md:5" in result.stderr + result.stdout, result.stderr


def test_shipped_handbook_builds(shipped_site: Path):
    start = (shipped_site / "index.html").read_text(encoding="utf-8")
    for number in ("150.000", "140.000", "2035"):
        assert number in start
    assert (shipped_site / "plattformen/klimafolgenanpassung.html").exists()
    assert not list(shipped_site.rglob("wohnbauflaechen-standortpruefung*"))


def test_public_build_copies_no_media_of_intern_records(basis_site: Path):
    assert not list(basis_site.rglob("intern-lageplan*"))


def test_source_folder_outside_regiodocs_is_never_overwritten(tmp_path: Path):
    work = tmp_path / "arbeit"
    (work / "html" / "quellen").mkdir(parents=True)
    precious = work / "html" / "quellen" / "wichtig.txt"
    precious.write_text("nicht löschen", encoding="utf-8")
    result = build_site(FIXTURES / "basis", tmp_path / "html", work=work, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert precious.read_text(encoding="utf-8") == "nicht löschen"
    assert "gehört nicht regiodocs" in result.stderr + result.stdout
    shutil.rmtree(work)


def test_interface_strings_are_german(basis_site: Path):
    for page in ("index.html", "projekte/alpha/radweg-nord.html", "search.html"):
        html = (basis_site / page).read_text(encoding="utf-8")
        for english in ("Skip to content", "Toggle ", "Made with", "Link to this heading", "Light mode"):
            assert english not in html, (page, english)
        assert 'lang="de"' in html


def test_check_and_builds_use_no_deprecated_sphinx_api(tmp_path: Path):
    """Deprecated APIs (e.g. ``env.app``) turned into errors: check, public and intern build still pass."""
    content = copy_tree("basis", tmp_path / "content")
    strict = {"PYTHONWARNINGS": STRICT_WARNINGS}
    checked = run_regiodocs("check", "--inhalt", str(content), env=strict)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    for intern in (False, True):
        out = tmp_path / f"html-{intern}"
        args = ["build", "--inhalt", str(content), "--ziel", str(out), "-j", "2", "-q"]
        args += ["--arbeit", str(tmp_path / f"arbeit-{intern}"), "-D", f"regiodocs_heute={TODAY}"]
        result = run_regiodocs(*args, *(["--intern"] if intern else []), env=strict)
        assert result.returncode == 0, result.stdout + result.stderr
        assert (out / "index.html").is_file()
