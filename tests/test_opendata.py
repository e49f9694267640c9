"""Open data people can open: XLSX and Excel CSV next to the UTF-8 CSV, round-tripping every record."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from regiodocs import checks, model
from regiodocs.editions import excel, exports

from conftest import FIXTURES, TODAY

TRICKY = """titel: Grünflächen über Dächer – „Schwammstadt“ ß
kurzbeschreibung: "=HYPERLINK(\\"https://böse.example/\\", \\"Klick\\")"
partner: [alpha, beta]
handlungsfelder: [mobilitaet]
reifegrad: erprobt
uebertragbarkeit: mittel
erfolgsfaktoren:
  - "+49 als Vorwahl; Semikolon; Backslash \\\\ bleibt"
  - "@Anfang mit At"
  - "-Gedankenstrich am Anfang"
stolpersteine:
  - "\\tTabulator am Anfang"
kontakt:
  - organisation: "=1+1 Amt für Öffentlichkeit"
    email: oeffentlich@alpha.netz.example
  - organisation: Kreis Beta, Büro für Übertragbarkeit
    funktion: Ansprechperson Förderung
    telefon: "02131 90-0"
links:
  - titel: Übersicht
    url: https://www.alpha.netz.example/grün
stand: 2026-11-01
"""


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict], exports.Edition]:
    base = tmp_path_factory.mktemp("daten")
    content = shutil.copytree(FIXTURES / "basis", base / "content")
    (content / "praxis" / "gruene-daecher.yaml").write_text(TRICKY, encoding="utf-8")
    result = checks.check(content, base, today=dt.date.fromisoformat(TODAY))
    assert result.errors == [], result.errors
    info = exports.edition_info(result.content, "2026-2", dt.date.fromisoformat(TODAY))
    downloads = exports.write(base / "ausgabe", result.content, info)
    data = exports.read_json(base / "ausgabe" / "daten" / exports.JSON_FILE)
    return base / "ausgabe", data, info, downloads  # type: ignore[return-value]


def _tables(edition: Path) -> list[tuple[str, str, list[exports.Column]]]:
    """Every CSV table with its sheet's title and its columns, as csv-metadata.json describes them."""
    meta = json.loads((edition / "daten" / exports.CSVW_FILE).read_text(encoding="utf-8"))
    titles = {exports.OVERVIEW_FILE: "Übersicht"} | {f"{t.folder}.csv": t.plural for t in model.RECORD_TYPES}
    return [(t["url"], titles[t["url"]], exports.csvw_columns(t)) for t in meta["tables"]]


