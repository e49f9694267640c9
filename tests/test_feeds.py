"""Following the handbook without visiting it: Atom feeds and iCalendar calendars.

Real releases and builds of the fixture network (``regiodocs`` in a subprocess): edition
2026-1 of state A and 2026-2 of state B (a project's status changed, an event moved, a record
added, an intern record changed), each with its own ``SOURCE_DATE_EPOCH``; state A released a
second time into another folder; the internal edition and a plain build of state B. Every feed
and every calendar found in an output folder is parsed (``feedparser``, ``icalendar``): the
files are found by walking the folder, never listed by hand.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import feedparser
import icalendar
import pytest
from bs4 import BeautifulSoup

from regiodocs import checks, feeds, model, site, topics
from regiodocs.sphinxext import subscriptions

from conftest import CLEAN_DOMAIN, ROOT, TODAY, build_site, clean_tree, run_regiodocs

BASE = f"https://handbuch.{CLEAN_DOMAIN}/ausgaben/"
EPOCH_1 = int(dt.datetime(2026, 11, 1, tzinfo=dt.UTC).timestamp())
EPOCH_2 = int(dt.datetime(2026, 11, 22, 6, tzinfo=dt.UTC).timestamp())
MARKER = "Geheimwortzebra"  # only in the intern fixture record
INTERN_TITLE = "Internes Vorhaben Flächentausch"
#: A title and a place with characters that Atom (XML) and iCalendar (``,;\\``) must escape.
WORKSHOP_TITLE = "Werkstatt „Radverkehr“ & <Pendeln>"
WORKSHOP_PLACE_A = "Rathaus Beta; Saal 2, 1. OG"
WORKSHOP_PLACE_B = "Rathaus Beta; Saal 3, 2. OG"
AGREEMENT = "Bericht an die Beigeordnetenkonferenz vorbereiten"
NO_PROXY = ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY")


# ---------------------------------------------------------------- content


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {path} has no {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def state_a(target: Path) -> Path:
    """The basis network as the release gate passes it, with a second event, a dated funding
    deadline and an open agreement with a date."""
    body = "Angaben der Geschäftsstelle, geprüft am 1. November 2026."
    content = clean_tree(target, f"---\ntitel: {{title}}\n---\n\n# {{title}}\n\n{body}\n")
    (content / "veranstaltungen/werkstatt-2.md").write_text(
        f"""---
titel: "{WORKSHOP_TITLE}"
format: workshop
datum: 2026-12-03
ort: "{WORKSHOP_PLACE_A}"
gastgeber: beta
kurzbeschreibung: Werkstatt zu Radverkehr und Pendeln zwischen Stadt und Kreis.
stand: 2026-10-20
---

Die Werkstatt beginnt um 10 Uhr.
""",
        encoding="utf-8",
    )
    edit(content / "foerderung/programm-a.yaml", "frist: laufend", "frist: 2027-01-31")
    edit(
        content / "ergebnisse/mobil/treffen-1.yaml",
        f"  - was: {AGREEMENT}\n    wer: geschaeftsstelle\n",
        f"  - was: {AGREEMENT}\n    wer: geschaeftsstelle\n    bis: 2026-12-15\n",
    )
    return content


def to_state_b(content: Path) -> None:
    """A project's status changed, the workshop moved, a record added, an intern record changed."""
    project = content / "projekte/alpha/radweg-nord.md"
    edit(project, "status: umsetzung", "status: abgeschlossen")
    edit(project, "stand: 2026-10-01", "stand: 2026-11-20")
    workshop = content / "veranstaltungen/werkstatt-2.md"
    edit(workshop, WORKSHOP_PLACE_A, WORKSHOP_PLACE_B)
    edit(workshop, "stand: 2026-10-20", "stand: 2026-11-21")
    edit(content / "projekte/alpha/intern-vorhaben.md", "status: idee", "status: planung")
    (content / "praxis/flaechenpool.yaml").write_text(
        f"""titel: Gemeinsamer Flächenpool
kurzbeschreibung: Alpha und Beta führen einen gemeinsamen Pool für Ausgleichsflächen.
partner: [alpha, beta]
handlungsfelder: [siedlungsentwicklung]
reifegrad: erprobt
uebertragbarkeit: mittel
kontakt:
  - organisation: Stadt Alpha, Amt für Stadtplanung
    email: flaechen@alpha.{CLEAN_DOMAIN}
stand: 2026-11-01
""",
        encoding="utf-8",
    )


