"""`regiodocs check`: the defect corpus, equivalence of .md and .yaml, report formats."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
import yaml

from regiodocs import checks, loading

from conftest import FIXTURES, ROOT, run_regiodocs

TODAY = dt.date(2026, 11, 22)
CASES = sorted(p for p in (FIXTURES / "defekte").iterdir() if p.is_dir())
VALID = sorted(p for p in (FIXTURES / "gueltig").iterdir() if p.is_dir())


def overlay(case: Path, tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basis", content)
    for file in case.rglob("*"):
        if file.is_file() and file.name != "erwartet.yaml":
            target = content / file.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, target)
    return content


def test_fixture_network_is_clean():
    result = checks.check(FIXTURES / "basis", FIXTURES, today=TODAY)
    assert result.findings == []


def test_shipped_content_is_clean():
    result = checks.check(ROOT / "content", ROOT, today=TODAY)
    assert result.errors == [], "\n".join(f"{f.file}:{f.line} {f.message}" for f in result.errors)


def test_second_network_checks_without_code_change():
    result = checks.check(FIXTURES / "lhsr", FIXTURES, today=TODAY)
    assert result.errors == []
    assert set(result.content.partner) == {"duesseldorf", "kreis-mettmann", "rhein-kreis-neuss"}
    assert result.content.netzwerk.data["bezeichnungen"]["handlungsfelder"] == "Zukunftsfelder"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_defect_is_the_only_cause_of_the_failure(case: Path, tmp_path: Path):
    """Undo the case's files (basis version back, added files removed): the check passes again."""
    content = overlay(case, tmp_path)
    assert checks.check(content, tmp_path, today=TODAY).errors, "the case must fail"
    for file in case.rglob("*"):
        if file.is_file() and file.name != "erwartet.yaml":
            rel = file.relative_to(case)
            if (FIXTURES / "basis" / rel).is_file():
                shutil.copyfile(FIXTURES / "basis" / rel, content / rel)
            else:
                (content / rel).unlink()
    result = checks.check(content, tmp_path, today=TODAY)
    assert result.errors == [], [(f.file, f.line, f.code.value) for f in result.errors]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_defect_is_reported_at_its_file_and_line(case: Path, tmp_path: Path):
    expected = yaml.safe_load((case / "erwartet.yaml").read_text(encoding="utf-8"))
    content = overlay(case, tmp_path)
    result = checks.check(content, tmp_path, today=TODAY)
    wanted = f"content/{expected['datei']}"
    hits = [
        f
        for f in result.errors
        if (f.file, f.line, f.code.value) == (wanted, expected["zeile"], expected["code"])
    ]
    listing = "\n".join(f"{f.file}:{f.line} {f.code.value} {f.message}" for f in result.findings)
    assert hits, f"expected {expected['code']} at {wanted}:{expected['zeile']}, got:\n{listing}"
    assert all(f.file == wanted for f in result.errors), listing
    assert all((f.message and f.message[0].isupper()) or f.message.startswith("`") for f in hits)


@pytest.mark.parametrize("case", VALID, ids=[c.name for c in VALID])
def test_valid_edge_cases_pass(case: Path, tmp_path: Path):
    result = checks.check(overlay(case, tmp_path), tmp_path, today=TODAY)
    assert result.errors == []


def test_yaml_tags_never_execute(tmp_path: Path):
    marker = tmp_path / "pwned"
    content = overlay(FIXTURES / "defekte" / "12-python-tag", tmp_path)
    (content / "projekte" / "beta" / "zweiter.yaml").write_text(
        f'!!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8"
    )
    result = checks.check(content, tmp_path, today=TODAY)
    assert not marker.exists()
    assert any(f.code.value == "RD005" for f in result.errors)


