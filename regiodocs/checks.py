"""Checks: the schema for every file, then the rules that span files.

Input is what :mod:`regiodocs.loading` read; output is a list of findings and
the content with unusable records set aside. Nothing here renders anything.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import loading, model, safety, schema, svg
from .findings import Code, Finding, Severity
from .readings import Readings

REFERENCE_LABELS = {
    "partner": "Partner", "handlungsfeld": "Handlungsfeld", "plattform": "Plattform",
    "herausforderung": "Herausforderung", "kennzahl": "Kennzahl", "gremium": "Gremium",
    "projekt": "Projekt", "praxis": "Gute Praxis", "foerderprogramm": "Förderprogramm",
    "eintrag": "Eintrag",
}  # fmt: skip


@dataclass
class Result:
    """What a check run found."""

    content: model.Content
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.is_error]


#: The last result per arguments and file signature: `regiodocs build` checks before Sphinx
#: starts, then the extension checks again in the same process – the second is free.
_LAST: dict[tuple[object, ...], tuple[Result, bool]] = {}


def _signature(content_root: Path) -> tuple[tuple[str, int, int], ...]:
    files = []
    for folder, _dirs, names in os.walk(content_root):
        for name in names:
            stat = os.lstat(os.path.join(folder, name))
            files.append((os.path.join(folder, name), stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(files))


def check(
    content_root: Path,
    project_root: Path | None = None,
    *,
    today: dt.date | None = None,
    safe_mode: bool = True,
    only: set[str] | None = None,
    bodies: bool = True,
) -> Result:
    """Load ``content_root`` and run every check on it.

    ``only`` (content-relative paths) checks just those files against the rest
    of the tree, which is read shallowly (the pre-commit case). ``bodies``
    judges contributed Markdown on its doctree (:mod:`regiodocs.bodies`); the
    build turns it off, since its own guard judges every page as it is read.
    """
    today = today or dt.date.today()
    key = (
        str(content_root.resolve()),
        str(project_root),
        today,
        safe_mode,
        tuple(sorted(only)) if only is not None else None,
        _signature(content_root),
    )
    if key in _LAST and (_LAST[key][1] or not bodies):  # a result with bodies serves one without
        return _LAST[key][0]
    readings = Readings.of(content_root)
    loaded, findings = loading.load(content_root, project_root, only=only, memory=readings)
    content, checked = check_content(loaded, today=today, validate=readings.validate)
    readings.save(whole_tree=only is None)
    findings += checked
    if bodies and not any(f.is_error for f in findings):
        from . import bodies as body_check  # starts Sphinx only for bodies not judged before

        findings += body_check.judge(
            content, project_root or content_root.parent, safe_mode=safe_mode, today=today
        )
    result = Result(content, sorted(set(findings), key=lambda f: (f.file, f.line, f.column, f.code)))
    _LAST.clear()
    _LAST[key] = (result, bodies)
    return result


def markdown_tokens(text: str, project_root: Path) -> list[Any]:
    """A body's markdown-it tokens as the build's MyST parser reads it (the project's ``conf.py``),
    without starting Sphinx: :func:`regiodocs.bodies.markdown_tokens`."""
    from . import bodies as body_check

    return body_check.markdown_tokens(text, project_root)


def check_content(
    content: model.Content,
    *,
    today: dt.date,
    validate: Callable[[model.Document], list[Finding]] = schema.validate,
) -> tuple[model.Content, list[Finding]]:
    """Every check on ``content``; the content without unusable records, and the findings.

    ``content`` itself is left as it is (records in a folder that names no partner or
    platform are set aside in a copy). ``validate`` is the schema check of one document
    (:meth:`regiodocs.readings.Readings.validate` keeps its findings for unchanged files).
    """
    findings, content = _orphans(content)
    deep = [d for d in content.documents() if not d.shallow]
    for doc in deep + [d for d in content.duplicates if not d.shallow]:
        findings += validate(doc)
    findings += _duplicates(content)
    findings += _registry_ids(content)
    ids = _id_sets(content)
    intern_media = schema.intern_media(content)
    for doc in deep:
        findings += _references(doc, ids, content)
        findings += _media(doc, content, intern_media)
        findings += _record_rules(doc, today)
        findings += _empty_sections(doc)
    if len(deep) == len(content.documents()):  # unused media needs every record
        findings += _unused_media(content)
    return content, findings


def _at(
    doc: model.Document,
    path: tuple[object, ...],
    code: Code,
    message: str,
    *,
    key: bool = False,
    severity: Severity = Severity.ERROR,
) -> Finding:
    pos = doc.positions.position(path, key=key) if doc.positions else None
    line, column = (pos.line, pos.column) if pos else (1, 1)
    return Finding(doc.path, line, column, code, message, severity)


def _orphans(content: model.Content) -> tuple[list[Finding], model.Content]:
    """Records in a group folder naming no partner or platform: their findings, and a copy without them."""
    findings = []
    orphans = set()
    registries = {"partner": content.partner, "plattform": content.plattformen}
    for doc in content.records.values():
        rtype = doc.record_type
        if rtype and rtype.group_registry and doc.group not in registries[rtype.group_registry]:
            known = ", ".join(f"`{k}`" for k in sorted(registries[rtype.group_registry])) or "keine"
            findings.append(
                Finding(
                    doc.path,
                    1,
                    1,
                    Code.UNKNOWN_FILE,
                    f"Den Ordner `{rtype.folder}/{doc.group}/` gibt es nicht als "
                    f"{REFERENCE_LABELS[rtype.group_registry]}. Bekannt sind: {known}.",
                )
            )
            orphans.add(doc.id)
    if not orphans:
        return findings, content
    records = {k: d for k, d in content.records.items() if k not in orphans}
    return findings, dataclasses.replace(content, records=records)


def _duplicates(content: model.Content) -> list[Finding]:
    findings = [
        Finding(
            d.path,
            1,
            1,
            Code.INVALID_ID,
            "Die Kennung `index` ist reserviert (Übersichtsseiten). Wählen Sie einen anderen Dateinamen.",
        )
        for d in content.records.values()
        if d.id == "index"
    ]
    seen: dict[str, model.Document] = {}
    ordered = [
        *content.partner.values(),
        *content.plattformen.values(),
        *content.records.values(),
        *content.duplicates,
        *content.pages.values(),
    ]
    for doc in ordered:
        first = seen.setdefault(doc.id, doc)
        if first is not doc:
            findings.append(
                Finding(
                    doc.path,
                    1,
                    1,
                    Code.DUPLICATE_ID,
                    f"Die Kennung `{doc.id}` ist schon vergeben ({first.path}). "
                    "Kennungen müssen im ganzen Handbuch eindeutig sein: "
                    "benennen Sie die Datei um.",
                )
            )
    return findings


def _registry_ids(content: model.Content) -> list[Finding]:
    doc = content.netzwerk
    if doc is None:
        return [
            Finding(
                "content/netzwerk.yaml",
                1,
                1,
                Code.REQUIRED,
                "Die Datei `netzwerk.yaml` fehlt. Sie beschreibt das Netzwerk und ist Pflicht.",
            )
        ]
    findings = []
    for name in ("herausforderungen", "handlungsfelder", "gremien", "kennzahlen"):
        seen: set[str] = set()
        for index, entry in enumerate(doc.data.get(name) or []):
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                continue
            if entry["id"] in seen:
                findings.append(
                    _at(
                        doc,
                        (name, index, "id"),
                        Code.DUPLICATE_ID,
                        f"Die Kennung `{entry['id']}` steht in `{name}` doppelt.",
                    )
                )
            seen.add(entry["id"])
    return findings


def _id_sets(content: model.Content) -> dict[str, dict[str, model.Document | None]]:
    def registry(name: str) -> dict[str, model.Document | None]:
        return {e["id"]: None for e in content.registry(name) if isinstance(e.get("id"), str)}

    ids: dict[str, dict[str, model.Document | None]] = {
        "partner": dict(content.partner),
        "plattform": dict(content.plattformen),
        "handlungsfeld": registry("handlungsfelder"),
        "herausforderung": registry("herausforderungen"),
        "kennzahl": registry("kennzahlen"),
        "gremium": registry("gremien"),
        "eintrag": dict(content.records),
    }
    for rtype in model.RECORD_TYPES:
        ids[rtype.name] = {d.id: d for d in content.of_type(rtype.name)}
    return ids


def _references(
    doc: model.Document, ids: dict[str, dict[str, model.Document | None]], content: model.Content
) -> Iterable[Finding]:
    for path, node, value, is_key in schema.annotated(doc.kind, doc.data, "x-verweis"):
        if not isinstance(value, str):
            continue
        kind = node["x-verweis"]
        known = ids.get(kind, {})
        if value in node.get("x-auch", ()):
            continue
        if value not in known:
            label = REFERENCE_LABELS.get(kind, kind)
            close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
            hint = (
                f" Meinten Sie `{close[0]}`?"
                if close
                else (
                    f" Bekannt sind: {', '.join(f'`{k}`' for k in sorted(known)[:12])}"
                    + (" …" if len(known) > 12 else "")
                    + "."
                    if known
                    else ""
                )
            )
            yield _at(
                doc,
                path,
                Code.REFERENCE,
                f"`{value}` ist keine bekannte Kennung für {label}.{hint}",
                key=is_key,
            )
            continue
        target = known[value]
        if target is not None and doc.record_type and doc.public and not target.public:
            yield _at(
                doc,
                path,
                Code.INTERN_REFERENCE,
                f"Dieser öffentliche Eintrag verweist auf den internen Eintrag `{value}`. "
                "Das würde ihn öffentlich machen: entfernen Sie den Verweis oder machen "
                "Sie diesen Eintrag ebenfalls intern.",
            )
    rtype = doc.record_type
    if rtype and rtype.group_field:
        value = doc.data.get(rtype.group_field)
        if isinstance(value, str) and value != doc.group:
            yield _at(
                doc,
                (rtype.group_field,),
                Code.FOLDER,
                f"`{rtype.group_field}: {value}` passt nicht zum Ordner "
                f"`{rtype.folder}/{doc.group}/`. Verschieben Sie die Datei nach "
                f"`{rtype.folder}/{value}/` oder korrigieren Sie das Feld.",
            )


def _media(doc: model.Document, content: model.Content, intern_media: set[str]) -> Iterable[Finding]:
    for path, _node, value, _is_key in schema.annotated(doc.kind, doc.data, "x-medien"):
        if not isinstance(value, str):
            continue
        normal = schema.media_path(value)
        if doc.public and normal in intern_media:
            yield _at(
                doc,
                path,
                Code.INTERN_REFERENCE,
                f"Die Datei `{value}` gehört auch zu einem internen Eintrag. Ein öffentlicher Eintrag "
                "darf sie nicht veröffentlichen: legen Sie für ihn eine eigene Datei ab oder "
                "entfernen Sie den Verweis.",
            )
            continue
        if (
            value.startswith(("/", "\\"))
            or ":" in value
            or normal.startswith("..")
            or not normal.startswith(f"{model.MEDIA_FOLDER}/")
        ):
            yield _at(
                doc,
                path,
                Code.MEDIA_OUTSIDE,
                f"`{value}` liegt nicht unter `medien/`. Legen Sie die Datei unter "
                "`content/medien/` ab und geben Sie den Pfad relativ zu `content/` an, "
                "z. B. `medien/plan.pdf`.",
            )
        elif normal not in content.media:
            yield _at(
                doc,
                path,
                Code.MEDIA_MISSING,
                f"Die Datei `{value}` gibt es nicht. Legen Sie sie unter `content/{normal}` "
                "ab oder korrigieren Sie den Pfad (Groß-/Kleinschreibung beachten).",
            )
        elif normal.rpartition(".")[2].lower() not in safety.MEDIA_TYPES or "." not in normal:
            yield _at(
                doc,
                path,
                Code.MEDIA_TYPE,
                f"Dateien dieser Art (`{value}`) werden nicht veröffentlicht: ein Browser würde sie "
                "als Teil des Handbuchs ausführen oder anzeigen. Erlaubt sind "
                f"{', '.join(sorted(safety.MEDIA_TYPES))}; wandeln Sie die Datei z. B. in PDF um.",
            )
        elif _is_svg(Path(content.root) / normal):
            for reason in svg.problems(_bytes(Path(content.root) / normal)):
                yield _at(
                    doc,
                    path,
                    Code.UNSAFE_SVG,
                    f"Die SVG-Grafik `{value}` wird so nicht veröffentlicht: {reason}",
                )


def _is_svg(path: Path) -> bool:
    """SVG by name or by content: a browser runs an SVG's script whatever the file is called."""
    if path.suffix.lower() in (".svg", ".svgz"):
        return True
    head = _bytes(path, limit=1024).lstrip().lower()
    return head.startswith((b"<svg", b"<?xml")) and b"<svg" in head


def _bytes(path: Path, limit: int = loading.MAX_MEDIA_BYTES) -> bytes:
    try:
        return loading.read_bytes(path, limit)
    except loading.Unreadable:  # reported by loading as RD013
        return b""


def _unused_media(content: model.Content) -> list[Finding]:
    used = schema.used_media(content)
    return [
        Finding(
            shown,
            1,
            1,
            Code.MEDIA_UNUSED,
            "Diese Mediendatei wird von keinem Eintrag verwendet. Verweisen Sie "
            "darauf (`dokumente` oder `bilder`) oder löschen Sie sie.",
            Severity.WARNING,
        )
        for rel, shown in sorted(content.media.items())
        if rel not in used
    ]


def _period(value: object) -> tuple[int, int] | None:
    text = str(value)
    try:
        return (int(text[:4]), int(text[5:7]) if len(text) > 4 else 0)
    except ValueError:
        return None


def _record_rules(doc: model.Document, today: dt.date) -> Iterable[Finding]:
    data = doc.data
    if doc.record_type is None:
        return
    if doc.markdown and model.BODY_FIELD in data:
        yield _at(
            doc,
            (model.BODY_FIELD,),
            Code.BODY_TWICE,
            "In einer `.md`-Datei steht die Beschreibung unter dem Kopfbereich, nicht im "
            "Feld `beschreibung`. Verschieben Sie den Text unter die zweite `---`-Zeile.",
            key=True,
        )
    start, end = _period(data.get("beginn")), _period(data.get("ende"))
    if start and end and end < (start[0], start[1] if end[1] else 0):
        yield _at(
            doc,
            ("ende",),
            Code.PERIOD,
            f"Das Ende ({data['ende']}) liegt vor dem Beginn ({data['beginn']}).",
        )
    stand = data.get("stand")
    if isinstance(stand, str):
        try:
            day = dt.date.fromisoformat(stand)
        except ValueError:
            return
        if day > today:
            yield _at(
                doc,
                ("stand",),
                Code.FUTURE,
                f"`stand: {stand}` liegt in der Zukunft. Tragen Sie das Datum der "
                "letzten Prüfung ein (spätestens heute).",
            )


_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,}|:{3,})")
#: Lines that show nothing: blank, a MyST comment (``% …``), a one-line HTML comment.
_SILENT = re.compile(r"^\s*(?:%.*|<!--.*-->)?\s*$")


