"""Untrusted contributions: every attack is refused by the check at its line, and – with safe
mode off – nothing of it reaches the written site (judged by an independent HTML audit)."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from hostile import (
    ATTACK_LINE,
    ATTACKS,
    BODY_LINE,
    FRONT,
    INTERN_MARKER,
    MISTAKES,
    hostile_document,
    output_problems,
    write_attacks,
)

from regiodocs import audit, checks

from conftest import FIXTURES, ROOT, TODAY, build_site, run_regiodocs

REFERENCE_CODES = {"RD201", "RD208", "RD210"}
SEED = 20261201
RANDOM_DOCUMENTS = 40
CANARY = b"Kanarienvogel-7f3a"  # a file beside content/: no attack may publish it
PASSWD = b"root:x:0:0:"


def _content(base: Path) -> Path:
    content = base / "content"
    shutil.copytree(FIXTURES / "basis", content)
    (base / "geheim.txt").write_bytes(CANARY + b"\n")
    return content


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    base = tmp_path_factory.mktemp("angriffe")
    content = _content(base)
    return content, write_attacks(content, ATTACKS)


@pytest.fixture(scope="module")
def corpus_findings(corpus: tuple[Path, dict[str, Path]]) -> dict[str, list[tuple[int, str]]]:
    content, _files = corpus
    result = checks.check(content, content.parent, today=_today())
    found: dict[str, list[tuple[int, str]]] = {}
    for f in result.errors:
        found.setdefault(Path(f.file).name, []).append((f.line, f.code.value))
    return found


def _today():
    import datetime as dt

    return dt.date.fromisoformat(TODAY)


def test_the_corpus_covers_every_attack_class():
    classes = Counter(a.cls for a in ATTACKS.values())
    assert len(ATTACKS) >= 40
    assert set(classes) >= {"option", "title", "caption", "role", "nesting", "link", "html", "reference"}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_check_refuses_the_attack_at_its_line(name: str, corpus_findings):
    attack = ATTACKS[name]
    last = ATTACK_LINE + attack.body.count("\n") - 1
    found = corpus_findings.get(f"angriff-{name}.md", [])
    hits = [(line, code) for line, code in found if code in attack.codes and ATTACK_LINE <= line <= last]
    assert hits, f"{name}: expected {sorted(attack.codes)} in lines {ATTACK_LINE}–{last}, got {found}"


def test_check_reports_nothing_in_the_untouched_records(corpus_findings):
    assert not [name for name in corpus_findings if not name.startswith("angriff-")]


@pytest.fixture(scope="module")
def unsafe_build(corpus, tmp_path_factory) -> tuple[Path, Path]:
    """The markup attacks built with safe mode off: the guard alone must keep them out."""
    _content_root, files = corpus
    base = tmp_path_factory.mktemp("unsicher")
    target = _content(base)
    for name, path in files.items():
        attack = ATTACKS.get(name)
        if attack is not None and attack.codes == {"RD301"}:
            shutil.copy(path, target / "projekte" / "alpha" / path.name)
    out = base / "html"
    result = build_site(target, out, check=False, extra=["-D", "regiodocs_sicher=0"])
    assert result.returncode == 0, result.stdout + result.stderr
    return target, out


def test_with_safe_mode_off_no_attack_reaches_the_output(unsafe_build):
    content, out = unsafe_build
    pages = list((out / "projekte" / "alpha").glob("angriff-*.html"))
    assert len(pages) >= 40
    assert output_problems(out, secrets=[PASSWD, CANARY, INTERN_MARKER.encode()]) == []
    assert audit.audit_site(out, content_root=content) == []


def test_with_safe_mode_off_only_public_media_are_copied(unsafe_build):
    content, out = unsafe_build
    allowed = {p.read_bytes() for p in (content / "medien").glob("*") if "intern" not in p.name}
    copied = [p for d in ("_images", "_downloads") for p in (out / d).rglob("*") if p.is_file()]
    assert copied, "the corpus links /medien/plan.pdf: one download is expected"
    assert all(p.read_bytes() in allowed for p in copied), copied


def test_reference_attacks_stop_the_build_even_with_safe_mode_off(corpus, tmp_path: Path):
    content = _content(tmp_path)
    shutil.copy(corpus[1]["role-intern-id"], content / "projekte" / "alpha")
    out = tmp_path / "html"
    result = build_site(content, out, check=False, extra=["-D", "regiodocs_sicher=0"])
    assert result.returncode == 1
    assert "RD210" in result.stderr and "angriff-role-intern-id.md:14" in result.stderr
    assert not out.exists()


def test_random_hostile_documents_never_pass_the_check_nor_reach_the_output(tmp_path: Path):
    rng = random.Random(SEED)
    content = _content(tmp_path)
    bodies = {f"zufall-{n}": hostile_document(rng, n) for n in range(RANDOM_DOCUMENTS)}
    for name, body in bodies.items():
        (content / "projekte" / "alpha" / f"{name}.md").write_text(
            FRONT.format(name=name) + body, encoding="utf-8"
        )
    result = checks.check(content, tmp_path, today=_today())
    by_file: dict[str, list] = {}
    for f in result.errors:
        by_file.setdefault(Path(f.file).stem, []).append(f)
    for name, body in bodies.items():
        last = ATTACK_LINE + body.count("\n") - 1
        lines = [f.line for f in by_file.get(name, [])]
        assert lines and all(ATTACK_LINE <= line <= last for line in lines), (name, body, by_file.get(name))
    # the documents whose only problems are refused markup build with safe mode off: the guard
    # removes it (references and broken markup stop even that build)
    for name in bodies:
        if {f.code.value for f in by_file[name]} != {"RD301"}:
            (content / "projekte" / "alpha" / f"{name}.md").unlink()
    built = len(list((content / "projekte" / "alpha").glob("zufall-*.md")))
    assert built >= RANDOM_DOCUMENTS // 3
    out = tmp_path / "html"
    build = build_site(content, out, check=False, extra=["-D", "regiodocs_sicher=0"])
    assert build.returncode == 0, build.stdout + build.stderr
    assert output_problems(out, secrets=[PASSWD, CANARY, INTERN_MARKER.encode()]) == []
    assert audit.audit_site(out, content_root=content) == []


HOSTILE_TITLES = ['=HYPERLINK("https://evil.example","Klick")', "@SUM(A1:A9)", "+49 211 0", "-1+2", "\t=1"]
SVG_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
RECORD = FRONT.replace("stand: 2026-01-01\n", "{extra}stand: 2026-01-01\n")

#: name -> (files to add below content/, extra front matter, expected code, line of the attack)
DOKUMENT = "dokumente:\n  - titel: P\n    datei: {0}\n"
BILD = "bilder:\n  - datei: {0}\n    alt: A\n    bildnachweis: B\n"
FILE_ATTACKS = {
    "media-symlink-passwd": ("symlink:medien/pw.pdf:/etc/passwd", DOKUMENT.format("medien/pw.pdf"), "RD013"),
    "fifo-record": ("fifo:projekte/alpha/rohr.md", "", "RD013"),
    "page-symlink": ("symlink:seiten/system.md:/etc/passwd", "", "RD013"),
    "svg-script": ("svg:medien/bild.svg", BILD.format("medien/bild.svg"), "RD213"),
    "html-media": ("html:medien/seite.html", DOKUMENT.format("medien/seite.html"), "RD214"),
    "number-infinite": ("", "kennzahlen:\n  baeume: 1e999\n", "RD109"),
    "number-nan": ("", "kennzahlen:\n  baeume: .nan\n", "RD109"),
    "number-digits": ("", "kosten_eur: " + "9" * 5000 + "\n", "RD109"),
    "blank-title": ("", "", "RD110"),
}


def _file_attack(content: Path, name: str) -> Path:
    spec, extra, _code = FILE_ATTACKS[name]
    kind, _, rest = spec.partition(":")
    if kind == "symlink":
        rel, target = rest.split(":")
        (content / rel).symlink_to(target)
    elif kind == "fifo":
        os.mkfifo(content / rest)
    elif kind == "svg":
        (content / rest).write_bytes(SVG_SCRIPT)
    elif kind == "html":
        (content / rest).write_text("<script>alert(1)</script>", encoding="utf-8")
    record = content / "projekte" / "alpha" / f"angriff-{name}.md"
    text = RECORD.format(name=name, extra=extra)
    if name == "blank-title":
        text = text.replace(f"titel: Angriff {name}", 'titel: "   "')
    record.write_text(text, encoding="utf-8")
    return record


@pytest.mark.parametrize("name", sorted(FILE_ATTACKS))
def test_file_svg_and_number_attacks_are_refused_and_stop_even_an_unsafe_build(name: str, tmp_path: Path):
    content = _content(tmp_path)
    _file_attack(content, name)
    code = FILE_ATTACKS[name][2]
    result = checks.check(content, tmp_path, today=_today())
    assert code in {f.code.value for f in result.errors}, [
        (f.file, f.line, f.code.value) for f in result.errors
    ]
    out = tmp_path / "html"
    build = build_site(content, out, check=False, extra=["-D", "regiodocs_sicher=0"])
    assert build.returncode == 1 and code in build.stderr, build.stderr
    assert "Traceback" not in build.stderr and "interner Fehler" not in build.stderr
    assert not out.exists()


def test_csv_exports_never_start_a_text_cell_with_a_formula(tmp_path: Path):
    import csv

    from regiodocs.editions import exports

    content = _content(tmp_path)
    for n, title in enumerate(HOSTILE_TITLES):
        record = content / "projekte" / "alpha" / f"formel-{n}.md"
        record.write_text(FRONT.replace("titel: Angriff {name}", f"titel: '{title}'"), encoding="utf-8")
    result = checks.check(content, tmp_path, today=_today())
    assert result.errors == []
    edition = exports.Edition("2026-1", _today(), result.content.netzwerk.data, [], [])
    exports.write(tmp_path, result.content.visible(intern=False), edition)
    folder = tmp_path / exports.FOLDER
    tables = sorted(folder.glob("*.csv"))
    assert len(tables) >= 2
    cells = [
        cell
        for table in tables
        for row in csv.reader(table.open(encoding="utf-8-sig", newline=""))
        for cell in row
    ]
    titles_seen = [c for c in cells if any(t.strip("\t") in c for t in HOSTILE_TITLES)]
    assert len(titles_seen) >= len(HOSTILE_TITLES)
    dangerous = [
        c
        for c in cells
        if c[:1] in ("=", "+", "-", "@", "\t", "\r") and not re.fullmatch(r"-?\d+(\.\d+)?", c)
    ]
    assert dangerous == []
    read_back = {r["titel"] for r in exports.read_csv(folder / "projekte.csv")}
    assert set(HOSTILE_TITLES) <= read_back


@pytest.mark.parametrize("relative", [False, True], ids=["absolute", "relative"])
def test_mistakes_that_crashed_or_failed_only_the_build_are_german_findings(relative: bool, tmp_path: Path):
    content = _content(tmp_path)
    write_attacks(content, MISTAKES)
    where = "content" if relative else str(content)
    result = run_regiodocs("check", "--inhalt", where, "--format", "json", cwd=tmp_path)
    assert result.returncode == 1 and "interner Fehler" not in result.stderr, result.stderr
    found: dict[str, list[tuple[int, str]]] = {}
    for f in json.loads(result.stdout):
        found.setdefault(Path(f["file"]).name, []).append((f["line"], f["code"]))
    for name, attack in MISTAKES.items():
        first = BODY_LINE if attack.from_body_start else ATTACK_LINE
        last = ATTACK_LINE + attack.body.count("\n") - 1
        hits = [
            c
            for line, c in found.get(f"angriff-{name}.md", [])
            if c in attack.codes and first <= line <= last
        ]
        assert hits, (name, found.get(f"angriff-{name}.md"))
    assert not [name for name in found if not name.startswith("angriff-")]


def test_markdown_line_breaks_are_not_html(tmp_path: Path):
    content = _content(tmp_path)
    record = content / "projekte" / "alpha" / "umbruch.md"
    record.write_text(
        FRONT.format(name="umbruch") + "Zeile eins  \nZeile zwei\\\nZeile drei\n", encoding="utf-8"
    )
    assert checks.check(content, tmp_path, today=_today()).errors == []
    out = tmp_path / "html"
    assert build_site(content, out).returncode == 0
    page = (out / "projekte" / "alpha" / "umbruch.html").read_text(encoding="utf-8")
    assert page.count("<br />") == 2 and "entfernt" not in page


def test_yaml_body_findings_name_the_field_line_when_the_text_is_quoted(tmp_path: Path):
    content = _content(tmp_path)
    profile = content / "projekte" / "alpha" / "profil.yaml"
    head = FRONT.removeprefix("---\n").split("---\n")[0].replace("Angriff {name}", "Profil")
    profile.write_text(
        head + 'beschreibung: "Erste Zeile\\n\\nZweite Zeile\\n\\nDritte <b>fett</b>"\n', encoding="utf-8"
    )
    line = profile.read_text(encoding="utf-8").count("\n")
    errors = checks.check(content, tmp_path, today=_today()).errors
    assert [(f.line, f.code.value) for f in errors] == [(line, "RD301")]


def test_alt_texts_that_look_like_yaml_render_as_text(tmp_path: Path):
    content = _content(tmp_path)
    shutil.copy(content / "medien" / "plan.pdf", content / "medien" / "bild.png")
    record = content / "projekte" / "alpha" / "bild.md"
    alt = "'\"Zitat: am Anfang # kein Kommentar'"
    extra = f"bilder:\n  - datei: medien/bild.png\n    alt: {alt}\n    bildnachweis: X\n"
    record.write_text(RECORD.format(name="bild", extra=extra), encoding="utf-8")
    assert checks.check(content, tmp_path, today=_today()).errors == []
    out = tmp_path / "html"
    result = build_site(content, out, check=False)
    assert result.returncode == 0, result.stderr
    assert 'alt="&quot;Zitat: am Anfang # kein Kommentar"' in (out / "projekte/alpha/bild.html").read_text(
        encoding="utf-8"
    )


def test_a_public_record_cannot_publish_an_intern_records_media(tmp_path: Path):
    content = _content(tmp_path)
    record = content / "projekte" / "alpha" / "greift-zu.md"
    extra = "dokumente:\n  - titel: Lageplan\n    datei: medien/intern-lageplan.pdf\n"
    record.write_text(
        RECORD.format(name="zugriff", extra=extra) + "[Plan](/medien/intern-lageplan.pdf)\n", encoding="utf-8"
    )
    errors = checks.check(content, tmp_path, today=_today()).errors
    assert [(f.line, f.code.value) for f in errors] == [(12, "RD210")]  # bodies are judged next


# ----------------------------------------------------------------- found in review and a second attack round

ORDINARY = """## Data: Zählungen 2025

