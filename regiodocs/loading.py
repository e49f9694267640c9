"""Loading: every file under ``content/`` becomes a Document or a Finding.

Reads bytes, decodes UTF-8 (BOM and CRLF accepted), splits Markdown front
matter with correct line offsets and parses YAML strictly (:mod:`yamlio`).
Nothing here validates field contents; that is :mod:`regiodocs.schema`'s and
:mod:`regiodocs.checks`' job.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from . import model, yamlio
from .findings import Code, Finding, Severity

#: Largest record, registry or page file, in bytes.
MAX_TEXT_BYTES = 512 * 1024
#: Largest media file, in bytes.
MAX_MEDIA_BYTES = 25 * 1024 * 1024

_YAML_CODES = {
    "syntax": Code.YAML_SYNTAX,
    "duplicate": Code.DUPLICATE_KEY,
    "tag": Code.YAML_TAG,
    "limit": Code.LIMIT,
}


@dataclass(frozen=True)
class Slot:
    """What a path under ``content/`` is meant to be."""

    kind: str
    id: str
    group: str | None = None


def classify(rel: str) -> Slot | str:
    """The slot for a content-relative path, or a German reason why there is none."""
    parts = rel.split("/")
    name = parts[-1]
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if parts[0] == model.MEDIA_FOLDER and len(parts) > 1:
        return Slot("medien", rel)
    if rel == model.NETZWERK_FILE:
        return Slot("netzwerk", "netzwerk")
    if rel == model.SYNONYME_FILE:
        return Slot(model.SYNONYME.name, model.SYNONYME.name)
    top = parts[0]
    if top in model.REGISTRY_FOLDERS and len(parts) == 2:
        if ext != "yaml":
            return f"In `{top}/` stehen nur `.yaml`-Dateien."
        return Slot(model.REGISTRY_FOLDERS[top].name, stem)
    if top == model.PAGES_FOLDER and len(parts) == 2:
        if ext != "md":
            return "In `seiten/` stehen nur Markdown-Seiten (`.md`)."
        return Slot("seite", stem)
    record_type = model.RECORD_TYPE_BY_FOLDER.get(top)
    if record_type is not None:
        depth = 3 if record_type.group_registry else 2
        if len(parts) != depth:
            if record_type.group_registry:
                return (
                    f"Einträge vom Typ {record_type.label} gehören in einen Unterordner "
                    f"je {record_type.group_registry.capitalize()}, z. B. "
                    f"`{top}/<{record_type.group_registry}-kennung>/{name}`."
                )
            return f"Einträge vom Typ {record_type.label} gehören direkt in `{top}/`."
        if ext not in ("md", "yaml"):
            hint = " (statt `.yml` bitte `.yaml`)" if ext == "yml" else ""
            return f"Einträge sind `.md`- oder `.yaml`-Dateien{hint}."
        group = parts[1] if record_type.group_registry else None
        return Slot(record_type.name, stem, group)
    if ext == "yml":
        return "Die Endung `.yml` wird nicht gelesen; bitte `.yaml` verwenden."
    return (
        "Diese Datei gehört zu keinem bekannten Bereich (netzwerk.yaml, synonyme.yaml, partner/, "
        "plattformen/, projekte/, praxis/, ergebnisse/, foerderung/, veranstaltungen/, "
        "seiten/, medien/). Verschieben oder löschen Sie sie."
    )


class _Reader:
    def __init__(self, project_root: Path, content_root: Path) -> None:
        self.project_root = project_root
        self.content_root = content_root
        self.findings: list[Finding] = []

    def shown(self, rel: str) -> str:
        path = self.content_root / rel
        try:
            return path.relative_to(self.project_root).as_posix()
        except ValueError:
            return path.as_posix()

    def report(
        self,
        rel: str,
        code: Code,
        message: str,
        line: int = 1,
        column: int = 1,
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.findings.append(Finding(self.shown(rel), line, column, code, message, severity))

    def read(self, rel: str, slot: Slot) -> model.Document | None:
        raw = (self.content_root / rel).read_bytes()
        if len(raw) > MAX_TEXT_BYTES:
            self.report(
                rel,
                Code.LIMIT,
                f"Die Datei ist größer als {MAX_TEXT_BYTES // 1024} KB. "
                "Teilen Sie den Text auf oder legen Sie Anhänge unter `medien/` ab.",
            )
            return None
        raw_text = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
        try:
            text = raw_text.decode("utf-8")
        except UnicodeDecodeError as err:
            before = raw_text[: err.start]
            line = before.count(b"\n") + 1
            column = err.start - (before.rfind(b"\n") + 1) + 1
            self.report(
                rel,
                Code.ENCODING,
                "Die Datei ist nicht als UTF-8 gespeichert (z. B. Windows-1252/Latin-1). "
                "Speichern Sie sie im Editor mit der Kodierung UTF-8.",
                line,
                column,
            )
            return None
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            self.report(rel, Code.EMPTY_FILE, "Die Datei ist leer. Füllen Sie sie oder löschen Sie sie.")
            return None
        doc = model.Document(
            kind=slot.kind,
            id=slot.id,
            path=self.shown(rel),
            rel=rel,
            data={},
            group=slot.group,
            source_hash=hashlib.sha256(raw).hexdigest(),
            markdown=rel.endswith(".md"),
        )
        if doc.markdown:
            return self._read_markdown(doc, text)
        return self._read_yaml(doc, text)

    def _parse(self, doc: model.Document, text: str, offset: int) -> yamlio.Parsed | None:
        try:
            return yamlio.parse(text, line_offset=offset)
        except yamlio.YamlError as err:
            self.report(doc.rel, _YAML_CODES[err.kind], err.message, err.line, err.column)
            return None

    def _mapping(self, doc: model.Document, parsed: yamlio.Parsed, line: int) -> bool:
        if isinstance(parsed.data, dict):
            doc.data = parsed.data
            doc.positions = parsed
            return True
        what = "nichts" if parsed.data is None else "eine Liste oder einen einzelnen Wert"
        self.report(
            doc.rel,
            Code.NOT_A_MAPPING,
            f"Erwartet werden Felder (`feld: wert`), die Datei enthält aber {what}.",
            line,
        )
        return False

    def _read_yaml(self, doc: model.Document, text: str) -> model.Document | None:
        parsed = self._parse(doc, text, 0)
        if parsed is None or not self._mapping(doc, parsed, 1):
            return None
        body = doc.data.get(model.BODY_FIELD)
        if isinstance(body, str) and doc.kind not in ("netzwerk", model.SYNONYME.name):
            doc.body = body
            pos = parsed.values[(model.BODY_FIELD,)]
            line_text = text.split("\n")[pos.line - 1][pos.column - 1 :]
            doc.body_line = pos.line + (1 if line_text[:1] in ("|", ">") else 0)
        return doc

    def _read_markdown(self, doc: model.Document, text: str) -> model.Document | None:
        lines = text.split("\n")
        if lines[0].rstrip() != "---":
            if doc.kind == "seite":
                doc.body, doc.body_line = text, 1
                return doc
            self.report(
                doc.rel,
                Code.FRONT_MATTER,
                "Die Datei muss mit einem Kopfbereich beginnen: erste Zeile `---`, "
                "dann die Felder, dann wieder `---`.",
            )
            return None
        end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
        if end is None:
            self.report(
                doc.rel,
                Code.FRONT_MATTER,
                "Der Kopfbereich wird nicht geschlossen: nach den Feldern fehlt eine Zeile mit `---`.",
            )
            return None
        parsed = self._parse(doc, "\n".join(lines[1:end]) + "\n", 1)
        if parsed is None:
            return None
        if parsed.data is None and doc.kind == "seite":
            parsed.data = {}
        if not self._mapping(doc, parsed, 1):
            return None
        parsed.values[()] = yamlio.Pos(1, 1)
        doc.body = "\n".join(lines[end + 1 :])
        doc.body_line = end + 2
        return doc


_INTERN = re.compile(rb"^sichtbarkeit:\s*[\"']?intern[\"']?\s*$", re.M)


def load(
    content_root: Path, project_root: Path | None = None, *, only: set[str] | None = None
) -> tuple[model.Content, list[Finding]]:
    """Read every file under ``content_root``.

    With ``only`` (content-relative paths), records and pages outside it are read
    shallowly: id, kind and visibility, for checking the selected files against
    them (as a pre-commit hook does) without parsing the whole tree.
    """
    content_root = content_root.resolve()
    project_root = (project_root or content_root.parent).resolve()
    reader = _Reader(project_root, content_root)
    content = model.Content(root=str(content_root))
    if not content_root.is_dir():
        reader.findings.append(
            Finding(str(content_root), 1, 1, Code.UNKNOWN_FILE, "Der Inhaltsordner fehlt.")
        )
        return content, reader.findings
    records: list[model.Document] = []
    for rel in _walk(content_root):
        slot = classify(rel)
        if isinstance(slot, str):
            reader.report(rel, Code.UNKNOWN_FILE, slot)
            continue
        if slot.kind == "medien":
            size = (content_root / rel).stat().st_size
            if size > MAX_MEDIA_BYTES:
                reader.report(
                    rel,
                    Code.LIMIT,
                    f"Die Mediendatei ist größer als "
                    f"{MAX_MEDIA_BYTES // (1024 * 1024)} MB. Verkleinern Sie sie.",
                )
            content.media[rel] = reader.shown(rel)
            continue
        if not model.ID_PATTERN.match(slot.id) or (slot.group and not model.ID_PATTERN.match(slot.group)):
            bad = slot.id if not model.ID_PATTERN.match(slot.id) else slot.group
            reader.report(
                rel,
                Code.INVALID_ID,
                f"`{bad}` ist als Kennung nicht erlaubt: nur Kleinbuchstaben a–z, "
                "Ziffern und Bindestriche, am Anfang ein Buchstabe oder eine Ziffer "
                "(Umlaute als ae/oe/ue/ss), z. B. `radschnellweg-neuss`.",
            )
            continue
        if only is not None and rel not in only and slot.kind not in _ALWAYS_READ:
            doc = _shallow(reader, rel, slot)
        else:
            doc = reader.read(rel, slot)
        if doc is None:
            continue
        if doc.record_type is not None:
            records.append(doc)
        else:
            _place(content, doc)
    # of two records with one id, the first in the content model's order keeps it
    order = {t.name: i for i, t in enumerate(model.RECORD_TYPES)}
    for doc in sorted(records, key=lambda d: (order[d.kind], d.rel)):
        if doc.id in content.records:
            content.duplicates.append(doc)
        else:
            content.records[doc.id] = doc
    return content, reader.findings


#: Registries are small and every record depends on them: always read in full.
_ALWAYS_READ = {"netzwerk", "partner", "plattform", model.SYNONYME.name}


def _shallow(reader: _Reader, rel: str, slot: Slot) -> model.Document:
    raw = _front(reader.content_root / rel)
    data = {"sichtbarkeit": "intern"} if _INTERN.search(raw) else {}
    return model.Document(
        kind=slot.kind,
        id=slot.id,
        path=reader.shown(rel),
        rel=rel,
        data=data,
        group=slot.group,
        markdown=rel.endswith(".md"),
        shallow=True,
    )


def _front(path: Path, head: int = 8192) -> bytes:
    """The part of a file that can hold ``sichtbarkeit``: a Markdown file's front matter."""
    if path.suffix != ".md":
        return path.read_bytes()
    with path.open("rb") as stream:
        start = stream.read(head)
        if b"\n---" in start[3:]:
            return start
        return start + stream.read()


def _walk(root: Path) -> list[str]:
    found: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        base = Path(folder).relative_to(root)
        for name in sorted(files):
            found.append((base / name).as_posix())
    return found


def _place(content: model.Content, doc: model.Document) -> None:
    if doc.kind == "netzwerk":
        content.netzwerk = doc
    elif doc.kind == model.SYNONYME.name:
        content.synonyme = doc
    elif doc.kind == "partner":
        content.partner[doc.id] = doc
    elif doc.kind == "plattform":
        content.plattformen[doc.id] = doc
    else:
        content.pages[doc.id] = doc