def _empty_sections(doc: model.Document) -> Iterable[Finding]:
    """Recommended body sections (``x-abschnitte``) that are there but say nothing: a warning.

    A section ends at the next heading of its level or above; its sub-sections count as
    its text. Headings inside fenced blocks are not headings.
    """
    wanted = {name.casefold(): name for name in schema.sections(doc.kind)} if doc.record_type else {}
    if not wanted or not doc.body:
        return
    lines = doc.body.splitlines()
    headings: list[tuple[int, int, str]] = []  # (index, level, title)
    fence = ""
    for index, line in enumerate(lines):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
            continue
        if opened:
            fence = opened.group(1)
            continue
        match = _HEADING.match(line)
        if match:
            headings.append((index, len(match.group(1)), match.group(2).strip()))
    for number, (index, level, title) in enumerate(headings):
        name = wanted.get(title.casefold())
        if name is None:
            continue
        end = next((i for i, lv, _t in headings[number + 1 :] if lv <= level), len(lines))
        if any(not _SILENT.match(line) for line in lines[index + 1 : end]):
            continue
        if doc.body_exact:
            line_no = doc.body_line + index
        else:
            pos = doc.positions.position((model.BODY_FIELD,)) if doc.positions else None
            line_no = pos.line if pos else doc.body_line
        yield Finding(
            doc.path,
            line_no,
            1,
            Code.EMPTY_SECTION,
            f"Der Abschnitt „{name}“ hat keinen Text und erschiene als leere Überschrift. "
            "Schreiben Sie ein paar Sätze dazu oder löschen Sie die Überschrift.",
            Severity.WARNING,
        )
