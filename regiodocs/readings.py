"""What a check read and judged of each content file, kept by the file's bytes for the next run.

Reading a file (UTF-8, front matter, strict YAML with every value's position) and validating it
against its JSON Schema are most of a check's work, and both depend on nothing but the file's
bytes, its place under ``content/`` and the code that reads and validates. So a run keeps, per
file, the document it read, the loader's findings and the schema's findings, under the file's
SHA-256; the next run takes them for every file whose bytes are the same and reads and
validates only the others. Everything that looks across files (references, duplicates, media,
dates against today) is judged afresh on every run, from these documents.

The cache is one JSON file per content tree in :func:`~regiodocs.cachefiles.cache_dir`
(``lesungen-<tree>.json``), written atomically and only when it changed; after a check of the
whole tree it holds that tree's files, after a check of some files the others' entries too. Its
key names the code: the loader, the YAML reader (and whether libyaml reads), the schemas and
their format checks with the libraries behind them, fixed when this module is imported. A cache
that is missing, unreadable, not a regular file, too large, not JSON, foreign or of other code
is ignored as a whole; an entry of the wrong shape is ignored and its file read again. Only the
positions (lines and columns for messages) are decoded when a message needs them; if they
turn out damaged, the messages of that file point at its first line.

The cache is trusted like the tool's own output (as the bodies' and the audit's verdicts are):
an entry someone wrote on purpose is believed. JSON and not pickle, so that a cache cannot run
code; but a cache folder must be as trusted as the code that reads it – in CI, never share one
between branches whose authors are not trusted.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from . import cachefiles, contacts, findings, loading, model, schema, yamlio
from .findings import Code, Finding, Severity

#: The libraries whose behaviour a kept reading depends on.
LIBRARIES = ("PyYAML", "jsonschema", "email-validator", "idna", "phonenumbers")

_Entry = dict[str, Any]
#: A larger cache file is ignored (a tree of 10,000 records keeps about 70 MB).
MAX_BYTES = 512 * 1024 * 1024


def _version(library: str) -> str:
    try:
        return f"{library} {metadata.version(library)}"
    except metadata.PackageNotFoundError:  # pragma: no cover - depends on the installation
        return f"{library} ?"


def _code_key() -> str:
    """The reading and judging code that runs: its modules, the schemas, Python and libraries."""
    import yaml

    libyaml = f"libyaml {getattr(yaml, '__with_libyaml__', False)}"  # the C reader and Python's differ
    digest = hashlib.sha256(" / ".join([sys.version, libyaml, *map(_version, LIBRARIES)]).encode())
    for module in (sys.modules[__name__], loading, yamlio, schema, contacts, model, findings):
        digest.update(Path(str(module.__file__)).read_bytes())
    folder = resources.files("regiodocs.schemas")
    for name in sorted(p.name for p in folder.iterdir() if p.name.endswith(".json")):
        digest.update(name.encode() + b"\0" + folder.joinpath(name).read_bytes())
    return digest.hexdigest()[:32]


_CODE_KEY = _code_key()


class Readings:
    """The kept readings of one content tree (:class:`regiodocs.loading.Memory`).

    Each file's entry is kept as its own JSON text: what a run hands out is decoded afresh, so
    that nothing a caller does to a document can change what is kept, and an unchanged entry is
    written back as it was read.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.kept: dict[str, str] = _load(path) if path is not None else {}
        self.used: dict[str, str] = {}
        self._schema: dict[str, tuple[str, Any]] = {}  # this run's files: digest, kept schema findings
        self.changed = False

    @classmethod
    def of(cls, content_root: Path) -> Readings:
        tree = hashlib.sha256(os.fsencode(content_root.resolve())).hexdigest()[:16]
        return cls(cachefiles.cache_dir() / f"lesungen-{tree}.json")

    # ---------------------------------------------------------------- loading's memory

    def recall(self, blank: model.Document) -> tuple[model.Document | None, list[Finding]] | None:
        """The document and the loader's findings read before from the same bytes at the same place."""
        text = self.kept.get(blank.rel)
        if text is None:
            return None
        try:
            entry = json.loads(text)
            if entry["h"] != blank.source_hash:
                return None
            if not isinstance(entry["f"], list) or not isinstance(entry.get("s", []), list):
                return None
            if entry["d"] is None and not entry["f"]:
                return None  # a file that could not be read has a finding saying why
            doc = _document(blank, entry["d"])
            found = [_finding(blank.path, f) for f in entry["f"]]
        except (KeyError, TypeError, ValueError, IndexError, AttributeError, RecursionError):
            return None  # a malformed entry: the file is read again
        self.used[blank.rel] = text
        self._schema[blank.rel] = (blank.source_hash, entry.get("s"))
        return doc, found

    def remember(self, blank: model.Document, doc: model.Document | None, found: list[Finding]) -> None:
        entry = {"h": blank.source_hash, "d": _stored(doc), "f": [_row(f) for f in found]}
        self._keep(blank.rel, entry)

    def _keep(self, rel: str, entry: _Entry) -> None:
        self.used[rel] = json.dumps(entry, ensure_ascii=False)
        self._schema[rel] = (entry["h"], entry.get("s"))
        self.changed = True

    # ---------------------------------------------------------------- the schema's findings

    def validate(self, doc: model.Document) -> list[Finding]:
        """``schema.validate(doc)``, kept with the file's reading (the same bytes, the same findings)."""
        digest, kept = self._schema.get(doc.rel, ("", None))
        if not doc.source_hash or digest != doc.source_hash:
            return schema.validate(doc)
        if kept is not None:
            try:
                return [_finding(doc.path, f) for f in kept]
            except (TypeError, ValueError, IndexError):
                pass
        found = schema.validate(doc)
        entry = json.loads(self.used[doc.rel])
        if isinstance(entry.get("d"), list) and entry["d"][:1] == [doc.data]:  # the data as read
            self._keep(doc.rel, entry | {"s": [_row(f) for f in found]})
        return found

    def save(self, *, whole_tree: bool = True) -> None:
        """Keep this run's files when anything differs from what was kept: after a run over the
        whole tree only them (a file that is gone is forgotten), after a run over some files the
        others' readings too."""
        if self.path is None:
            return
        files = self.used if whole_tree else self.kept | self.used
        if not self.changed and files.keys() == self.kept.keys():
            return
        data = {"schluessel": _CODE_KEY, "dateien": files}
        # ASCII: a lone surrogate (a YAML escape such as "\\ud800") has no UTF-8 form
        cachefiles.write_atomic(self.path, json.dumps(data).encode())


