"""Feeds and calendars against hostile or odd contributions (found by an independent attack)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import icalendar
import pytest

from regiodocs import audit, calendars, checks, syndication, topics
from regiodocs.editions import release

from conftest import FIXTURES, build_site, run_regiodocs


def _tree(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(FIXTURES / "basis", root)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_line_breaks_and_the_last_possible_day_reach_a_valid_calendar_not_a_crash(tmp_path: Path):
    root = _tree(tmp_path)
    event = root / "veranstaltungen" / "salon-1.md"
    _edit(
        event,
        "titel: RegioSalon Mobilität",
        'titel: "RegioSalon\\rBEGIN:VEVENT\\rUID:evil\\nEND:VEVENT; a,b"',
    )
    _edit(event, "datum: 2026-09-10", "datum: 9999-12-31")
    partner = next((root / "partner").glob("*.yaml"))
    _edit(partner, "name: ", 'name: "Zeile\\nzwei" #')
    assert not [
        f
        for f in checks.check(root, tmp_path, today=dt.date(2026, 11, 22), bodies=False).findings
        if f.is_error
    ]
    out = tmp_path / "site"
    build_site(root, out)
    found = sorted(out.rglob("*.ics"))
    assert found
    for path in found:
        data = path.read_bytes()
        assert syndication.calendar_problems(data) == [], path
        parsed = icalendar.Calendar.from_ical(data)
        assert len(parsed.walk("VEVENT")) == data.split(b"\r\n").count(b"BEGIN:VEVENT")
        assert b"\nUID:evil" not in data and b"\rUID:evil" not in data
    item = (out / "kalender" / "veranstaltung-salon-1.ics").read_bytes()
    event_ = icalendar.Calendar.from_ical(item).walk("VEVENT")[0]
    assert str(event_["summary"]).startswith("RegioSalon\nBEGIN:VEVENT")  # the text, kept as text
    assert event_.decoded("dtstart") == dt.date(9999, 12, 31) and "dtend" not in event_


def test_the_same_agreement_twice_at_one_meeting_gets_two_events(tmp_path: Path):
    root = _tree(tmp_path)
    result = root / "ergebnisse" / "mobil" / "treffen-1.yaml"
    _edit(
        result,
        "  - was: Bericht an die Beigeordnetenkonferenz vorbereiten\n    wer: geschaeftsstelle\n",
        "  - was: Bericht an die Beigeordnetenkonferenz vorbereiten\n    wer: geschaeftsstelle\n"
        "    bis: 2026-12-01\n"
        "  - was: Bericht an die  Beigeordnetenkonferenz vorbereiten\n    wer: alpha\n    bis: 2027-01-10\n",
    )
    content = checks.check(root, tmp_path, today=dt.date(2026, 11, 22), bodies=False).content
    items = [
        i
        for i in topics.dated(content, intern=True, docname_of=lambda d: d.id)
        if i.category == "Vereinbarung"
    ]
    assert len(items) == 2 and len({i.uid for i in items}) == 2
    assert items[0].uid == topics.agreement_uid(
        "treffen-1", "Bericht an die Beigeordnetenkonferenz vorbereiten"
    )
    assert len({calendars.uid(i, content) for i in items}) == 2


@pytest.mark.parametrize(
    "base",
    [
        "https://x.org/\r\nATTENDEE:x/",
        "https://x.org/\tx/",
        'https://x.org/a"b/',
        "https://x.org/<c>/",
        "https://x.org/a b/",
        "javascript:alert(1)//",
        "ftp://x.org/",
        "https:///ohne-rechner",
    ],
)
def test_an_address_an_edition_cannot_have_is_no_base(base: str, tmp_path: Path):
    assert topics.safe_base(base) is None
    opts = release.Options(
        ausgabe="2026-1",
        content=tmp_path,
        project_root=tmp_path,
        ziel=tmp_path / "ausgaben",
        heute=dt.date(2026, 11, 22),
        epoch=0,
        basis_url=base,
    )
    assert any("--basis-url" in p for p in release.preflight(opts))


def test_a_good_address_is_a_base_and_passes_the_preflight(tmp_path: Path):
    base = "https://handbuch.regionetzwerk.de/ausgaben/"
    assert topics.safe_base(base) == base
    opts = release.Options(
        "2026-1", tmp_path, tmp_path, tmp_path / "ausgaben", dt.date(2026, 11, 22), 0, basis_url=base
    )
    assert release.preflight(opts) == []


FEED = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
    b'<title>T</title><link href="https://h.example/a.html" rel="alternate" type="text/html"/>'
    b'<entry><title>E</title><link href="../projekte/a.html"/>{extra}</entry></feed>'
)
CALENDAR = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a@b\r\nDTSTAMP:20261122T000000Z\r\n"
    b"DTSTART;VALUE=DATE:20261122\r\nSUMMARY:javascript: ein Kurs\r\n{extra}END:VEVENT\r\nEND:VCALENDAR\r\n"
)


@pytest.mark.parametrize(
    ("kind", "data", "problem"),
    [
        ("atom", FEED.replace(b"{extra}", b'<link href="javascript:alert(1)"/>'), "javascript:alert(1)"),
        ("atom", FEED.replace(b"{extra}", b'<content type="html">&lt;img onerror=x&gt;</content>'), "HTML"),
        ("atom", FEED.replace(b"{extra}", b'<summary xml:base="data:text/html,x">s</summary>'), "data:"),
        ("atom", b'<!DOCTYPE f [<!ENTITY a "b">]><feed>&a;</feed>', "XML"),
        ("ics", CALENDAR.replace(b"{extra}", b"URL:javascript:alert(1)\r\n"), "javascript:alert(1)"),
        ("ics", CALENDAR.replace(b"{extra}", b'URL;X-P="a:b":java\r\n script:x\r\n'), "javascript:x"),
        ("ics", CALENDAR.replace(b"{extra}", b"SUMMARY:x\rATTENDEE:mailto:e@x.example\r\n"), "CRLF"),
        ("ics", CALENDAR.replace(b"{extra}", b"ATTACH:file:///etc/passwd\r\n"), "file:"),
        ("atom", FEED.replace(b"{extra}", b'<content type="HTML">x</content>'), "HTML"),
        ("atom", FEED.replace(b"{extra}", b'<content type="application/xhtml+xml">x</content>'), "HTML"),
        ("ics", CALENDAR.replace(b"{extra}", b"X-ALT-DESC;FMTTYPE=text/html:<b>x</b>\r\n"), "HTML"),
        ("ics", CALENDAR.replace(b"{extra}", b"STYLED-DESCRIPTION;VALUE=TEXT:<b>x</b>\r\n"), "HTML"),
        ("ics", CALENDAR.replace(b"{extra}", b'DESCRIPTION;ALTREP="javascript:x":Text\r\n'), "javascript:x"),
    ],
)
def test_the_audit_refuses_a_hostile_feed_or_calendar(kind: str, data: bytes, problem: str):
    assert audit._kind(f"abonnieren/alle.{kind}") == kind
    found = audit.judge(kind, data)
    assert found and any(problem in text for _line, text, _src in found), found


@pytest.mark.parametrize("kind", ["atom", "ics"])
def test_the_audit_passes_a_clean_feed_and_calendar(kind: str):
    data = (FEED if kind == "atom" else CALENDAR).replace(b"{extra}", b"")
    assert audit.judge(kind, data) == []


def test_when_the_last_event_goes_its_folders_go_as_in_a_clean_build(tmp_path: Path):
    root = _tree(tmp_path)
    work, out, clean = tmp_path / "arbeit", tmp_path / "site", tmp_path / "sauber"
    build_site(root, out, work=work)
    assert (out / "kalender").is_dir()
    (root / "veranstaltungen" / "salon-1.md").unlink()
    for program in (root / "foerderung").glob("*"):
        text = program.read_text(encoding="utf-8")
        program.write_text(
            "\n".join(li for li in text.split("\n") if not li.startswith("frist:")), encoding="utf-8"
        )
    build_site(root, out, work=work)
    build_site(root, clean)
    incremental = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    assert incremental == sorted(p.relative_to(clean).as_posix() for p in clean.rglob("*"))
    assert not (out / "kalender").exists()


def test_every_feed_and_calendar_of_a_built_site_passes_the_audit(tmp_path: Path):
    out = tmp_path / "site"
    build_site(_tree(tmp_path), out, intern=True)
    judged = [p for p in out.rglob("*") if audit._kind(p.relative_to(out).as_posix()) in ("atom", "ics")]
    assert len(judged) > 10
    assert {p.suffix for p in judged} == {".atom", ".ics"}
    for path in judged:
        assert audit.judge(audit._kind(path.name) or "", path.read_bytes()) == [], path


@pytest.mark.parametrize("command", ["build", "release"])
def test_a_malformed_source_date_epoch_is_a_german_error_not_a_traceback(command: str, tmp_path: Path):
    root = _tree(tmp_path)
    args = (
        ["build", "--inhalt", str(root), "--ziel", str(tmp_path / "site")]
        if command == "build"
        else [
            "release",
            "--inhalt",
            str(root),
            "--ziel",
            str(tmp_path / "ausgaben"),
            "--ohne-pdf",
            "--ohne-tag",
            "1",
        ]
    )
    result = run_regiodocs(*args, env={"SOURCE_DATE_EPOCH": "morgen"}, check=False)
    assert result.returncode == 2, result.stderr
    assert "SOURCE_DATE_EPOCH ist `morgen`" in result.stderr and "Traceback" not in result.stderr
