"""Random realistic edits of a content tree, and the comparison of two built sites.

Used by ``tests/test_incremental.py`` (a short run in ``make test``) and by
``make incremental`` (the full run). The edits work on the text of the files the
way a contributor edits them (front matter lines, flow lists, a body line), so
every step leaves files a person could have written. An edit may make the
content invalid (a reference to a record that became intern, say); the build
must then fail and leave the published site as it was.
"""

from __future__ import annotations

import filecmp
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

#: Edit kinds, in the order the report lists them.
KINDS = (
    "title",
    "status",
    "keyword",
    "partner",
    "intern",
    "add",
    "delete",
    "rename",
    "role",
    "listing",
    "registry",
    "page",
)

WORDS = (
    "Radverkehr", "Pendeln", "Wohnen", "Klima", "Quartier", "Grün", "Schule", "Hitze",
    "Bus", "Daten", "Flächenrecycling", "Beteiligung", "Index",
)  # fmt: skip
TITLES = (
    "Radschnellweg Nord", "Quartier Süd", "Neue Mitte", "Grüne Achse", "Hitzeplan",
    "Mobilstationen", "Schulwege sicher", "Wohnen am Fluss", "Daten für alle",
)  # fmt: skip
STATUS = ("idee", "planung", "umsetzung", "abgeschlossen", "verstetigt", "ruhend", "abgebrochen")
RECORD_FOLDERS = ("projekte", "praxis", "ergebnisse", "foerderung", "veranstaltungen")
#: Front matter lists that name records by id.
RECORD_LISTS = ("verwandt", "projekte", "praxis")

OVERVIEW_PAGE = """---
titel: Übersicht Radverkehr
---

Der {regio:eintrag}`radweg-nord` ist das größte Vorhaben.

:::{regio-liste}
:schlagwort: Radverkehr
:::
"""

NEW_PROJECT = """---
titel: {title}
kurzbeschreibung: Ein neues Vorhaben, angelegt im Zufallstest.
federfuehrung: {partner}
handlungsfelder: [mobilitaet]
status: {status}
kontakt:
  - organisation: Stadt Alpha, Amt für Stadtplanung
    email: regionetz@alpha.example.org
schlagworte: [{keyword}]
stand: 2026-10-0{day}
---

Ein neuer Eintrag.
"""


@dataclass
class Edit:
    kind: str
    text: str  # what was done, for the failure message


def split(text: str, suffix: str) -> tuple[str, str, bool]:
    """(front matter, body, is Markdown) of a content file's text."""
    if text.startswith("---\n"):
        head, _, body = text[4:].partition("\n---\n")
        return head, body, True
    if suffix == ".md":  # a page without front matter
        return "", text, True
    return text, "", False


def join(head: str, body: str, markdown: bool) -> str:
    if not markdown:
        return head
    return f"---\n{head}\n---\n{body}" if head.strip() else body


def scalar(head: str, key: str) -> str | None:
    found = re.search(rf"^{key}: *(.*)$", head, re.MULTILINE)
    return found.group(1).strip() if found else None


def set_scalar(head: str, key: str, value: str | None) -> str:
    line = re.compile(rf"^{key}:.*\n?", re.MULTILINE)
    if value is None:
        return line.sub("", head)
    if line.search(head):
        return line.sub(lambda _m: f"{key}: {value}\n", head, count=1).rstrip("\n")
    return f"{head.rstrip()}\n{key}: {value}"


def flow_list(head: str, key: str) -> list[str] | None:
    value = scalar(head, key)
    if value is None or not (value.startswith("[") and value.endswith("]")):
        return None
    return [v.strip() for v in value[1:-1].split(",") if v.strip()]


def set_flow_list(head: str, key: str, values: list[str]) -> str:
    return set_scalar(head, key, f"[{', '.join(values)}]" if values else None)


def reorder(text: str, key: str, rng: random.Random) -> str:
    """The entries of a top-level block list (``key:`` then ``  - …`` entries) in another order."""
    lines = text.splitlines(keepends=True)
    start = lines.index(f"{key}:\n") + 1
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith(" ")), len(lines))
    entries: list[list[str]] = []
    for line in lines[start:end]:
        if line.startswith("  - "):
            entries.append([])
        entries[-1].append(line)
    before = list(entries)
    while len(entries) > 1 and entries == before:
        rng.shuffle(entries)
    return "".join(lines[:start] + [line for entry in entries for line in entry] + lines[end:])


