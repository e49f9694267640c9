"""The Veröffentlichungsprüfung: every rule refuses at its file and line; ``--probe`` marks everything."""

from __future__ import annotations

import csv
import io
import json
import random
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from regiodocs import checks, loading
from regiodocs.editions import exports, gate
from regiodocs.editions import release as release_mod
from regiodocs.findings import Code, Finding

from conftest import CLEAN_DOMAIN, ROOT, TODAY, run_regiodocs
from conftest import clean_tree as conftest_clean_tree

EDITOR = {"REGIODOCS_CMS_REPO": "netzwerk/handbuch", "REGIODOCS_CMS_APP_ID": "4f1c2b9e-anwendung"}
#: GitLab CI's and regiodocs' own variables: the gate must not see the CI run's project or server.
NO_CI = (
    "CI_PROJECT_PATH", "CI_SERVER_URL", "CI_API_V4_URL", "CI_DEFAULT_BRANCH", "CI_PAGES_URL",
    *(f"REGIODOCS_CMS_{n.upper()}" for n in ("repo", "app_id", "base_url", "api_root", "branch", "backend")),
    "SOURCE_DATE_EPOCH",
)  # fmt: skip


#: The text of every legal page of the clean tree.
LEGAL_PAGE = "# {title}\n\nAngaben der Geschäftsstelle, geprüft am 1. November 2026.\n"


