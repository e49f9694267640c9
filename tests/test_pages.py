"""What the pages show a planner: breadcrumbs, Steckbrief and contact box, related records,
the start page's partner × field matrix, partner pages, the Feldreferenz – judged on the plan
of every content tree we have and on the written HTML."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from regiodocs import checks, model, site

from conftest import FIXTURES, ROOT, TODAY

TREES = {"basis": FIXTURES / "basis", "lhsr": FIXTURES / "lhsr", "content": ROOT / "content"}


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def content_of(name: str) -> model.Content:
    return checks.check(TREES[name], TREES[name].parent).content


def planned(name: str, *, intern: bool = False) -> dict[str, site.Page]:
    return site.plan(content_of(name), today=dt.date.fromisoformat(TODAY), intern=intern)


@pytest.mark.parametrize("tree", list(TREES))
@pytest.mark.parametrize("intern", [False, True])
def test_every_page_has_breadcrumbs_from_the_start_page_through_existing_overviews(tree: str, intern: bool):
    pages = planned(tree, intern=intern)
    assert pages["index"].trail == ()
    for name, page in pages.items():
        if name == "index":
            continue
        assert page.trail, name
        assert page.trail[0] == ("index", "Startseite"), name
        docnames = [d for d, _t in page.trail]
        assert len(set(docnames)) == len(docnames) and name not in docnames, name
        for docname, title in page.trail[1:]:
            assert docname in pages and title == pages[docname].title, (name, docname)
            assert docname.endswith("index"), (name, docname)  # only overviews are parents
        # a page lies in its parent's folder, or its parent is a hub above it
        parent = docnames[-1]
        assert (
            parent == "index"
            or name.split("/")[0] == parent.split("/")[0]
            or parent == "themen/index"
            or (parent == "plattformen/index" or parent == "projekte/index")
        ), (name, parent)


@pytest.mark.parametrize("tree", list(TREES))
def test_no_status_page_is_empty_and_status_is_a_project_matter(tree: str):
    pages = planned(tree)
    content = content_of(tree).visible(intern=False)
    used = Counter(d.data.get("status") for d in content.records.values() if d.data.get("status"))
    status_pages = {p.subject for p in pages.values() if p.kind is site.PageKind.STATUS}
    assert status_pages == set(used)
    for page in pages.values():
        if page.kind in (site.PageKind.STATUS, site.PageKind.KEYWORD):
            assert page.listed, page.docname
    assert ("status/index" in pages) == bool(used)


def test_status_ladder_marks_reached_current_and_leaves_resting_projects_off_it():
    labels = {"idee": "Idee", "umsetzung": "Umsetzung"}
    ladder = site.status_ladder("umsetzung", labels)
    assert [s["status"] for s in ladder] == list(site.LADDER)
    assert [(s["erreicht"], s["aktuell"]) for s in ladder] == [
        (True, False), (True, False), (False, True), (False, False), (False, False),
    ]  # fmt: skip
    for status in ("ruhend", "abgebrochen", None):
        assert not any(s["erreicht"] or s["aktuell"] for s in site.status_ladder(status, labels))


@pytest.mark.parametrize(
    ("number", "uri"),
    [
        ("0211 89-12345", "tel:+492118912345"),
        ("+49 (0)2131 90-0", "tel:+49213190 0".replace(" ", "")),
        ("0049 2102 550-0", "tel:+4921025500"),
        ("(02102) 100-200", "tel:+492102100200"),
        ("Zentrale", None),
        ("", None),
    ],
)
def test_phone_numbers_become_tel_links_in_international_form(number: str, uri: str | None):
    assert site.phone_uri(number) == uri


@pytest.mark.parametrize(
    ("address", "link"),
    [
        ("team@stadt-a.de", "mailto:team@stadt-a.de"),
        ("a@b.de?subject=x&bcc=spy@evil.example", None),  # not an address: no link that adds headers
        ("javascript:alert(1)@x.de", None),
        ("vor.name+regio@kreis-me.de", "mailto:vor.name%2Bregio@kreis-me.de"),
        ("", None),
    ],
)
def test_a_mailto_link_is_made_only_of_a_valid_address_and_cannot_carry_header_fields(
    address: str, link: str | None
):
    assert site.mailto(address) == link


def test_contact_shows_a_personal_name_only_with_consent():
    base = {"organisation": "Stadt A", "email": "team@stadt-a.de", "name": "Erika Muster"}
    assert site.contact(base)["name"] is None
    assert site.contact(base | {"einwilligung": True})["name"] == "Erika Muster"
    assert site.contact(base)["mailto"] == "mailto:team@stadt-a.de"
    assert site.contact(base | {"email": "team at stadt-a.de"})["mailto"] is None


def record_pages(root: Path) -> list[Path]:
    folders = ("projekte", "praxis", "ergebnisse", "foerderung", "veranstaltungen")
    return [p for f in folders for p in sorted((root / f).rglob("*.html")) if p.name != "index.html"]


def test_every_record_page_has_steckbrief_then_contact_with_mailto_and_tel_links(shipped_site: Path):
    content = content_of("content").visible(intern=False)
    checked = 0
    for doc in content.records.values():
        page = soup(shipped_site / f"{site.record_docname(doc)}.html")
        steckbrief = page.find(id="steckbrief")
        assert steckbrief is not None, doc.id
        contacts = doc.data.get("kontakt") or []
        box = page.find(id="kontakt")
        assert (box is not None) == bool(contacts), doc.id
        if not contacts:
            continue
        # the contact box follows the Steckbrief directly, before the contribution's body
        assert box.find_previous(id="steckbrief") is steckbrief
        assert not box.find_previous("h2"), doc.id
        # Sphinx cloaks addresses (mailto:a%40b.de, RFC 6068): mail programs decode them
        hrefs = [unquote(a["href"]) for a in box.find_all("a", href=True)]
        for entry in contacts:
            if entry.get("email"):
                assert f"mailto:{entry['email']}" in hrefs, doc.id
            if entry.get("telefon"):
                assert site.phone_uri(entry["telefon"]) in hrefs, doc.id
            if entry.get("name") and entry.get("einwilligung") is not True:
                assert entry["name"] not in box.get_text(), doc.id
        checked += 1
    assert checked >= 5


def test_related_records_appear_once_each_as_cards_grouped_by_type(shipped_site: Path):
    content = content_of("content").visible(intern=False)
    pages = site.plan(content, today=dt.date.fromisoformat(TODAY))
    seen_groups = 0
    for doc in content.records.values():
        page = pages[site.record_docname(doc)]
        groups = page.context["verwandt"]
        ids = [s["id"] for g in groups for s in g["eintraege"]]
        assert len(ids) == len(set(ids)) and doc.id not in ids, doc.id
        html = soup(shipped_site / f"{page.docname}.html")
        heading = html.find(
            lambda t: t.name == "h2" and t.get_text(strip=True).startswith("Verwandte Einträge")
        )
        assert (heading is not None) == bool(groups), doc.id
        if not groups:
            continue
        seen_groups += 1
        section = heading.find_parent("section")
        titles = [h.get_text(strip=True).rstrip("¶#") for h in section.find_all("h3")]
        assert titles == [g["titel"] for g in groups], doc.id
        cards = section.select(".sd-card")
        assert len(cards) == len(ids), doc.id
    assert seen_groups >= 3


def test_a_documented_failure_is_marked_before_the_steckbrief(shipped_site: Path):
    content = content_of("content").visible(intern=False)
    failures = [d for d in content.records.values() if d.data.get("negativbeispiel") is True]
    assert failures, "the shipped content documents a failure"
    for doc in content.records.values():
        page = soup(shipped_site / f"{site.record_docname(doc)}.html")
        warning = page.find(lambda t: t.name == "p" and t.get_text(strip=True) == "Dokumentiertes Scheitern")
        assert (warning is not None) == (doc in failures), doc.id
        if warning is not None:
            assert warning.find_next(id="steckbrief") is not None


def test_event_and_funding_steckbrief_have_one_row_per_fact_and_no_raw_urls(shipped_site: Path):
    content = content_of("content").visible(intern=False)
    for doc in content.records.values():
        steckbrief = soup(shipped_site / f"{site.record_docname(doc)}.html").find(id="steckbrief")
        terms = [dt_.get_text(strip=True) for dt_ in steckbrief.find_all("dt")]
        assert len(terms) == len(set(terms)), (doc.id, terms)
        assert all(terms), doc.id
        for a in steckbrief.find_all("a", href=True):
            if a["href"].startswith("http"):
                assert a.get_text(strip=True) != a["href"], doc.id  # a long URL is never the link text


def test_start_page_matrix_counts_records_per_partner_and_field_and_links_to_the_faceted_search(
    shipped_site: Path,
):
    content = content_of("content").visible(intern=False)
    expected: Counter[tuple[str, str]] = Counter()
    for doc in content.records.values():
        for pid in set(model.partner_ids(doc.data)) & set(content.partner):
            for fid in set(doc.data.get("handlungsfelder") or ()):
                expected[(pid, fid)] += 1
    table = soup(shipped_site / "index.html").find("table", class_="regio-matrix")
    assert table is not None
    found: Counter[tuple[str, str]] = Counter()
    for a in table.find_all("a", href=True):
        url = urlsplit(a["href"])
        if url.path != "search.html":
            continue
        query = parse_qs(url.query)
        if "feld" in query:
            found[(query["partner"][0], query["feld"][0])] = int(a.get_text())
    assert found == +expected
    start = soup(shipped_site / "index.html").find("main") or soup(shipped_site / "index.html")
    text = start.get_text(" ", strip=True)
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s) > 40]
    assert len(sentences) == len(set(sentences)), "the start page repeats itself"


def test_partner_page_shows_facts_and_every_record_under_its_fields(shipped_site: Path):
    content = content_of("content").visible(intern=False)
    for pid, partner in content.partner.items():
        page = soup(shipped_site / f"partner/{pid}.html")
        facts = page.find(id="steckbrief").get_text(" ", strip=True)
        if partner.data.get("ags"):
            assert partner.data["ags"] in facts
        if partner.data.get("mitglied_seit"):
            assert str(partner.data["mitglied_seit"]) in facts
        own = {d.id for d in content.records.values() if pid in model.partner_ids(d.data)}
        linked = set()
        for a in page.select("main a[href], article a[href]"):
            target = (shipped_site / "partner" / a["href"].split("#")[0]).resolve()
            if target.stem in content.records:
                linked.add(target.stem)
        assert linked >= own, (pid, own - linked)


def test_feldreferenz_has_a_collapsible_section_per_type_and_no_literal_markdown(shipped_site: Path):
    page = soup(shipped_site / "feldreferenz.html")
    main = page.find("main") or page
    details = main.find_all("details")
    assert len(details) >= len(model.RECORD_TYPES)
    for code in main.find_all(["code", "pre"]):
        code.decompose()
    assert "`" not in main.get_text(), "literal Markdown backticks in the Feldreferenz"
    assert not main.find("table"), "fields are a list, not a table that scrolls sideways"


def test_hub_and_open_data_pages_exist_and_link_where_they_say(shipped_site: Path):
    themen = soup(shipped_site / "themen/index.html")
    hrefs = {a["href"] for a in themen.find_all("a", href=True)}
    for target in (
        "../handlungsfelder/index.html",
        "../herausforderungen/index.html",
        "../foerderung/index.html",
    ):
        assert target in hrefs
    daten = soup(shipped_site / "daten/index.html").get_text(" ", strip=True)
    assert "Feldreferenz" in daten and "Interne Einträge sind nie enthalten" in daten


# ---------------------------------------------------------------- values that try to leave their place

#: A value that ends the block it stands in and opens directives that read files, write HTML or
#: load from another host (found by an independent attack on the start page's matrix).
ESCAPES = [
    'Fence\n```\n\n```{literalinclude} /etc/hostname\n```\n\n```{raw} html\n<img src="https://tracker.example.org/p.gif">\n```\n',
    "Zaun\n:::\n\n:::{raw} html\n<script>alert(1)</script>\n:::\n",
    'Quote " onmouseover="alert(1)" <img src=x onerror=alert(1)> `code` {raw}`html <b>x</b>`',
    "Tabelle | mit | Pipes\n\n| a | b |\n|---|---|\n| <iframe> | [x](javascript:alert(1)) |",
]


def _written(root: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.html")))


@pytest.mark.parametrize("where", ["partner", "handlungsfeld", "bezeichnung"])
def test_a_registry_value_never_leaves_its_place_in_a_template(tmp_path: Path, where: str):
    import yaml

    from conftest import build_site, copy_tree

    content = copy_tree("basis", tmp_path / "content")
    hostname = (
        Path("/etc/hostname").read_text(encoding="utf-8").strip() if Path("/etc/hostname").exists() else ""
    )
    for n, value in enumerate(ESCAPES):
        if where == "partner":
            path = content / "partner/alpha.yaml"
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            data["name"] = value
        else:
            path = content / "netzwerk.yaml"
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            if where == "handlungsfeld":
                data["handlungsfelder"][0]["titel"] = value
            else:
                data.setdefault("bezeichnungen", {})["handlungsfelder"] = value
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        out = tmp_path / f"html-{n}"
        result = build_site(content, out, check=False)
        assert "Traceback" not in result.stdout + result.stderr
        if result.returncode != 0:  # refused: in German, and nothing published
            assert not out.exists()
            continue
        html = _written(out)
        soup_all = BeautifulSoup(html, "html.parser")
        assert not soup_all.find("iframe") and not soup_all.find("img", src=re.compile("^https?:"))
        for script in soup_all.find_all("script"):
            if script.get("type") == "application/json":  # data: escaped, it cannot end its element
                assert "<" not in script.get_text(), script
            else:
                assert script.get("src") or "alert" not in script.get_text(), script
        handlers = [
            (t.name, a) for t in soup_all.find_all(True) for a in t.attrs if a.lower().startswith("on")
        ]
        assert handlers == []
        urls = [
            v for t in soup_all.find_all(True) for a, v in t.attrs.items() if a in ("href", "src", "action")
        ]
        assert not [u for u in urls if str(u).strip().lower().startswith(("javascript:", "data:"))]
        if hostname and len(hostname) > 3:
            assert f">{hostname}<" not in html and f"{hostname}\n</pre>" not in html


def test_templates_may_not_read_files_or_write_raw_html_even_with_their_trust(tmp_path: Path):
    from conftest import copy_tree, run_regiodocs

    content = copy_tree("basis", tmp_path / "content")
    project = tmp_path / "projekt"
    shutil.copytree(ROOT / "templates", project / "templates")
    (project / "conf.py").write_text((ROOT / "conf.py").read_text(encoding="utf-8"), encoding="utf-8")
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    start = project / "templates/regiodocs/start.md.j2"
    start.write_text(
        start.read_text(encoding="utf-8")
        + "\n```{raw} html\n<b>roh</b>\n```\n\n```{include} /etc/hostname\n```\n",
        encoding="utf-8",
    )
    out = tmp_path / "html"
    result = run_regiodocs(
        "build", "--inhalt", str(content), "--ziel", str(out), "--arbeit", str(tmp_path / "arbeit"),
        "-j", "1", "-q", "-D", f"regiodocs_heute={TODAY}", cwd=project,
    )  # fmt: skip
    text = result.stdout + result.stderr
    assert result.returncode != 0, text
    assert "Die Direktive `raw`" in text or "`raw`" in text, text
    assert "Traceback" not in text
    assert not out.exists()