class Project:
    """A content tree on disk and the random edits made to it."""

    def __init__(self, root: Path, seed: int) -> None:
        self.root = root
        self.rng = random.Random(seed)
        self.counter = 0
        page = root / "seiten" / "uebersicht.md"
        if not page.exists():
            page.write_text(OVERVIEW_PAGE, encoding="utf-8")

    # ------------------------------------------------------------ what exists

    def records(self) -> list[Path]:
        return sorted(p for folder in RECORD_FOLDERS for p in (self.root / folder).rglob("*.*"))

    def markdown(self) -> list[Path]:
        """Files with a Markdown body that a role can be written into."""
        pages = sorted((self.root / "seiten").glob("*.md"))
        return [p for p in self.records() if p.suffix == ".md"] + pages

    def ids(self) -> list[str]:
        return [p.stem for p in self.records()]

    def public_ids(self) -> list[str]:
        return [p.stem for p in self.records() if scalar(self.read(p)[0], "sichtbarkeit") != "intern"]

    def partners(self) -> list[str]:
        return sorted(p.stem for p in (self.root / "partner").glob("*.yaml"))

    def read(self, path: Path) -> tuple[str, str, bool]:
        return split(path.read_text(encoding="utf-8"), path.suffix)

    def write(self, path: Path, head: str, body: str, markdown: bool) -> None:
        path.write_text(join(head, body, markdown), encoding="utf-8")

    # ------------------------------------------------------------ edits

    def edit(self, kind: str | None = None) -> Edit:
        kind = kind or self.rng.choice(KINDS)
        operation: Callable[[], str] = getattr(self, f"_{kind}")
        return Edit(kind, operation())

    def _pick(self, paths: list[Path]) -> Path:
        return self.rng.choice(paths)

    def _title(self) -> str:
        candidates = self.records() + sorted((self.root / "seiten").glob("*.md"))
        candidates += sorted((self.root / "plattformen").glob("*.yaml"))
        path = self._pick(candidates)
        head, body, md = self.read(path)
        if path.parent.name == "seiten" and path.stem == "start":
            return "start page unchanged"
        self.counter += 1
        title = f"{self.rng.choice(TITLES)} {self.counter}"
        self.write(path, set_scalar(head, "titel", title), body, md)
        return f"{path.name}: titel → {title}"

    def _status(self) -> str:
        path = self._pick(sorted((self.root / "projekte").rglob("*.*")) or self.records())
        head, body, md = self.read(path)
        status = self.rng.choice(STATUS)
        self.write(path, set_scalar(head, "status", status), body, md)
        return f"{path.name}: status → {status}"

    def _keyword(self) -> str:
        path = self._pick(self.records())
        head, body, md = self.read(path)
        words = flow_list(head, "schlagworte") or []
        word = self.rng.choice(WORDS)
        words = [w for w in words if w != word] if word in words else [*words, word]
        self.write(path, set_flow_list(head, "schlagworte", words), body, md)
        return f"{path.name}: schlagworte → {words}"

    def _partner(self) -> str:
        projects = sorted((self.root / "projekte").rglob("*.*"))
        if not projects:
            return "no project"
        path = self._pick(projects)
        head, body, md = self.read(path)
        partners = self.partners()
        lead = scalar(head, "federfuehrung")
        others = [p for p in partners if p != lead and self.rng.random() < 0.5]
        self.write(path, set_flow_list(head, "beteiligte", others), body, md)
        return f"{path.name}: beteiligte → {others}"

    def _intern(self) -> str:
        path = self._pick(self.records())
        head, body, md = self.read(path)
        if scalar(head, "sichtbarkeit") == "intern":
            self.write(path, set_scalar(head, "sichtbarkeit", None), body, md)
            return f"{path.name}: öffentlich"
        self.write(path, set_scalar(head, "sichtbarkeit", "intern"), body, md)
        if self.rng.random() < 0.8:  # usually the links to it are removed as well
            self._unlink(path.stem)
            return f"{path.name}: intern, Verweise entfernt"
        return f"{path.name}: intern, Verweise bleiben (Fehler erwartet)"

    def _add(self) -> str:
        self.counter += 1
        partner = self.rng.choice(self.partners())
        ident = f"neu-{self.counter}"
        path = self.root / "projekte" / partner / f"{ident}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            NEW_PROJECT.format(
                title=f"{self.rng.choice(TITLES)} {self.counter}",
                partner=partner,
                status=self.rng.choice(STATUS),
                keyword=self.rng.choice(WORDS),
                day=self.rng.randint(1, 9),
            ),
            encoding="utf-8",
        )
        return f"neu: {path.relative_to(self.root)}"

    def _delete(self) -> str:
        records = self.records()
        if len(records) <= 3:
            return self._add()
        path = self._pick(records)
        path.unlink()
        self._unlink(path.stem)
        return f"gelöscht: {path.relative_to(self.root)}"

    def _rename(self) -> str:
        path = self._pick(self.records())
        self.counter += 1
        new = f"{path.stem.split('--')[0]}--{self.counter}"
        target = path.with_name(f"{new}{path.suffix}")
        path.rename(target)
        self._replace_id(path.stem, new)
        return f"umbenannt: {path.name} → {target.name}"

    def _role(self) -> str:
        path = self._pick(self.markdown())
        head, body, md = self.read(path)
        lines = body.splitlines()
        roles = [i for i, line in enumerate(lines) if line.startswith("Siehe auch {regio:")]
        if roles and self.rng.random() < 0.4:
            del lines[self.rng.choice(roles)]
            self.write(path, head, "\n".join(lines) + "\n", md)
            return f"{path.name}: Verweis entfernt"
        targets = [i for i in self.public_ids() if i != path.stem]
        if not targets:
            return "no target"
        kind = self.rng.choice(("eintrag", "eintrag", "partner"))
        target = self.rng.choice(targets if kind == "eintrag" else self.partners())
        lines.append("")
        lines.append(f"Siehe auch {{regio:{kind}}}`{target}`.")
        self.write(path, head, "\n".join(lines) + "\n", md)
        return f"{path.name}: Verweis auf {kind} {target}"

    def _listing(self) -> str:
        path = self.root / "seiten" / "uebersicht.md"
        head, body, md = self.read(path)
        option = self.rng.choice(("schlagwort", "status", "partner", "typ", "handlungsfeld"))
        value = {
            "schlagwort": lambda: self.rng.choice(WORDS),
            "status": lambda: self.rng.choice(STATUS),
            "partner": lambda: self.rng.choice(self.partners()),
            "typ": lambda: self.rng.choice(("projekt", "praxis", "ergebnis")),
            "handlungsfeld": lambda: self.rng.choice(("mobilitaet", "siedlungsentwicklung")),
        }[option]()
        sort = self.rng.choice(("titel", "stand", "datum"))
        listing = f":::{{regio-liste}}\n:{option}: {value}\n:sortierung: {sort}\n:::\n"
        body = re.sub(r":::\{regio-liste\}\n(?:.*\n)*?:::\n", lambda _m: listing, body)
        self.write(path, head, body, md)
        return f"{path.name}: regio-liste {option}={value}, {sort}"

    def _page(self) -> str:
        """A free page added, removed, retitled or moved in the navigation."""
        folder = self.root / "seiten"
        extra = sorted(folder.glob("extra-*.md"))
        choice = self.rng.choice(("add", "remove", "order") if extra else ("add", "order"))
        self.counter += 1
        if choice == "add":
            path = folder / f"extra-{self.counter}.md"
            title = f"{self.rng.choice(TITLES)} {self.counter}"
            order = self.rng.randint(1, 200)
            text = f"---\ntitel: {title}\nreihenfolge: {order}\n---\n\nMehr dazu.\n"
            path.write_text(text, encoding="utf-8")
            return f"neue Seite {path.name}: {title}"
        if choice == "remove":
            path = self.rng.choice(extra)
            path.unlink()
            return f"Seite gelöscht: {path.name}"
        path = self.rng.choice([folder / "uebersicht.md", *extra])
        head, body, md = self.read(path)
        order = str(self.rng.randint(1, 200))
        self.write(path, set_scalar(head, "reihenfolge", order), body, md)
        return f"{path.name}: reihenfolge → {order}"

    def _registry(self) -> str:
        choice = self.rng.choice(("feld", "kennzahl", "partner", "plattform", "reihenfolge"))
        self.counter += 1
        if choice == "partner":
            path = self._pick(sorted((self.root / "partner").glob("*.yaml")))
            text = path.read_text(encoding="utf-8")
            name = f"Stadt {self.rng.choice(('Alpha', 'Beta', 'Gamma'))} {self.counter}"
            path.write_text(set_scalar(text, "name", name) + "\n", encoding="utf-8")
            return f"{path.name}: name → {name}"
        if choice == "plattform":
            path = self._pick(sorted((self.root / "plattformen").glob("*.yaml")))
            text = path.read_text(encoding="utf-8")
            turnus = self.rng.choice(("monatlich", "vierteljährlich", "zweimal im Jahr"))
            path.write_text(set_scalar(text, "turnus", turnus) + "\n", encoding="utf-8")
            return f"{path.name}: turnus → {turnus}"
        path = self.root / "netzwerk.yaml"
        text = path.read_text(encoding="utf-8")
        if choice == "reihenfolge":
            path.write_text(reorder(text, "handlungsfelder", self.rng), encoding="utf-8")
            return "netzwerk: Reihenfolge der Handlungsfelder geändert"
        if choice == "feld":
            ident = self.rng.choice(("mobilitaet", "siedlungsentwicklung"))
            title = f"{self.rng.choice(('Mobilität', 'Siedlung', 'Verkehr'))} {self.counter}"
            text = re.sub(rf"(- id: {ident}\n +titel: ).*", lambda m: m.group(1) + title, text)
            path.write_text(text, encoding="utf-8")
            return f"netzwerk: Handlungsfeld {ident} → {title}"
        unit = self.rng.choice(("km", "Kilometer", "WE", "Wohnungen"))
        ident = self.rng.choice(("radwege_km", "wohneinheiten"))
        text = re.sub(rf"(- id: {ident}\n +titel: .*\n +einheit: ).*", lambda m: m.group(1) + unit, text)
        path.write_text(text, encoding="utf-8")
        return f"netzwerk: Kennzahl {ident} einheit → {unit}"

    # ------------------------------------------------------------ references

    def _files(self) -> list[Path]:
        return sorted(p for p in self.root.rglob("*") if p.suffix in (".md", ".yaml") and p.is_file())

    def _unlink(self, ident: str) -> None:
        """Remove every reference to ``ident`` (front matter lists and body roles)."""
        for path in self._files():
            head, body, md = self.read(path)
            new_head = head
            for key in RECORD_LISTS:
                values = flow_list(new_head, key)
                if values is not None and ident in values:
                    new_head = set_flow_list(new_head, key, [v for v in values if v != ident])
            role = re.compile(rf"^.*\{{regio:eintrag\}}`{re.escape(ident)}`.*\n?", re.MULTILINE)
            new_body = role.sub("", body)
            if new_body.strip() == "" and body.strip() and path.parent.name == "seiten":
                new_body = "Text folgt.\n"
            if (new_head, new_body) != (head, body):
                self.write(path, new_head, new_body, md)

    def _replace_id(self, old: str, new: str) -> None:
        for path in self._files():
            head, body, md = self.read(path)
            new_head = head
            for key in RECORD_LISTS:
                values = flow_list(new_head, key)
                if values is not None and old in values:
                    new_head = set_flow_list(new_head, key, [new if v == old else v for v in values])
            new_body = re.sub(
                rf"(\{{regio:eintrag\}}`){re.escape(old)}(`)", lambda m: m.group(1) + new + m.group(2), body
            )
            if (new_head, new_body) != (head, body):
                self.write(path, new_head, new_body, md)


