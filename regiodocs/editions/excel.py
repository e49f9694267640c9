"""Open data people can open: the CSV tables of an edition as Excel reads them.

Next to the machine-readable UTF-8 CSVs (:mod:`.exports`) every edition has

- ``daten/eintraege.xlsx`` (``openpyxl``): one sheet per table (``Übersicht``,
  ``Projekte``, …) with German column titles in the first row, numbers as numbers,
  ``true``/``false`` as truth values; every text is a text cell – a value such as
  ``=HYPERLINK(…)`` is shown, never run as a formula. A sheet ``Spalten`` explains
  every column. Reproducible: the file's times are the edition's date.
- ``daten/excel/<tabelle>.csv``: the same tables as German Excel opens a CSV with a
  double click: UTF-8 with BOM, ``;`` between cells, CRLF, cells neutralised against
  formula injection as in the UTF-8 CSVs (a leading ``'``).

Lists and lists of entries follow the CSV rules (values joined with ``"; "``; each
field of contacts, links, … in a column of its own): never JSON in a cell.

A spreadsheet cell holds at most :data:`CELL_LIMIT` characters (Excel refuses or cuts a longer
one); a longer text is shortened there and says so (:data:`SHORTENED`). The JSON and the UTF-8
CSVs keep it whole.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

from . import cells, exports

XLSX_FILE = "eintraege.xlsx"
EXCEL_FOLDER = "excel"
COLUMNS_SHEET = "Spalten"
_XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ART_TEXT = {"text": "Text", "ganzzahl": "ganze Zahl", "zahl": "Zahl", "wahrheitswert": "WAHR/FALSCH",
             "datum": "Datum JJJJ-MM-TT", "json": "JSON"}  # fmt: skip

Table = tuple[str, str, list[cells.Column], list[dict[str, Any]]]  # file, title, columns, records

#: The most characters an Excel cell holds (Excel's specifications and limits).
CELL_LIMIT = 32_767
#: The end of a text shortened to :data:`CELL_LIMIT`.
SHORTENED = f" … [gekürzt: der ganze Text steht in {exports.JSON_FILE} und den UTF-8-CSV-Dateien]"


def fit(text: str) -> str:
    """``text``, shortened to :data:`CELL_LIMIT` characters with :data:`SHORTENED` if longer."""
    if len(text) <= CELL_LIMIT:
        return text
    return text[: CELL_LIMIT - len(SHORTENED)].rstrip() + SHORTENED


def excel_value(value: object, col: cells.Column) -> object:
    """What a spreadsheet cell holds: a number, a truth value, or a text (lists as in the CSV)."""
    if value is None:
        return None
    if col.art in ("ganzzahl", "zahl") and isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if col.art == "wahrheitswert" and isinstance(value, bool):
        return value
    return fit(cells.cell_text(value, col))


def from_excel(value: object, col: cells.Column) -> object:
    """The record's value of a spreadsheet cell (numbers read back as the JSON has them)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer() and col.art == "ganzzahl":
        return int(value)
    if isinstance(value, (int, float)):
        return value
    return cells.from_text(str(value), col)


def _sheet_title(title: str) -> str:
    cleaned = "".join(c for c in title if c not in "[]:*?/\\")
    return cleaned[:31]


