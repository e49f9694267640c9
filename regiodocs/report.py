"""Report formats for findings: text, GitHub annotations, GitLab Code Quality, JSON."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

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
        lines.append(f"{errors} Fehler, {warnings} Warnung(en).")
    return "\n".join(lines) + "\n"


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