def _by_type(data: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for entry in data:
        out.setdefault(entry["typ"], []).append({k: v for k, v in entry.items() if k != "typ"})
    return out


def test_xlsx_round_trips_every_public_record_with_umlauts(written):
    edition, data, _info, _d = written
    sheets = excel.read_xlsx(edition / "daten" / excel.XLSX_FILE, _tables(edition))
    by_type = _by_type(data)
    for rtype in model.RECORD_TYPES:
        assert sheets[rtype.plural] == by_type.get(rtype.name, []), rtype.name
    assert [r["id"] for r in sheets["Übersicht"]] == [e["id"] for e in data]
    tricky = next(r for r in sheets["Gute Praxis"] if r["id"] == "gruene-daecher")
    assert tricky["titel"] == "Grünflächen über Dächer – „Schwammstadt“ ß"
    assert tricky["kontakt"][1] == {
        "organisation": "Kreis Beta, Büro für Übertragbarkeit",
        "funktion": "Ansprechperson Förderung",
        "telefon": "02131 90-0",
    }
    assert "intern-vorhaben" not in {r["id"] for r in sheets["Übersicht"]}


def test_excel_csv_round_trips_every_public_record_with_umlauts(written):
    edition, data, _info, _d = written
    by_type = _by_type(data)
    for name, _title, cols in _tables(edition):
        path = edition / "daten" / excel.EXCEL_FOLDER / name
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name  # German Excel reads UTF-8 only with a BOM
        header = raw[3:].decode("utf-8").split("\r\n", 1)[0]
        assert next(csv.reader([header], delimiter=";")) == [c.titel for c in cols], name
        records = excel.read_excel_csv(path, cols)
        if name == exports.OVERVIEW_FILE:
            assert [r["id"] for r in records] == [e["id"] for e in data]
        else:
            kind = next(t.name for t in model.RECORD_TYPES if f"{t.folder}.csv" == name)
            assert records == by_type.get(kind, []), name
    text = (edition / "daten" / excel.EXCEL_FOLDER / "praxis.csv").read_bytes().decode("utf-8-sig")
    assert "Grünflächen über Dächer" in text and "Büro für Übertragbarkeit" in text


def test_no_csv_cell_holds_json(written):
    edition, _data, _info, _d = written
    for path in sorted((edition / "daten").rglob("*.csv")):
        text = path.read_bytes().decode("utf-8-sig")
        delimiter = ";" if path.parent.name == excel.EXCEL_FOLDER else ","
        for cells in csv.reader(io.StringIO(text), delimiter=delimiter):
            for cell in cells:
                assert not cell.lstrip("'").startswith(("[{", "{", '["')), (path.name, cell)
    header = (edition / "daten" / "praxis.csv").read_text(encoding="utf-8").split("\r\n", 1)[0].split(",")
    assert {"kontakt.organisation", "kontakt.email", "kontakt.telefon", "links.url"} <= set(header)
    rows = list(csv.DictReader(io.StringIO((edition / "daten" / "praxis.csv").read_text(encoding="utf-8"))))
    tricky = next(r for r in rows if r["id"] == "gruene-daecher")
    assert tricky["kontakt.telefon"] == "; 02131 90-0"  # the first contact has no telephone
    assert (
        tricky["kontakt.organisation"] == "'=1+1 Amt für Öffentlichkeit; Kreis Beta, Büro für Übertragbarkeit"
    )


def test_formulas_are_neutralised_in_every_variant(written):
    edition, _data, _info, _d = written
    rows = list(csv.DictReader(io.StringIO((edition / "daten" / "praxis.csv").read_text(encoding="utf-8"))))
    tricky = next(r for r in rows if r["id"] == "gruene-daecher")
    assert tricky["kurzbeschreibung"].startswith("'=HYPERLINK(")
    assert tricky["erfolgsfaktoren"].startswith("'+49") and tricky["stolpersteine"].startswith("'\t")
    excel_rows = (edition / "daten" / excel.EXCEL_FOLDER / "praxis.csv").read_bytes().decode("utf-8-sig")
    assert ";\"'=HYPERLINK(" in excel_rows or ";'=HYPERLINK(" in excel_rows
    from openpyxl import load_workbook

    book = load_workbook(edition / "daten" / excel.XLSX_FILE)
    sheet = book["Gute Praxis"]
    titles = [c.value for c in sheet[1]]
    line = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "gruene-daecher")
    cell = line[titles.index("Kurzbeschreibung")]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK(")  # text, not a formula
    with zipfile.ZipFile(edition / "daten" / excel.XLSX_FILE) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(n) for n in sheets)  # no formula anywhere