def _load(path: Path) -> dict[str, str]:
    try:
        stored = json.loads(loading.read_bytes(path, MAX_BYTES))  # a regular file only, bounded
        if not isinstance(stored, dict) or stored.get("schluessel") != _CODE_KEY:
            return {}
        files = stored["dateien"]
        return {k: v for k, v in files.items() if isinstance(k, str) and isinstance(v, str)}
    except (
        loading.Unreadable,
        OSError,
        ValueError,
        TypeError,
        KeyError,
        AttributeError,
        RecursionError,
        MemoryError,
    ):
        return {}


# ---------------------------------------------------------------- documents and findings as JSON


def _stored(doc: model.Document | None) -> list[Any] | None:
    if doc is None:
        return None
    parsed: yamlio.Parsed | None = doc.positions
    positions = None
    if parsed is not None:
        # a text of its own: a run decodes it only for a file that gets a message
        positions = json.dumps(
            [
                [[list(p), v.line, v.column] for p, v in parsed.values.items()],
                [[list(p), v.line, v.column] for p, v in parsed.keys.items()],
                [[list(p), [list(s) for s in segments]] for p, segments in parsed.texts.items()],
            ]
        )
    return [doc.data, doc.body, doc.body_line, doc.body_exact, positions]


def _document(blank: model.Document, stored: list[Any] | None) -> model.Document | None:
    if stored is None:
        return None
    data, body, body_line, body_exact, positions = stored
    if not isinstance(data, dict) or not (body is None or isinstance(body, str)):
        raise TypeError(stored)
    if type(body_line) is not int or type(body_exact) is not bool:
        raise TypeError(stored)
    parsed = None if positions is None else _KeptPositions(data, positions)
    return model.Document(
        kind=blank.kind,
        id=blank.id,
        path=blank.path,
        rel=blank.rel,
        data=data,
        group=blank.group,
        body=body,
        body_line=body_line,
        body_exact=body_exact,
        source_hash=blank.source_hash,
        positions=parsed,
        markdown=blank.markdown,
    )


class _KeptPositions(yamlio.Parsed):
    """A kept file's positions, decoded when a message first needs one (most files have none)."""

    def __init__(self, data: object, stored: Any) -> None:
        if not isinstance(stored, str):
            raise TypeError(stored)
        self.data = data
        self._stored: Any = stored
        self._decoded: tuple[Any, Any, Any] | None = None

    def _tables(self) -> tuple[Any, Any, Any]:
        if self._decoded is None:
            try:
                values, keys, texts = json.loads(self._stored)
                self._decoded = (
                    {_path(p): yamlio.Pos(_int(line), _int(column)) for p, line, column in values},
                    {_path(p): yamlio.Pos(_int(line), _int(column)) for p, line, column in keys},
                    {_path(p): tuple((_int(o), _int(li), _int(c)) for o, li, c in segs) for p, segs in texts},
                )
            except (
                TypeError,
                ValueError,
                RecursionError,
            ):  # damaged: messages fall back to the file's first line
                self._decoded = ({}, {}, {})
        return self._decoded

    @property  # type: ignore[override]
    def values(self) -> dict[yamlio.Path, yamlio.Pos]:
        return self._tables()[0]

    @property  # type: ignore[override]
    def keys(self) -> dict[yamlio.Path, yamlio.Pos]:
        return self._tables()[1]

    @property  # type: ignore[override]
    def texts(self) -> dict[yamlio.Path, tuple[tuple[int, int, int], ...]]:
        return self._tables()[2]


def _path(items: list[Any]) -> yamlio.Path:
    if not isinstance(items, list) or not all(type(i) in (str, int) for i in items):
        raise TypeError(items)
    return tuple(items)


def _int(value: Any) -> int:
    if type(value) is not int:
        raise TypeError(value)
    return value


def _row(finding: Finding) -> list[Any]:
    return [finding.line, finding.column, finding.code.value, finding.message, finding.severity.value]


def _finding(file: str, row: list[Any]) -> Finding:
    line, column, code, message, severity = row
    if not isinstance(message, str):
        raise TypeError(row)
    return Finding(file, _int(line), _int(column), Code(code), message, Severity(severity))
