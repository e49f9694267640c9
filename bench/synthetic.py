"""Synthetic content of realistic shape for benchmarks (fixed seed, no network).

Writes a full content tree: the shipped registries (netzwerk, partner,
plattformen, seiten) plus N generated records of every type with German text of
300–700 words, all partners, fields of action, statuses and platforms.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

NOUNS = [
    "Quartiersentwicklung", "Radschnellweg", "Mobilstation", "Schwammstadt", "Klimafolgenanpassung",
    "Bebauungsplanverfahren", "Straßenbäume", "Entsiegelung", "Regenwassermanagement", "Nahmobilität",
    "Umweltverbund", "Wohnraumversorgung", "Flächenrecycling", "Innenentwicklung", "Freiraumverbund",
    "Ladeinfrastruktur", "Wärmeplanung", "Photovoltaik", "Dachbegrünung", "Hitzeaktionsplan",
    "Pendlerverkehr", "Gewerbeflächen", "Stadtteilzentrum", "Bürgerbeteiligung", "Förderkulisse",
    "Verkehrswende", "Grünvernetzung", "Bahnhofsumfeld", "Carsharing", "Quartiersgarage",
]  # fmt: skip
VERBS = ["verbessert", "stärkt", "verbindet", "sichert", "entlastet", "ergänzt", "fördert", "ordnet"]
ADJ = ["regionale", "kommunale", "nachhaltige", "integrierte", "klimagerechte", "interkommunale"]
PLACES = ["Neuss", "Ratingen", "Krefeld", "Meerbusch", "Duisburg", "Düsseldorf", "Mettmann", "Hilden"]
SECTIONS = ["Ausgangslage", "Ziele", "Vorgehen", "Ergebnisse", "Erfahrungen", "Übertragbarkeit"]
STATUS = ["idee", "planung", "umsetzung", "abgeschlossen", "verstetigt", "ruhend", "abgebrochen"]
TYPES = [("projekt", 0.55), ("praxis", 0.15), ("ergebnis", 0.15), ("foerderprogramm", 0.05),
         ("veranstaltung", 0.10)]  # fmt: skip


def sentence(rng: random.Random) -> str:
    a, b = rng.sample(NOUNS, 2)
    return (
        f"Die {rng.choice(ADJ)} {a} in {rng.choice(PLACES)} {rng.choice(VERBS)} "
        f"die {b} und schafft damit Raum für gemeinsame Lösungen in der Region."
    )


def body(rng: random.Random, words: int) -> str:
    parts, count = [], 0
    for section in SECTIONS:
        parts.append(f"## {section}\n")
        para = []
        while count < words * (SECTIONS.index(section) + 1) / len(SECTIONS):
            s = sentence(rng)
            para.append(s)
            count += len(s.split())
        parts.append(" ".join(para) + "\n")
    return "\n".join(parts)


def _contact(partner: str) -> list[dict[str, str]]:
    return [
        {"organisation": f"Verwaltung {partner}, Stadtplanung", "email": f"planung-{partner}@example.org"}
    ]


def record(rng: random.Random, kind: str, index: int, ctx: dict) -> tuple[str, dict, str]:
    partner = rng.choice(ctx["partner"])
    title = f"{rng.choice(NOUNS)} {rng.choice(PLACES)} {index}"
    stand = f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}"
    common = {
        "titel": title,
        "kurzbeschreibung": sentence(rng),
        "stand": stand,
        "schlagworte": rng.sample(NOUNS, 3),
    }
    fields = rng.sample(ctx["felder"], rng.randint(1, 2))
    if kind == "projekt":
        begin = rng.randint(2018, 2026)
        others = [p for p in ctx["partner"] if p != partner]
        where = [round(rng.uniform(51.1, 51.5), 4), round(rng.uniform(6.6, 7.0), 4)]
        data = common | {
            "federfuehrung": partner, "beteiligte": rng.sample(others, 2),
            "handlungsfelder": fields, "herausforderungen": rng.sample(ctx["herausforderungen"], 2),
            "plattformen": rng.sample(ctx["plattformen"], 1),
            "projekttyp": rng.choice(["kommunal", "interkommunal", "pilot"]),
            "status": rng.choice(STATUS), "beginn": begin, "ende": begin + rng.randint(1, 6),
            "ort": {"gemeinde": rng.choice(PLACES), "koordinaten": where},
            "kennzahlen": {"wohneinheiten": rng.randint(10, 900), "radwege_km": round(rng.uniform(1, 30), 1)},
            "kosten_eur": rng.randint(100_000, 20_000_000), "kontakt": _contact(partner),
        }  # fmt: skip
        return f"projekte/{partner}", data, body(rng, rng.randint(300, 700))
    if kind == "praxis":
        data = common | {
            "partner": [partner],
            "handlungsfelder": fields,
            "reifegrad": "erprobt",
            "uebertragbarkeit": rng.choice(["hoch", "mittel"]),
            "kontakt": _contact(partner),
        }
        return "praxis", data, body(rng, rng.randint(300, 700))
    if kind == "ergebnis":
        platform = rng.choice(ctx["plattformen"])
        data = common | {
            "plattform": platform,
            "datum": stand,
            "format": "praesenz",
            "gastgeber": partner,
            "teilnehmende": rng.sample(ctx["partner"], 4),
            "vereinbarungen": [{"was": sentence(rng), "wer": partner, "bis": "2026-12-31"}],
        }
        return f"ergebnisse/{platform}", data, body(rng, rng.randint(300, 700))
    if kind == "foerderprogramm":
        data = common | {
            "geber": "Land NRW",
            "handlungsfelder": fields,
            "url": "https://www.example.org/foerderung",
            "frist": "laufend",
        }
        return "foerderung", data, body(rng, 300)
    data = common | {"format": "workshop", "datum": stand, "gastgeber": partner}
    return "veranstaltungen", data, body(rng, 300)


def generate(target: Path, count: int, *, seed: int = 20261122) -> Path:
    """Write a content tree with ``count`` records into ``target``."""
    if target.exists():
        shutil.rmtree(target)
    source = ROOT / "content"
    for name in ("netzwerk.yaml", "partner", "plattformen", "seiten"):
        path = source / name
        if path.is_dir():
            shutil.copytree(path, target / name)
        else:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / name)
    net = yaml.safe_load((source / "netzwerk.yaml").read_text(encoding="utf-8"))
    ctx = {
        "partner": sorted(p.stem for p in (source / "partner").glob("*.yaml")),
        "plattformen": sorted(p.stem for p in (source / "plattformen").glob("*.yaml")),
        "felder": [e["id"] for e in net["handlungsfelder"]],
        "herausforderungen": [e["id"] for e in net["herausforderungen"]],
    }
    rng = random.Random(seed)
    kinds = [k for k, _w in TYPES]
    weights = [w for _k, w in TYPES]
    for index in range(count):
        kind = rng.choices(kinds, weights)[0]
        folder, data, text = record(rng, kind, index, ctx)
        path = target / folder / f"synth-{index:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        path.write_text(f"---\n{front}---\n\n{text}", encoding="utf-8")
    return target


if __name__ == "__main__":
    import sys

    generate(Path(sys.argv[1]), int(sys.argv[2]))
