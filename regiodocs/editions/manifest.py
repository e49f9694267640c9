"""The manifest of an edition: every public record with its hash, ``stand`` and field values.

A manifest is ``<edition>/manifest.json``. It is what makes an edition citable
and comparable: :mod:`.diff` computes "Was ist neu" from two manifests, never
from hand-written notes, and an edition can be compared with the content of
today without rebuilding the old one. It holds only public records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__, model
from . import records as rec

FORMAT = 1
FILE = "manifest.json"
CURRENT = "aktuell"  # the entry point: a symlink to the newest edition
NAME = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$")


class EditionError(Exception):
    """A German message for the command line: an edition is missing, refused, …"""


def build(
    content: model.Content,
    *,
    ausgabe: str,
    datum: dt.date,
    nummer: int,
    vorgaenger: str | None,
    epoch: int,
    quelle: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The manifest of ``content`` as edition ``ausgabe`` (public records only)."""
    net = content.netzwerk.data if content.netzwerk else {}
    entries = [
        {
            "id": r.id,
            "typ": r.kind,
            "titel": r.title,
            "seite": r.url,
            "stand": r.stand,
            "hash": r.hash,
            "text_hash": text_hash(r.text),
            "felder": r.fields,
        }
        for r in rec.records(content)
    ]
    return {
        "format": FORMAT,
        "ausgabe": ausgabe,
        "nummer": nummer,
        "datum": datum.isoformat(),
        "vorgaenger": vorgaenger,
        "netzwerk": {"name": net.get("name", ""), "lizenz": net.get("lizenz", "")},
        "regiodocs": __version__,
        "source_date_epoch": epoch,
        "quelle": quelle,
        "namen": rec.names(content),
        "anzahl": len(entries),
        "eintraege": entries,
    }


def text_hash(text: str) -> str | None:
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest() if text else None


def dumps(data: Any) -> str:
    """Canonical JSON for files an edition publishes: stable, UTF-8, one trailing newline."""
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write a file so that readers see the old or the new version, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    if isinstance(text, bytes):
        tmp.write_bytes(text)
    else:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(tmp, path)


def read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise EditionError(f"Das Manifest {path} ist nicht lesbar ({err.strerror}).") from err
    except ValueError as err:
        raise EditionError(f"Das Manifest {path} ist kein gültiges JSON ({err}).") from err
    if not isinstance(data, dict) or data.get("format") != FORMAT or "eintraege" not in data:
        raise EditionError(f"{path} ist kein Manifest einer Ausgabe (Format {FORMAT}).")
    return data


@dataclass(frozen=True)
class Edition:
    name: str
    path: Path
    nummer: int
    datum: str

    @property
    def manifest_path(self) -> Path:
        return self.path / FILE


def editions(root: Path) -> list[Edition]:
    """The published editions under ``root`` (``_build/ausgaben``), oldest first."""
    found = []
    if root.is_dir():
        for path in sorted(root.iterdir()):
            if path.name.startswith(".") or path.name == CURRENT or path.is_symlink() or not path.is_dir():
                continue
            file = path / FILE
            if not file.is_file():
                continue
            try:
                data = read(file)
            except EditionError:
                continue
            found.append(Edition(path.name, path, int(data.get("nummer") or 0), str(data.get("datum", ""))))
    return sorted(found, key=lambda e: (e.nummer, e.datum, e.name))


def current(root: Path) -> Edition | None:
    """The edition that ``aktuell`` points to."""
    link = root / CURRENT
    if not link.is_symlink():
        return None
    target = Path(os.readlink(link)).name
    return next((e for e in editions(root) if e.name == target), None)


def resolve(spec: str, root: Path) -> dict[str, Any]:
    """A manifest by edition name, ``aktuell``, an edition folder or a manifest file."""
    if spec == CURRENT:
        edition = current(root)
        if edition is None:
            raise EditionError(f"Unter {root} gibt es noch keine aktuelle Ausgabe.")
        return read(edition.manifest_path)
    path = Path(spec)
    if path.is_file():
        return read(path)
    if path.is_dir() and (path / FILE).is_file():
        return read(path / FILE)
    if NAME.match(spec) and (root / spec / FILE).is_file():
        return read(root / spec / FILE)
    known = ", ".join(e.name for e in editions(root)) or "keine"
    raise EditionError(f"Die Ausgabe `{spec}` gibt es unter {root} nicht. Vorhanden: {known}.")
