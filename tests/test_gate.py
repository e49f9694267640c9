"""The Veröffentlichungsprüfung: every rule refuses at its file and line; ``--probe`` marks everything."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from regiodocs import checks
from regiodocs.editions import exports, gate
from regiodocs.editions import release as release_mod

from conftest import FIXTURES, ROOT, TODAY, run_regiodocs

PAGES = ("impressum", "datenschutz", "barrierefreiheit")
EDITOR = {"REGIODOCS_CMS_REPO": "netzwerk/handbuch", "REGIODOCS_CMS_APP_ID": "4f1c2b9e-anwendung"}
NO_CI = ("CI_PROJECT_PATH", "REGIODOCS_CMS_REPO", "REGIODOCS_CMS_APP_ID", "SOURCE_DATE_EPOCH")


def clean_tree(target: Path) -> Path:
    """The basis network with real-looking addresses and complete legal pages: the gate passes."""
    shutil.copytree(FIXTURES / "basis", target)
    for path in target.rglob("*"):
        if path.suffix in (".md", ".yaml"):
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("example.org", "netz.example"), encoding="utf-8")
    for page in PAGES:
        text = f"# {page.capitalize()}\n\nAngaben der Geschäftsstelle, geprüft am 1. November 2026.\n"
        (target / "seiten" / f"{page}.md").write_text(text, encoding="utf-8")
    return target


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
CASES = {
    "beispieladresse": ("partner/alpha.yaml", "regionetz@alpha.netz.example", "regionetz@example.org",
                        "regionetz@example.org", "RD401", "Beispieladresse"),
    "beispiel-url": ("foerderung/programm-a.yaml", "https://foerderung.netz.example/radinfrastruktur",
                     "https://www.example.de/foerderung", "example.de", "RD401", "Beispieladresse"),
    "kommentar-platzhalter": ("partner/alpha.yaml", 'telefon: "+49 211 000000"',
                              'telefon: "+49 211 000000"  # Platzhalter, bitte ersetzen',
                              "Platzhalter", "RD401", "Platzhalter"),
    "bitte": ("projekte/alpha/radweg-nord.md", "projektgruppe: Projektgruppe Radschnellweg",
              "projektgruppe: BITTE EINTRAGEN", "BITTE", "RD401", "Aufforderung"),
    "klammern-im-text": ("seiten/impressum.md", "Angaben der Geschäftsstelle",
                         "Herausgeber: [Name der Behörde], Angaben der Geschäftsstelle", "[Name der Behörde]",
                         "RD401", "„[Name der Behörde]“ ist ein Platzhalter in eckigen Klammern"),
    "auslassung-im-feld": ("projekte/alpha/radweg-nord.md", "kurzbeschreibung: Ein interkommunaler",
                           "kurzbeschreibung: Ein […] interkommunaler", "[…]", "RD401", "„[…]“"),
    "entwurf": ("seiten/datenschutz.md", "# Datenschutz\n", "# Datenschutz\n\n**Entwurf** der Stelle.\n",
                "Entwurf", "RD403", "als „Entwurf“ gekennzeichnet"),
    "beispiel-eintrag": ("praxis/gute-sache.md", "stand:", "beispiel: true\nstand:", "beispiel: true",
                         "RD402", "Beispiel-Eintrag (`beispiel: true`)"),
    # found by the independent attack: an underscore after BITTE, and sample names
    "bitte-unterstrich": ("projekte/alpha/radweg-nord.md", "projektgruppe: Projektgruppe Radschnellweg",
                          "projektgruppe: BITTE_EINTRAGEN", "BITTE_", "RD401", "Aufforderung"),
    "mustermann": ("partner/alpha.yaml", "    funktion: Koordination RegioTestNetz",
                   "    funktion: Koordination RegioTestNetz, Erika Mustermann", "Mustermann", "RD401",
                   "Platzhalter"),
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


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        # an example of how to write a record, in a code block of a page
        (
            "seiten/impressum.md",
            "Angaben",
            "So schreiben Sie:\n\n```yaml\nemail: a@example.org\n```\n\nAngaben",
        ),
        # a directive's text is shown and judged, a link is no placeholder, nor a footnote
        (
            "seiten/impressum.md",
            "Angaben",
            "Siehe [Landesrecht](https://recht.nrw.de/)[^1].\n\n[^1]: Stand 2026.\n\nAngaben",
        ),
        # a YAML flow list of capitalised keywords is data, not a placeholder
        ("projekte/alpha/radweg-nord.md", "schlagworte: [Radverkehr, Pendeln]", "schlagworte: [Radverkehr]"),
        # a whole-line comment is never published (regiodocs new explains fields with examples)
        ("partner/alpha.yaml", "telefon:", "# email: stadtplanung@example.org\n    telefon:"),
        # an intern record is not published
        ("projekte/alpha/intern-vorhaben.md", "status: idee", "status: idee\nprojektgruppe: BITTE AUSFÜLLEN"),
        # MyST comments are not shown
        ("seiten/impressum.md", "Angaben", "% [Name der Behörde] – Platzhalter der Vorlage\n\nAngaben"),
    ],
    ids=["codeblock", "links", "flow-liste", "kommentar", "intern", "myst-kommentar"],
)
def test_what_is_not_published_is_no_placeholder(
    content: Path, monkeypatch: pytest.MonkeyPatch, file: str, old: str, new: str
):
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
    edit(content / "partner/alpha.yaml", "regionetz@alpha.netz.example", "regionetz@example.org")
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


def test_a_legal_page_with_a_heading_alone_is_refused(content: Path, monkeypatch: pytest.MonkeyPatch):
    (content / "seiten" / "impressum.md").write_text("# Impressum\n", encoding="utf-8")
    found = findings(content, monkeypatch)
    assert [(f.file, f.code.value) for f in found] == [("content/seiten/impressum.md", "RD403")], found
    assert "hat keinen Text" in found[0].message
