"""The handbook's own theme ``regiodocs`` on KERN UX (issue 13), checked in the written HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from regiodocs.sphinxext import theme

from conftest import ROOT

RECORD = "projekte/alpha/radweg-nord.html"


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def test_the_theme_replaces_furo_and_every_copied_template() -> None:
    assert not (ROOT / "templates" / "theme-furo").exists()
    assert not (ROOT / "templates" / "sphinx").exists()
    conf = (ROOT / "conf.py").read_text(encoding="utf-8")
    assert 'html_theme = "regiodocs"' in conf and "furo" not in conf
    assert (theme.THEME_DIR / "theme.toml").read_text(encoding="utf-8").count('inherit = "basic"') == 1


def test_header_navigation_has_at_most_six_entries_and_marks_the_current_one(basis_site: Path) -> None:
    page = soup(basis_site, RECORD)
    header = page.find("header", class_="regio-kopf")
    assert header is not None and header.find(class_="kern-kopfzeile") is not None
    assert "RegioTestNetz" in header.find(class_="regio-marke").get_text()
    nav = header.find("nav", attrs={"aria-label": "Hauptnavigation"})
    links = nav.find_all("a")
    assert 1 <= len(links) <= 6
    labels = [a.get_text(strip=True) for a in links]
    assert labels[:2] == ["Projekte", "Gute Praxis"] and labels[-1] == "Suche"
    here = (basis_site / RECORD).parent
    targets = {here.joinpath(a["href"]).resolve().relative_to(basis_site.resolve()).as_posix() for a in links}
    assert {"projekte/index.html", "praxis/index.html", "search.html"} <= targets
    # no entry for a page the fixture does not have (Themen needs themen/index)
    assert all((basis_site / t).is_file() for t in targets)
    current = [a.get_text(strip=True) for a in links if a.get("aria-current")]
    assert current == ["Projekte"]
    index = soup(basis_site, "projekte/index.html").find("nav", attrs={"aria-label": "Hauptnavigation"})
    assert index.find("a", attrs={"aria-current": "page"}).get_text(strip=True) == "Projekte"
    button = nav.find("button", class_="regio-menue-knopf")
    assert button["aria-expanded"] == "false" and button["aria-controls"] == "regio-menue"
    assert button.has_attr("hidden")  # without JavaScript: the plain list


def test_header_search_sends_q_to_the_search_page(basis_site: Path) -> None:
    form = soup(basis_site, RECORD).find("header").find("form", role="search")
    assert form["action"] == "../../search.html" and form["method"] == "get"
    assert form.find("input", attrs={"name": "q"}) is not None
    assert form.find("label").get_text(strip=True) == "Handbuch durchsuchen"


def test_breadcrumbs_skip_link_main_and_footer(basis_site: Path) -> None:
    page = soup(basis_site, RECORD)
    skip = page.find("a", class_="regio-sprung")
    assert skip["href"] == "#inhalt" and skip.get_text(strip=True) == "Zum Inhalt"
    assert page.find("main", id="inhalt") is not None
    assert page.find("html")["lang"] == "de"
    crumbs = page.find("nav", class_="regio-pfad")
    assert crumbs["aria-label"] == "Brotkrümelnavigation"
    items = [li.get_text(strip=True) for li in crumbs.find_all("li")]
    assert items[0] == "Start" and items[-1] == "Radschnellweg Nord"
    assert crumbs.find("a")["href"] == "../../index.html"
    assert soup(basis_site, "index.html").find("nav", class_="regio-pfad") is None  # the start page
    footer = page.find("footer", class_="regio-fuss")
    service = {
        a.get_text(strip=True): a["href"]
        for a in footer.find("nav", class_="regio-fuss-service").find_all("a")
    }
    # the fixture has no Impressum etc.; the Feldreferenz and Open Data exist in every build
    assert service == {"Feldreferenz": "../../feldreferenz.html", "Open Data": "../../daten/index.html"}
    assert "CC-BY-4.0" in footer.get_text()


def test_footer_lists_the_service_pages_that_exist(tmp_path: Path) -> None:
    from conftest import build_site, copy_tree

    content = copy_tree("basis", tmp_path / "content")
    for name, titel in (
        ("impressum", "Impressum"),
        ("datenschutz", "Datenschutz"),
        ("ueber-uns", "Über uns"),
    ):
        (content / "seiten" / f"{name}.md").write_text(
            f"---\ntitel: {titel}\n---\n\nText.\n", encoding="utf-8"
        )
    build_site(content, tmp_path / "html")
    footer = soup(tmp_path / "html", RECORD).find("footer", class_="regio-fuss")
    service = [a.get_text(strip=True) for a in footer.find("nav", class_="regio-fuss-service").find_all("a")]
    assert service == ["Impressum", "Datenschutz", "Feldreferenz", "Open Data"]
    network = [a.get_text(strip=True) for a in footer.find("nav", class_="regio-fuss-netzwerk").find_all("a")]
    assert network == ["Über uns"]
    labels = [nav["aria-label"] for nav in soup(tmp_path / "html", RECORD).find_all("nav")]
    assert len(labels) == len(set(labels)), labels  # landmarks with unique names


def test_no_furo_no_previous_next_no_index(basis_site: Path) -> None:
    assert not (basis_site / "genindex.html").exists()
    for page in (RECORD, "index.html", "projekte/index.html", "search.html"):
        text = (basis_site / page).read_text(encoding="utf-8")
        html = BeautifulSoup(text, "html.parser")
        assert "furo" not in text.lower() and "Erstellt mit" not in text
        assert html.find("link", rel="next") is None and html.find("link", rel="prev") is None
        assert html.find(class_="related") is None and html.find(class_="sphinxsidebar") is None
        assert "genindex" not in text and "Stichwortverzeichnis" not in text


def test_kern_is_vendored_and_linked_relatively_in_the_contract_order(basis_site: Path) -> None:
    kern = basis_site / "_static" / "kern"
    assert (kern / "kern.min.css").read_bytes() == (ROOT / theme.KERN_DIST / "kern.min.css").read_bytes()
    fonts = (kern / "fonts" / "fira-sans.css").read_text(encoding="utf-8")
    referenced = set(re.findall(r'url\("\./(fira-sans/[^"]+)"\)', fonts))
    assert (
        referenced
        and {p.relative_to(kern / "fonts").as_posix() for p in (kern / "fonts").rglob("*.woff2")}
        == referenced
    )
    assert "FiraSans-Regular.woff2" in fonts and "FiraSans-Thin" not in fonts
    links = [
        link["href"].split("?")[0] for link in soup(basis_site, RECORD).find_all("link", rel="stylesheet")
    ]
    wanted = ["kern/kern.min.css", "kern/fonts/fira-sans.css", "regiodocs-farben.css", "regiodocs.css"]
    ours = [
        href.removeprefix("../../_static/") for href in links if href.removeprefix("../../_static/") in wanted
    ]
    assert ours == wanted
    assert all(href.startswith("../../_static/") for href in links)
    assert links.count("../../_static/regiodocs.css") == 1


def test_the_networks_colour_reaches_kerns_tokens(basis_site: Path) -> None:
    tokens = (basis_site / "_static" / "regiodocs-farben.css").read_text(encoding="utf-8")
    assert "--kern-color-action-default: #1a4f8b;" in tokens
    assert "--regio-farbe: #1a4f8b;" in tokens


def test_a_light_colour_is_darkened_until_it_is_readable() -> None:
    css = theme.colours_css("#f0b400")
    colour = re.search(r"--regio-farbe: (#[0-9a-f]{6});", css).group(1)
    assert colour != "#f0b400"
    assert theme.contrast(theme._rgb(colour), (1.0, 1.0, 1.0)) >= 4.5
    assert "--kern-color-action-default:" not in theme.colours_css("")
    with pytest.raises(theme.ThemeError, match="Hex-Farbe"):
        theme.colours_css("blau")


def test_missing_kern_is_a_clear_german_error(tmp_path: Path) -> None:
    with pytest.raises(theme.ThemeError, match=r"KERN UX fehlt.*npm ci"):
        theme.vendor_kern(tmp_path / "nichts", tmp_path / "ziel")


_FOREIGN = re.compile(
    r"""(?:src|href|action|srcset)\s*=\s*["']\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import""", re.I
)