# ---------------------------------------------------------------- comparison


def tree(root: Path) -> dict[str, Path]:
    """Every file below ``root`` (a published site: a symlink to its version), by relative path."""
    base = root.resolve()
    return {p.relative_to(base).as_posix(): p for p in sorted(base.rglob("*")) if p.is_file()}


def folders(root: Path) -> set[str]:
    base = root.resolve()
    return {p.relative_to(base).as_posix() for p in base.rglob("*") if p.is_dir()}


def differences(incremental: Path, clean: Path) -> list[str]:
    """Files (and folders) that differ between two built sites, byte for byte (nothing normalised)."""
    left, right = tree(incremental), tree(clean)
    found = [f"nur inkrementell: {name}" for name in sorted(left.keys() - right.keys())]
    found += [f"nur sauber: {name}" for name in sorted(right.keys() - left.keys())]
    found += [f"Ordner nur inkrementell: {n}/" for n in sorted(folders(incremental) - folders(clean))]
    found += [f"Ordner nur sauber: {n}/" for n in sorted(folders(clean) - folders(incremental))]
    for name in sorted(left.keys() & right.keys()):
        if not filecmp.cmp(left[name], right[name], shallow=False):
            found.append(f"verschieden: {name}")
    return found


# ---------------------------------------------------------------- the run