def test_same_record_as_markdown_and_yaml_is_the_same_record(tmp_path: Path):
    front = {
        "titel": "Radweg Süd",
        "kurzbeschreibung": "Ein Radweg.",
        "federfuehrung": "alpha",
        "handlungsfelder": ["mobilitaet"],
        "status": "planung",
        "beginn": 2025,
        "kontakt": [{"organisation": "Stadt Alpha", "email": "rad@example.org"}],
        "stand": "2026-03-15",
    }
    body = "## Ausgangslage\n\nViele Pendler:innen fahren **Rad**.\n"
    folder = tmp_path / "content" / "projekte" / "alpha"
    shutil.copytree(FIXTURES / "basis", tmp_path / "content", dirs_exist_ok=True)
    text = yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
    (folder / "radweg-sued.md").write_text(f"---\n{text}---\n{body}", encoding="utf-8")
    md, _ = loading.load(tmp_path / "content", tmp_path)
    (folder / "radweg-sued.md").unlink()
    (folder / "radweg-sued.yaml").write_text(
        yaml.safe_dump({**front, "beschreibung": body}, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    yml, _ = loading.load(tmp_path / "content", tmp_path)
    a, b = md.records["radweg-sued"], yml.records["radweg-sued"]
    assert a.data == {k: v for k, v in b.data.items() if k != "beschreibung"}
    assert a.body.strip() == b.body.strip()


def test_cli_exit_codes_and_formats(tmp_path: Path):
    clean = run_regiodocs("check", "--inhalt", str(FIXTURES / "basis"))
    assert clean.returncode == 0, clean.stdout + clean.stderr
    content = overlay(FIXTURES / "defekte" / "03-status-geplant", tmp_path)
    text = run_regiodocs("check", "--inhalt", str(content))
    assert text.returncode == 1
    assert "RD104" in text.stdout and "status-geplant.md:6:" in text.stdout
    as_json = json.loads(run_regiodocs("check", "--inhalt", str(content), "--format", "json").stdout)
    assert {"file", "line", "column", "code", "severity", "message"} <= set(as_json[0])
    github = run_regiodocs("check", "--inhalt", str(content), "--format", "github").stdout
    assert github.startswith("::error file=") and ",line=6," in github
    gitlab = json.loads(run_regiodocs("check", "--inhalt", str(content), "--format", "gitlab").stdout)
    assert gitlab[0]["location"]["lines"]["begin"] == 6 and gitlab[0]["fingerprint"]
    usage = run_regiodocs("check", "--format", "pdf")
    assert usage.returncode == 2 and "Traceback" not in usage.stderr


def test_check_can_report_on_selected_paths_only(tmp_path: Path):
    content = overlay(FIXTURES / "defekte" / "03-status-geplant", tmp_path)
    other = run_regiodocs("check", "--inhalt", str(content), str(content / "praxis"))
    assert other.returncode == 0
    same = run_regiodocs("check", "--inhalt", str(content), str(content / "projekte"))
    assert same.returncode == 1


def test_unused_media_warns_but_only_fails_when_strict(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basis", content)
    (content / "medien" / "uebrig.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    assert run_regiodocs("check", "--inhalt", str(content)).returncode == 0
    strict = run_regiodocs("check", "--inhalt", str(content), "--strict")
    assert strict.returncode == 1 and "RD212" in strict.stdout


def test_checking_one_file_still_sees_the_rest_of_the_tree(tmp_path: Path):
    content = overlay(FIXTURES / "defekte" / "23-verweis-auf-intern", tmp_path)
    changed = content / "projekte" / "beta" / "verweis-intern.yaml"
    result = run_regiodocs("check", "--inhalt", str(content), str(changed))
    assert result.returncode == 1 and "RD210" in result.stdout  # intern target read shallowly
    clean = run_regiodocs("check", "--inhalt", str(content), str(content / "praxis" / "gute-sache.md"))
    assert clean.returncode == 0, clean.stdout


def test_selective_check_agrees_with_the_full_check_on_every_defect(tmp_path: Path):
    for case in CASES:
        expected = yaml.safe_load((case / "erwartet.yaml").read_text(encoding="utf-8"))
        target = tmp_path / case.name
        content = overlay(case, target)
        file = content / expected["datei"]
        if not file.is_file():
            continue
        full = checks.check(content, target, today=TODAY)
        rel = expected["datei"]
        selective = checks.check(content, target, today=TODAY, only={rel})
        want = {(f.line, f.code) for f in full.errors if f.file.endswith(rel)}
        got = {(f.line, f.code) for f in selective.errors if f.file.endswith(rel)}
        assert got == want, case.name


# ---------------------------------------------------------------- contact data and empty sections

RADWEG = Path("projekte") / "alpha" / "radweg-nord.md"


def _edited(tmp_path: Path, old: str, new: str, file: Path = RADWEG) -> tuple[Path, list]:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basis", content)
    text = (content / file).read_text(encoding="utf-8")
    assert old in text
    (content / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    result = checks.check(content, tmp_path, today=TODAY)
    return content, [f for f in result.findings if f.file.endswith(file.as_posix())]


@pytest.mark.parametrize(
    ("old", "new", "line", "code", "words"),
    [
        ("radverkehr@alpha.example.org", "hitzeschutz@stadt.neuss,de", 31, "RD107",
         ("keine gültige E-Mail-Adresse", "ein Komma", "Meinten Sie `hitzeschutz@stadt.neuss.de`?")),
        ("radverkehr@alpha.example.org", "rad verkehr@alpha.de", 31, "RD107", ("ein Leerzeichen",)),
        ("radverkehr@alpha.example.org", "radverkehr@alpha", 31, "RD107", ("fehlt ein Punkt",)),
        ("radverkehr@alpha.example.org", "radverkehr..x@alpha.de", 31, "RD107", ("Zwei Punkte",)),
        ('telefon: "+49 211 000001"', 'telefon: "12345"', 32, "RD107",
         ("keine gültige Telefonnummer", "mit Vorwahl")),
        ('telefon: "+49 211 000001"', 'telefon: "02131 90-0 Zentrale"', 32, "RD107", ("Buchstaben",)),
        ("https://www.alpha.example.org/radschnellweg-nord", "https://www.alpha,example.org/x", 35, "RD206",
         ("keine gültige Webadresse", "Komma")),
        ("https://www.alpha.example.org/radschnellweg-nord", "https://www.alpha.de:99999/", 35, "RD206",
         ("Port",)),
        ("https://www.alpha.example.org/radschnellweg-nord", "ftp://www.alpha.de/", 35, "RD206",
         ("https://",)),
        ("organisation: Stadt Alpha, Amt für Verkehrsmanagement", 'organisation: "\u2003 "', 29, "RD110",
         ("nur aus Leerzeichen",)),
    ],
    ids=["email-komma", "email-leerzeichen", "email-ohne-punkt", "email-zwei-punkte", "telefon-kurz",
         "telefon-buchstaben", "url-komma", "url-port", "url-ftp", "leerzeichen"],
)  # fmt: skip
def test_bad_contact_data_is_refused_in_german_at_its_line(
    tmp_path: Path, old: str, new: str, line: int, code: str, words: tuple[str, ...]
):
    _content, found = _edited(tmp_path, old, new)
    errors = [f for f in found if f.is_error]
    assert [(f.line, f.code.value) for f in errors] == [(line, code)], errors
    assert all(word in errors[0].message for word in words), errors[0].message


@pytest.mark.parametrize(
    "number", ["02131 90-0", "(02131) 90-0", "+49 2131 90-0", "+49 (0) 2131 90-0", "0170 1234567"]
)
def test_german_telephone_numbers_pass_and_have_a_tel_link(tmp_path: Path, number: str):
    from regiodocs.contacts import tel_uri

    _content, found = _edited(tmp_path, 'telefon: "+49 211 000001"', f'telefon: "{number}"')
    assert found == []
    assert tel_uri(number) in {"tel:+492131900", "tel:+491701234567"}


def test_tel_uri_is_none_for_a_number_that_cannot_be_dialled():
    from regiodocs.contacts import tel_uri

    assert tel_uri("12345") is None and tel_uri("02131 90-0 Zentrale") is None
    assert tel_uri("+49 211 000001") == "tel:+49211000001"


def test_cli_refuses_the_comma_address_of_the_issue(tmp_path: Path):
    content, _found = _edited(tmp_path, "radverkehr@alpha.example.org", "hitzeschutz@stadt.neuss,de")
    result = run_regiodocs("check", "--inhalt", str(content))
    assert result.returncode == 1
    assert "radweg-nord.md:31:" in result.stdout and "hitzeschutz@stadt.neuss.de" in result.stdout


EMPTY_SECTIONS = """## Ausgangslage

% Welches Problem, welcher Anlass?

## Ziele

Ein durchgehender, sicherer Radweg über die Stadtgrenze.

## Vorgehen

### Schritte

Erst planen, dann bauen.

## Ergebnisse

```text
## Erfahrungen
```

## Erfahrungen

<!-- noch offen -->

## Übertragbarkeit
## Eigene Überschrift
"""


def test_recommended_sections_present_but_empty_warn_at_their_line(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "basis", content)
    file = content / RADWEG
    head = file.read_text(encoding="utf-8").split("\n---\n", 1)[0] + "\n---\n\n"
    file.write_text(head + EMPTY_SECTIONS, encoding="utf-8")
    start = head.count("\n") + 1  # line of "## Ausgangslage"
    result = checks.check(content, tmp_path, today=TODAY)
    found = [f for f in result.findings if f.file.endswith(RADWEG.as_posix())]
    assert all(not f.is_error for f in found), found
    assert [(f.line - start, f.code.value) for f in found] == [(0, "RD215"), (20, "RD215"), (24, "RD215")]
    assert "„Ausgangslage“ hat keinen Text" in found[0].message
    assert "„Übertragbarkeit“" in found[2].message
    strict = run_regiodocs("check", "--strict", "--inhalt", str(content))
    assert strict.returncode == 1 and f"radweg-nord.md:{start}:1: RD215 Warnung" in strict.stdout


def test_an_empty_section_in_a_yaml_description_warns_at_its_line(tmp_path: Path):
    file = Path("projekte") / "beta" / "quartier-sued.yaml"
    _content, found = _edited(tmp_path / "block", "  Die Fläche liegt seit Jahren brach.\n", "", file)
    assert [(f.line, f.code.value) for f in found] == [(24, "RD215")]  # "  ## Ausgangslage"
    text = (FIXTURES / "basis" / file).read_text(encoding="utf-8")
    block = text[text.index("beschreibung: |") :]
    quoted = 'beschreibung: "## Ziele\\n\\n## Vorgehen\\n\\nSo.\\n"\n'
    _content, found = _edited(tmp_path / "quoted", block, quoted, file)
    assert [(f.line, f.code.value) for f in found] == [(23, "RD215")]  # a folded scalar: the field


def test_a_mistyped_path_is_named_and_never_reads_as_no_problems(tmp_path: Path):
    content = FIXTURES / "basis"
    wrong = content / "projekte" / "alpha" / "gibtsnicht.md"
    result = run_regiodocs("check", "--inhalt", str(content), str(wrong))
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"`{wrong}` gibt es nicht" in result.stderr and "Keine Probleme" not in result.stdout
    right = run_regiodocs("check", "--inhalt", str(content), str(content / "projekte/alpha/radweg-nord.md"))
    assert right.returncode == 0, right.stdout + right.stderr


# ---------------------------------------------------------------- control characters

QUARTER = Path("projekte") / "beta" / "quartier-sued.yaml"


@pytest.mark.parametrize(
    ("file", "old", "new", "marker", "column", "name"),
    [
        # a YAML escape in double quotes: the parsed value holds ESC (the raw byte is refused by YAML)
        (RADWEG, "titel: Radschnellweg Nord", 'titel: "Radschnellweg\\e Nord"', "titel:", 22, "ESC"),
        # a vertical tab in a Markdown body
        (RADWEG, "Täglich pendeln viele", "Täglich\vpendeln viele", "Täglich", 8, "VT"),
        # in a YAML body (a block scalar): the raw character, at its line inside the block
        (QUARTER, "  Die Fläche liegt", "  Die\vFläche liegt", "Die", 6, "VT"),
        # an escape on the second line of a quoted multi-line value: that line, not the key's
        (QUARTER, "kurzbeschreibung: Auf einer ehemaligen Gewerbefläche entsteht ein gemischtes "
         "Wohnquartier.", 'kurzbeschreibung: "Auf einer ehemaligen\n  Gewerbe\\x7ffläche entsteht."',
         "Gewerbe", 10, "DEL"),
        # raw ESC in a YAML value (libyaml refuses it, but named no line and spoke English)
        (QUARTER, "titel: Quartier Süd", "titel: Quartier\x1b Süd", "titel:", 16, "ESC"),
        # a form feed in a contact's name
        (RADWEG, "funktion: Projektleitung Radverkehr", 'funktion: "Projektleitung\\fRadverkehr"',
         "funktion:", 30, "FF"),
        # the C1 range of an old code page, raw (YAML refused it in English at 1:1)
        (QUARTER, "titel: Quartier Süd", "titel: Quartier\x9b Süd", "titel:", 16, "U+009B"),
        # NEL: YAML would read it as a line break and shift every later line
        (QUARTER, "titel: Quartier Süd", "titel: Quartier\x85 Süd", "titel:", 16, "NEL"),
        # a line separator in a Markdown body
        (RADWEG, "Täglich pendeln viele", "Täglich\u2028pendeln viele", "Täglich", 8, "ein Zeilentrenner"),
        # a right-to-left override (reorders what a reader sees)
        (QUARTER, "titel: Quartier Süd", "titel: Quartier\u202e Süd", "titel:", 16, "eine Umkehr"),
        # a noncharacter (the XLSX export's XML cannot hold it)
        (RADWEG, "Täglich pendeln viele", "Täglich\uffff pendeln viele", "Täglich", 8, "ein Nicht-Zeichen"),
    ],
    ids=["esc-escape-titel", "vt-markdown", "vt-blockskalar", "del-zweite-zeile", "esc-roh", "ff-escape",
         "c1-roh", "nel-roh", "zeilentrenner", "schreibrichtung", "nicht-zeichen"],
)  # fmt: skip
def test_control_characters_are_refused_at_their_line(
    tmp_path: Path, file: Path, old: str, new: str, marker: str, column: int, name: str
):
    content, found = _edited(tmp_path, old, new, file)
    lines = (content / file).read_text(encoding="utf-8").split("\n")
    line = next(number for number, text in enumerate(lines, 1) if marker in text and text.strip() != "---")
    errors = [f for f in found if f.is_error]
    assert [(f.line, f.column, f.code.value) for f in errors] == [(line, column, "RD001")], errors
    assert f"Steuerzeichen ({name}" in errors[0].message and "Löschen Sie es" in errors[0].message


def test_a_control_character_in_a_registry_is_the_only_finding(tmp_path: Path):
    """The registry is read without the character: no "file missing", no unknown ids after it."""
    content, _found = _edited(
        tmp_path, "name: RegioTestNetz", "name: Regio\x1bTestNetz", Path("netzwerk.yaml")
    )
    result = checks.check(content, tmp_path, today=TODAY)
    assert [(Path(f.file).name, f.code.value) for f in result.errors] == [("netzwerk.yaml", "RD001")], [
        (f.file, f.line, f.code.value, f.message[:60]) for f in result.errors
    ]


def test_a_control_character_stops_check_and_release_before_any_export(tmp_path: Path):
    """ESC in a title and a vertical tab in a body: `regiodocs check` names both at file:line and
    `regiodocs release` publishes nothing (the XLSX export cannot hold them)."""
    from conftest import TODAY as DAY
    from conftest import clean_tree

    content = clean_tree(
        tmp_path / "content", "# {title}\n\nAngaben der Geschäftsstelle, geprüft am 1. 11. 2026.\n"
    )
    path = content / RADWEG
    text = path.read_text(encoding="utf-8")
    text = text.replace("titel: Radschnellweg Nord", 'titel: "Radschnellweg\\e Nord"', 1)
    path.write_text(text.replace("Täglich pendeln", "Täglich\vpendeln", 1), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").split("\n")
    title = next(n for n, t in enumerate(lines, 1) if t.startswith("titel:"))
    body = next(n for n, t in enumerate(lines, 1) if t.startswith("Täglich"))
    checked = run_regiodocs("check", "--inhalt", str(content))
    assert checked.returncode == 1, checked.stdout + checked.stderr
    shown = f"content/{RADWEG.as_posix()}"
    assert f"{shown}:{title}:22: RD001" in checked.stdout and f"{shown}:{body}:8: RD001" in checked.stdout
    assert "Traceback" not in checked.stdout + checked.stderr
    root = tmp_path / "ausgaben"
    released = run_regiodocs(
        "release", "2026-1", "--inhalt", str(content), "--ziel", str(root), "--heute", DAY, "-j", "1",
        "--ohne-pdf",
    )  # fmt: skip
    out = released.stdout + released.stderr
    assert released.returncode == 1, out
    assert f"{shown}:{title}:22: RD001" in out and "Traceback" not in out
    assert not list(root.rglob("*.xlsx")) and not (root / "2026-1").exists()