def write_xlsx(path: Path, tables: list[Table], edition: exports.Edition) -> None:
    """``eintraege.xlsx``: one sheet per table, then ``Spalten``; byte-identical for the same data."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    moment = dt.datetime(edition.datum.year, edition.datum.month, edition.datum.day)
    book.properties.creator = str(edition.netzwerk.get("name", ""))
    book.properties.title = edition.titel_ausgabe
    book.properties.language = "de-DE"
    book.properties.created = book.properties.modified = moment
    for _file, title, cols, records in tables:
        sheet = book.create_sheet(_sheet_title(title))
        first = 1
        if edition.probe:
            sheet.cell(1, 1, exports.PROBE_TEXT).font = Font(bold=True, color="C00000")
            first = 2
        for number, col in enumerate(cols, 1):
            sheet.cell(first, number, col.titel).font = bold
        for offset, record in enumerate(records, 1):
            for number, col in enumerate(cols, 1):
                value = excel_value(cells.record_value(record, col), col)
                if value is None:
                    continue
                cell = sheet.cell(first + offset, number, value)
                if isinstance(value, str):
                    cell.data_type = "s"  # a text, also "=…": shown, never run as a formula
        sheet.freeze_panes = sheet.cell(first + 1, 2)
    legend = book.create_sheet(COLUMNS_SHEET)
    for number, head in enumerate(("Tabelle", "Spalte", "Bezeichnung", "Art", "Beschreibung"), 1):
        legend.cell(1, number, head).font = bold
    line = 2
    for _file, title, cols, _records in tables:
        for col in cols:
            art = _ART_TEXT[col.art] + (" (Liste, mit „; “ verbunden)" if col.liste else "")
            for number, text in enumerate((title, col.name, col.titel, art, col.beschreibung), 1):
                legend.cell(line, number, text).data_type = "s"
            line += 1
    raw = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()  # keeps `modified`
    write_atomic_bytes(path, _fixed_times(raw.getvalue(), moment))


def _fixed_times(data: bytes, moment: dt.datetime) -> bytes:
    """The zip again, every member dated ``moment`` (a reproducible file)."""
    out = io.BytesIO()
    when = (max(moment.year, 1980), moment.month, moment.day, 0, 0, 0)
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=when)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


def write_atomic_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def read_xlsx(
    path: Path, tables: list[tuple[str, str, list[cells.Column]]]
) -> dict[str, list[dict[str, Any]]]:
    """Sheet title → records, read back by the column rules (``tables`` as the CSVs have them)."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=False)
    out: dict[str, list[dict[str, Any]]] = {}
    for _file, title, cols in tables:
        rows = list(book[_sheet_title(title)].iter_rows(values_only=True))
        while rows and rows[0][:1] != (cols[0].titel,):  # a test release's note above the header
            rows.pop(0)
        records = []
        for values in rows[1:]:
            row = {
                col.name: cells.to_cell(from_excel(v, col), col) for col, v in zip(cols, values, strict=False)
            }
            records.append(cells.unrow(row, cols))
        out[title] = records
    return out


def excel_csv(header: list[str], rows: list[list[str]], note: str = "") -> bytes:
    """A CSV as German Excel opens it: UTF-8 with BOM, ``;``, CRLF (cells already neutralised)."""
    buffer = io.StringIO(newline="")
    if note:
        buffer.write(f"{note}\r\n")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def read_excel_csv(path: Path, cols: list[cells.Column]) -> list[dict[str, Any]]:
    """Records of an Excel CSV (German titles in the header; a note line above it is skipped)."""
    text = path.read_bytes().decode("utf-8-sig")
    lines = text.splitlines(keepends=True)
    header = ";".join(_quoted(c.titel) for c in cols)
    while lines and not lines[0].startswith(header):
        lines.pop(0)
    reader = csv.reader(io.StringIO("".join(lines[1:]), newline=""), delimiter=";")
    return [cells.unrow(dict(zip([c.name for c in cols], line, strict=False)), cols) for line in reader]


def _quoted(text: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="").writerow([text])
    return buffer.getvalue()


def write(folder: Path, tables: list[Table], edition: exports.Edition) -> list[exports.Download]:
    """The Excel variants of ``tables`` into ``daten/``; what was written (paths below the edition)."""
    write_xlsx(folder / XLSX_FILE, tables, edition)
    total = sum(len(records) for file, _t, _c, records in tables if file == exports.OVERVIEW_FILE)
    downloads = [
        exports.Download(
            "Alle Tabellen für Excel und LibreOffice (XLSX)",
            f"{exports.FOLDER}/{XLSX_FILE}",
            "XLSX",
            _XLSX_TYPE,
            anzahl=total,
        )
    ]
    note = exports.PROBE_TEXT if edition.probe else ""
    for file, title, cols, records in tables:
        rows = [[fit(cell) for cell in cells.row(record, cols)] for record in records]
        data = excel_csv([c.titel for c in cols], rows, note)
        write_atomic_bytes(folder / EXCEL_FOLDER / file, data)
        downloads.append(
            exports.Download(
                f"{title} (CSV für Excel)",
                f"{exports.FOLDER}/{EXCEL_FOLDER}/{file}",
                "CSV",
                "text/csv",
                anzahl=len(records),
            )
        )
    return downloads
