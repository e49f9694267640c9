"""The print edition: a PDF of the whole handbook or of a selection, via sphinx-simplepdf.

A print build is an ordinary regiodocs build with the ``simplepdf`` builder
(single HTML page → WeasyPrint; no LaTeX) and the Sphinx tag ``druck``, under
which ``conf.py`` adds sphinx-simplepdf, the print templates (:data:`ASSETS`),
the stylesheet (:data:`CSS`) and the colours. The selection is passed in as a JSON
file (``regiodocs_druck``): the page plan then puts the selected records,
grouped by type, under a print root page; the cover (``druck/cover.html``) shows
title, edition and date, and the print stylesheet starts every record on its
own page with its Steckbrief as a bordered table, external links written out.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import model
from . import records as rec
from .exports import LICENCE_NAMES, LICENCES
from .exports import licence_id as licence_of
from .manifest import EditionError

#: Print templates (cover, contents) and ``static/`` with the print stylesheet; conf.py uses them.
ASSETS = Path(__file__).resolve().parent / "druck"
CSS = "regiodocs-druck.css"
#: The Sphinx tag of a print build (``tags.has("druck")`` in conf.py).
TAG = "druck"
_ANCHOR = re.compile(r"[a-z0-9][a-z0-9/_-]*")  # a docname as it may stand in a CSS selector


@dataclass
class Selection:
    """Which records to print; empty lists select everything (criteria combine with "and")."""

    typen: list[str] = field(default_factory=list)
    plattformen: list[str] = field(default_factory=list)
    partner: list[str] = field(default_factory=list)
    handlungsfelder: list[str] = field(default_factory=list)
    eintraege: list[str] = field(default_factory=list)

    def check(self, content: model.Content) -> None:
        """Unknown ids are a usage error, not an empty PDF."""
        known = {
            "Typ": set(model.RECORD_TYPE_BY_NAME),
            "Plattform": set(content.plattformen),
            "Partner": set(content.partner),
            "Handlungsfeld": {e.get("id") for e in content.registry("handlungsfelder")},
            "Eintrag": {k for k, d in content.records.items() if d.public},
        }
        for label, values in (
            ("Typ", self.typen), ("Plattform", self.plattformen), ("Partner", self.partner),
            ("Handlungsfeld", self.handlungsfelder), ("Eintrag", self.eintraege),
        ):  # fmt: skip
            for value in values:
                if value not in known[label]:
                    listing = ", ".join(sorted(str(k) for k in known[label]))
                    raise EditionError(f"{label} `{value}` gibt es nicht (öffentlich). Bekannt: {listing}.")

    def select(self, records: list[rec.Record]) -> list[rec.Record]:
        chosen = [
            r
            for r in records
            if (not self.typen or r.kind in self.typen)
            and (not self.plattformen or set(rec.platforms_of(r)) & set(self.plattformen))
            and (not self.partner or set(rec.partners_of(r)) & set(self.partner))
            and (
                not self.handlungsfelder
                or set(r.fields.get("handlungsfelder") or []) & set(self.handlungsfelder)
            )
            and (not self.eintraege or r.id in self.eintraege)
        ]
        order = {t.name: i for i, t in enumerate(model.RECORD_TYPES)}

        def key(r: rec.Record) -> tuple[Any, ...]:
            dated = r.kind in ("ergebnis", "veranstaltung")
            when = str(r.fields.get("datum", ""))
            return (order[r.kind], "" if not dated else _invert(when), _natural(r.title))

        return sorted(chosen, key=key)

    @property
    def everything(self) -> bool:
        return not (self.typen or self.plattformen or self.partner or self.handlungsfelder or self.eintraege)

    def describe(self, content: model.Content) -> str:
        """A German subtitle for the cover, e.g. "Plattform-Ergebnisse · Plattform Mobilität"."""
        if self.everything:
            return "Alle Einträge"
        parts = []
        if self.typen:
            parts.append(", ".join(model.RECORD_TYPE_BY_NAME[t].plural for t in self.typen))
        if self.plattformen:
            parts.append(", ".join(content.plattformen[p].title for p in self.plattformen))
        if self.partner:
            parts.append(", ".join(content.partner[p].title for p in self.partner))
        if self.handlungsfelder:
            titles = {e.get("id"): e.get("titel") for e in content.registry("handlungsfelder")}
            parts.append(", ".join(str(titles.get(f, f)) for f in self.handlungsfelder))
        if self.eintraege and not parts:
            parts.append("Auswahl von Einträgen")
        return " · ".join(parts)


def _natural(title: str) -> tuple[tuple[int, str], ...]:
    """Sort key as a German reader counts: numbers as numbers ("Nummer 2" before "Nummer 10"),
    umlauts as their vowel ("Ärztehaus" among the A)."""
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", title.casefold()) if not unicodedata.combining(c)
    )
    return tuple((int(part), "") if part.isdigit() else (-1, part) for part in re.split(r"(\d+)", plain))


def _invert(text: str) -> str:
    """Sort key for newest first."""
    return "".join(chr(0x10FFFF - ord(c)) for c in text)


def print_data(
    content: model.Content,
    selection: Selection,
    *,
    ausgabe: str | None,
    datum: dt.date,
    titel: str | None = None,
    online: str | None = None,
) -> dict[str, Any]:
    """The JSON passed into the print build (``regiodocs_druck``); ``ausgabe`` None: a working copy;
    ``online`` the address of the online handbook, named on the back cover."""
    net = content.netzwerk.data if content.netzwerk else {}
    chosen = selection.select(rec.records(content))
    licence = str(net.get("lizenz", ""))
    licence_id = licence_of(licence)
    return {
        "titel": titel or f"Handbuch {net.get('name', '')}".strip(),
        "untertitel": selection.describe(content),
        "netzwerk": net.get("name", ""),
        "ausgabe": ausgabe or "",
        "ausgabe_text": f"Ausgabe {ausgabe}" if ausgabe else "Arbeitsstand",
        "anzahl_text": "1 Eintrag" if len(chosen) == 1 else f"{len(chosen)} Einträge",
        "datum": datum.isoformat(),
        "datum_text": datum.strftime("%d.%m.%Y"),
        "fusszeile": f"{net.get('name', '')} · Inhalte unter {LICENCE_NAMES.get(licence_id, licence)}"
        if licence
        else str(net.get("name", "")),
        "lizenz": LICENCE_NAMES.get(licence_id, licence),
        "lizenz_url": LICENCES.get(licence_id, ("", ""))[1],
        "online": online or "",
        "eintraege": [r.id for r in chosen],
        # the anchors of the printed records: a reference to one of them names its page
        "seitenzahlen": [f"document-{r.docname}" for r in chosen if _ANCHOR.fullmatch(r.docname)],
    }


#: What WeasyPrint writes: a tagged PDF/UA-1 (structure tree, language, title shown; BITV 2.0).
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


@contextlib.contextmanager
def _accessible() -> Iterator[None]:
    """sphinx-simplepdf calls ``HTML.write_pdf()`` without options: WeasyPrint's defaults say
    :data:`PDF_OPTIONS` while the print edition is built (and are restored afterwards)."""
    import weasyprint

    saved = dict(weasyprint.DEFAULT_OPTIONS)
    weasyprint.DEFAULT_OPTIONS.update(PDF_OPTIONS)
    try:
        yield
    finally:
        weasyprint.DEFAULT_OPTIONS.clear()
        weasyprint.DEFAULT_OPTIONS.update(saved)


def build_pdf(
    project_root: Path,
    content_root: Path,
    target: Path,
    data: dict[str, Any],
    *,
    jobs: str = "auto",
    quiet: bool = True,
    workdir: Path | None = None,
) -> int:
    """Build the print edition described by ``data`` (see :func:`print_data`) into ``target``."""
    from ..building import build  # Sphinx and WeasyPrint only when printing

    if not data["eintraege"]:
        raise EditionError("Die Auswahl enthält keine öffentlichen Einträge; es gibt nichts zu drucken.")
    with contextlib.ExitStack() as stack:
        work = workdir or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="regiodocs-druck-")))
        work.mkdir(parents=True, exist_ok=True)
        selection_file = work / "druck.json"
        selection_file.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        name = "druck.pdf"
        footer = json.dumps(f"{data['titel']} · {data['ausgabe_text']}", ensure_ascii=False)
        # what this PDF says; everything else of the print edition is conf.py's (tag `druck`)
        extra = [
            "-D", f"regiodocs_druck={selection_file}",
            "-D", f"regiodocs_heute={data['datum']}",
            "-D", f"regiodocs_ausgabe={data['ausgabe']}",
            "-D", f"html_title={data['titel']}",
            "-D", f"simplepdf_file_name={name}",
            "-D", f"simplepdf_vars.bottom-center-content={footer}",
        ]  # fmt: skip
        out = work / "ausgabe"
        sink = io.StringIO()
        # sphinx-simplepdf prints progress with print(); keep the terminal quiet when asked
        redirect = contextlib.redirect_stdout(sink) if quiet else contextlib.nullcontext()
        with redirect, _accessible():
            status = build(
                project_root,
                content=content_root,
                outdir=out,
                workdir=work / "arbeit",
                jobs=jobs,
                quiet=quiet,
                extra=extra,
                builder="simplepdf",
                tags=[TAG],
            )
        if status != 0:
            return status
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        shutil.copyfile(out / name, tmp)
        os.replace(tmp, target)
    return 0
