"""Regenerate the OpenThesaurus part of the planning thesaurus (package data of regiodocs).

Reads OpenThesaurus' text export (Debian package ``openthesaurus-de-text``, LGPL 2.1+:
``apt-get install openthesaurus-de-text`` puts it at
``/usr/share/openthesaurus-de/openthesaurus.txt``) and keeps only what serves planners:

1. Seeds: every single word of the curated groups (``regiodocs/search/thesaurus/planung.txt``)
   plus the domain words in :data:`EXTRA_SEEDS`.
2. A group is kept when it contains a seed; when that seed is ambiguous (it stands in more
   than one OpenThesaurus group, e.g. "Förderung": support / mining / promotion), the group
   must contain a second seed.
3. Terms are cleaned: annotations like "(ugs.)" or "(fachspr.)" are removed; terms marked
   as old, vulgar, ironic or figurative, idioms of more than three words, and terms with
   placeholders ("(etwas)", "...") are dropped, and so are the words in :data:`DROP`.
4. Groups with fewer than two or more than :data:`MAX_GROUP` terms left, and groups whose
   terms all stand together in one curated group, are dropped.

The result is written to ``regiodocs/search/thesaurus/openthesaurus.txt`` with the licence
notice; CI does not need the Debian package, the generated file is committed.

    .venv/bin/python scripts/thesaurus_erzeugen.py [--quelle PATH] [--pruefen]

``--pruefen`` exits 1 when the committed file differs from a fresh run (needs the package).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "regiodocs" / "search" / "thesaurus"
SOURCE = Path("/usr/share/openthesaurus-de/openthesaurus.txt")
TARGET = DATA / "openthesaurus.txt"
CURATED = DATA / "planung.txt"
MAX_GROUP = 10
MAX_WORDS = 3
#: A group with one seed only is kept when that seed is unambiguous and at least this long
#: (a specific word such as "Kindertagesstätte", not "Bahn").
MIN_SINGLE_SEED = 8

#: Domain words beyond the curated groups' own words.
EXTRA_SEEDS = """
    Abriss Anlieger Anwohner Arbeitsplatz Baugebiet Baustelle Bauvorhaben Bebauung Bevölkerung
    Bezirk Bürgersteig Dorf Einwohner Energie Erschließung Fahrbahn Fahrrad Fläche Flughafen
    Fußgängerzone Gebäude Gehweg Gelände Gewerbe Grundstück Hafen Heizung Industrie Kanal
    Kreuzung Landschaft Landwirtschaft Lärm Lärmschutz Luftqualität Markt Mobilität Neubau
    Nachbarschaft Ortschaft Parkhaus Platz Radfahrer Regen Siedlung Stadtrand Straße
    Straßenverkehr Strom Trasse Umwelt Umweltschutz Umzug Verkehr Verkehrsmittel Vorort Wald
    Wasser Wohnen Wohnhaus Wohngebiet Zuzug Misserfolg Fehlschlag gescheitert misslungen
    Abbruch Stillstand Verzögerung Innovation Projekt Vorhaben Konzept Strategie Leitbild
    Zukunft Nachhaltigkeit nachhaltig Bürger Einwohner Öffentlichkeit Politik Gremium
