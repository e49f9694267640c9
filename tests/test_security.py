"""Hostile contributions: refused by the check, and harmless even with safe mode off."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from hostile import FRONT

from regiodocs import checks

from conftest import FIXTURES, build_site

TODAY = dt.date(2026, 11, 22)


# name -> (body, expected code); the attack is on the body's first line, except:
ATTACKS = {
    "script": ("<script>alert('xss')</script>\n", "RD301"),
    "iframe": ("Text <iframe src='https://evil.example'></iframe> mehr.\n", "RD301"),
    "style": ("<style>body{display:none}</style>\n", "RD301"),
    "onerror": ('<img src="x" onerror="alert(1)">\n', "RD301"),
    "raw": ("```{raw} html\n<script>alert(1)</script>\n```\n", "RD301"),
    "include": ("```{include} ../../../../etc/passwd\n```\n", "RD301"),
    "literalinclude": ("```{literalinclude} /etc/passwd\n```\n", "RD301"),
    "eval-rst": ("```{eval-rst}\n.. raw:: html\n\n   <script>alert(1)</script>\n```\n", "RD301"),
    "csv-file": ("```{csv-table} Daten\n:file: /etc/passwd\n```\n", "RD301"),
    "nested-raw": (":::{note}\n```{raw} html\n<script>alert(1)</script>\n```\n:::\n", "RD301"),
    "foreign-image": ("![Bild](https://tracker.example/pixel.png)\n", "RD301"),
    "unknown-role": ("Text {raw-html}`<b onclick=alert(1)>x</b>` Text.\n", "RD301"),
}
ATTACK_LINE_IN_BODY = {"nested-raw": 2}  # the raw directive inside the note, not the note


def make_content(tmp_path: Path, name: str, body: str) -> tuple[Path, Path]:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basis", content)
    record = content / "projekte" / "alpha" / f"angriff-{name}.md"
    record.write_text(FRONT.format(name=name) + body, encoding="utf-8")
    return content, record


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_hostile_markup_is_refused_at_its_line(name: str, tmp_path: Path):
    body, code = ATTACKS[name]
    content, record = make_content(tmp_path, name, body)
    attack_line = FRONT.count("\n") + ATTACK_LINE_IN_BODY.get(name, 1)
    result = checks.check(content, tmp_path, today=TODAY)
    hits = [f for f in result.errors if f.file.endswith(record.name) and f.code.value == code]
    assert hits, [(f.file, f.line, f.code.value, f.message) for f in result.findings]
    assert [f.line for f in hits] == [attack_line]
    assert "erlaubt" in hits[0].message


EXECUTABLE = re.compile(
    r"<script>alert|onerror=|onclick=|<iframe|<style>body|javascript:|tracker\.example|root:x:0",
    re.IGNORECASE,
)


def test_safe_mode_off_still_emits_nothing_executable(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basis", content)
    for name, (body, _code) in ATTACKS.items():
        (content / "projekte" / "alpha" / f"angriff-{name}.md").write_text(
            FRONT.format(name=name) + body, encoding="utf-8"
        )
    out = tmp_path / "html"
    result = build_site(content, out, check=False, extra=["-D", "regiodocs_sicher=0"])
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ATTACKS:
        page = out / "projekte" / "alpha" / f"angriff-{name}.html"
        html = page.read_text(encoding="utf-8")
        assert not EXECUTABLE.search(html), (name, EXECUTABLE.search(html))


def test_yaml_bomb_and_deep_nesting_are_refused(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basis", content)
    deep = "titel: x\nort:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(30)) + "  " * 31 + "v: 1\n"
    (content / "projekte" / "beta" / "tief.yaml").write_text(deep, encoding="utf-8")
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    (content / "projekte" / "beta" / "bombe.yaml").write_text(bomb, encoding="utf-8")
    result = checks.check(content, tmp_path, today=TODAY)
    codes = {(Path(f.file).name, f.code.value) for f in result.errors}
    assert ("tief.yaml", "RD007") in codes and ("bombe.yaml", "RD007") in codes


def test_oversized_record_is_refused(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basis", content)
    big = FRONT.format(name="gross") + ("Sehr langer Text. " * 40000)
    (content / "projekte" / "alpha" / "gross.md").write_text(big, encoding="utf-8")
    result = checks.check(content, tmp_path, today=TODAY)
    assert any(f.code.value == "RD007" and f.file.endswith("gross.md") for f in result.errors)


def test_media_path_traversal_is_refused(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basis", content)
    record = FRONT.format(name="pfad").replace(
        "stand: 2026-01-01\n",
        "dokumente:\n  - titel: Geheim\n    datei: medien/../../geheim.txt\nstand: 2026-01-01\n",
    )
    (content / "projekte" / "alpha" / "pfad.md").write_text(record, encoding="utf-8")
    result = checks.check(content, tmp_path, today=TODAY)
    assert any(f.code.value == "RD207" and f.line == 12 for f in result.errors), result.errors


def contact_emails() -> set[str]:
    content = checks.check(FIXTURES / "basis", FIXTURES, today=TODAY).content
    found = set()
    for doc in content.documents():
        for entry in doc.data.get("kontakt") or []:
            if isinstance(entry, dict) and entry.get("email"):
                found.add(entry["email"])
    return found


def test_contact_addresses_are_never_published_in_harvestable_form(basis_site: Path):
    emails = contact_emails()
    assert emails
    for file in basis_site.rglob("*"):
        if file.is_file() and file.suffix in (".html", ".js", ".json", ".yml", ".txt", ".inv"):
            data = file.read_bytes()
            assert not any(e.encode() in data for e in emails), file
    # … yet every one is a mailto: link on its page (cloaked: %40 in the link, &#64; in the text)
    page = BeautifulSoup((basis_site / "projekte/alpha/radweg-nord.html").read_text("utf-8"), "html.parser")
    box = page.find(id="kontakt")
    links = {unquote(a["href"]) for a in box.find_all("a", href=True)}
    record = [e for e in emails if e in box.get_text()]
    assert record and all(f"mailto:{e}" in links for e in record), (links, record)


def test_edition_data_spells_out_contact_addresses():
    from regiodocs.editions import records

    data = {"titel": "X", "kontakt": [{"organisation": "Stadt Alpha", "email": "rad@alpha.example.org"}]}
    published = records.normalise("projekt", data)
    assert published["kontakt"][0]["email"] == "rad (at) alpha (punkt) example (punkt) org"
