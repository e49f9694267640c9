"""Report formats for findings: text, GitHub annotations, GitLab Code Quality, JSON.

Also how counts and commands are printed in German hints: :func:`count` ("1 Warnung",
"2 Warnungen") and :func:`command` (a ``regiodocs`` command line that runs as printed).
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from .findings import Finding

FORMATS = ("text", "github", "gitlab", "json")


def render(findings: Sequence[Finding], fmt: str) -> str:
    return {"text": text, "github": github, "gitlab": gitlab, "json": as_json}[fmt](findings)


def text(findings: Sequence[Finding]) -> str:
    lines = [
        f"{f.file}:{f.line}:{f.column}: {f.code.value} {'Fehler' if f.is_error else 'Warnung'}: {f.message}"
        for f in findings
    ]
    errors = sum(f.is_error for f in findings)
    warnings = len(findings) - errors
    if not findings:
        lines.append("Keine Probleme gefunden.")
    else:
        lines.append(f"{count(errors, 'Fehler')}, {count(warnings, 'Warnung', 'Warnungen')}.")
    return "\n".join(lines) + "\n"


def count(number: int, singular: str, plural: str | None = None) -> str:
    """``1 Warnung``, ``2 Warnungen``, ``0 Warnungen``; ``plural`` defaults to ``singular`` (Fehler)."""
    return f"{number} {singular if number == 1 else (plural or singular)}"


def program() -> str:
    """How to start regiodocs so that a printed hint runs as printed.

    ``regiodocs`` if that name on the ``PATH`` is this installation's script; else the
    script's path (relative to the current folder if below it, e.g. ``.venv/bin/regiodocs``);
    else ``python -m regiodocs`` with this interpreter.
    """
    script = Path(sys.executable).with_name("regiodocs")
    found = shutil.which("regiodocs")
    if found and script.is_file() and os.path.samefile(found, script):
        return "regiodocs"
    if script.is_file():
        try:
            return shlex.quote(os.path.relpath(script) if _below(script, Path.cwd()) else str(script))
        except ValueError:  # another drive
            return shlex.quote(str(script))
    return f"{shlex.quote(sys.executable)} -m regiodocs"


def _below(path: Path, folder: Path) -> bool:
    try:
        path.absolute().relative_to(folder.absolute())
    except ValueError:
        return False
    return True


def command(*words: str) -> str:
    """A regiodocs command line as it must be typed here: ``.venv/bin/regiodocs check content/x.md``."""
    return " ".join([program(), *(shlex.quote(w) for w in words)])


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(findings: Sequence[Finding]) -> str:
    out = []
    for f in findings:
        level = "error" if f.is_error else "warning"
        title = _escape_property(f"{f.code.value} {f.code.title}")
        out.append(
            f"::{level} file={_escape_property(f.file)},line={f.line},col={f.column},"
            f"title={title}::{_escape_data(f.message)}"
        )
    return "\n".join(out) + ("\n" if out else "")


def gitlab(findings: Sequence[Finding]) -> str:
    issues = []
    for f in findings:
        fingerprint = hashlib.sha1(f"{f.file}:{f.code.value}:{f.message}".encode()).hexdigest()
        issues.append({
            "description": f"{f.code.value} {f.message}",
            "check_name": f.code.value,
            "fingerprint": fingerprint,
            "severity": "major" if f.is_error else "minor",
            "location": {"path": f.file, "lines": {"begin": f.line}},
        })  # fmt: skip
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"


def as_json(findings: Sequence[Finding]) -> str:
    return json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2) + "\n"