"""
#: Lower-case seeds that are kept: the status words of records.
STATUS_SEEDS = frozenset(["gescheitert", "misslungen", "abgebrochen", "fehlgeschlagen", "missglückt"])
#: Words of OpenThesaurus groups that mislead in planning texts (other senses, slang).


def _words(text: str) -> list[str]:
    return text.split()


DROP = frozenset(
    w.casefold()
    for w in _words("""
    Quartal Matte Weide Rasen Gras Pleite Tsunami Schlappe Niederlage Bauchlandung Versagen
    Ohrfeige Klatsche Rohrkrepierer Abfuhr Gunstbezeigung Gunstbezeugung Gönnerschaft Hilfe
    Stärkung Zutun Rückhalt Unterkunft Unterbringung Bude Klause Heim Residenz Obdach Bleibe
    Behausung Domizil Zuhause Heimstatt Wohnstatt Wohnstätte Gegend Funzel Petroleumlampe
    Petroleumleuchte Kohle Knete Moos Kies Zaster Kröten Moneten Penunze Asche Mäuse Schotter
    Bims Pinke Flocken Eier Piepen Kies Marie Heu Möpse Tacken Taler Mittel Gelder Geld
    Volk Holz Tann Strom Bahn Schiene Spur Karte Voucher Eintrittskarte Fest Vorstellung
    Darbietung Event Topf Werkstatt Eta Blechlawine Blechbüchse Brummi Laster Einrichtung
    Gestaltung Erreichung Entwicklung Unterstützung Flur Stück Plan Dusche Druck Fahrt Reise
    Markt Ort Halt Handeln Politik Unternehmen Unternehmung Husche Guss Block Luft Junta Zirkel
    Abriss Zerstörung Demolierung Wille Urteil Entschlossenheit Ratschluss Entschluss Laube
    """)
)
#: OpenThesaurus groups (named by their first term) whose senses do not fit planning texts.
DROP_GROUPS = frozenset(
    _words("""
    Auflage Austausch Ikone Gelände Grünfläche Mobilität Option Puffer Ratschlag Strategie
    Verdichtung Unterfangen Observation Beaufsichtigung Kompensation Städtchen Sozietät Landstrich
    Ortschaft Seminar Lebensmittelmarkt Franchise Kolonisierung Umkreis Lehrausflug
    """)
) | {"das letzte Wort", "längerfristig ausgerichtetes Handeln", "Leib und Leben"}
_NOTE = re.compile(r"\s*\(([^)]*)\)")
#: Annotations whose terms are dropped.
_BAD_NOTES = ("veraltet", "derb", "vulg", "scherzh", "ironisch", "abwertend", "fig.", "salopp", "selten",
              "Slang", "Jargon, scherzh", "historisch", "DDR", "Schimpfwort", "euphemistisch")  # fmt: skip

HEADER = """\
# OpenThesaurus-Teil des Planungsthesaurus von regiodocs (erzeugt von scripts/thesaurus_erzeugen.py;
# nicht von Hand ändern – eigene Gruppen stehen in planung.txt, netzwerkeigene in content/synonyme.yaml).
#
# Quelle: OpenThesaurus (https://www.openthesaurus.de), Debian-Paket openthesaurus-de-text,
# {stand}
# Copyright (C) 2003-2014 Daniel Naber und die Mitwirkenden von OpenThesaurus.
# Gefiltert auf die Fachsprache der Stadt- und Regionalplanung (Verfahren: siehe README.md).
#
# Diese Datei ist ein abgeleitetes Werk von OpenThesaurus und steht wie dieses unter der
# GNU Lesser General Public License, Version 2.1 oder (nach Wahl) jeder späteren Version
# (Lizenztext: LGPL-2.1.txt in diesem Ordner). Sie wird ohne jede Gewährleistung verbreitet.
#
# Eine Gruppe je Zeile, Begriffe durch ";" getrennt.
"""


def clean(term: str) -> str | None:
    """The term without annotations, or None when it should not be used."""
    notes = " ".join(_NOTE.findall(term))
    if any(bad in notes for bad in _BAD_NOTES):
        return None
    text = _NOTE.sub("", term).strip()
    if not text or "..." in text or "…" in text or "(" in text or len(text.split()) > MAX_WORDS:
        return None
    if text.casefold() in DROP or len(text) < 2:
        return None
    return text


def curated_groups(path: Path = CURATED) -> list[list[str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [line for line in lines if line and not line.startswith("#")]
    return [[t.strip() for t in line.split(";") if t.strip()] for line in rows]


def seeds(curated: list[list[str]]) -> set[str]:
    """Nouns and abbreviations of the curated groups and :data:`EXTRA_SEEDS` (casefolded).

    Verbs and adjectives are left out: in OpenThesaurus their groups mix many senses.
    """
    words = {t for group in curated for t in group if " " not in t} | set(EXTRA_SEEDS.split())
    return {w.casefold() for w in words if w[:1].isupper() or w in STATUS_SEEDS}


def generate(source: Path) -> tuple[list[list[str]], str]:
    """The filtered groups and the source's stamp line."""
    text = source.read_text(encoding="utf-8")
    stamp = next((line.lstrip("# ").strip() for line in text.splitlines() if "generated" in line), "")
    raw = [line.split(";") for line in text.splitlines() if line and not line.startswith("#")]
    curated = curated_groups()
    seed = seeds(curated)
    senses: dict[str, int] = defaultdict(int)
    for group in raw:
        for term in {(_NOTE.sub("", t).strip()).casefold() for t in group}:
            senses[term] += 1
    curated_sets = [{t.casefold() for t in g} for g in curated]
    kept: list[list[str]] = []
    seen: set[tuple[str, ...]] = set()
    for group in raw:
        bare = [_NOTE.sub("", t).strip().casefold() for t in group]
        hits = [b for b in bare if b in seed]
        if not hits or (len(hits) == 1 and (senses[hits[0]] > 1 or len(hits[0]) < MIN_SINGLE_SEED)):
            continue
        terms: list[str] = []
        for t in group:
            c = clean(t)
            if c is not None and c.casefold() not in {x.casefold() for x in terms}:
                terms.append(c)
        if not 2 <= len(terms) <= MAX_GROUP or terms[0] in DROP_GROUPS:
            continue
        folded = {t.casefold() for t in terms}
        if any(folded <= s for s in curated_sets):
            continue
        key = tuple(sorted(folded))
        if key not in seen:
            seen.add(key)
            kept.append(terms)
    kept.sort(key=lambda g: [t.casefold() for t in g])
    return kept, stamp


def render(groups: list[list[str]], stamp: str) -> str:
    stand = f"Stand der Quelle: {stamp}" if stamp else "Stand der Quelle unbekannt"
    return HEADER.format(stand=stand) + "".join(";".join(g) + "\n" for g in groups)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quelle", type=Path, default=SOURCE)
    parser.add_argument("--pruefen", action="store_true", help="nur vergleichen, nichts schreiben")
    args = parser.parse_args()
    if not args.quelle.is_file():
        print(f"{args.quelle} fehlt: apt-get install openthesaurus-de-text", file=sys.stderr)
        return 2
    groups, stamp = generate(args.quelle)
    text = render(groups, stamp)
    if args.pruefen:
        same = TARGET.is_file() and TARGET.read_text(encoding="utf-8") == text
        print("unverändert" if same else f"{TARGET} weicht ab")
        return 0 if same else 1
    TARGET.write_text(text, encoding="utf-8")
    print(f"{len(groups)} Gruppen aus OpenThesaurus nach {TARGET.relative_to(ROOT)} geschrieben")
    return 0


if __name__ == "__main__":
    sys.exit(main())