def test_no_page_or_stylesheet_refers_to_another_host(basis_site: Path) -> None:
    """Nothing the browser would fetch from elsewhere: no CDN, no font service (links in the
    content to other sites are <a href> and allowed; SVG namespaces are no requests)."""
    found = []
    for path in [*basis_site.rglob("*.html"), *basis_site.rglob("*.css")]:
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"<a\s[^>]*>", "", text)  # links the reader follows are no requests
        found += [f"{path.relative_to(basis_site)}: {m.group(0)}" for m in _FOREIGN.finditer(text)]
    assert found == []


def test_interface_text_is_german(basis_site: Path) -> None:
    text = (basis_site / RECORD).read_text(encoding="utf-8")
    for english in (
        "Skip to content",
        "Main navigation",
        "Breadcrumbs",
        "Search the handbook",
        "Home<",
        "Menu<",
    ):
        assert english not in text
    for german in ("Zum Inhalt", "Hauptnavigation", "Brotkrümelnavigation", "Handbuch durchsuchen", "Menü"):
        assert german in text


def test_wide_tables_scroll_in_their_wrapper(basis_site: Path) -> None:
    tables = soup(basis_site, "status/index.html").find_all("table")
    assert tables
    assert all(
        "table-wrapper" in (t.parent.get("class") or [])
        for t in tables
        if "docutils" in (t.get("class") or [])
    )


def test_the_stylesheet_prints_a_clean_steckbrief() -> None:
    css = (theme.THEME_DIR / "static" / "regiodocs.css").read_text(encoding="utf-8")
    printing = css[css.index("@media print") :]
    for hidden in (".regio-hauptnavigation", ".regio-kopf-suche", ".regio-fuss-service", ".regio-pfad"):
        assert hidden in printing
    assert 'content: " (" attr(href) ")"' in printing
    assert "color-scheme: light" in css and "hyphens: auto" in css and "overflow-wrap: anywhere" in css
