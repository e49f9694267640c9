"""Editions: release, "Was ist neu", edition switcher, open data, print edition, review report.

Real releases of the fixture network into temporary folders (``regiodocs`` in a
subprocess, Sphinx and WeasyPrint included); builds are shared per module. No
test contacts the internet: the link check runs against a local http.server and
the reserved host ``nicht-vorhanden.invalid``.
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest
import yaml
from bs4 import BeautifulSoup

from regiodocs import checks, model
from regiodocs.editions import diff, exports, manifest, records

from conftest import FIXTURES, ROOT, TODAY, clean_tree, run_regiodocs, strict_env

MARKER = "Geheimwortzebra"  # only in the intern fixture record
INTERN_TITLE = "Internes Vorhaben Flächentausch"
TODAY_DATE = dt.date.fromisoformat(TODAY)
NO_PROXY = ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY")


# ---------------------------------------------------------------- helpers


#: The web editor as a real installation configures it (the gate refuses it switched on without).
EDITOR = {"REGIODOCS_CMS_REPO": "netzwerk/handbuch", "REGIODOCS_CMS_APP_ID": "4f1c2b9e-anwendung"}


def regiodocs(
    *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    return run_regiodocs(
        *args,
        cwd=cwd,
        env={"no_proxy": "127.0.0.1,localhost", **EDITOR, **(env or {})},
        unset=(*NO_PROXY, "SOURCE_DATE_EPOCH", "CI_PROJECT_PATH"),
    )


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, f"{result.args}\n{result.stdout}\n{result.stderr}"
    return result


def release(content: Path, root: Path, name: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return regiodocs(
        "release", name, "--inhalt", str(content), "--ziel", str(root), "--heute", TODAY, "-j", "1", *extra
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {path} has no {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def state_a(target: Path) -> Path:
    """The basis network plus the pages every public edition needs, with addresses that are no
    placeholders (:func:`conftest.clean_tree`)."""
    body = "Angaben der Geschäftsstelle, geprüft am 1. November 2026."
    return clean_tree(target, f"---\ntitel: {{title}}\n---\n\n# {{title}}\n\n{body}\n")


def to_state_b(content: Path) -> None:
    """One record added, one removed, two changed – and an intern record changed too."""
    project = content / "projekte/alpha/radweg-nord.md"
    edit(project, "status: umsetzung", "status: abgeschlossen")
    edit(project, "ende: 2028", "ende: 2027")
    edit(project, "stand: 2026-10-01", "stand: 2026-11-20")
    quarter = content / "projekte/beta/quartier-sued.yaml"
    edit(quarter, "wohneinheiten: 450", "wohneinheiten: 480")
    edit(quarter, "stand: 2026-08-15", "stand: 2026-11-15")
    edit(content / "projekte/alpha/intern-vorhaben.md", "status: idee", "status: planung")
    (content / "veranstaltungen/salon-1.md").unlink()
    (content / "praxis/flaechenpool.yaml").write_text(
        """titel: Gemeinsamer Flächenpool
kurzbeschreibung: Alpha und Beta führen einen gemeinsamen Pool für Ausgleichsflächen.
partner: [alpha, beta]
handlungsfelder: [siedlungsentwicklung]
reifegrad: erprobt
uebertragbarkeit: mittel
erfolgsfaktoren:
  - "Klare Regeln; feste Termine"
  - 'Ein Backslash \\ bleibt, ein Komma, auch'
  - "Anführungszeichen \\"wie hier\\""
kontakt:
  - organisation: Stadt Alpha, Amt für Stadtplanung
    funktion: Flächenmanagement
    email: flaechen@alpha.regiotestnetz-nrw.de
stand: 2026-11-01
beschreibung: |
  ## Problem

  Ausgleichsflächen fehlten dort, wo gebaut wird.
