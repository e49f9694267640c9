"""Contact data: German reasons a planner can act on, and numbers as a public body writes them."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from regiodocs import checks, contacts

from conftest import FIXTURES, TODAY


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("rad verkehr@alpha.de", "Vor dem @ steht ein unerlaubtes Zeichen: ein Leerzeichen."),
        ("max mustermann,x@neuss.de", "Vor dem @ stehen unerlaubte Zeichen: ein Komma und ein Leerzeichen."),
        ("a(b)@neuss.de", "Vor dem @ stehen unerlaubte Zeichen: `(` und `)`."),
        ("amt\t@neuss.de", "Vor dem @ steht ein unerlaubtes Zeichen: ein Tabulator."),
        ("amt@neuss\u00a0.de", "In der Adresse steht ein unerlaubtes Zeichen: ein geschütztes Leerzeichen."),
        ("amt@neuss\u2028.de", "steht ein unerlaubtes Zeichen: ein unsichtbares Sonderzeichen."),
        (
            "hitzeschutz@stadt.neuss,de",
            "Nach dem @ steht ein unerlaubtes Zeichen: ein Komma. Meinten Sie `hitzeschutz@stadt.neuss.de`?",
        ),
        ("a@neu ss,de", "Nach dem @ stehen unerlaubte Zeichen: ein Komma und ein Leerzeichen."),
        (" amt@neuss.de", "Am Anfang oder Ende steht ein Leerzeichen zu viel."),
    ],
    ids=["space", "comma-and-space", "brackets", "tab", "no-break-space", "line-separator", "comma-typo",
         "no-wrong-guess", "leading-space"],
)  # fmt: skip
def test_an_e_mail_reason_names_each_wrong_character_in_german(address: str, reason: str):
    problem = contacts.email_problem(address)
    assert problem is not None and problem.endswith(reason), problem
    assert not any(word in problem for word in ("SPACE", "U+", "'", "SEPARATOR")), (
        problem
    )  # no English, no raw codes
    if "Meinten Sie" in problem:  # a suggestion is always an address that passes
        suggested = problem.split("Meinten Sie `")[1].split("`")[0]
        assert contacts.email_problem(suggested) is None


@pytest.mark.parametrize(
    ("number", "link"),
    [
        ("115", "tel:115;phone-context=+49"),  # the Behördennummer
        ("116117", "tel:116117;phone-context=+49"),
        ("116 117", "tel:116117;phone-context=+49"),  # the Bereitschaftsdienst as it is written
        ("0211 89\u201390", "tel:+492118990"),  # en dash copied from a letter
        ("0211\u00a089-90", "tel:+492118990"),
        ("02131 90\u20110", "tel:+492131900"),  # non-breaking hyphen
        ("+49 2131 90-0", "tel:+492131900"),
    ],
)
def test_short_numbers_and_typographic_dashes_are_telephone_numbers(number: str, link: str):
    assert contacts.phone_problem(number) is None
    assert contacts.tel_uri(number) == link


@pytest.mark.parametrize(
    ("number", "words"),
    [
        ("19222", "mit Vorwahl"),  # not a short number in Germany
        ("+49 115", "mit Vorwahl"),
        ("12345", "mit Vorwahl"),
        ("0211 89-0 Zentrale", "Buchstaben"),
        ("0211 — 89", "Buchstaben"),  # an em dash is no separator of a number
    ],
)
def test_a_number_that_cannot_be_dialled_is_refused_with_its_reason(number: str, words: str):
    problem = contacts.phone_problem(number)
    assert problem is not None and words in problem, problem
    assert contacts.tel_uri(number) is None


@pytest.mark.parametrize("number", ["115", "116 117", "0211 89\u201390", "0211\u00a089-90"])
def test_check_accepts_what_the_contact_rules_accept(tmp_path: Path, number: str):
    """The schema's pattern (also the web editor's) lets through what :mod:`contacts` accepts."""
    content = shutil.copytree(FIXTURES / "basis", tmp_path / "content")
    record = content / "projekte" / "alpha" / "radweg-nord.md"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace('telefon: "+49 211 000001"', f'telefon: "{number}"'), encoding="utf-8")
    result = checks.check(content, tmp_path, today=dt.date.fromisoformat(TODAY))
    assert [f for f in result.findings if f.file.endswith("radweg-nord.md")] == []


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://www.stadt.de/pfad mit leerzeichen", "keine Leerzeichen"),
        ("www.stadt.de", "Meinten Sie `https://www.stadt.de`?"),
        ("https://user:pw@stadt.de", "Anmeldedaten"),
        ("https://stadt", "es fehlt die Endung, z. B. `stadt.de`"),
        ("https://192.168.0.1/intranet", "internen Netzes"),
        ("http://localhost:8000/", "internen Netzes"),
        ("https://[fe80::1]/", "internen Netzes"),
        ("http://10.0.0.5/", "internen Netzes"),
    ],
)
def test_a_web_address_a_reader_cannot_open_is_refused_with_its_reason(url: str, reason: str):
    problem = contacts.url_problem(url)
    assert problem is not None and reason in problem, problem


@pytest.mark.parametrize(
    "url",
    [
        "https://www.neuss.de/rathaus",
        "http://8.8.8.8/",
        "https://xn--dsseldorf-q9a.de/",
        "http://127.0.0.1:8000/",
    ],
)
def test_a_public_web_address_passes(url: str):
    assert contacts.url_problem(url) is None


def test_check_names_the_reason_of_a_web_address_that_starts_right(tmp_path: Path):
    """A link that starts with https:// but is wrong gets its reason, not "must start with https://"."""
    content = shutil.copytree(FIXTURES / "basis", tmp_path / "content")
    record = content / "projekte" / "alpha" / "radweg-nord.md"
    text = record.read_text(encoding="utf-8")
    old = next(line.split("url: ", 1)[1] for line in text.splitlines() if "url: https://" in line)
    record.write_text(text.replace(old, "https://www.stadt.de/pfad mit leerzeichen", 1), encoding="utf-8")
    result = checks.check(content, tmp_path, today=dt.date.fromisoformat(TODAY))
    messages = [f.message for f in result.errors if f.file.endswith("radweg-nord.md")]
    assert len(messages) == 1 and "keine Leerzeichen" in messages[0], messages
    assert "Erlaubt sind nur" not in messages[0]
