"""Loading: every file under ``content/`` becomes a Document or a Finding.

Reads bytes, decodes UTF-8 (BOM and CRLF accepted), splits Markdown front
matter with correct line offsets and parses YAML strictly (:mod:`yamlio`).
Nothing here validates field contents; that is :mod:`regiodocs.schema`'s and
:mod:`regiodocs.checks`' job.

Contributions are untrusted, so the file system is read, never followed: the
tree is walked with ``lstat`` (a symlink is never entered or opened, not even
stat'ed through), and a file is opened with ``O_NOFOLLOW | O_NONBLOCK`` and
read only once ``fstat`` on the open descriptor says it is a regular file. A
symlink, FIFO, socket or device anywhere below ``content/`` is an error
(RD013) naming its path. Only the content root itself may be a symlink; it is
resolved once.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

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
    "number": Code.NUMBER,
    "control": Code.ENCODING,
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


class Unreadable(Exception):
    """A path that is not a regular file or cannot be read; ``message`` is German."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_SYMLINK = (
    "Dies ist eine Verknüpfung (Symlink). Verknüpfungen werden aus Sicherheitsgründen "
    "weder gelesen noch verfolgt. Legen Sie die Datei (oder den Ordner) selbst hier ab, statt "
    "auf sie zu verweisen, oder löschen Sie die Verknüpfung."
)
_SPECIAL_KINDS = (
    (stat.S_ISFIFO, "eine benannte Pipe (FIFO)"),
    (stat.S_ISSOCK, "ein Socket"),
    (stat.S_ISCHR, "eine Gerätedatei"),
    (stat.S_ISBLK, "eine Gerätedatei"),
)


def _special(mode: int) -> str:
    """The German reason why a file of this mode is refused."""
    if stat.S_ISLNK(mode):
        return _SYMLINK
    what = next((text for test, text in _SPECIAL_KINDS if test(mode)), "keine gewöhnliche Datei")
    return (
        f"Dies ist keine gewöhnliche Datei, sondern {what}. Legen Sie die Datei selbst als "
        "gewöhnliche Datei hier ab oder löschen Sie sie: im Inhaltsordner stehen nur "
        "gewöhnliche Dateien und Ordner."
    )


def _unreadable(err: OSError) -> Unreadable:
    if err.errno == errno.ELOOP:  # O_NOFOLLOW met a symlink (it appeared after the walk)
        return Unreadable(_SYMLINK)
    if err.errno == errno.ENXIO:  # a socket
        return Unreadable(_special(stat.S_IFSOCK))
    if err.errno in (errno.EACCES, errno.EPERM):
        reason = "es fehlen die Leserechte"
    elif err.errno == errno.ENOENT:
        reason = "sie ist während der Prüfung verschwunden"
    else:
        reason = err.strerror or type(err).__name__
    return Unreadable(
        f"Die Datei kann nicht gelesen werden ({reason}). Prüfen Sie, ob sie eine gewöhnliche, "
        "lesbare Datei ist."
    )


_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO swapped in after the walk must not block the open
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


class _Opened:
    """A regular file opened without following a symlink; ``read`` is bounded."""

    def __init__(self, path: Path) -> None:
        try:
            self.fd = os.open(path, _OPEN_FLAGS)
        except OSError as err:
            raise _unreadable(err) from None
        try:
            mode = os.fstat(self.fd).st_mode  # the descriptor, not the path: no race
        except OSError as err:  # pragma: no cover - fstat on an open descriptor
            os.close(self.fd)
            raise _unreadable(err) from None
        if not stat.S_ISREG(mode):
            os.close(self.fd)
            raise Unreadable(_special(mode))

    def read(self, limit: int) -> bytes:
        """At most ``limit`` bytes."""
        chunks: list[bytes] = []
        while limit > 0:
            try:
                chunk = os.read(self.fd, min(limit, 1 << 20))
            except OSError as err:
                raise _unreadable(err) from None
            if not chunk:
                break
            chunks.append(chunk)
            limit -= len(chunk)
        return b"".join(chunks)

    def __enter__(self) -> _Opened:
        return self

    def __exit__(self, *exc: object) -> None:
        os.close(self.fd)


def read_bytes(path: Path, limit: int = MAX_TEXT_BYTES) -> bytes:
    """A regular file's bytes, at most ``limit + 1`` of them (so that "too large" shows).

    Never follows a symlink and never blocks on a FIFO; raises :class:`Unreadable`.
    """
    with _Opened(path) as opened:
        return opened.read(limit + 1)


class Memory(Protocol):
    """What earlier runs read (:class:`regiodocs.readings.Readings`): a file's document and the
    loader's findings, by its bytes (``blank.source_hash``) and place (``blank.rel``)."""

    def recall(self, blank: model.Document) -> tuple[model.Document | None, list[Finding]] | None: ...

    def remember(self, blank: model.Document, doc: model.Document | None, found: list[Finding]) -> None: ...


