"""Findings: what a check reports, with stable codes and German messages.

Codes work like MyST's warning subtypes: each names one kind of problem, is
stable across releases and is listed in the field reference, so that a
planner (or a CI rule) can look it up.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

#: Exit codes of every regiodocs command: done; problems in the content (or a failed build); a
#: wrong call; a bug of regiodocs; stopped with Strg+C (128 + SIGINT, as shells count it).
EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Code(enum.StrEnum):
    """Stable check codes. The value is the code, ``title`` a German label."""

    # reading files (RD0xx)
    ENCODING = "RD001"
    EMPTY_FILE = "RD002"
    YAML_SYNTAX = "RD003"
    DUPLICATE_KEY = "RD004"
    YAML_TAG = "RD005"
    FRONT_MATTER = "RD006"
    LIMIT = "RD007"
    NOT_A_MAPPING = "RD008"
    UNKNOWN_FILE = "RD010"
    INVALID_ID = "RD011"
    DUPLICATE_ID = "RD012"
    SPECIAL_FILE = "RD013"
    # schema (RD1xx)
    REQUIRED = "RD101"
    UNKNOWN_KEY = "RD102"
    TYPE = "RD103"
    VOCABULARY = "RD104"
    LENGTH = "RD105"
    DATE = "RD106"
    PATTERN = "RD107"
    SCHEMA = "RD108"
    NUMBER = "RD109"
    BLANK = "RD110"
    # rules across records (RD2xx)
    REFERENCE = "RD201"
    FOLDER = "RD202"
    PERIOD = "RD203"
    FUTURE = "RD204"
    COORDINATES = "RD205"
    LINK_SCHEME = "RD206"
    MEDIA_OUTSIDE = "RD207"
    MEDIA_MISSING = "RD208"
    PERSONAL_NAME = "RD209"
    INTERN_REFERENCE = "RD210"
    BODY_TWICE = "RD211"
    MEDIA_UNUSED = "RD212"
    UNSAFE_SVG = "RD213"
    MEDIA_TYPE = "RD214"
    EMPTY_SECTION = "RD215"
    # rendering (RD3xx)
    MARKUP = "RD301"
    LISTING = "RD302"
    MARKUP_ERROR = "RD303"
    # before publishing: the Veröffentlichungsprüfung of `regiodocs release` (RD4xx)
    PLACEHOLDER = "RD401"
    DEMO_RECORD = "RD402"
    LEGAL_PAGE = "RD403"
    EDITOR_CONFIG = "RD404"

    @property
    def title(self) -> str:
        return _TITLES[self]


_TITLES: dict[Code, str] = {
    Code.ENCODING: "Datei ist nicht UTF-8",
    Code.EMPTY_FILE: "Datei ist leer",
    Code.YAML_SYNTAX: "YAML-Syntaxfehler",
    Code.DUPLICATE_KEY: "Feld doppelt angegeben",
    Code.YAML_TAG: "YAML-Tag nicht erlaubt",
    Code.FRONT_MATTER: "Kopfbereich (Front Matter) fehlerhaft",
    Code.LIMIT: "Größenbeschränkung überschritten",
    Code.NOT_A_MAPPING: "Datei enthält keine Felder",
    Code.UNKNOWN_FILE: "Unbekannte Datei",
    Code.INVALID_ID: "Ungültiger Dateiname",
    Code.DUPLICATE_ID: "Kennung doppelt vergeben",
    Code.SPECIAL_FILE: "Verknüpfung oder Sonderdatei",
    Code.REQUIRED: "Pflichtfeld fehlt",
    Code.UNKNOWN_KEY: "Unbekanntes Feld",
    Code.TYPE: "Falscher Werttyp",
    Code.VOCABULARY: "Wert nicht erlaubt",
    Code.LENGTH: "Länge oder Anzahl nicht erlaubt",
    Code.DATE: "Ungültiges Datum",
    Code.PATTERN: "Falsches Format",
    Code.SCHEMA: "Ungültiger Wert",
    Code.NUMBER: "Zahl außerhalb des erlaubten Bereichs",
    Code.BLANK: "Text besteht nur aus Leerzeichen",
    Code.REFERENCE: "Verweis ins Leere",
    Code.FOLDER: "Ordner passt nicht zum Feld",
    Code.PERIOD: "Ende vor Beginn",
    Code.FUTURE: "Datum in der Zukunft",
    Code.COORDINATES: "Koordinaten außerhalb des Gebiets",  # the area is the schema's (a network fact)
    Code.LINK_SCHEME: "Link-Art nicht erlaubt",
    Code.MEDIA_OUTSIDE: "Pfad außerhalb von content/",
    Code.MEDIA_MISSING: "Datei fehlt",
    Code.PERSONAL_NAME: "Personenname ohne Einwilligung",
    Code.INTERN_REFERENCE: "Öffentlicher Eintrag verweist auf internen",
    Code.BODY_TWICE: "Beschreibung doppelt",
    Code.MEDIA_UNUSED: "Mediendatei wird nicht verwendet",
    Code.UNSAFE_SVG: "SVG-Grafik nicht sicher",
    Code.MEDIA_TYPE: "Dateiart nicht erlaubt",
    Code.EMPTY_SECTION: "Abschnitt ohne Text",
    Code.MARKUP: "Auszeichnung nicht erlaubt",
    Code.LISTING: "Fehlerhafte Liste",
    Code.MARKUP_ERROR: "Fehlerhafte Auszeichnung",
    Code.PLACEHOLDER: "Platzhalter",
    Code.DEMO_RECORD: "Beispiel-Eintrag",
    Code.LEGAL_PAGE: "Pflichtseite fehlt oder ist ein Entwurf",
    Code.EDITOR_CONFIG: "Web-Editor nicht eingerichtet",
}


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place. ``file`` is relative to the project root."""

    file: str
    line: int
    column: int
    code: Code
    message: str
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "code": self.code.value,
            "severity": self.severity.value,
            "message": self.message,
        }