@dataclass
class Step:
    edit: Edit
    built: bool  # the incremental build succeeded (else: it failed and published nothing)
    read: int  # doctrees the incremental build (re)wrote: documents read
    written: int  # HTML pages it wrote
    differences: list[str]


def _stamps(folder: Path, pattern: str) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in folder.rglob(pattern)} if folder.exists() else {}


def _changed(before: dict[Path, int], after: dict[Path, int]) -> int:
    return sum(1 for p, stamp in after.items() if before.get(p) != stamp)


def _snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _restore(root: Path, snapshot: dict[Path, bytes]) -> None:
    for path in [p for p in root.rglob("*") if p.is_file() and p not in snapshot]:
        path.unlink()
    for path, data in snapshot.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)


class Run:
    """Incremental builds after each edit, each compared with a clean build of the same content."""

    def __init__(self, project_root: Path, fixture: Path, base: Path, seed: int, today: str) -> None:
        import shutil

        self.project_root = project_root
        self.base = base
        self.content = base / "content"
        shutil.copytree(fixture, self.content)
        self.project = Project(self.content, seed)
        self.extra = ["-D", f"regiodocs_heute={today}"]
        self.published = base / "inkrementell"
        self.work = base / "arbeit"
        self.clean_count = 0

    def build(self, outdir: Path, workdir: Path, jobs: str) -> int:
        from regiodocs import building

        return building.build(
            self.project_root,
            content=self.content,
            outdir=outdir,
            workdir=workdir,
            jobs=jobs,
            quiet=True,
            extra=self.extra,
        )

    def clean(self) -> Path:
        import shutil

        self.clean_count += 1
        out, work = self.base / f"sauber-{self.clean_count}", self.base / f"sauber-{self.clean_count}-arbeit"
        status = self.build(out, work, "1")
        assert status == 0, "the clean build failed where the incremental one succeeded"
        shutil.rmtree(work)
        return out

    def start(self) -> None:
        assert self.build(self.published, self.work, "2") == 0, "the first build failed"

    def step(self, kind: str | None = None) -> Step:
        import shutil

        before = _snapshot(self.content)
        old = tree(self.published)
        old_bytes = {name: path.read_bytes() for name, path in old.items()}
        edit = self.project.edit(kind)
        output = self.work / "html"
        doctrees, pages = _stamps(output / "doctrees", "*.doctree"), _stamps(output / "html", "*.html")
        status = self.build(self.published, self.work, "2")
        read = _changed(doctrees, _stamps(output / "doctrees", "*.doctree"))
        written = _changed(pages, _stamps(output / "html", "*.html"))
        if status != 0:  # the published site must be the one before, byte for byte
            now = tree(self.published)
            found = [f"nach Fehlschlag verändert: {n}" for n in sorted(now.keys() ^ old.keys())]
            found += [f"nach Fehlschlag verändert: {n}" for n in sorted(now.keys() & old.keys())
                      if now[n].read_bytes() != old_bytes[n]]  # fmt: skip
            _restore(self.content, before)  # the contributor undoes the faulty edit
            return Step(edit, False, read, written, found)
        clean = self.clean()
        found = differences(self.published, clean)
        if found:  # kept for the failure message: compare by hand
            return Step(edit, True, read, written, found)
        for folder in (clean, clean.parent / f".{clean.name}.staende"):
            shutil.rmtree(folder, ignore_errors=True)
            if folder.is_symlink():
                folder.unlink()
        clean.unlink(missing_ok=True) if clean.is_symlink() else None
        return Step(edit, True, read, written, found)