class _Reader:
    def __init__(self, project_root: Path, content_root: Path, memory: Memory | None = None) -> None:
        self.project_root = project_root
        self.content_root = content_root
        self.findings: list[Finding] = []
        self.memory = memory

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
        try:
            raw = read_bytes(self.content_root / rel)
        except Unreadable as err:
            self.report(rel, Code.SPECIAL_FILE, err.message)
            return None
        if len(raw) > MAX_TEXT_BYTES:
            self.report(
                rel,
                Code.LIMIT,
                f"Die Datei ist größer als {MAX_TEXT_BYTES // 1024} KB. "
                "Teilen Sie den Text auf oder legen Sie Anhänge unter `medien/` ab.",
            )
            return None
        blank = model.Document(
            kind=slot.kind,
            id=slot.id,
            path=self.shown(rel),
            rel=rel,
            data={},
            group=slot.group,
            source_hash=hashlib.sha256(raw).hexdigest(),
            markdown=rel.endswith(".md"),
        )
        if self.memory is None:
            return self._decoded(blank, raw)
        recalled = self.memory.recall(blank)
        if recalled is not None:
            doc, found = recalled
            self.findings += found
            return doc
        before = len(self.findings)
        doc = self._decoded(blank, raw)
        self.memory.remember(blank, doc, self.findings[before:])
        return doc

    def _decoded(self, doc: model.Document, raw: bytes) -> model.Document | None:
        rel = doc.rel
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
        read = self._read_markdown(doc, text) if doc.markdown else self._read_yaml(doc, text)
        if read is not None:
            self._control_characters(read)
        return read

    def _control_characters(self, doc: model.Document) -> None:
        """Control characters in a text (a YAML escape such as ``"\\e"``, or a Markdown body):
        refused at their line, before they reach a page or an export (XLSX cannot hold them)."""
        for path, value, key in _strings(doc.data, ()):
            for match in yamlio.CONTROL.finditer(value):
                pos = yamlio.Pos(1, 1)
                if doc.positions is not None:
                    where = doc.positions
                    pos = where.position(path, key=True) if key else where.text_position(path, match.start())
                self.report(
                    doc.rel, Code.ENCODING, yamlio.control_message(match.group()), pos.line, pos.column
                )
        if doc.markdown and doc.body:
            for number, line in enumerate(doc.body.split("\n")):
                for match in yamlio.CONTROL.finditer(line):
                    self.report(
                        doc.rel,
                        Code.ENCODING,
                        yamlio.control_message(match.group()),
                        doc.body_line + number,
                        match.start() + 1,
                    )

    def _parse(self, doc: model.Document, text: str, offset: int) -> yamlio.Parsed | None:
        try:
            return yamlio.parse(text, line_offset=offset)
        except yamlio.YamlError as err:
            if err.kind != "control":
                self.report(doc.rel, _YAML_CODES[err.kind], err.message, err.line, err.column)
                return None
        # control characters: each is refused at its place, and the file is read without them, so
        # that what depends on it (a registry's ids) raises no follow-up errors
        for number, line in enumerate(text.split("\n")):
            for match in yamlio.CONTROL.finditer(line):
                message = yamlio.control_message(match.group())
                self.report(doc.rel, Code.ENCODING, message, number + 1 + offset, match.start() + 1)
        try:
            return yamlio.parse(yamlio.CONTROL.sub(" ", text), line_offset=offset)
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
            # only a literal block keeps the file's lines; elsewhere messages name the field's line
            doc.body_exact = line_text[:1] == "|"
            if not doc.body_exact:
                doc.body_line = pos.line
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


def load(
    content_root: Path,
    project_root: Path | None = None,
    *,
    only: set[str] | None = None,
    memory: Memory | None = None,
) -> tuple[model.Content, list[Finding]]:
    """Read every file under ``content_root``.

    With ``only`` (content-relative paths), records and pages outside it are read
    shallowly: id, kind and visibility, for checking the selected files against
    them (as a pre-commit hook does) without parsing the whole tree. ``memory`` gives
    the readings of earlier runs for files whose bytes have not changed.
    """
    content_root = content_root.resolve()
    project_root = (project_root or content_root.parent).resolve()
    reader = _Reader(project_root, content_root, memory)
    content = model.Content(root=str(content_root))
    if not content_root.is_dir():
        reader.findings.append(
            Finding(str(content_root), 1, 1, Code.UNKNOWN_FILE, "Der Inhaltsordner fehlt.")
        )
        return content, reader.findings
    records: list[model.Document] = []
    for entry in _walk(content_root):
        rel = entry.rel
        if entry.problem is not None:
            reader.report(rel, Code.SPECIAL_FILE, entry.problem)
            continue
        slot = classify(rel)
        if isinstance(slot, str):
            reader.report(rel, Code.UNKNOWN_FILE, slot)
            continue
        if slot.kind == "medien":
            if entry.size > MAX_MEDIA_BYTES:
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