""",
        encoding="utf-8",
    )


def snapshot(root: Path) -> dict[str, object]:
    """Every entry below ``root``: file bytes, symlink targets and folders (links not followed)."""
    found: dict[str, object] = {}
    for folder, dirs, files in os.walk(root):
        base = Path(folder)
        for name in [*dirs, *files]:
            path = base / name
            key = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[key] = ("link", os.readlink(path))
            elif path.is_dir():
                found[key] = "dir"
            else:
                found[key] = path.read_bytes()
    return found


def page_text(path: Path) -> str:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return " ".join((soup.find("article") or soup).get_text(" ", strip=True).split())


def public_records(content: Path) -> list[records.Record]:
    return records.records(checks.check(content, ROOT).content)


# ---------------------------------------------------------------- shared releases


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Edition 2026-1 of state A, then 2026-2 of state B (website and data, without PDF)."""
    base = tmp_path_factory.mktemp("ausgaben")
    content, root = state_a(base / "content"), base / "ausgaben"
    started = time.monotonic()
    ok(release(content, root, "2026-1", "--ohne-pdf"))
    to_state_b(content)
    ok(release(content, root, "2026-2", "--ohne-pdf"))
    print(f"two releases without PDF: {time.monotonic() - started:.1f} s")
    return {"content": content, "root": root, "alt": root / "2026-1", "neu": root / "2026-2"}


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same state released twice, with PDF, into two folders (serial and parallel Sphinx)."""
    base = tmp_path_factory.mktemp("zwillinge")
    content = state_a(base / "content")
    roots = []
    for name, jobs in (("a", "1"), ("b", "2")):
        started = time.monotonic()
        ok(release(content, base / name, "2026-1", "-j", jobs))
        print(f"release with PDF (-j {jobs}): {time.monotonic() - started:.1f} s")
        roots.append(base / name)
    return roots[0], roots[1]


# ---------------------------------------------------------------- release and switch


def test_release_publishes_an_edition_folder_and_switches_aktuell(editions: dict[str, Path]):
    root = editions["root"]
    assert os.readlink(root / "aktuell") == "2026-2"
    assert (root / "aktuell/index.html").read_bytes() == (editions["neu"] / "index.html").read_bytes()
    for edition in (editions["alt"], editions["neu"]):
        for name in (
            "index.html",
            "aenderungen.html",
            "manifest.json",
            "CITATION.cff",
            "daten/eintraege.json",
        ):
            assert (edition / name).is_file(), edition / name
    assert not any(p.name.startswith(".bau-") for p in root.iterdir())
    listing = json.loads((root / "ausgaben.json").read_text(encoding="utf-8"))
    assert [(e["ausgabe"], e["aktuell"]) for e in listing] == [("2026-2", True), ("2026-1", False)]


def test_manifest_lists_every_public_record_with_hash_and_fields(editions: dict[str, Path]):
    data = manifest.read(editions["neu"] / "manifest.json")
    expected = {r.id: r for r in public_records(editions["content"])}
    assert {e["id"] for e in data["eintraege"]} == set(expected)
    assert "intern-vorhaben" not in {e["id"] for e in data["eintraege"]}
    for entry in data["eintraege"]:
        record = expected[entry["id"]]
        assert entry["typ"] == record.kind and entry["stand"] == record.stand
        assert entry["hash"] == record.hash and entry["felder"] == record.fields
    assert data["ausgabe"] == "2026-2" and data["vorgaenger"] == "2026-1" and data["nummer"] == 2
    old = {e["id"]: e["hash"] for e in manifest.read(editions["alt"] / "manifest.json")["eintraege"]}
    new = {e["id"]: e["hash"] for e in data["eintraege"]}
    assert old["gute-sache"] == new["gute-sache"]  # unchanged record, unchanged hash
    assert old["radweg-nord"] != new["radweg-nord"]


def test_changes_page_names_added_removed_and_changed_records_with_german_fields(editions: dict[str, Path]):
    page = editions["neu"] / "aenderungen.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    sections = {
        s.find("h2").get_text(strip=True).rstrip("¶"): s for s in soup.select("article > section > section")
    }
    added = sections["Neu (1)"].get_text(" ", strip=True)
    removed = sections["Entfernt (1)"].get_text(" ", strip=True)
    changed = " ".join(sections["Geändert (2)"].get_text(" ", strip=True).split())
    assert "Gemeinsamer Flächenpool" in added and "Gute Praxis" in added
    assert sections["Neu (1)"].find("a", href="praxis/flaechenpool.html")
    assert "RegioSalon Mobilität" in removed
    assert "Radschnellweg Nord" in changed and "Quartier Süd" in changed
    assert "Status: Umsetzung → Abgeschlossen" in changed
    assert "Ende: 2028 → 2027" in changed
    assert "Stand: 01.10.2026 → 20.11.2026" in changed
    assert "Kennzahl Wohneinheiten: 450 WE → 480 WE" in changed
    assert "Gemeinsame Radverkehrszählung" not in changed  # unchanged
    text = page_text(page)
    assert "1 neu, 2 geändert, 1 entfernt, 3 unverändert" in text
    for edition in (editions["alt"], editions["neu"]):
        for file in edition.rglob("*"):
            if file.is_file():
                data = file.read_bytes()
                assert MARKER.encode() not in data and b"intern-vorhaben" not in data, file
    assert "erste Ausgabe" in page_text(editions["alt"] / "aenderungen.html")


def test_diff_command_compares_editions_and_todays_content(editions: dict[str, Path]):
    root = str(editions["root"])
    text = ok(regiodocs("diff", "2026-1", "2026-2", "--ausgaben", root)).stdout
    assert (
        "Von Ausgabe 2026-1 (22.11.2026) zu Ausgabe 2026-2 (22.11.2026): 1 neu, 2 geändert, 1 entfernt"
        in text
    )
    assert "Status: Umsetzung → Abgeschlossen" in text
    assert "- Veranstaltung „RegioSalon Mobilität“ (salon-1)" in text
    as_json = json.loads(
        ok(regiodocs("diff", "2026-1", "aktuell", "--ausgaben", root, "--format", "json")).stdout
    )
    assert [e["id"] for e in as_json["neu"]] == ["flaechenpool"]
    assert [e["id"] for e in as_json["entfernt"]] == ["salon-1"]
    fields = {e["id"]: [f["feld"] for f in e["felder"]] for e in as_json["geaendert"]}
    assert fields == {
        "radweg-nord": ["status", "ende", "stand"],
        "quartier-sued": ["kennzahlen.wohneinheiten", "stand"],
    }
    today = ok(
        regiodocs(
            "diff",
            "aktuell",
            "inhalt",
            "--ausgaben",
            root,
            "--inhalt",
            str(editions["content"]),
            "--heute",
            TODAY,
        )
    )
    assert "Keine Änderungen." in today.stdout
    missing = regiodocs("diff", "2025-9", "aktuell", "--ausgaben", root)
    assert missing.returncode == 2 and "2025-9" in missing.stderr and "2026-1, 2026-2" in missing.stderr


def test_diff_of_a_text_change_names_the_description():
    entry = {
        "id": "x",
        "typ": "projekt",
        "titel": "X",
        "felder": {"status": "idee"},
        "hash": "1",
        "text_hash": "a",
    }
    later = entry | {"hash": "2", "text_hash": "b", "felder": {"status": "idee", "beteiligte": ["alpha"]}}
    names = {"partner": {"alpha": "Stadt Alpha"}}
    assert diff.changed_fields(entry, later, names) == [
        {
            "feld": "beteiligte",
            "bezeichnung": "Beteiligte Partner",
            "alt": "–",
            "neu": "Stadt Alpha",
            "hinweis": None,
        },
        {
            "feld": "beschreibung",
            "bezeichnung": "Beschreibung",
            "alt": None,
            "neu": None,
            "hinweis": "Text überarbeitet",
        },
    ]


def test_edition_switcher_links_to_the_other_editions_from_every_page(editions: dict[str, Path]):
    root = editions["root"]
    page = editions["neu"] / "projekte/alpha/radweg-nord.html"
    nav = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("nav", class_="regio-ausgaben")
    assert nav is not None and "Ausgabe 2026-2" in nav.get_text(" ", strip=True)
    targets = {a.get_text(strip=True): (page.parent / a["href"]).resolve() for a in nav.find_all("a")}
    assert targets["Ausgabe 2026-1"] == (root / "2026-1/index.html").resolve()
    assert targets["Neueste Ausgabe"] == (root / "aktuell/index.html").resolve()
    assert targets["Was ist neu?"] == (editions["neu"] / "aenderungen.html").resolve()
    assert all(t.is_file() for t in targets.values()), targets
    old_nav = BeautifulSoup((editions["alt"] / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "2026-2" not in old_nav.find("nav", class_="regio-ausgaben").get_text()  # immutable, but …
    assert old_nav.find("nav", class_="regio-ausgaben").find(
        "a", string="Neueste Ausgabe"
    )  # … finds the newest
    start = BeautifulSoup((editions["neu"] / "index.html").read_text(encoding="utf-8"), "html.parser")
    switcher = start.find("nav", class_="regio-ausgaben").get_text(" ", strip=True)
    assert "Ausgabe 2026-2 vom 22.11.2026" in switcher  # the header says which edition is read
    assert not start.find(class_="regio-downloads")  # the files are on the Open Data page, not the start


# ---------------------------------------------------------------- open data


def test_exports_contain_exactly_the_public_records_and_round_trip(editions: dict[str, Path]):
    folder = editions["neu"] / "daten"
    expected = public_records(editions["content"])
    info = exports.edition_info(checks.check(editions["content"], ROOT).content, "2026-2", TODAY_DATE)
    as_json = exports.read_json(folder / "eintraege.json")
    assert [e["id"] for e in as_json] == [r.id for r in expected]
    assert as_json == [exports.json_record(r, info) for r in expected]  # JSON → the same values
    assert "intern-vorhaben" not in {e["id"] for e in as_json}
    by_type: dict[str, list[dict]] = {}
    for entry in as_json:
        by_type.setdefault(entry["typ"], []).append({k: v for k, v in entry.items() if k != "typ"})
    for rtype in model.RECORD_TYPES:
        rows = exports.read_csv(folder / f"{rtype.folder}.csv")
        assert rows == by_type.get(rtype.name, []), rtype.name  # CSV → the same values
    pool = next(e for e in as_json if e["id"] == "flaechenpool")
    assert pool["erfolgsfaktoren"][0] == "Klare Regeln; feste Termine"
    assert pool["erfolgsfaktoren"][1] == "Ein Backslash \\ bleibt, ein Komma, auch"
    overview = exports.read_csv(folder / "eintraege.csv")
    assert [(r["id"], r["typ"]) for r in overview] == [(r.id, r.kind) for r in expected]
    assert next(r for r in overview if r["id"] == "radweg-nord")["partner"] == ["alpha", "beta"]


def test_csv_is_utf8_with_a_stable_documented_header(editions: dict[str, Path]):
    folder = editions["neu"] / "daten"
    raw = (folder / "projekte.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and "Süd".encode() in raw and b"\r\n" in raw
    header = raw.decode("utf-8").split("\r\n", 1)[0].split(",")
    kennzahlen = [{"id": "wohneinheiten"}, {"id": "radwege_km"}]
    assert header == [c.name for c in exports.columns("projekt", kennzahlen)]
    assert header[:3] == ["id", "seite", "titel"] and header[-1] == "beschreibung"
    old_header = (editions["alt"] / "daten/projekte.csv").read_text(encoding="utf-8").split("\n", 1)[0]
    assert old_header.rstrip("\r").split(",") == header  # same order in every edition
    meta = json.loads((folder / "csv-metadata.json").read_text(encoding="utf-8"))
    table = next(t for t in meta["tables"] if t["url"] == "projekte.csv")
    columns = {c["name"]: c for c in table["tableSchema"]["columns"]}
    assert list(columns) == header
    assert columns["schlagworte"]["separator"] == "; " and "kontakt" not in columns  # never JSON in a cell
    assert (
        columns["kontakt.email"]["separator"] == "; " and columns["kontakt.email"]["dc:isPartOf"] == "kontakt"
    )
    assert "json" not in {c["datatype"] for t in meta["tables"] for c in t["tableSchema"]["columns"]}
    assert columns["kosten_eur"]["datatype"] == "integer" and columns["stand"]["datatype"] == "date"
    readme = (folder / "LIESMICH.md").read_text(encoding="utf-8")
    assert "`ort.gemeinde`" in readme and "UTF-8" in readme and "| `kennzahlen.radwege_km` |" in readme


def test_dcat_schema_org_and_citation_describe_the_edition(editions: dict[str, Path], tmp_path: Path):
    edition = editions["neu"]
    dcat = json.loads((edition / "daten/dcat.jsonld").read_text(encoding="utf-8"))
    assert dcat["@type"] == "dcat:Dataset" and dcat["owl:versionInfo"] == "2026-2"
    assert dcat["dct:title"]["@value"] == "Handbuch RegioTestNetz – Ausgabe 2026-2"
    assert dcat["dct:publisher"]["foaf:name"] == "RegioTestNetz"
    assert dcat["dct:license"]["@id"] == "http://dcat-ap.de/def/licenses/cc-by/4.0"
    geo = [g["@id"] for g in dcat["dcatde:politicalGeocodingURI"]]
    assert geo == ["http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05999001"]  # Beta has no AGS
    files = {d["dcat:downloadURL"]["@id"]: d for d in dcat["dcat:distribution"]}
    assert {"eintraege.json", "projekte.csv", "LIESMICH.md"} <= set(files)
    csv_file = edition / "daten/projekte.csv"
    assert files["projekte.csv"]["dcat:byteSize"]["@value"] == str(csv_file.stat().st_size)
    assert files["projekte.csv"]["spdx:checksum"]["spdx:checksumValue"] == exports._sha256(csv_file)
    soup = BeautifulSoup((edition / "index.html").read_text(encoding="utf-8"), "html.parser")
    scripts = soup.head.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    dataset = json.loads(scripts[0].string)
    assert dataset["@type"] == "Dataset" and dataset["version"] == "2026-2"
    assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert {"name": "Stadt Alpha"}.items() <= dataset["spatialCoverage"][0].items()
    assert "daten/eintraege.json" in {d["contentUrl"] for d in dataset["distribution"]}
    assert not (editions["neu"] / "bericht.html").exists()  # the review is internal only
    citation = yaml.safe_load((edition / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["version"] == "2026-2" and citation["license"] == "CC-BY-4.0"
    assert citation["title"] == "Handbuch RegioTestNetz – Ausgabe 2026-2"
    validator = Path(sys.executable).parent / "check-jsonschema"  # a test dependency (requirements.txt)
    assert validator.is_file(), f"{validator} fehlt: make .venv/.installiert"
    broken = tmp_path / "CITATION-kaputt.cff"  # the validator refuses what the format forbids
    broken.write_text(
        yaml.safe_dump({**citation, "cff-version": "9.9"}, allow_unicode=True), encoding="utf-8"
    )
    verdicts = {
        path.name: subprocess.run(
            [str(validator), "--builtin-schema", "vendor.citation-file-format", str(path)],
            capture_output=True,
            text=True,
        )
        for path in (edition / "CITATION.cff", broken)
    }
    valid = verdicts["CITATION.cff"]
    assert valid.returncode == 0, valid.stdout + valid.stderr
    assert verdicts[broken.name].returncode == 1, verdicts[broken.name].stdout


# ---------------------------------------------------------------- refusals and failures


@pytest.fixture()
def published(editions: dict[str, Path], tmp_path: Path) -> dict[str, Path]:
    """A copy of the two published editions (symlink kept), to try to break."""
    root = tmp_path / "ausgaben"
    shutil.copytree(editions["root"], root, symlinks=True)
    content = tmp_path / "content"
    shutil.copytree(editions["content"], content)
    return {"root": root, "content": content}


def test_release_refuses_and_publishes_nothing(published: dict[str, Path], tmp_path: Path):
    root, content = published["root"], published["content"]
    before = snapshot(root)

    again = release(content, root, "2026-2")
    assert again.returncode == 1 and "unveränderlich" in again.stderr
    reserved = release(content, root, "aktuell")
    assert reserved.returncode == 1 and "reserviert" in reserved.stderr

    demo = content / "praxis/flaechenpool.yaml"
    demo.write_text(demo.read_text(encoding="utf-8") + "beispiel: true\n", encoding="utf-8")
    refused = release(content, root, "2026-3")
    assert (
        refused.returncode == 1
        and "Beispiel-Eintrag (`beispiel: true`)" in refused.stderr
        and "flaechenpool.yaml" in refused.stderr
    )
    ok(release(content, root, "2026-3", "--beispiele-erlauben", "--nur-pruefen"))

    (content / "seiten/datenschutz.md").unlink()
    missing = release(content, root, "2026-3", "--beispiele-erlauben")
    assert missing.returncode == 1 and "content/seiten/datenschutz.md" in missing.stderr

    broken = tmp_path / "kaputt"
    state_a(broken)
    edit(broken / "projekte/alpha/radweg-nord.md", "status: umsetzung", "status: fertig")
    failing = release(broken, root, "2026-3")
    assert failing.returncode == 1 and "RD104" in failing.stderr and "regiodocs check" in failing.stdout
    assert snapshot(root) == before


def test_failed_build_leaves_previous_editions_and_aktuell_byte_identical(
    published: dict[str, Path], tmp_path: Path
):
    root, content = published["root"], published["content"]
    before, current = snapshot(root), snapshot(root / "aktuell")
    # the content passes `regiodocs check`, but a project template names a missing page:
    # Sphinx fails (-W) while writing – mid-build
    project = tmp_path / "projekt"
    project.mkdir()
    shutil.copy(ROOT / "conf.py", project)
    for folder in ("templates", "locale", "node_modules"):
        (project / folder).symlink_to(ROOT / folder)
    template = tmp_path / "vorlagen"
    shutil.copytree(ROOT / "templates" / "regiodocs", template)
    (project / "conf.py").write_text(
        (ROOT / "conf.py").read_text(encoding="utf-8") + f"\nregiodocs_vorlagen = {str(template)!r}\n",
        encoding="utf-8",
    )
    page = template / "eintrag.md.j2"
    page.write_text(page.read_text(encoding="utf-8") + "\n{doc}`/gibt-es-nicht`\n", encoding="utf-8")
    assert ok(regiodocs("check", "--inhalt", str(content), cwd=project))
    failed = regiodocs(
        "release", "2026-3", "--inhalt", str(content), "--ziel", str(root), "--heute", TODAY, "-j", "1",
        "--ohne-pdf", cwd=project,
    )  # fmt: skip
    assert failed.returncode == 1
    assert "gibt-es-nicht" in failed.stderr and "bleiben unverändert" in failed.stdout
    assert snapshot(root) == before
    assert snapshot(root / "aktuell") == current


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT], ids=["kill", "interrupt"])
def test_interrupted_release_leaves_previous_editions_and_aktuell_byte_identical(
    published: dict[str, Path], how: signal.Signals
):
    root, content = published["root"], published["content"]
    before, current = snapshot(root), snapshot(root / "aktuell")
    environment = strict_env(EDITOR, unset=NO_PROXY)
    command = [sys.executable, "-m", "regiodocs", "release", "2026-3", "--inhalt", str(content)]
    command += ["--ziel", str(root), "--heute", TODAY, "--ohne-pdf", "-j", "1"]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # a test runner that ignores SIGINT (CI, nohup) passes SIG_IGN on: Python would then
        # install no KeyboardInterrupt handler and the interrupt would do nothing
        preexec_fn=_default_sigint,
    )
    sphinx_started = root / ".bau-2026-3" / "arbeit" / "html" / "quellen"
    deadline = time.monotonic() + 120
    while not sphinx_started.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the release never reached Sphinx"
        time.sleep(0.02)
    time.sleep(0.3)  # inside the Sphinx build
    assert process.poll() is None, "the release finished before it could be interrupted"
    process.send_signal(how)
    _out, err = process.communicate(timeout=120)
    # Strg+C says so (130); a SIGTERM ends the process by its signal
    assert process.returncode == (130 if how == signal.SIGINT else -how), (process.returncode, err)
    assert not (root / "2026-3").exists()
    assert snapshot(root / "aktuell") == current
    leftovers = {k: v for k, v in snapshot(root).items() if not k.startswith(".bau-")}
    assert leftovers == before
    if how == signal.SIGINT:
        assert not (root / ".bau-2026-3").exists()  # cleaned up on the way out
    # the next run clears what a killed one left behind, and still publishes nothing with --nur-pruefen
    ok(release(content, root, "2026-3", "--nur-pruefen"))
    assert snapshot(root) == before


# ---------------------------------------------------------------- reproducible builds and print


@pytest.fixture(scope="module")
def twins_content(twins: tuple[Path, Path]) -> Path:
    return twins[0].parent / "content"


def test_two_releases_of_the_same_state_are_byte_identical(twins: tuple[Path, Path]):
    first, second = (snapshot(root) for root in twins)
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []
    assert "2026-1/druck/handbuch-2026-1.pdf" in first
    stamps = {p.stat().st_mtime for p in (twins[0] / "2026-1").rglob("*") if p.is_file()}
    assert len(stamps) == 1  # file times are the release's SOURCE_DATE_EPOCH


def test_print_edition_has_cover_contents_and_every_record(twins: tuple[Path, Path], twins_content: Path):
    pdf_file = twins[0] / "2026-1/druck/handbuch-2026-1.pdf"
    reader = pypdf.PdfReader(pdf_file)
    cover = " ".join(reader.pages[0].extract_text().split())
    assert "Ausgabe 2026-1" in cover and "Handbuch RegioTestNetz" in cover and "22.11.2026" in cover
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    titles = [r.title for r in public_records(twins_content)]
    checked = checks.check(twins_content, ROOT).content
    # every record that is not intern, judged from the content itself, not from the edition's records
    assert sorted(titles) == sorted(d.data["titel"] for d in checked.records.values() if d.public)
    for title in titles:
        assert title in text, title
    assert INTERN_TITLE not in text and MARKER not in text
    assert "Inhaltsverzeichnis" in " ".join(reader.pages[1].extract_text().split())
    assert "Federführung" in text and "Stand" in text  # Steckbriefe
    uris = {
        annotation.get_object()["/A"].get("/URI")
        for page in reader.pages
        for annotation in page.get("/Annots") or []
        if "/A" in annotation.get_object()
    }
    assert not any(str(u).startswith("file:") for u in uris if u), uris  # no build paths in the PDF
    print(f"PDF: {pdf_file.stat().st_size / 1024:.0f} KiB, {len(reader.pages)} Seiten")


def _structure(node: object, found: list[str]) -> list[str]:
    """The roles (``/S``) of a PDF structure tree, depth first."""
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, pypdf.generic.ArrayObject):
        for kid in node:
            _structure(kid, found)
    elif isinstance(node, pypdf.generic.DictionaryObject):
        if "/S" in node:
            found.append(str(node["/S"]).lstrip("/"))
        if "/K" in node:
            _structure(node["/K"], found)
    return found


def _outline_pages(reader: Any, outline: list[Any]) -> list[tuple[str, int]]:
    """(bookmark title, page number from 1) for every bookmark, nested ones too."""
    found: list[tuple[str, int]] = []
    for item in outline:
        if isinstance(item, list):
            found += _outline_pages(reader, item)
        else:
            found.append((str(item.title), reader.get_destination_page_number(item) + 1))
    return found


def _outline_titles(outline: list) -> list[str]:
    titles: list[str] = []
    for item in outline:
        titles += _outline_titles(item) if isinstance(item, list) else [item.title]
    return titles


def test_print_edition_is_an_accessible_tagged_pdf(twins: tuple[Path, Path], twins_content: Path):
    """PDF/UA-1 (BITV 2.0): tagged with a structure tree, title shown, language, bookmarks,
    page numbers in the contents and on references, no forced half-empty pages, no hyphenation."""
    pdf_file = twins[0] / "2026-1/druck/handbuch-2026-1.pdf"
    reader = pypdf.PdfReader(pdf_file)
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True  # "Tagged: yes"
    assert catalog["/Lang"] == "de" and catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert reader.metadata.title == "Handbuch RegioTestNetz"
    xmp = reader.xmp_metadata
    assert xmp is not None and "Handbuch RegioTestNetz" in xmp.dc_title.values()
    assert b"pdfuaid" in catalog["/Metadata"].get_object().get_data()  # declares PDF/UA-1
    roles = _structure(catalog["/StructTreeRoot"]["/K"], [])
    assert roles[0] == "Document"
    assert {"H1", "H2", "H3", "P", "L", "LI", "Table", "TH", "TD", "Link"} <= set(roles), sorted(set(roles))
    titles = [r.title for r in public_records(twins_content)]
    bookmarks = _outline_titles(reader.outline)
    assert all(any(title in b for b in bookmarks) for title in titles), bookmarks
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    contents = pages[1]
    numbers = [int(n) for n in re.findall(r"\b(\d{1,3})\b", contents.split("Inhaltsverzeichnis")[0])]
    starts = _outline_pages(reader, reader.outline)  # bookmark → the page its heading is on
    for title in titles:  # the contents' number is the page the record's heading is on
        page = next(p for b, p in starts if title in b)
        assert page in numbers and title in pages[page - 1], (title, page, numbers)
    text = " ".join(pages)
    references = re.findall(r"\(S\. (\d*)\)", text)
    assert references and all(references), references  # every printed reference names its page
    assert "\u2010" not in text and "RegioTestNetz" in text  # WeasyPrint hyphenates with U+2010
    short = [i for i, page in enumerate(pages[2:-1], 3) if len(page) < 400]
    assert short == [], f"half-empty pages: {short}"  # only the cover, contents and back page are short
    if shutil.which("pdfinfo"):  # poppler-utils (.ci/run installs it): what a reviewer runs
        info = subprocess.run(["pdfinfo", str(pdf_file)], capture_output=True, text=True, check=True).stdout
        assert re.search(r"^Tagged:\s+yes$", info, re.M) and "Title:           Handbuch RegioTestNetz" in info
        tree = subprocess.run(["pdfinfo", "-struct", str(pdf_file)], capture_output=True, text=True).stdout
        assert tree.startswith("Document") and "H1" in tree and "Table" in tree


def test_print_selection_contains_exactly_the_selected_records(tmp_path: Path):
    content = state_a(tmp_path / "content")
    target = tmp_path / "mobil.pdf"
    started = time.monotonic()
    result = regiodocs(
        "druck", "--inhalt", str(content), "--plattform", "mobil", "--typ", "ergebnis",
        "--ausgabe", "2026-2", "--heute", TODAY, "--ziel", str(target), "-j", "1",
    )  # fmt: skip
    ok(result)
    print(f"selection PDF: {time.monotonic() - started:.1f} s")
    reader = pypdf.PdfReader(target)
    cover = " ".join(reader.pages[0].extract_text().split())
    assert "Ausgabe 2026-2" in cover and "Plattform-Ergebnisse · Plattform Mobilität" in cover
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Plattformtreffen Mobilität Juni 2026" in text
    assert "Empfehlung an die Beigeordnetenkonferenz" in text
    for other in ("Quartier Süd", "RegioSalon Mobilität", "Förderprogramm Radinfrastruktur", INTERN_TITLE):
        assert other not in text
    unknown = regiodocs(
        "druck",
        "--inhalt",
        str(content),
        "--plattform",
        "gibtsnicht",
        "--heute",
        TODAY,
        "--ziel",
        str(target),
    )
    assert unknown.returncode == 2 and "gibtsnicht" in unknown.stderr


# ---------------------------------------------------------------- review report


class _Links(http.server.BaseHTTPRequestHandler):
    def _answer(self) -> None:
        status = 200 if self.path == "/gut" else 404
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = do_GET = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def link_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Links)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_review_report_and_its_page_in_the_internal_edition(tmp_path: Path, link_server: str):
    content = state_a(tmp_path / "content")
    for file in content.rglob("*"):  # no test may reach the internet: every URL is local …
        if file.suffix in (".md", ".yaml"):
            text = file.read_text(encoding="utf-8")
            file.write_text(re.sub(r"https?://[^\s\"')>]+", f"{link_server}/gut", text), encoding="utf-8")
    edit(content / "projekte/alpha/radweg-nord.md", f"url: {link_server}/gut", f"url: {link_server}/weg")
    edit(content / "praxis/gute-sache.md", f"url: {link_server}/gut", "url: https://nicht-vorhanden.invalid/")
    edit(content / "foerderung/programm-a.yaml", "stand: 2026-05-10", "stand: 2025-06-01")
    edit(
        content / "ergebnisse/mobil/treffen-1.yaml",
        "  - was: Bericht an die Beigeordnetenkonferenz vorbereiten",
        "  - was: Karte der Radrouten abstimmen\n    wer: alpha\n    bis: 2026-09-30\n"
        "  - was: Bericht an die Beigeordnetenkonferenz vorbereiten",
    )
    report_file = tmp_path / "bericht.json"
    args = ("bericht", "--inhalt", str(content), "--heute", TODAY, "--zeitlimit", "5")
    ok(regiodocs(*args, "--format", "json", "--ziel", str(report_file)))
    data = json.loads(report_file.read_text(encoding="utf-8"))
    assert [e["id"] for e in data["veraltet"]] == ["programm-a"]
    assert data["veraltet"][0]["monate"] == 17
    overdue = data["vereinbarungen"]
    assert [(a["was"], a["wer"], a["tage"]) for a in overdue] == [
        ("Karte der Radrouten abstimmen", "alpha", 53)
    ]
    assert [g["name"] for g in data["nach_plattform"]] == ["Plattform Mobilität"]
    assert [g["name"] for g in data["nach_partner"]] == ["Stadt Alpha"]
    assert {e["id"] for e in data["ohne_kontakt"]} == {"quartier-sued", "intern-vorhaben"}
    status = {entry["url"]: entry["status"] for entry in data["links"]}
    assert status[f"{link_server}/gut"] == "ok"
    assert status[f"{link_server}/weg"] == "kaputt"
    assert status["https://nicht-vorhanden.invalid/"] == "nicht prüfbar"
    assert set(status) == {f"{link_server}/gut", f"{link_server}/weg", "https://nicht-vorhanden.invalid/"}
    text = regiodocs(*args, "--streng")
    assert text.returncode == 1  # something to do
    assert "kaputt: " + f"{link_server}/weg (HTTP 404)" in text.stdout
    assert (
        "Karte der Radrouten abstimmen – Stadt Alpha, fällig 30.09.2026 (53 Tage überfällig)" in text.stdout
    )

    out = tmp_path / "intern"
    build = regiodocs(
        "build", "--intern", "--inhalt", str(content), "--ziel", str(out),
        "--arbeit", str(tmp_path / "arbeit"), "-q", "-j", "1",
        "-D", f"regiodocs_heute={TODAY}", "-D", f"regiodocs_bericht={report_file}",
    )  # fmt: skip
    ok(build)
    page = page_text(out / "bericht.html")
    assert "Karte der Radrouten abstimmen" in page and "Förderprogramm Radinfrastruktur" in page
    assert "kaputt" in page and "nicht prüfbar" in page and "Quartier Süd" in page
    assert "bericht" in {
        Path(a["href"]).stem
        for a in BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser").find_all(
            "a", href=True
        )
    }


def test_internal_edition_has_an_offline_review_page(basis_intern_site: Path):
    page = page_text(basis_intern_site / "bericht.html")
    assert "Prüfbericht" in page and "Nicht geprüft" in page
    assert "Internes Vorhaben Flächentausch" in page  # the review covers intern records


# ---------------------------------------------------------------- git


def test_release_in_a_git_checkout_is_tagged_and_refuses_uncommitted_content(tmp_path: Path):
    repo = tmp_path / "repo"
    content = state_a(repo / "content")
    git_env = {
        "GIT_AUTHOR_NAME": "Geschäftsstelle", "GIT_AUTHOR_EMAIL": "gs@example.org",
        "GIT_COMMITTER_NAME": "Geschäftsstelle", "GIT_COMMITTER_EMAIL": "gs@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
    }  # fmt: skip

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(repo), *args], env=os.environ | git_env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "Inhalt")
    root = tmp_path / "ausgaben"
    first = ("release", "2026-1", "--inhalt", str(content), "--ziel", str(root), "--heute", TODAY)
    tagged = ok(regiodocs(*first, "--ohne-pdf", "-j", "1", env=git_env))
    assert git("tag", "-l") == "ausgabe-2026-1"
    # the release says which tag it will set before it builds, and how to skip it (a command that runs)
    announced = re.search(r"Nach dem Bau wird das git-Tag `ausgabe-2026-1` auf Commit (\w+) gesetzt\. "
                          r"Ohne Tag: (.+)$", tagged.stdout, re.M)  # fmt: skip
    assert announced and git("rev-parse", "HEAD").startswith(announced.group(1)), tagged.stdout
    skip = shlex.split(announced.group(2))
    assert skip[-1] == "--ohne-tag" and skip[1:3] == ["release", "2026-1"] and Path(skip[0]).is_file()
    assert tagged.stdout.index("Nach dem Bau") < tagged.stdout.index("Website …")
    assert "git-Tag `ausgabe-2026-1` gesetzt" in tagged.stdout
    source = manifest.read(root / "2026-1/manifest.json")["quelle"]
    assert source == {"commit": git("rev-parse", "HEAD"), "tag": "ausgabe-2026-1"}
    assert git("rev-parse", "ausgabe-2026-1^{commit}") == source["commit"]

    edit(content / "praxis/gute-sache.md", "reifegrad: erprobt", "reifegrad: verstetigt")
    args = (
        "release",
        "2026-2",
        "--inhalt",
        str(content),
        "--ziel",
        str(root),
        "--heute",
        TODAY,
        "--nur-pruefen",
    )
    dirty = regiodocs(*args, env=git_env)
    assert dirty.returncode == 1 and "nicht eingecheckte Änderungen" in dirty.stderr
    assert "1 geändert" in ok(regiodocs(*args, "--ohne-tag", env=git_env)).stdout


def test_basis_url_makes_every_published_address_absolute(tmp_path: Path):
    content = checks.check(FIXTURES / "basis", ROOT).content
    info = exports.edition_info(content, "2026-2", TODAY_DATE, "https://handbuch.example.org/ausgaben/")
    record = next(r for r in records.records(content) if r.id == "radweg-nord")
    assert exports.json_record(record, info)["seite"] == (
        "https://handbuch.example.org/ausgaben/2026-2/projekte/alpha/radweg-nord.html"
    )
    download = exports.Download("Alle Einträge (JSON)", "daten/eintraege.json", "JSON", "application/json")
    dcat = exports.dcat(info, [download], tmp_path)
    assert dcat["dcat:landingPage"]["@id"] == "https://handbuch.example.org/ausgaben/2026-2/"
    assert dcat["dcat:distribution"][0]["dcat:downloadURL"]["@id"].endswith("/2026-2/daten/eintraege.json")
    assert exports.schema_org(info, [download])["url"] == "https://handbuch.example.org/ausgaben/2026-2/"
    assert 'url: "https://handbuch.example.org/ausgaben/2026-2/"' in exports.citation(info)


def test_open_data_page_lists_every_file_with_its_true_size_count_and_licence(editions: dict[str, Path]):
    """daten/index.html in the handbook's design: each file of the edition, linked, with format,
    size, number of records and licence (most static hosts answer 404 for a bare folder)."""
    edition = editions["neu"]
    page = BeautifulSoup((edition / "daten/index.html").read_text(encoding="utf-8"), "html.parser")
    table = page.find("table", class_="regio-downloads")
    assert table is not None
    rows = table.find("tbody").find_all("tr")
    assert len(rows) >= 5
    seen = set()
    for row in rows:
        cells = row.find_all("td")
        link = cells[0].find("a")
        target = (edition / "daten" / link["href"]).resolve()
        assert target.is_file() and edition.resolve() in target.parents, link["href"]
        size = target.stat().st_size
        shown = cells[2].get_text(strip=True)
        assert shown == exports.size_text(size), (link["href"], shown, size)  # the file as published
        if target.suffix == ".csv" and target.parent.name == "daten" and target.stem != "kennzahlen":
            rows_in_file = len(exports.read_csv(target))
            assert cells[3].get_text(strip=True) in (str(rows_in_file), "–"), (target.name, rows_in_file)
        assert cells[4].get_text(strip=True), target.name  # the licence
        seen.add(target.name)
    assert {"eintraege.json", "eintraege.xlsx", "dcat.jsonld"} <= seen, seen