# ---------------------------------------------------------------- the report


def table(steps: list[Step]) -> str:
    """Per edit kind: how many edits, and the documents the incremental build read and wrote."""
    rows = [
        "| Änderung | Anzahl | gebaut | gelesen (Mittel / max) | geschrieben (Mittel / max) |",
        "|---|---|---|---|---|",
    ]
    for kind in KINDS:
        mine = [s for s in steps if s.edit.kind == kind]
        built = [s for s in mine if s.built]
        if not mine:
            continue
        read = [s.read for s in built] or [0]
        written = [s.written for s in built] or [0]
        rows.append(
            f"| {kind} | {len(mine)} | {len(built)} | {sum(read) / len(read):.1f} / {max(read)} "
            f"| {sum(written) / len(written):.1f} / {max(written)} |"
        )
    return "\n".join(rows)


def main() -> int:
    """``make incremental``: the full run (REGIODOCS_SCHRITTE edits, default 200, seed REGIODOCS_SAAT).

    On a difference or a crash the work folder is kept and named, to be compared by hand.
    """
    import os
    import shutil
    import sys
    import tempfile
    import time
    import traceback

    root = Path(__file__).resolve().parent.parent
    steps_wanted = int(os.environ.get("REGIODOCS_SCHRITTE", "200"))
    seed = int(os.environ.get("REGIODOCS_SAAT", "20261201"))
    tmp = Path(tempfile.mkdtemp(prefix="regiodocs-inkrementell-"))
    run = Run(root, root / "tests" / "fixtures" / "basis", tmp, seed, "2026-11-22")
    run.start()
    steps: list[Step] = []
    started = time.monotonic()
    for number in range(1, steps_wanted + 1):
        try:
            step = run.step()
        except Exception:
            traceback.print_exc()
            print(f"Schritt {number} abgestürzt; Stand zum Nachsehen: {tmp}", file=sys.stderr)
            return 1
        steps.append(step)
        state = "gebaut" if step.built else "abgelehnt"
        print(f"{number:4d} {step.edit.kind:9s} {state:9s} gelesen {step.read:3d} geschrieben "
              f"{step.written:3d}  {step.edit.text}", flush=True)  # fmt: skip
        if step.differences:
            print("Inkrementell ≠ sauber:\n  " + "\n  ".join(step.differences), file=sys.stderr)
            print(f"Stand zum Vergleichen: {tmp}", file=sys.stderr)
            return 1
        if number % 25 == 0 and number < steps_wanted:  # a long run reports as it goes
            _report(root, seed, steps, time.monotonic() - started, steps_wanted)
    shutil.rmtree(tmp)
    print(table(steps))
    print(f"{len(steps)} Änderungen, Saat {seed}: inkrementell = sauber nach jeder.")
    _report(root, seed, steps, time.monotonic() - started, steps_wanted)
    return 0


def _report(root: Path, seed: int, steps: list[Step], seconds: float, wanted: int) -> None:
    """bench/inkrementell.json and its section of BENCHMARKS.md (steps so far of ``wanted``)."""
    import json
    import sys

    out = root / "bench" / "inkrementell.json"
    data = {
        "seed": seed,
        "steps": len(steps),
        "wanted": wanted,
        "seconds": round(seconds),
        "table": table(steps),
        "differences": 0,
        "per_step": [[s.edit.kind, s.built, s.read, s.written] for s in steps],
    }
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    results = root / "bench" / "ergebnisse.json"
    if results.exists():  # BENCHMARKS.md is generated: add this run's section to it
        sys.path.insert(0, str(root / "bench"))
        import report

        benchmarks = report.markdown(json.loads(results.read_text(encoding="utf-8")))
        (root / "BENCHMARKS.md").write_text(benchmarks, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