def release(content: Path, root: Path, name: str, epoch: int, *extra: str) -> None:
    result = run_regiodocs(
        "release", name, "--inhalt", str(content), "--ziel", str(root), "--heute",
        dt.datetime.fromtimestamp(epoch, dt.UTC).date().isoformat(), "-j", "1", "--ohne-pdf",
        *extra,
        env={"SOURCE_DATE_EPOCH": str(epoch)},
        unset=(*NO_PROXY, "CI_PROJECT_PATH"),
    )  # fmt: skip
    assert result.returncode == 0, f"{result.args}\n{result.stdout}\n{result.stderr}"


# ---------------------------------------------------------------- shared outputs


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two editions (with their address), a twin of the first, the internal edition and a plain
    build of state B."""
    base = tmp_path_factory.mktemp("abonnieren")
    content, root = state_a(base / "content"), base / "ausgaben"
    release(content, root, "2026-1", EPOCH_1, "--basis-url", BASE)
    twin = state_a(base / "zwilling-content")
    release(twin, base / "zwilling", "2026-1", EPOCH_1, "--basis-url", BASE)
    to_state_b(content)
    release(content, root, "2026-2", EPOCH_2, "--basis-url", BASE)
    plain, intern = base / "html", base / "intern"
    build_site(content, plain)
    build_site(content, intern, intern=True)
    return {
        "content": content, "alt": root / "2026-1", "neu": root / "2026-2",
        "zwilling": base / "zwilling" / "2026-1", "html": plain, "intern": intern,
    }  # fmt: skip


def files(folder: Path, suffix: str) -> dict[str, Path]:
    """Every file with ``suffix`` below ``folder``, by its path relative to it."""
    found = {}
    for parent, _dirs, names in os.walk(folder, followlinks=True):
        for name in names:
            if name.endswith(suffix):
                path = Path(parent) / name
                found[path.relative_to(folder).as_posix()] = path
    return dict(sorted(found.items()))


def parse_feed(path: Path) -> Any:
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
    assert parsed.version == "atom10", path
    return parsed


def parse_calendar(path: Path) -> icalendar.Calendar:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    assert calendar.get("version") == "2.0" and calendar.get("prodid"), path
    return calendar


def events(calendar: icalendar.Calendar) -> list[icalendar.Event]:
    return list(calendar.walk("VEVENT"))


def visible(content: Path, *, intern: bool) -> model.Content:
    result = checks.check(content, ROOT, today=dt.date.fromisoformat(TODAY), bodies=False)
    return result.content.visible(intern=intern)


def expected_entries(content: model.Content) -> dict[str, set[str]]:
    """Topic key → the titles of the records it should list (from the content, not the feeds)."""
    found: dict[str, set[str]] = {t.key: set() for t in topics.topics(content)}
    for doc in content.records.values():
        for key in topics.record_topics(doc, content):
            found[key].add(doc.title)
    return found


def entry(parsed: Any, title: str) -> Any:
    matches = [e for e in parsed.entries if e.title == title]
    assert len(matches) == 1, f"{title!r}: {len(matches)} Einträge"
    return matches[0]


# ---------------------------------------------------------------- feeds


def test_every_feed_parses_and_lists_exactly_the_records_of_its_topic(outputs: dict[str, Path]):
    for name, intern in (("neu", False), ("html", False), ("intern", True)):
        content = visible(outputs["content"], intern=intern)
        expected = expected_entries(content)
        found = files(outputs[name], ".atom")
        assert set(found) == {f"{topics.FEED_FOLDER}/{key}.atom" for key in expected}, name
        for rel, path in found.items():
            parsed = parse_feed(path)
            key = Path(rel).stem
            assert {e.title for e in parsed.entries} == expected[key], (name, rel)
            assert len({e.id for e in parsed.entries}) == len(parsed.entries), (name, rel)
            assert parsed.feed.title.startswith("Neuigkeiten: ")
            for e in parsed.entries:
                assert e.summary and e.link and e.id.startswith("urn:uuid:") and e.updated_parsed


def test_a_feed_entry_has_title_teaser_what_changed_and_the_records_page(outputs: dict[str, Path]):
    parsed = parse_feed(outputs["neu"] / "abonnieren/alle.atom")
    project = entry(parsed, "Radschnellweg Nord")
    assert project.summary.startswith("Ein interkommunaler Radschnellweg")
    assert "Geändert in Ausgabe 2026-2" in project.content[0].value
    assert "Status: Umsetzung → Abgeschlossen" in project.content[0].value
    assert project.link == f"{BASE}2026-2/projekte/alpha/radweg-nord.html"
    added = entry(parsed, "Gemeinsamer Flächenpool")
    assert "Neu in Ausgabe 2026-2" in added.content[0].value
    unchanged = entry(parsed, "Quartier Süd")
    assert "Neu in Ausgabe 2026-1" in unchanged.content[0].value
    workshop = entry(parsed, WORKSHOP_TITLE)  # escaped by feedgen, read back as written
    assert "Ort: Rathaus Beta; Saal 2, 1. OG → Rathaus Beta; Saal 3, 2. OG" in workshop.content[0].value
    self_link = next(link.href for link in parsed.feed.links if link.rel == "self")
    assert self_link == f"{BASE}aktuell/abonnieren/alle.atom"  # subscribers follow the newest edition


def test_entry_ids_are_stable_and_a_changed_record_updates_its_entry(outputs: dict[str, Path]):
    old = parse_feed(outputs["alt"] / "abonnieren/alle.atom")
    new = parse_feed(outputs["neu"] / "abonnieren/alle.atom")
    old_ids = {e.title: e.id for e in old.entries}
    new_ids = {e.title: e.id for e in new.entries}
    assert {t: new_ids[t] for t in old_ids} == old_ids  # every record keeps its entry id
    assert set(new_ids.values()) - set(old_ids.values()) == {new_ids["Gemeinsamer Flächenpool"]}
    assert dt.datetime(*old.feed.updated_parsed[:6], tzinfo=dt.UTC).timestamp() == EPOCH_1
    assert dt.datetime(*new.feed.updated_parsed[:6], tzinfo=dt.UTC).timestamp() == EPOCH_2
    for title, changed in (("Radschnellweg Nord", True), (WORKSHOP_TITLE, True), ("Quartier Süd", False)):
        before, after = entry(old, title), entry(new, title)
        assert after.id == before.id
        assert after.published == before.published  # first published in 2026-1
        assert (after.updated != before.updated) is changed, title
    assert entry(new, "Radschnellweg Nord").updated_parsed[:3] == (2026, 11, 22)


def test_no_intern_record_reaches_a_public_feed_or_calendar(outputs: dict[str, Path]):
    for name in ("alt", "neu", "html"):
        found = {**files(outputs[name], ".atom"), **files(outputs[name], ".ics")}
        assert found
        for rel, path in found.items():
            text = path.read_text(encoding="utf-8")
            assert MARKER not in text and INTERN_TITLE not in text, (name, rel)
            assert "Vereinbarung" not in text, (name, rel)  # agreements: the internal edition only


def test_the_internal_edition_has_its_own_feeds_and_calendars_with_agreements(outputs: dict[str, Path]):
    parsed = parse_feed(outputs["intern"] / "abonnieren/alle.atom")
    assert entry(parsed, INTERN_TITLE).link == "../projekte/alpha/intern-vorhaben.html"
    assert "(interne Ausgabe" in parsed.feed.title
    public_ids = {e.id for e in parse_feed(outputs["html"] / "abonnieren/alle.atom").entries}
    assert public_ids < {e.id for e in parsed.entries}
    platform = parse_calendar(outputs["intern"] / "abonnieren/plattform-mobil.ics")
    (agreement,) = [e for e in events(platform) if AGREEMENT in str(e.get("summary"))]
    assert agreement.decoded("dtstart") == dt.date(2026, 12, 15)
    assert "Verantwortlich: Geschäftsstelle" in str(agreement.get("description"))
    assert str(agreement.get("uid")) == (
        f"{topics.agreement_uid('treffen-1', AGREEMENT)}@regiotestnetz.regiodocs"
    )
    # the agreement done (erledigt: true) is no date to keep
    assert not [e for e in events(platform) if "Zähldaten" in str(e.get("summary"))]
    own = outputs["intern"] / "kalender" / f"{topics.agreement_uid('treffen-1', AGREEMENT)}.ics"
    assert [str(e.get("uid")) for e in events(parse_calendar(own))] == [str(agreement.get("uid"))]


def test_feed_links_are_the_handbooks_own_pages_only(outputs: dict[str, Path]):
    for name in ("alt", "neu", "html", "intern"):
        for rel, path in files(outputs[name], ".atom").items():
            parsed = parse_feed(path)
            links = [link.href for link in parsed.feed.links]
            links += [link.href for e in parsed.entries for link in e.links]
            for href in links:
                if name in ("alt", "neu"):
                    assert href.startswith(BASE), (name, rel, href)
                else:
                    assert ":" not in href and href.startswith("../"), (name, rel, href)
                    assert (path.parent / href).resolve().is_file(), (name, rel, href)


def test_an_edition_address_of_another_scheme_is_no_base():
    assert topics.safe_base("javascript:alert(1)//") is None
    assert topics.safe_base("data:text/html,x") is None
    assert topics.safe_base("https://handbuch.example.de/") == "https://handbuch.example.de/"


def test_a_page_link_without_a_base_is_relative_to_the_feed_folder():
    assert topics.page_link("projekte/a/b", None) == "../projekte/a/b.html"


def test_entry_ids_name_the_network_and_the_record():
    ids = {feeds.entry_id(n, r) for n in ("Netz", "Anderes Netz") for r in ("b", "c")}
    assert len(ids) == 4 and all(i.startswith("urn:uuid:") for i in ids)


# ---------------------------------------------------------------- calendars


def test_every_calendar_parses_with_its_dates_and_stable_uids(outputs: dict[str, Path]):
    for name in ("alt", "neu", "html", "intern"):
        found = files(outputs[name], ".ics")
        assert f"{topics.FEED_FOLDER}/alle.ics" in found, name
        for rel, path in found.items():
            calendar = parse_calendar(path)
            items = events(calendar)
            assert items, (name, rel)
            uids = [str(e.get("uid")) for e in items]
            assert len(set(uids)) == len(uids), (name, rel)
            for e in items:
                assert isinstance(e.decoded("dtstart"), dt.date) and e.get("dtstamp") and e.get("summary")
                assert str(e.get("uid")).endswith("@regiotestnetz.regiodocs")
            if rel.startswith(f"{topics.CALENDAR_FOLDER}/"):  # an item's own file: that item alone
                assert len(items) == 1 and uids[0].startswith(Path(rel).stem + "@"), (name, rel)
    everything = parse_calendar(outputs["neu"] / "abonnieren/alle.ics")
    by_uid = {str(e.get("uid")): e for e in events(everything)}
    assert set(by_uid) == {
        "veranstaltung-salon-1@regiotestnetz.regiodocs",
        "veranstaltung-werkstatt-2@regiotestnetz.regiodocs",
        "frist-programm-a@regiotestnetz.regiodocs",
    }
    workshop = by_uid["veranstaltung-werkstatt-2@regiotestnetz.regiodocs"]
    assert str(workshop.get("summary")) == WORKSHOP_TITLE  # escaped by icalendar, read back as written
    assert str(workshop.get("location")) == WORKSHOP_PLACE_B
    assert workshop.decoded("dtstart") == dt.date(2026, 12, 3)
    assert str(workshop.get("url")) == f"{BASE}2026-2/veranstaltungen/werkstatt-2.html"
    assert workshop.decoded("dtstamp") == dt.datetime.fromtimestamp(EPOCH_2, dt.UTC)
    deadline = by_uid["frist-programm-a@regiotestnetz.regiodocs"]
    assert deadline.decoded("dtstart") == dt.date(2027, 1, 31)


def test_a_republished_calendar_updates_its_events_instead_of_adding_them(outputs: dict[str, Path]):
    old = {str(e.get("uid")): e for e in events(parse_calendar(outputs["alt"] / "abonnieren/alle.ics"))}
    new = {str(e.get("uid")): e for e in events(parse_calendar(outputs["neu"] / "abonnieren/alle.ics"))}
    assert set(old) == set(new)
    workshop = "veranstaltung-werkstatt-2@regiotestnetz.regiodocs"
    assert str(old[workshop].get("location")) == WORKSHOP_PLACE_A
    assert str(new[workshop].get("location")) == WORKSHOP_PLACE_B
    assert new[workshop].decoded("dtstamp") > old[workshop].decoded("dtstamp")


def test_same_content_date_and_epoch_give_byte_identical_feeds_and_calendars(outputs: dict[str, Path]):
    for suffix in (".atom", ".ics"):
        first, second = files(outputs["alt"], suffix), files(outputs["zwilling"], suffix)
        assert first and set(first) == set(second)
        for rel in first:
            assert first[rel].read_bytes() == second[rel].read_bytes(), rel


def test_a_plain_build_dates_entries_by_stand_and_needs_no_clock(outputs: dict[str, Path]):
    parsed = parse_feed(outputs["html"] / "abonnieren/alle.atom")
    project = entry(parsed, "Radschnellweg Nord")
    assert project.updated_parsed[:3] == (2026, 11, 20)  # its stand
    assert "Stand des Eintrags: 20.11.2026" in project.content[0].value
    assert parsed.feed.updated_parsed[:3] == tuple(int(p) for p in TODAY.split("-"))
    assert [e.updated_parsed for e in parsed.entries] == sorted(
        (e.updated_parsed for e in parsed.entries), reverse=True
    )


# ---------------------------------------------------------------- pages, open data, DCAT


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def alternates(path: Path) -> list[str]:
    return [str(link["href"]) for link in soup(path).find_all("link", rel="alternate", type=topics.FEED_TYPE)]


def test_pages_link_the_feeds_they_belong_to(outputs: dict[str, Path]):
    html = outputs["html"]
    assert alternates(html / "index.html") == ["abonnieren/alle.atom"]
    assert alternates(html / "partner/beta.html") == [
        "../abonnieren/alle.atom",
        "../abonnieren/partner-beta.atom",
    ]
    assert alternates(html / "projekte/alpha/radweg-nord.html") == [
        "../../abonnieren/alle.atom", "../../abonnieren/typ-projekt.atom",
        "../../abonnieren/partner-alpha.atom", "../../abonnieren/partner-beta.atom",
        "../../abonnieren/plattform-mobil.atom", "../../abonnieren/handlungsfeld-mobilitaet.atom",
    ]  # fmt: skip
    assert alternates(html / "projekte/index.html") == [
        "../abonnieren/alle.atom",
        "../abonnieren/typ-projekt.atom",
    ]
    for page in files(html, ".html").values():
        if page.name in ("search.html", "genindex.html") or "/admin/" in page.as_posix():
            continue
        hrefs = alternates(page)
        assert hrefs and all((page.parent / h).resolve().is_file() for h in hrefs), page
    # an edition with its address: subscriptions follow `aktuell`
    assert alternates(outputs["neu"] / "partner/beta.html") == [
        f"{BASE}aktuell/abonnieren/alle.atom",
        f"{BASE}aktuell/abonnieren/partner-beta.atom",
    ]


def test_overview_pages_offer_subscriptions_and_events_a_calendar_link(outputs: dict[str, Path]):
    html = outputs["html"]
    overviews = (
        "index.html", "partner/index.html", "partner/beta.html", "plattformen/mobil.html",
        "handlungsfelder/mobilitaet.html", "veranstaltungen/index.html", "daten/index.html",
    )  # fmt: skip
    for rel in overviews:
        box = soup(html / rel).find("section", class_="regio-abonnieren")
        assert box is not None and box.find("h2").get_text() == "Neuigkeiten abonnieren", rel
        for link in box.find_all("a"):
            assert (html / rel).parent.joinpath(link["href"]).resolve().is_file(), (rel, link["href"])
    data_page = soup(html / "daten/index.html").find("section", class_="regio-abonnieren")
    offered = {Path(a["href"]).name for a in data_page.find_all("a")}
    assert {p.name for p in files(html / "abonnieren", "").values()} == offered  # every feed and calendar
    for rel, uid in (("veranstaltungen/werkstatt-2.html", "veranstaltung-werkstatt-2"),
                     ("foerderung/programm-a.html", "frist-programm-a")):  # fmt: skip
        links = soup(html / rel).select("a.regio-in-den-kalender")
        assert [a["href"] for a in links] == [f"../kalender/{uid}.ics"], rel
    assert not soup(html / "projekte/alpha/radweg-nord.html").select("a.regio-in-den-kalender")
    intern_platform = soup(outputs["intern"] / "plattformen/mobil.html").select("a.regio-in-den-kalender")
    assert [a["href"] for a in intern_platform] == [
        f"../kalender/{topics.agreement_uid('treffen-1', AGREEMENT)}.ics"
    ]
    assert not soup(html / "plattformen/mobil.html").select("a.regio-in-den-kalender")


def test_dcat_describes_the_feed_and_the_calendar(outputs: dict[str, Path]):
    dcat = json.loads((outputs["neu"] / "daten/dcat.jsonld").read_text(encoding="utf-8"))
    by_url = {d["dcat:downloadURL"]["@id"]: d for d in dcat["dcat:distribution"]}
    feed_path, calendar_path = "abonnieren/alle.atom", "abonnieren/alle.ics"
    feed = by_url[f"{BASE}2026-2/{feed_path}"]
    assert feed["dcat:mediaType"]["@id"].endswith("/application/atom+xml")
    assert feed["dct:format"]["@id"].endswith("/ATOM")
    calendar = by_url[f"{BASE}2026-2/{calendar_path}"]
    assert calendar["dcat:mediaType"]["@id"].endswith("/text/calendar")
    assert (outputs["neu"] / "abonnieren/alle.atom").is_file() and (
        outputs["neu"] / "abonnieren/alle.ics"
    ).is_file()


def test_the_plan_links_every_record_page_to_the_feeds_its_record_appears_in(tmp_path: Path):
    content = visible(state_a(tmp_path / "content"), intern=False)
    plan = site.plan(content, today=dt.date.fromisoformat(TODAY))
    for doc in content.records.values():
        page = plan[site.record_docname(doc)]
        assert [p for p, _t in page.feeds] == [
            f"{topics.FEED_FOLDER}/{k}.atom" for k in topics.record_topics(doc, content)
        ]


# ---------------------------------------------------------------- incremental builds


def _subscription_files(site_dir: Path) -> dict[str, bytes]:
    found = {}
    for folder in subscriptions.FOLDERS:
        for path in sorted((site_dir / folder).rglob("*")):
            if path.is_file():
                found[path.relative_to(site_dir).as_posix()] = path.read_bytes()
    return found


def _written_key(work: Path) -> str:
    return json.loads((work / "html" / "doctrees" / subscriptions.WRITTEN).read_text(encoding="utf-8"))["key"]


def test_feeds_and_calendars_follow_every_edit_of_their_inputs_and_skip_body_edits(tmp_path: Path):
    """After each edit the incremental build's feeds and calendars are a clean build's, byte for
    byte; an edit of a body alone (no feed or calendar holds one) leaves their inputs' key as it
    was, so that nothing is rendered again, and a file lost from the work folder is written again."""
    content = state_a(tmp_path / "content")
    out, work = tmp_path / "html", tmp_path / "arbeit"

    def incremental_equals_clean(step: str) -> str:
        build_site(content, out, work=work)
        clean = tmp_path / f"sauber-{step}"
        build_site(content, clean, work=tmp_path / f"sauber-{step}-arbeit")
        assert _subscription_files(out) == _subscription_files(clean), step
        assert _subscription_files(work / "html" / "html") == _subscription_files(clean), step
        return _written_key(work)

    first = incremental_equals_clean("a")
    assert any(rel.endswith(".ics") for rel in _subscription_files(out))
    workshop = content / "veranstaltungen/werkstatt-2.md"
    edit(workshop, "Die Werkstatt beginnt um 10 Uhr.", "Die Werkstatt beginnt um 10 Uhr, Einlass 9:30 Uhr.")
    assert incremental_equals_clean("text") == first
    edit(workshop, WORKSHOP_PLACE_A, WORKSHOP_PLACE_B)
    moved = incremental_equals_clean("ort")
    assert moved != first
    assert WORKSHOP_PLACE_B.split(";")[0].encode() in b"".join(_subscription_files(out).values())
    edit(content / "projekte/alpha/radweg-nord.md", "status: umsetzung", "status: abgeschlossen")
    assert incremental_equals_clean("status") != moved
    lost = next(rel for rel in _subscription_files(work / "html" / "html") if rel.startswith("kalender/"))
    (work / "html" / "html" / lost).unlink()
    incremental_equals_clean("verloren")
    assert (out / lost).is_file()


def test_planning_a_few_pages_plans_them_as_the_whole_plan_does(tmp_path: Path):
    """``regiodocs check`` plans only the pages whose bodies it judges: each is the page of the
    whole plan (template, context, objects, feeds, body), without the breadcrumbs."""
    content = checks.check(state_a(tmp_path / "content"), ROOT, today=dt.date.fromisoformat(TODAY)).content
    today = dt.date.fromisoformat(TODAY)
    for intern in (False, True):
        whole = site.plan(content, today=today, intern=intern)
        site._PLANS.clear()  # not the kept plan: plan these pages afresh
        wanted = {name for name, page in whole.items() if page.body is not None}
        assert {"index", "projekte/alpha/radweg-nord"} <= wanted
        assert any(name.startswith("seiten/") for name in wanted)
        few = site.plan_for(content, today=today, intern=intern, docnames=wanted | {"gibt-es-nicht"})
        assert set(few) == wanted
        for name in sorted(wanted):
            planned, alone = whole[name], few[name]
            assert (alone.template, alone.title, alone.objects, alone.feeds) == (
                planned.template,
                planned.title,
                planned.objects,
                planned.feeds,
            ), name
            assert alone.body is planned.body and alone.kind is planned.kind, name
            assert json.dumps(alone.context, sort_keys=True, default=str) == json.dumps(
                planned.context, sort_keys=True, default=str
            ), name
    assert "projekte/alpha/intern-vorhaben" not in site.plan_for(
        content, today=today, intern=False, docnames={"projekte/alpha/intern-vorhaben"}
    )


# ---------------------------------------------------------------- in the browser

_LINKS_JS = """() => ({
  alternates: [...document.querySelectorAll('link[rel="alternate"][type="application/atom+xml"]')]
    .map(l => l.href),
  offered: [...document.querySelectorAll('section.regio-abonnieren a, a.regio-in-den-kalender')]
    .map(a => a.href),
  heading: document.querySelector('section.regio-abonnieren h2')?.textContent || '',
})"""

_FETCH_JS = """async (urls) => Promise.all(urls.map(async url => {
  const response = await fetch(url);
  return {url, status: response.status, type: response.headers.get('content-type') || '',
          start: (await response.text()).slice(0, 60)};
}))"""


@pytest.mark.browser
def test_feed_and_calendar_links_are_on_the_pages_and_load_without_third_parties(
    chromium: Any, outputs: dict[str, Path]
):
    from browser import foreign_references, open_page, serve

    with serve(outputs["html"]) as url:
        for rel, minimum in (("partner/beta.html", 2), ("veranstaltungen/werkstatt-2.html", 1)):
            with open_page(chromium, url + rel) as visit:
                links = visit.page.evaluate(_LINKS_JS)
                targets = sorted(set(links["alternates"] + links["offered"]))
                loaded = visit.page.evaluate(_FETCH_JS, targets)
                references = foreign_references(visit.page)
            assert len(links["alternates"]) >= minimum, rel
            assert links["offered"], rel
            if rel.startswith("partner/"):
                assert links["heading"] == "Neuigkeiten abonnieren"
            for answer in loaded:
                assert answer["status"] == 200, answer
                if answer["url"].endswith(".atom"):
                    assert answer["type"].startswith("application/atom+xml") and "<feed" in answer["start"]
                else:
                    assert answer["type"].startswith("text/calendar"), answer
                    assert answer["start"].startswith("BEGIN:VCALENDAR"), answer
            assert visit.blocked == [] and references == [] and visit.errors == [], rel