<!-- Notiz für die Geschäftsstelle -->

| Jahr | Wert |
|---|---|
| 2025 | eins<br>zwei |

Siehe [Kontakt](#kontakt) und [Plan](../../medien/plan.pdf).
"""


def test_ordinary_markdown_is_not_refused_and_builds(tmp_path: Path):
    content = _content(tmp_path)
    (content / "projekte" / "alpha" / "normal.md").write_text(
        FRONT.format(name="normal") + ORDINARY, encoding="utf-8"
    )
    start = content / "seiten" / "start.md"
    start.write_text(start.read_text(encoding="utf-8") + "\n[Plan](../medien/plan.pdf)\n", encoding="utf-8")
    assert checks.check(content, tmp_path, today=_today()).errors == []
    out = tmp_path / "html"
    result = build_site(content, out, check=False)
    assert result.returncode == 0, result.stderr
    page = (out / "projekte" / "alpha" / "normal.html").read_text(encoding="utf-8")
    assert "Data: Zählungen 2025" in page and "entfernt" not in page and "Notiz" not in page
    assert "eins<br />" in page and 'href="#kontakt"' in page
    assert "plan.pdf" in (out / "index.html").read_text(encoding="utf-8")


def test_code_that_would_not_highlight_is_a_finding(tmp_path: Path):
    content = _content(tmp_path)
    record = content / "projekte" / "alpha" / "code.md"
    record.write_text(FRONT.format(name="code") + "```json\n{Name: 1}\n```\n", encoding="utf-8")
    errors = checks.check(content, tmp_path, today=_today()).errors
    assert [(f.line, f.code.value) for f in errors] == [(ATTACK_LINE, "RD303")]


def test_a_warm_cache_never_hides_a_listing_filter_that_became_unknown(tmp_path: Path):
    content = _content(tmp_path)
    shutil.copy(content / "partner" / "alpha.yaml", content / "partner" / "gamma.yaml")
    listing = "# Liste\n\n:::{regio-liste}\n:partner: gamma\n:::\n"
    (content / "seiten" / "liste.md").write_text(listing, encoding="utf-8")
    env = {"REGIODOCS_CACHE": str(tmp_path / "cache")}
    first = run_regiodocs("check", "--inhalt", str(content), env=env)
    assert first.returncode == 0, first.stdout
    (content / "partner" / "gamma.yaml").unlink()
    warm = run_regiodocs("check", "--inhalt", str(content), env=env)
    assert warm.returncode == 1 and "liste.md:3:1: RD201" in warm.stdout, warm.stdout + warm.stderr


def test_a_listing_on_a_public_page_is_judged_on_its_options_not_on_intern_cards(tmp_path: Path):
    content = _content(tmp_path)
    intern = content / "projekte" / "alpha" / "intern-vorhaben.md"
    intern.write_text(intern.read_text(encoding="utf-8").split("\n---\n")[0] + "\n---\n", encoding="utf-8")
    (content / "seiten" / "liste.md").write_text(
        "# Liste\n\n:::{regio-liste}\n:typ: projekt\n:::\n", encoding="utf-8"
    )
    assert checks.check(content, tmp_path, today=_today()).errors == []


def test_a_keyword_named_index_gets_its_own_page(tmp_path: Path):
    content = _content(tmp_path)
    record = content / "projekte" / "alpha" / "index-wort.md"
    record.write_text(RECORD.format(name="index", extra="schlagworte: [Index]\n"), encoding="utf-8")
    assert checks.check(content, tmp_path, today=_today()).errors == []
    out = tmp_path / "html"
    assert build_site(content, out, check=False).returncode == 0
    assert (out / "schlagworte" / "index-schlagwort.html").is_file() and (
        out / "schlagworte" / "index.html"
    ).is_file()


@pytest.mark.parametrize(
    "url", ["https://a.example/x\\\\", "https://a.example/x\\n", "https://a.example/<x>"]
)
def test_web_addresses_that_would_break_the_page_are_refused(url: str, tmp_path: Path):
    content = _content(tmp_path)
    record = content / "projekte" / "alpha" / "url.md"
    record.write_text(
        RECORD.format(name="url", extra=f'links:\n  - titel: L\n    url: "{url}"\n'), encoding="utf-8"
    )
    assert "RD206" in {f.code.value for f in checks.check(content, tmp_path, today=_today()).errors}


@pytest.mark.parametrize(
    "html",
    [
        "<script/>alert(1)</script>",
        "<p>x</p><script>alert(1)",
        "<style>body{background:url(https://evil.example/p.png)}</style>",
        '<style>a{b:image-set("https://evil.example/p.png" 1x)}</style>',
        '<link rel="stylesheet" href="https://evil.example/a.css">',
        '<a href=" java\tscript:alert(1)">x</a>',
        '<div style="background:url(//evil.example/p.png)">x</div>',
        '<meta http-equiv="refresh" content="0;url=https://evil.example">',
        "<iframe src=/x></iframe>",
    ],
)
def test_the_output_audit_refuses_what_a_browser_would_run_or_load(html: str, tmp_path: Path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "seite.html").write_text(f"<!DOCTYPE html><html><body>{html}</body></html>", encoding="utf-8")
    assert audit.audit_site(site, content_root=tmp_path) != []


def test_the_output_audit_accepts_the_shipped_site(shipped_site: Path):
    assert audit.audit_site(shipped_site, content_root=ROOT / "content") == []


def test_svg_that_loads_images_through_css_strings_is_refused():
    from regiodocs import svg

    style = b'<style>svg{background:image-set("https://e.x/p.png" 1x)}</style>'
    data = b'<svg xmlns="http://www.w3.org/2000/svg">' + style + b"</svg>"
    assert svg.problems(data) != []


@pytest.mark.parametrize(
    ("warning", "german"),
    [
        ("'figure': Unknown option key: 'breite' (allowed: ['alt', 'width']) [myst.directive_option]",
         "Die Direktive `figure` kennt die Option `:breite:` nicht. Möglich sind: alt, width."),
        ("'card': Invalid options format: expected key to start at column 0 [myst.directive_option]",
         "Die Optionen der Direktive `card` sind falsch geschrieben"),
        ("All children of a 'tab-set' should be 'tab-item' (found: paragraph) [design.tab]",
         "In `tab-set` dürfen nur `tab-item`-Abschnitte stehen"),
        ('Duplicate explicit target name: "doppelt". [docutils]', "Der Name `doppelt` (Option `:name:`)"),
        ("something new [myst.other]", "„something new“"),
    ],
)  # fmt: skip
def test_sphinx_warnings_about_a_contribution_are_said_in_german(warning: str, german: str):
    from regiodocs import bodies

    said = bodies.german(warning)
    assert said.startswith(german) or german in said, said
    assert "[myst" not in said and "[docutils]" not in said and "[design" not in said
