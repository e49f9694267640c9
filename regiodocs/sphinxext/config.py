"""Configuration of the Sphinx integration, validated once at ``config-inited``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError

from ..settings import as_bool, build_date


@dataclass(frozen=True)
class RegioConfig:
    """``regiodocs_<name>`` values in ``conf.py`` (or ``-D``)."""

    inhalt: str = "content"  # content folder, relative to conf.py
    intern: bool = False  # build the internal edition (with intern records)
    sicher: bool = True  # safe mode for contributions (only the Geschäftsstelle turns it off)
    heute: str = ""  # build date (YYYY-MM-DD); default: SOURCE_DATE_EPOCH or today
    vorlagen: str = "templates/regiodocs"  # Jinja templates for generated pages
    ausgabe: str = ""  # name of the edition being built ("" for a preview)
    # JSON files written by regiodocs.editions (paths relative to conf.py); "" = none
    ausgaben: str = ""  # list of editions for the edition switcher
    ausgabedaten: str = ""  # this edition: date, downloads, schema.org JSON-LD for the start page
    aenderungen: str = ""  # diff to the previous edition: adds the "Was ist neu" page
    bericht: str = ""  # review report: adds the "Prüfbericht" page (internal edition only)
    druck: str = ""  # print selection: builds the print edition (sphinx-simplepdf)
    neuigkeiten: str = ""  # each record's history over the editions: dates and changes of the feeds
    pruefung: bool = False  # set by `regiodocs check`, which parses bodies without a page plan

    @classmethod
    def from_sphinx(cls, config: Config) -> RegioConfig:
        values = {}
        for f in fields(cls):
            value = config[f"regiodocs_{f.name}"]
            if f.type in ("bool", bool) and isinstance(value, str):  # -D regiodocs_intern=1
                try:
                    value = as_bool(value, name=f"regiodocs_{f.name}")
                except ValueError as err:
                    raise ConfigError(str(err)) from None
            values[f.name] = value
        return cls(**values)

    def today(self) -> dt.date:
        return build_date(self.heute)

    def content_root(self, confdir: Path) -> Path:
        return (confdir / self.inhalt).resolve()

    def data_file(self, confdir: Path, name: str) -> Path | None:
        """One of the JSON files passed in by ``regiodocs.editions`` (``ausgaben``, …), if set."""
        value = getattr(self, name)
        return (confdir / value).resolve() if value else None


def setup_config(app: Sphinx) -> None:
    for f in fields(RegioConfig):
        app.add_config_value(f"regiodocs_{f.name}", f.default, "env", types=(type(f.default), str))