def test_a_text_too_long_for_a_spreadsheet_cell_is_shortened_there_and_kept_whole_elsewhere(tmp_path: Path):
    """Excel holds 32,767 characters a cell: longer texts are cut there with a note, never lost."""
    from openpyxl import load_workbook

    content = shutil.copytree(FIXTURES / "basis", tmp_path / "content")
    sentence = "Die Höfe werden entsiegelt, bepflanzt und gemeinsam mit den Eigentümer:innen gepflegt. "
    long_text = (sentence * (40_000 // len(sentence) + 1)).strip()
    record = content / "praxis" / "gruene-daecher.yaml"
    record.write_text(f"{TRICKY}beschreibung: {json.dumps(long_text, ensure_ascii=False)}\n", "utf-8")
    result = checks.check(content, tmp_path, today=dt.date.fromisoformat(TODAY))
    assert result.errors == [], result.errors
    info = exports.edition_info(result.content, "2026-2", dt.date.fromisoformat(TODAY))
    exports.write(tmp_path / "ausgabe", result.content, info)
    daten = tmp_path / "ausgabe" / "daten"
    whole = next(e for e in exports.read_json(daten / exports.JSON_FILE) if e["id"] == "gruene-daecher")
    field = next(k for k, v in whole.items() if v == long_text)  # the JSON keeps it whole
    book = load_workbook(daten / excel.XLSX_FILE, read_only=True)
    longest = max(
        len(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
        for cell in row if isinstance(cell, str)
    )  # fmt: skip
    assert longest == excel.CELL_LIMIT
    sheet = book["Gute Praxis"]
    rows = list(sheet.iter_rows(values_only=True))
    cols = next(cols for name, _t, cols in _tables(tmp_path / "ausgabe") if name == "praxis.csv")
    column = list(rows[0]).index(next(c.titel for c in cols if c.name == field))
    cell = next(r for r in rows if r[0] == "gruene-daecher")[column]
    assert cell.endswith(excel.SHORTENED) and long_text.startswith(cell.removesuffix(excel.SHORTENED))
    for path in (daten / excel.EXCEL_FOLDER).glob("*.csv"):
        for cells in csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig")), delimiter=";"):
            assert all(len(c) <= excel.CELL_LIMIT for c in cells), path.name
    rows = list(csv.DictReader(io.StringIO((daten / "praxis.csv").read_text(encoding="utf-8"))))
    assert next(r for r in rows if r["id"] == "gruene-daecher")[field] == long_text  # UTF-8 CSV: whole


def test_xlsx_is_reproducible(written, tmp_path: Path):
    edition, _data, info, _d = written
    content = checks.check(edition.parent / "content", edition.parent, today=dt.date.fromisoformat(TODAY))
    again = exports.write(tmp_path / "wieder", content.content, info)
    assert again
    first = hashlib.sha256((edition / "daten" / excel.XLSX_FILE).read_bytes()).hexdigest()
    second = hashlib.sha256((tmp_path / "wieder" / "daten" / excel.XLSX_FILE).read_bytes()).hexdigest()
    assert first == second


def test_every_download_says_format_size_count_and_licence(written):
    edition, data, info, downloads = written
    described = {d["pfad"]: d for d in exports.described(downloads, edition, info)}
    xlsx = described[f"daten/{excel.XLSX_FILE}"]
    assert xlsx["format"] == "XLSX" and xlsx["anzahl"] == len(data)
    assert xlsx["groesse"] == (edition / "daten" / excel.XLSX_FILE).stat().st_size
    assert xlsx["groesse_text"].endswith(" KB") and xlsx["lizenz"] == "CC-BY-4.0"
    assert xlsx["lizenz_url"] == "https://creativecommons.org/licenses/by/4.0/"
    praxis = described["daten/praxis.csv"]
    assert praxis["anzahl"] == sum(e["typ"] == "praxis" for e in data)
    assert praxis["anzahl_text"].endswith("Einträge")
    assert described["daten/excel/praxis.csv"]["titel"] == "Gute Praxis (CSV für Excel)"
    assert described[f"daten/{exports.README_FILE}"]["anzahl"] is None
    assert all(d["groesse"] > 0 for d in described.values())
    dcat = json.loads((edition / "daten" / exports.DCAT_FILE).read_text(encoding="utf-8"))
    formats = {d["dcat:downloadURL"]["@id"]: d["dct:format"]["@id"] for d in dcat["dcat:distribution"]}
    assert formats[excel.XLSX_FILE].endswith("/XLSX")


def test_sizes_read_in_german():
    assert exports.size_text(1) == "1 Byte"
    assert exports.size_text(987) == "987 Bytes"
    assert exports.size_text(12_345) == "12,3 KB"
    assert exports.size_text(2_500_000) == "2,5 MB"