def clean_tree(target: Path) -> Path:
    """The basis network with real-looking addresses and complete legal pages: the gate passes."""
    return conftest_clean_tree(target, LEGAL_PAGE)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {path} has no {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def findings(content: Path, monkeypatch: pytest.MonkeyPatch, project: Path = ROOT) -> list:
    for name, value in EDITOR.items():
        monkeypatch.setenv(name, value)
    result = checks.check(content, content.parent, today=checks.dt.date.fromisoformat(TODAY))
    assert result.errors == [], result.errors
    return gate.check(result.content, gate.rules(project))


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return clean_tree(tmp_path / "content")


def test_a_clean_tree_passes(content: Path, monkeypatch: pytest.MonkeyPatch):
    assert findings(content, monkeypatch) == []


# each rule at its line: (file, old text, new text, marker of the refused line, code, words of the message)
QUARTER = "projekte/beta/quartier-sued.yaml"  # a YAML record: its body is a block scalar
IMPRESSUM = "seiten/impressum.md"
CASES = {
    "beispieladresse": ("partner/alpha.yaml", f"regionetz@alpha.{CLEAN_DOMAIN}", "regionetz@example.org",
                        "regionetz@example.org", "RD401", "Beispieladresse"),
    "beispiel-url": ("foerderung/programm-a.yaml", f"https://foerderung.{CLEAN_DOMAIN}/radinfrastruktur",
                     "https://www.example.de/foerderung", "example.de", "RD401", "Beispieladresse"),
    "bitte": ("projekte/alpha/radweg-nord.md", "projektgruppe: Projektgruppe Radschnellweg",
              "projektgruppe: BITTE EINTRAGEN", "BITTE", "RD401", "Aufforderung"),
    "klammern-im-text": (IMPRESSUM, "Angaben der Geschäftsstelle",
                         "Herausgeber: [Name der Behörde], Angaben der Geschäftsstelle", "[Name der Behörde]",
                         "RD401", "„[Name der Behörde]“ ist ein Platzhalter in eckigen Klammern"),
    "auslassung-im-feld": ("projekte/alpha/radweg-nord.md", "kurzbeschreibung: Ein interkommunaler",
                           "kurzbeschreibung: Ein […] interkommunaler", "[…]", "RD401", "„[…]“"),
    "entwurf": ("seiten/datenschutz.md", "# Datenschutz\n", "# Datenschutz\n\n**Entwurf** der Stelle.\n",
                "Entwurf", "RD403", "als „Entwurf“ gekennzeichnet"),
    "entwurfsfassung": ("seiten/datenschutz.md", "# Datenschutz\n",
                        "# Datenschutz\n\nStand: Entwurfsfassung vom 1. Oktober 2026.\n", "Entwurfsfassung",
                        "RD403", "gekennzeichnet"),
    "mustername-genitiv": (IMPRESSUM, "Angaben", "Siehe Erika Mustermanns Antrag.\n\nAngaben",
                           "Mustermanns", "RD401", "Platzhalter"),
    "klammern-mit-betonung": (IMPRESSUM, "Angaben", "Herausgeber: [*Name der Behörde*]\n\nAngaben",
                              "[*Name", "RD401", "eckigen Klammern"),
    "beispiel-eintrag": ("praxis/gute-sache.md", "stand:", "beispiel: true\nstand:", "beispiel: true",
                         "RD402", "Beispiel-Eintrag (`beispiel: true`)"),
    # found by the independent attack: an underscore after BITTE, and sample names
    "bitte-unterstrich": ("projekte/alpha/radweg-nord.md", "projektgruppe: Projektgruppe Radschnellweg",
                          "projektgruppe: BITTE_EINTRAGEN", "BITTE_", "RD401", "Aufforderung"),
    "mustermann": ("partner/alpha.yaml", "    funktion: Koordination RegioTestNetz",
                   "    funktion: Koordination RegioTestNetz, Erika Mustermann", "Mustermann", "RD401",
                   "Platzhalter"),
    # 1. YAML values as parsed: a `#` line of a block scalar is text (a heading of the body), and
    # every line of a multi-line value is judged at its own line, not at its key's
    "blockskalar-raute": (QUARTER, "  ## Vorgehen\n",
                          "  ## Vorgehen\n\n  ## Ansprechpartnerin: BITTE EINTRAGEN\n",
                          "BITTE EINTRAGEN", "RD401", "Aufforderung"),
    "blockskalar-h1-platzhalter": (QUARTER, "  ## Vorgehen\n", "  # Platzhalter für das Vorgehen\n",
                                   "Platzhalter", "RD401", "Platzhalter"),
    "blockskalar-klammern": (QUARTER, "  Die Fläche liegt seit Jahren brach.",
                             "  Die Fläche liegt seit Jahren brach.\n  Eigentümerin: [Name der Eigentümerin]",
                             "[Name der Eigentümerin]", "RD401", "eckigen Klammern"),
    "gefalteter-text": (QUARTER, "kurzbeschreibung: Auf einer ehemaligen Gewerbefläche",
                        "kurzbeschreibung: >\n  Auf einer ehemaligen\n  [Ort] Gewerbefläche",
                        "[Ort]", "RD401", "„[Ort]“"),
    "mehrzeiliger-text-in-anfuehrungszeichen": (
        QUARTER, "kurzbeschreibung: Auf einer ehemaligen Gewerbefläche entsteht ein gemischtes Wohnquartier.",
        'kurzbeschreibung: "Auf einer ehemaligen Gewerbefläche\n  entsteht ein \\u00e4hnliches Quartier\n'
        '  (Kontakt: info@beta.example.org)."', "info@beta.example.org", "RD401", "Beispieladresse"),
    "text-in-anfuehrungszeichen": ("projekte/alpha/radweg-nord.md",
                                   "projektgruppe: Projektgruppe Radschnellweg",
                                   'projektgruppe: "[Projektgruppe]"', "[Projektgruppe]", "RD401",
                                   "„[Projektgruppe]“"),
    # 2. Markdown as MyST parses it: code is published (addresses count), brackets only where a
    # reader sees brackets (lowercase, with spaces, an unresolved reference)
    "klammern-klein": (IMPRESSUM, "Angaben", "Verantwortlich: [bitte ergänzen]\n\nAngaben",
                       "[bitte ergänzen]", "RD401", "„[bitte ergänzen]“"),
    "klammern-mit-leerzeichen": (IMPRESSUM, "Angaben", "Verantwortlich: [ Name ]\n\nAngaben", "[ Name ]",
                                 "RD401", "„[ Name ]“"),
    "verweis-ohne-ziel": (IMPRESSUM, "Angaben", "Herausgeberin ist die [Stadt Neuss].\n\nAngaben",
                          "[Stadt Neuss]", "RD401", "„[Stadt Neuss]“"),
    "adresse-im-codeblock": (IMPRESSUM, "Angaben",
                             "So schreiben Sie:\n\n```yaml\nemail: a@example.org\n```\n\nAngaben",
                             "a@example.org", "RD401", "Beispieladresse"),
    "adresse-im-inline-code": (IMPRESSUM, "Angaben", "Schreiben Sie an `post@example.de`.\n\nAngaben",
                               "post@example.de", "RD401", "Beispieladresse"),
    "platzhalter-im-code": (IMPRESSUM, "Angaben", "```\nTelefon: Platzhalter\n```\n\nAngaben",
                            "Telefon: Platzhalter", "RD401", "Platzhalter"),
    "doppelpunkt-direktive": (IMPRESSUM, "Angaben", ":::{note}\nTelefon: [Telefonnummer]\n:::\n\nAngaben",
                              "[Telefonnummer]", "RD401", "„[Telefonnummer]“"),
    "titel-einer-direktive": (IMPRESSUM, "Angaben", ":::{note} Hinweis für [Name]\nText.\n:::\n\nAngaben",
                              "[Name]", "RD401", "„[Name]“"),
    "code-in-doppelpunkt-direktive": (IMPRESSUM, "Angaben",
                                      ":::{note}\nSo:\n\n```\npost@beta.example\n```\n:::\n\nAngaben",
                                      "post@beta.example", "RD401", "reserviert"),
    "linkadresse": (IMPRESSUM, "Angaben", "Siehe [Landesrecht](https://recht.example/).\n\nAngaben",
                    "recht.example", "RD401", "reserviert"),
    # 3. the names reserved for examples and tests (RFC 2606, RFC 6761)
    "domain-example": ("partner/alpha.yaml", f"regionetz@alpha.{CLEAN_DOMAIN}", "regionetz@alpha.example",
                       "regionetz@alpha.example", "RD401",
                       "`regionetz@alpha.example` ist eine Beispieladresse"),
    "domain-test": ("foerderung/programm-a.yaml", f"https://foerderung.{CLEAN_DOMAIN}/radinfrastruktur",
                    "https://foerderung.test/rad", "foerderung.test", "RD401", ".test"),
    "domain-invalid": ("foerderung/programm-a.yaml", f"https://foerderung.{CLEAN_DOMAIN}/radinfrastruktur",
                       "https://foerderung.invalid/rad", "foerderung.invalid", "RD401", ".invalid"),
    "domain-localhost": (IMPRESSUM, "Angaben", "Vorschau: http://localhost:8000/\n\nAngaben",
                         "localhost", "RD401", "localhost zeigt auf den Rechner der Leser:innen"),
    "subdomain-localhost": (IMPRESSUM, "Angaben", "Vorschau: https://handbuch.localhost/\n\nAngaben",
                            "handbuch.localhost", "RD401", "reserviert"),
    # markdown-it makes a line break inside inline code a space: the lines after it still count
    "nach-code-ueber-zeilen": (IMPRESSUM, "Angaben",
                               "Wert `a\nb` und {abbr}`ÖV\n(Verkehr)`\nPlatzhalter folgt.\n\nAngaben",
                               "Platzhalter folgt", "RD401", "Platzhalter"),
    "adresse-in-code-ueber-zeilen": (IMPRESSUM, "Angaben",
                                     "Schreiben Sie an `amt\npost@amt.example`.\n\nAngaben",
                                     "post@amt.example", "RD401", "Beispieladresse"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_rule_refuses_at_its_line(content: Path, monkeypatch: pytest.MonkeyPatch, case: str):
    file, old, new, marker, code, words = CASES[case]
    edit(content / file, old, new)
    found = findings(content, monkeypatch)
    line = line_of(content / file, marker)
    assert [(f.file, f.line, f.code.value) for f in found] == [(f"content/{file}", line, code)], found
    assert words in found[0].message, found[0].message
    assert found[0].is_error


def test_a_missing_legal_page_is_named(content: Path, monkeypatch: pytest.MonkeyPatch):
    (content / "seiten" / "barrierefreiheit.md").unlink()
    found = findings(content, monkeypatch)
    assert [(f.file, f.line, f.code.value) for f in found] == [
        ("content/seiten/barrierefreiheit.md", 1, "RD403")
    ]
    assert "Pflichtseite fehlt: Erklärung zur Barrierefreiheit" in found[0].message


# what is not published, or shows no brackets: (file, old text, new text)
NOT_PUBLISHED = {
    # a link is no placeholder, nor a footnote, nor a number in brackets
    "links": (IMPRESSUM, "Angaben",
              "Siehe [Landesrecht](https://recht.nrw.de/)[^1] und Quelle [2].\n\n"
              "[^1]: Stand 2026.\n\nAngaben"),
    # a YAML flow list of capitalised keywords is data, not a placeholder
    "flow-liste": ("projekte/alpha/radweg-nord.md", "schlagworte: [Radverkehr, Pendeln]",
                   "schlagworte: [Radverkehr]"),
    # a whole-line comment is never published (regiodocs new explains fields with examples)
    "kommentar": ("partner/alpha.yaml", "telefon:", "# email: stadtplanung@example.org\n    telefon:"),
    # nor is an end-of-line comment
    "zeilenende-kommentar": ("partner/alpha.yaml", 'telefon: "+49 211 000000"',
                             'telefon: "+49 211 000000"  # Platzhalter, bitte ersetzen'),
    "zeilenende-kommentar-klammern": ("projekte/alpha/radweg-nord.md",
                                      "projektgruppe: Projektgruppe Radschnellweg",
                                      "projektgruppe: Projektgruppe Radschnellweg  # [Name] später"),
    "blockskalar-kopf-kommentar": (QUARTER, "beschreibung: |", "beschreibung: |  # [Name] nachtragen"),
    # an intern record is not published
    "intern": ("projekte/alpha/intern-vorhaben.md", "status: idee",
               "status: idee\nprojektgruppe: BITTE AUSFÜLLEN"),
    # MyST comments are not shown
    "myst-kommentar": (IMPRESSUM, "Angaben", "% [Name der Behörde] – Platzhalter der Vorlage\n\nAngaben"),
    # brackets in code are code: shown as written, but no placeholder
    "klammern-im-inline-code": (IMPRESSUM, "Angaben", "Die Liste `[Name]` steht im Formular.\n\nAngaben"),
    "klammern-im-codeblock": (IMPRESSUM, "Angaben", "```yaml\nschlagworte: [Radverkehr]\n```\n\nAngaben"),
    "klammern-in-code-direktive": (IMPRESSUM, "Angaben",
                                   ":::{code-block} yaml\nbeteiligte: [alpha]\n:::\n\nAngaben"),
    # a reference that resolves shows its text as a link, without brackets
    "verweis-mit-ziel": (IMPRESSUM, "Angaben",
                         "Herausgeberin ist die [Stadt Neuss].\n\n[Stadt Neuss]: https://www.neuss.de/\n\nAngaben"),
    # a link to a heading's anchor
    "anker": (IMPRESSUM, "Angaben", "## Anschrift\n\nSiehe [Anschrift](#anschrift).\n\nAngaben"),
    # units in brackets and task marks are meant as written
    "einheiten": (IMPRESSUM, "Angaben",
                  "| Länge [km] | Fläche [m²] | Kosten [Mio. €] | Ausstoß [t CO2-eq] |\n|---|---|---|---|\n"
                  "| 1 | 2 | 3 | 4 |\n\nAngaben"),
    "bitte-beachten": (IMPRESSUM, "Angaben", "BITTE BEACHTEN: Die Anmeldung ist verbindlich.\n\nAngaben"),
    "aufgabenliste": (IMPRESSUM, "Angaben", "- [x] erledigt\n- [ ] offen\n- [X] geprüft\n\nAngaben"),
    "einfuegung-im-zitat": (IMPRESSUM, "Angaben", "„Die Stadt plant“, sagte sie [sic].\n\nAngaben"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(NOT_PUBLISHED))
def test_what_is_not_published_is_no_placeholder(content: Path, monkeypatch: pytest.MonkeyPatch, case: str):
    file, old, new = NOT_PUBLISHED[case]
    edit(content / file, old, new)
    assert findings(content, monkeypatch) == []


def test_a_placeholder_inside_a_directive_is_refused(content: Path, monkeypatch: pytest.MonkeyPatch):
    edit(content / "seiten/impressum.md", "Angaben", "```{note}\nTelefon: [Telefonnummer]\n```\n\nAngaben")
    found = findings(content, monkeypatch)
    assert [(f.line, f.code.value) for f in found] == [(4, "RD401")]


def project_with(tmp_path: Path, settings: str) -> Path:
    project = tmp_path / "projekt"
    project.mkdir()
    conf = (ROOT / "conf.py").read_text(encoding="utf-8")
    (project / "conf.py").write_text(conf + "\n" + settings + "\n", encoding="utf-8")
    return project


def test_the_placeholders_are_configurable_in_conf_py(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    edit(content / "projekte/alpha/radweg-nord.md", "Projektgruppe Radschnellweg", "Projektgruppe XXX")
    assert findings(content, monkeypatch) == []
    project = project_with(tmp_path, 'regiodocs_platzhalter = [r"\\bXXX\\b"]')
    found = findings(content, monkeypatch, project)
    assert [(f.line, f.code.value) for f in found] == [(11, "RD401")]
    assert "`regiodocs_platzhalter` in conf.py" in found[0].message


@pytest.mark.parametrize(
    ("settings", "env", "refused"),
    [
        ("regiodocs_cms = True", {}, True),  # switched on, nothing configured
        ("", {}, False),  # the shipped conf.py: "auto", nothing configured - no editor
        ("", EDITOR, False),  # configured by CI variables
        ('regiodocs_cms_repo = "netzwerk/handbuch"\nregiodocs_cms_app_id = "4f1c"', {}, False),
        ('regiodocs_cms = True\nregiodocs_cms_repo = "a/b"\nregiodocs_cms_app_id = "BITTE-APP-ID"', {}, True),
        ("regiodocs_cms = False", {}, False),  # switched off
        ('regiodocs_cms = "auto"', {}, False),  # only when configured
    ],
    ids=["an-ohne-angaben", "auto-ohne-angaben", "ci-variablen", "conf", "bitte-app-id", "aus", "auto"],
)
def test_a_web_editor_switched_on_but_not_configured_is_refused(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: str, env: dict, refused: bool
):
    for name in NO_CI:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    project = project_with(tmp_path, settings)
    result = checks.check(content, content.parent, today=checks.dt.date.fromisoformat(TODAY))
    found = gate.check(result.content, gate.rules(project))
    assert [f.code.value for f in found] == (["RD404"] if refused else [])
    if refused:
        assert found[0].file == "conf.py" and "regiodocs_cms = False" in found[0].message
        assert "regiodocs_cms_app_id" in found[0].message


# ---------------------------------------------------------------- the command line


def release(content: Path, root: Path, *args: str, env: dict[str, str] | None = None):
    return run_regiodocs(
        "release", *args, "--inhalt", str(content), "--ziel", str(root), "--heute", TODAY, "-j", "1",
        env={**EDITOR, **(env or {})}, unset=(*NO_CI[:1], "SOURCE_DATE_EPOCH"),
    )  # fmt: skip


def test_pruefen_runs_the_gate_alone(content: Path, tmp_path: Path):
    passed = release(content, tmp_path / "ausgaben", "--pruefen")
    assert passed.returncode == 0 and "Veröffentlichungsprüfung bestanden" in passed.stdout, passed.stderr
    edit(content / "partner/alpha.yaml", f"regionetz@alpha.{CLEAN_DOMAIN}", "regionetz@example.org")
    refused = release(content, tmp_path / "ausgaben", "--pruefen")
    assert refused.returncode == 1
    assert re.search(
        r"content/partner/alpha\.yaml:\d+:\d+: RD401 Fehler: `regionetz@example\.org`", refused.stdout
    )
    assert "1 Platzhalter" in refused.stdout and not (tmp_path / "ausgaben").exists()


def test_a_release_refuses_at_file_and_line_and_says_how_to_try_it(content: Path, tmp_path: Path):
    edit(content / "seiten/impressum.md", "Angaben", "[Anschrift]\n\nAngaben")
    refused = release(content, tmp_path / "ausgaben", "2026-1", "--ohne-pdf")
    assert refused.returncode == 1
    assert "content/seiten/impressum.md:3:1: RD401 Fehler: „[Anschrift]“" in refused.stderr
    assert "Die Veröffentlichungsprüfung lehnt ab: 1 Platzhalter" in refused.stderr
    probe = re.search(r"Zum Ansehen ohne Veröffentlichung: (.+)$", refused.stderr, re.M)
    assert probe and probe.group(1).split()[1:3] == ["release", "2026-1"] and "--probe" in probe.group(1)
    assert not (tmp_path / "ausgaben" / "2026-1").exists()


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """A deliberate test release of a tree with a placeholder and a demonstration record."""
    base = tmp_path_factory.mktemp("probe")
    content = clean_tree(base / "content")
    edit(content / "seiten/impressum.md", "Angaben", "[Anschrift]\n\nAngaben")
    edit(content / "praxis/gute-sache.md", "stand:", "beispiel: true\nstand:")
    done = release(content, base / "ausgaben", "2026-1", "--ohne-pdf", "--probe")
    assert done.returncode == 0, done.stdout + done.stderr
    return base / "ausgaben" / release_mod.PROBE_FOLDER / "2026-1", done


def test_a_probe_is_never_an_edition(probe: tuple[Path, object]):
    """A test release goes to its own folder: it takes no name of the editions, does not become
    `aktuell`, is not listed and is not the predecessor of the next edition."""
    edition, _done = probe
    editions = edition.parent.parent
    assert edition.is_dir() and edition.parent.name == release_mod.PROBE_FOLDER
    assert not (editions / "2026-1").exists() and not (editions / "aktuell").exists()
    assert not (editions / "ausgaben.json").exists() or "2026-1" not in (
        editions / "ausgaben.json"
    ).read_text("utf-8")


def test_a_local_editor_backend_never_reaches_an_edition(content: Path, tmp_path: Path, monkeypatch):
    project = tmp_path / "projekt"
    project.mkdir()
    conf = (ROOT / "conf.py").read_text(encoding="utf-8")
    setting = 'regiodocs_cms_lokal = "http://127.0.0.1:8081/api/v1"'
    (project / "conf.py").write_text(f"{conf}\n{setting}\n", "utf-8")
    found = findings(content, monkeypatch, project)
    line = (project / "conf.py").read_text("utf-8").splitlines().index(setting) + 1
    assert [(f.file, f.line, f.code.value) for f in found] == [("conf.py", line, "RD404")], found
    assert "nur für die Vorschau" in found[0].message


def test_probe_goes_through_and_says_why_it_is_one(probe: tuple[Path, object]):
    _edition, done = probe
    assert "impressum.md:3:1: RD401 Warnung" in done.stderr and "RD402 Warnung" in done.stderr
    assert "0 Fehler, 2 Warnungen." in done.stderr
    assert "Probeausgabe: trotz 1 Platzhalter, 1 Beispiel-Eintrag" in done.stdout
    assert "git-Tag" not in done.stdout  # a test release is never tagged


def test_probe_marks_every_export(probe: tuple[Path, object]):
    edition, _done = probe
    text = exports.PROBE_TEXT
    data = json.loads((edition / "daten/eintraege.json").read_text(encoding="utf-8"))
    assert data["hinweis"] == text and data["probe"] is True
    for path in sorted((edition / "daten").glob("*.csv")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# {text}", path
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        assert rows[1][0] == "id", path  # the header follows the comment (CSVW commentPrefix "#")
    assert exports.read_csv(edition / "daten/eintraege.csv")  # and reads back by the documented rules
    metadata = json.loads((edition / "daten/csv-metadata.json").read_text(encoding="utf-8"))
    assert metadata["dialect"]["commentPrefix"] == "#" and text in metadata["dc:title"]
    dcat = json.loads((edition / "daten/dcat.jsonld").read_text(encoding="utf-8"))
    assert text in dcat["dct:title"]["@value"] and dcat["dct:description"]["@value"].startswith(text)
    assert text in (edition / "daten/LIESMICH.md").read_text(encoding="utf-8")
    assert text in (edition / "CITATION.cff").read_text(encoding="utf-8")
    assert json.loads((edition / "manifest.json").read_text(encoding="utf-8"))["probe"] == text


def test_probe_passes_its_note_into_every_page(probe: tuple[Path, object]):
    """The build gets ``regiodocs_ausgabedaten`` with ``probe``/``probe_hinweis`` (in every page's
    HTML context); the theme shows the note as a banner."""
    edition, _done = probe
    # every page of the handbook (the web editor's own start page under admin/ is Decap's)
    pages = sorted(p for p in edition.rglob("*.html") if p.relative_to(edition).parts[0] != "admin")
    assert len(pages) > 10
    missing = [
        p.relative_to(edition).as_posix() for p in pages if exports.PROBE_TEXT not in p.read_text("utf-8")
    ]
    assert missing == []
    banner = BeautifulSoup((edition / "index.html").read_text("utf-8"), "html.parser").find(
        class_="regio-probe"
    )
    assert banner is not None and exports.PROBE_TEXT in banner.get_text()


def test_a_normal_release_carries_no_probe_note(content: Path, tmp_path: Path):
    done = release(content, tmp_path / "ausgaben", "2026-1", "--ohne-pdf")
    assert done.returncode == 0, done.stdout + done.stderr
    edition = tmp_path / "ausgaben" / "2026-1"
    assert not [
        p for p in edition.rglob("*") if p.is_file() and exports.PROBE_TEXT.encode() in p.read_bytes()
    ]


@pytest.mark.parametrize(
    "text",
    [
        "# Impressum\n",
        "# Impressum\n\n<!-- Hier folgt später das Impressum der Geschäftsstelle, bitte eintragen -->\n",
        "# Impressum\n\n% Text wird noch von der Rechtsabteilung geliefert und eingefügt\n",
        "# Impressum der Geschäftsstelle des Netzwerks\n\n## Anschrift und Kontakt der Stelle\n",
    ],
    ids=["heading", "html-comment", "myst-comment", "headings-only"],
)
def test_a_legal_page_with_a_heading_alone_is_refused(
    content: Path, monkeypatch: pytest.MonkeyPatch, text: str
):
    """Only what a reader sees counts: headings, comments and HTML are no Impressum."""
    (content / "seiten" / "impressum.md").write_text(text, encoding="utf-8")
    found = findings(content, monkeypatch)
    assert [(f.file, f.code.value) for f in found] == [("content/seiten/impressum.md", "RD403")], found
    assert "hat keinen Text" in found[0].message


# ---------------------------------------------------------------- property: found at exactly its line

#: Blocks of a published text, clean: (lines, kind of each line) – "text" is prose a reader sees,
#: "code" is shown as written (addresses count, brackets do not), "-" is a line to leave alone
#: (fences, directive heads, comments, targets).
BLOCKS: tuple[tuple[tuple[str, str], ...], ...] = (
    (("## Überschrift der Geschäftsstelle", "text"),),
    (("# Ausgangslage", "text"),),
    (("Die Fläche liegt seit Jahren brach.", "text"), ("Eine zweite Zeile im selben Absatz.", "text")),
    (("Siehe `[Name]` im Formular und `schlagworte: [a, b]`.", "text"),),
    (("Siehe [Landesrecht](https://recht.nrw.de/) und die [Stadt Neuss].", "text"),),
    (("- ein Punkt mit [Verweis][stadt]", "text"), ("- noch ein Punkt", "text")),
    (("```yaml", "-"), ("schlagworte: [Radverkehr, Pendeln]", "code"), ("email: rad@alpha-stadt.de", "code"),
     ("```", "-")),
    ((":::{note} Hinweis", "-"), ("Text im Hinweis, mit `[Code]`.", "text"), (":::", "-")),
    ((":::{tip}", "-"), ("```", "-"), ("beteiligte: [alpha]", "code"), ("```", "-"), (":::", "-")),
    (("% ein Kommentar mit [Name] und Platzhalter", "-"),),
    (("Quelle [1], Stand 2026.", "text"),),
    (("Der Wert `a", "code"), ("b` steht hier.", "code")),  # inline code over two lines
    (("| Länge [km] | Fläche [m²] |", "text"), ("|---|---|", "-"), ("| eins | zwei |", "text")),
    (("- [x] erledigt", "text"), ("- [ ] offen", "text")),
)  # fmt: skip
#: Link definitions every text ends with (so that `[Stadt Neuss]` and `[stadt]` resolve).
DEFINITIONS = ("[Stadt Neuss]: https://www.neuss.de/", "[stadt]: https://www.neuss.de/")
#: Placeholders: (text, also in code?) – brackets are placeholders only where a reader sees them.
INSERTED = (
    ("[Name der Behörde]", False), ("[bitte ergänzen]", False), ("[ Name ]", False), ("[…]", False),
    ("info@example.org", True), ("https://amt.example/seite", True), ("post@stadt.test", True),
    ("https://x.invalid/", True), ("Platzhalter", True), ("BITTE EINTRAGEN", True),
    ("Erika Mustermann", True),
)  # fmt: skip


def random_text(rng: random.Random) -> tuple[list[str], list[str]]:
    """A random body: its lines and the kind of each."""
    lines: list[str] = []
    kinds: list[str] = []
    for _ in range(rng.randint(2, 7)):
        for line, kind in rng.choice(BLOCKS):
            lines.append(line)
            kinds.append(kind)
        lines.append("")
        kinds.append("-")
    lines += ["", *DEFINITIONS]
    kinds += ["-"] * (1 + len(DEFINITIONS))
    return lines, kinds


def with_placeholder(rng: random.Random, lines: list[str], kinds: list[str]) -> tuple[list[str], int, str]:
    """``lines`` with a placeholder in one line a page shows; the index of that line, the placeholder."""
    index = rng.choice([i for i, kind in enumerate(kinds) if kind != "-"])
    text = rng.choice([t for t, in_code in INSERTED if in_code or kinds[index] == "text"])
    words = lines[index].split(" ")

    def outside(at: int) -> bool:
        """After word ``at``: not inside brackets or inline code, not after a table row's last `|`."""
        before = " ".join(words[:at])
        in_row = lines[index].startswith("|") and at == len(words)  # a cell beyond the columns is dropped
        in_code = before.count("`") % 2 == 1 and kinds[index] == "text"
        return before.count("[") == before.count("]") and not in_code and not in_row

    # after a word: a line's start has its own syntax (`-`, `#`, `:::`)
    at = rng.choice([at for at in range(1, len(words) + 1) if outside(at)])
    changed = list(lines)
    changed[index] = " ".join([*words[:at], text, *words[at:]])
    return changed, index, text


def gate_on(tmp_path: Path, rel: str, text: str) -> list:
    """RD401 of one file, loaded as regiodocs check loads it (without Sphinx: the gate alone)."""
    root = tmp_path / "content"
    shutil.rmtree(root, ignore_errors=True)
    path = root / rel
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    content, problems = loading.load(root)
    assert problems == [], problems
    doc = next(iter(content.documents()))
    return gate.placeholders(doc, path, gate.rules(ROOT), ROOT)


def as_file(kind: str, lines: list[str]) -> tuple[str, str, int]:
    """The body in a file: (content-relative path, text, file line of the body's first line)."""
    if kind == "seite":
        return "seiten/info.md", "---\ntitel: Info\n---\n\n" + "\n".join(lines) + "\n", 5
    indented = "\n".join(f"  {line}" if line else "" for line in lines)
    head = "titel: Quartier\nkurzbeschreibung: Ein Quartier.\nbeschreibung: |\n"
    return "projekte/beta/quartier.yaml", head + indented + "\n", 4


@pytest.mark.parametrize("kind", ["seite", "yaml-blockskalar"])
@pytest.mark.parametrize("seed", range(25))
def test_a_placeholder_anywhere_is_found_at_exactly_its_line(tmp_path: Path, kind: str, seed: int):
    rng = random.Random(f"{kind}-{seed}")
    lines, kinds = random_text(rng)
    rel, clean, _first = as_file(kind, lines)
    assert gate_on(tmp_path, rel, clean) == [], clean
    changed, index, placeholder = with_placeholder(rng, lines, kinds)
    rel, text, first = as_file(kind, changed)
    found = gate_on(tmp_path, rel, text)
    assert [(f.line, f.code.value) for f in found] == [(first + index, "RD401")], (placeholder, text, found)
    line = text.splitlines()[first + index - 1]
    assert any(line[found[0].column - 1 :].startswith(word) for word in placeholder.split()), (line, found)


# ---------------------------------------------------------------- German grammar of the messages


def test_the_summary_counts_in_german_also_after_trotz():
    def made(code: str, number: int) -> list:
        return [Finding("content/x.md", n + 1, 1, Code(code), "x") for n in range(number)]

    found = made("RD401", 40) + made("RD402", 1) + made("RD403", 2)
    assert gate.summary(found) == "40 Platzhalter, 1 Beispiel-Eintrag, 2 Mängel an Pflichtseiten"
    assert (
        gate.summary(found, dative=True) == "40 Platzhaltern, 1 Beispiel-Eintrag, 2 Mängeln an Pflichtseiten"
    )
    one = made("RD401", 1) + made("RD402", 3) + made("RD404", 1)
    assert gate.summary(one, dative=True) == "1 Platzhalter, 3 Beispiel-Einträgen, 1 Mangel am Web-Editor"


@pytest.mark.parametrize(
    ("settings", "words", "line"),
    [
        ("regiodocs_cms = True", "`regiodocs_cms_repo` fehlt (der Projektpfad bei GitLab, `gruppe/projekt`) "
         "und `regiodocs_cms_app_id` fehlt (die Anwendungs-ID", "regiodocs_cms ="),
        ('regiodocs_cms = True\nregiodocs_cms_repo = "a/b"',
         "nicht eingerichtet: `regiodocs_cms_app_id` fehlt", "regiodocs_cms ="),
        ('regiodocs_cms = True\nregiodocs_cms_repo = "a/b"\nregiodocs_cms_app_id = "<app-id>"',
         "`regiodocs_cms_app_id` (`<app-id>`) ist aus einem Beispiel übernommen", "regiodocs_cms_app_id ="),
        (f'regiodocs_cms = True\nregiodocs_cms_repo = "a/b"\nregiodocs_cms_app_id = "{"ab12" * 16}"\n'
         'regiodocs_cms_base_url = "http://gitlab.intern"',
         "`regiodocs_cms_base_url` (`http://gitlab.intern`) ist ungültig (eine Adresse, die mit https://",
         "regiodocs_cms_base_url ="),
    ],
    ids=["zwei", "eine", "beispielwert", "kein-https"],
)  # fmt: skip
def test_the_editor_message_says_what_is_wrong_with_each_setting_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: str, words: str, line: str
):
    for name in NO_CI:
        monkeypatch.delenv(name, raising=False)
    project = project_with(tmp_path, settings)
    conf = (project / "conf.py").read_text(encoding="utf-8").splitlines()
    expected = max(n for n, text in enumerate(conf, 1) if text.startswith(line))  # the last assignment
    found = gate.editor(gate.rules(project))
    assert [(f.code.value, f.line) for f in found] == [("RD404", expected)], found
    assert words in found[0].message, found[0].message


def test_a_legal_page_of_one_word_says_so_in_the_singular(content: Path, monkeypatch: pytest.MonkeyPatch):
    (content / "seiten" / "impressum.md").write_text("# Impressum\n\nStadt\n", encoding="utf-8")
    found = findings(content, monkeypatch)
    assert [f.code.value for f in found] == ["RD403"] and "(nur 1 Wort außer Überschriften)" in found[
        0
    ].message