def _strings(value: object, path: yamlio.Path) -> list[tuple[yamlio.Path, str, bool]]:
    """Every text in a document's data with its path, and the keys (``True``) that hold a
    control character."""
    if isinstance(value, str):
        return [(path, value, False)]
    found: list[tuple[yamlio.Path, str, bool]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found += [((*path, key), key, True)] if yamlio.CONTROL.search(key) else []
            found += _strings(item, (*path, key))
    elif isinstance(value, list):
        for number, item in enumerate(value):
            found += _strings(item, (*path, number))
    return found


#: Registries are small and every record depends on them: always read in full.
_ALWAYS_READ = {"netzwerk", "partner", "plattform", model.SYNONYME.name}


def _shallow(reader: _Reader, rel: str, slot: Slot) -> model.Document | None:
    """Id, kind and visibility of a record or page, without parsing it where possible.

    Correct by construction: YAML can only spell the key ``sichtbarkeit`` with
    these bytes or with an escape in a double-quoted key (``"sichtbark\\x65it"``).
    If the front matter contains either, the file is read exactly as the full
    check reads it and its real value is taken; otherwise it is public. A file
    the full check cannot read is left out here too.
    """
    try:
        raw = _front(reader.content_root / rel)
    except Unreadable as err:
        reader.report(rel, Code.SPECIAL_FILE, err.message)
        return None
    data: dict[str, object] = {}
    if b"sichtbarkeit" in raw or b"\\" in raw:
        full = _Reader(reader.project_root, reader.content_root).read(rel, slot)
        if full is None:
            return None
        if "sichtbarkeit" in full.data:
            data["sichtbarkeit"] = full.data["sichtbarkeit"]
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
    """The part of a file that can hold ``sichtbarkeit``: at least a Markdown file's front matter.

    Errs towards more: only when a closing ``---``/``...`` line is found the
    way :meth:`_Reader._read_markdown` finds it is the rest left unread.
    """
    with _Opened(path) as opened:
        start = opened.read(head)
        if path.suffix == ".md" and _closes_front_matter(start):
            return start
        return start + opened.read(MAX_TEXT_BYTES + 1 - len(start))


def _closes_front_matter(start: bytes) -> bool:
    lines = start.removeprefix(b"\xef\xbb\xbf").split(b"\n")
    if lines[0].rstrip() != b"---":
        return False
    # the last piece may be cut off; bytes.rstrip strips less than str.rstrip, and a
    # lone CR (a line break for the full read) only hides a closing line: both err towards more
    return any(line.rstrip() in (b"---", b"...") for line in lines[1:-1])


@dataclass(frozen=True)
class _Entry:
    """One path under ``content/`` as the walk saw it (``lstat``, never followed)."""

    rel: str
    size: int = 0
    problem: str | None = None  # German reason why it is not read


def _name_problem(name: str) -> str | None:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "Der Datei- oder Ordnername ist nicht UTF-8-kodiert. Benennen Sie ihn um."
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return (
            "Der Datei- oder Ordnername enthält Steuerzeichen (z. B. einen Zeilenumbruch). "
            "Benennen Sie ihn um."
        )
    return None


def _printable(name: str) -> str:
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return "".join(c if ord(c) >= 32 and ord(c) != 127 else "\ufffd" for c in text)


def _walk(root: Path) -> list[_Entry]:
    """Every path below ``root``: files of a folder first, then its subfolders, each sorted.

    Directories are entered only when ``lstat`` says they are directories, so a
    symlinked folder is reported, not walked; the walk keeps its own stack (no
    recursion limit for deep trees).
    """
    found: list[_Entry] = []
    stack: list[tuple[str, str]] = [(str(root), "")]
    while stack:
        folder, base = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as err:
            found.append(_Entry(base or ".", problem=_unreadable_folder(err)))
            continue
        folders: list[tuple[str, str]] = []
        for entry in entries:
            rel = f"{base}/{entry.name}" if base else entry.name
            problem = _name_problem(entry.name)
            if problem is not None:
                shown = f"{base}/{_printable(entry.name)}" if base else _printable(entry.name)
                found.append(_Entry(shown, problem=problem))
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError as err:
                found.append(_Entry(rel, problem=_unreadable(err).message))
                continue
            if stat.S_ISDIR(info.st_mode):
                folders.append((entry.path, rel))
            elif stat.S_ISREG(info.st_mode):
                found.append(_Entry(rel, size=info.st_size))
            else:
                found.append(_Entry(rel, problem=_special(info.st_mode)))
        stack.extend(reversed(folders))
    return found


def _unreadable_folder(err: OSError) -> str:
    return (
        f"Der Ordner kann nicht gelesen werden ({err.strerror or type(err).__name__}). "
        "Prüfen Sie die Zugriffsrechte."
    )


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
