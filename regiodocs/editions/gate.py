"""The Veröffentlichungsprüfung: what a public edition must not contain.

``regiodocs release`` runs it after ``regiodocs check`` and refuses to publish
while it finds anything; ``regiodocs release --pruefen`` runs it alone. Every
refusal is a :class:`~regiodocs.findings.Finding` at file:line that says what to do:

- **placeholders** (RD401) in what a page shows – every line of every public
  record, registry and page (not whole-line comments, which are never published):
  the patterns of ``regiodocs_platzhalter`` in ``conf.py`` (default
  :data:`PLACEHOLDERS`: addresses under ``example.org``/``.com``/``.net``/``.de``,
  the word "Platzhalter", "BITTE …" in capitals), and text in square brackets such
  as ``[Name der Behörde]`` or ``[…]`` (``regiodocs_platzhalter_klammern``);
- **demonstration records** (RD402, ``beispiel: true``) unless allowed;
- **legal pages** (RD403): Impressum, Datenschutzerklärung and Erklärung zur
  Barrierefreiheit must exist and carry no draft marker (``regiodocs_entwurf``,
  default "Entwurf");
- **the web editor** (RD404): switched on (``regiodocs_cms``) but without the
  repository and the GitLab application id it needs (``regiodocs_cms_repo``,
  ``regiodocs_cms_app_id`` or the CI variables :class:`regiodocs.cms.Backend` reads),
  so that "Mit GitLab einloggen" would end in an OAuth error.

A deliberate test release (``--probe``) reports the same findings as notes,
goes through and marks every page and export with :data:`PROBE_TEXT`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import cms, model, settings
from ..findings import Code, Finding
from .exports import PROBE_TEXT

__all__ = ["PROBE_TEXT", "Rules", "check", "rules"]

#: The legal pages every public edition needs: page id → what it is.
REQUIRED_PAGES = {
    "impressum": "Impressum",
    "datenschutz": "Datenschutzerklärung",
    "barrierefreiheit": "Erklärung zur Barrierefreiheit",
}

#: Fewer words than this (headings aside) and a legal page counts as empty.
MIN_LEGAL_WORDS = 5
#: Default of ``regiodocs_platzhalter``: regular expressions (Python ``re``) for placeholders.
PLACEHOLDERS: tuple[str, ...] = (
    r"(?i)[\w.+-]*@?\b(?:[\w-]+\.)*example\.(?:org|com|net|de)\b",
    r"(?i)\bPlatzhalter",
    r"\bBITTE(?=[ _-])[ _-]+[A-ZÄÖÜ]",
    r"\bMuster(?:mann|frau|stadt|straße)\b",  # Erika Mustermann, Musterstadt: sample data
    r"(?i)\blorem ipsum\b",
)
#: What to do about a default pattern's match (another pattern gets the general advice).
_ADVICE = {
    PLACEHOLDERS[0]: "`{text}` ist eine Beispieladresse (example.org, .com, .net und .de sind für Beispiele "
    "reserviert und nicht erreichbar). Tragen Sie die echte Adresse ein, z. B. das Funktionspostfach.",
    PLACEHOLDERS[1]: "Hier steht noch ein Platzhalter („{text}“). Ersetzen Sie ihn durch die echte Angabe "
    "und löschen Sie den Hinweis.",
    PLACEHOLDERS[2]: "„{text}…“ ist eine Aufforderung, etwas einzutragen. Tragen Sie die echte Angabe ein.",
}
_GENERAL_ADVICE = "„{text}“ ist ein Platzhalter (`regiodocs_platzhalter` in conf.py). Ersetzen Sie ihn."
#: Default of ``regiodocs_entwurf``: draft markers that a legal page must not carry.
DRAFT_MARKERS: tuple[str, ...] = (r"(?i)\bEntwurf\b",)

#: Text in square brackets that is a placeholder: ``[Name der Behörde]``, ``[…]``, ``[...]`` –
#: not a link (``[text](…)``, ``[text][ref]``, ``[ref]: …``), footnote (``[^1]``) or list (``[a, b]``).
_BRACKETS = re.compile(r"\[(?!\^)(…|\.\.\.|[A-ZÄÖÜ][^\[\]\n]*)\](?![(\[:{])")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})\s*(.*?)\s*$")
_CMS_SETTINGS = ("backend", "repo", "branch", "base_url", "api_root", "app_id", "site_url", "lokal")


@dataclass(frozen=True)
class Rules:
    """The gate's settings as ``conf.py`` gives them (:func:`rules`)."""

    placeholders: tuple[re.Pattern[str], ...]
    brackets: bool = True
    drafts: tuple[re.Pattern[str], ...] = tuple(re.compile(p) for p in DRAFT_MARKERS)
    cms: object = True  # regiodocs_cms: True/False or a word ("auto": only when configured)
    cms_settings: tuple[tuple[str, str], ...] = ()  # regiodocs_cms_<name> → value
    conf_lines: tuple[str, ...] = ()  # conf.py, to name the line of a setting


def rules(project_root: Path) -> Rules:
    """The gate's settings from ``conf.py`` (read by Sphinx's own configuration reader)."""
    defaults: dict[str, Any] = {
        "regiodocs_platzhalter": list(PLACEHOLDERS),
        "regiodocs_platzhalter_klammern": True,
        "regiodocs_entwurf": list(DRAFT_MARKERS),
        "regiodocs_cms": True,
    }
    defaults |= {f"regiodocs_cms_{name}": "" for name in _CMS_SETTINGS}
    values = settings.conf_values(project_root, defaults)
    conf = project_root / "conf.py"
    return Rules(
        placeholders=tuple(re.compile(p) for p in _patterns(values["regiodocs_platzhalter"])),
        brackets=settings.as_bool(
            values["regiodocs_platzhalter_klammern"], name="regiodocs_platzhalter_klammern"
        ),
        drafts=tuple(re.compile(p) for p in _patterns(values["regiodocs_entwurf"])),
        cms=values["regiodocs_cms"],
        cms_settings=tuple((name, str(values[f"regiodocs_cms_{name}"] or "")) for name in _CMS_SETTINGS),
        conf_lines=tuple(conf.read_text(encoding="utf-8").splitlines()) if conf.is_file() else (),
    )


def _patterns(value: object) -> list[str]:
    if isinstance(value, str):  # -D regiodocs_platzhalter=a,b
        return [p for p in value.split(",") if p.strip()]
    return [str(p) for p in value or ()]


# ---------------------------------------------------------------- the gate


def check(content: model.Content, rules: Rules, *, demo_allowed: bool = False) -> list[Finding]:
    """Everything that must not be published, each at its file and line."""
    findings: list[Finding] = []
    for doc in published(content):
        findings += placeholders(doc, Path(content.root) / doc.rel, rules)
    if not demo_allowed:
        findings += demo_records(content)
    findings += legal_pages(content, rules)
    findings += editor(rules)
    return sorted(set(findings), key=lambda f: (f.file, f.line, f.column, f.code))


def published(content: model.Content) -> list[model.Document]:
    """The documents whose text a public edition shows (no intern records, no synonyms)."""
    docs = [content.netzwerk] if content.netzwerk else []
    docs += [*content.partner.values(), *content.plattformen.values()]
    docs += [d for d in content.records.values() if d.public]
    docs += list(content.pages.values())
    return docs


def _regions(doc: model.Document, lines: Sequence[str]) -> Iterator[tuple[int, str, bool]]:
    """``(index, line, is_yaml)`` of the lines a page shows as text: no whole-line comments, and
    no code blocks of the body (where ``stadtplanung@example.org`` is an example of how to write)."""
    yaml_end = len(lines) if not doc.markdown else 0
    if doc.markdown and lines and lines[0].strip() == "---":
        yaml_end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0) + 1
    fence = ""
    for index, line in enumerate(lines):
        stripped = line.strip()
        if index < yaml_end:
            if not stripped.startswith("#"):
                yield index, line, True
            continue
        fence, code = _fenced(fence, line)
        if code:
            continue
        if stripped.startswith("%") or (stripped.startswith("<!--") and "-->" in stripped):
            continue  # a MyST or HTML comment is not shown
        yield index, line, False


def _fenced(fence: str, line: str) -> tuple[str, bool]:
    """The open fence after ``line`` (``"```"`` code, ``"{```"`` a directive), and whether ``line``
    is part of a code block (fence lines included). A directive's text (```{note}) is shown."""
    match = _FENCE.match(line)
    if fence:
        closes = (
            match
            and not match.group(2)
            and match.group(1)[0] == fence[-1]
            and (len(match.group(1)) >= len(fence.lstrip("{")))
        )
        if closes:
            return "", not fence.startswith("{")
        return fence, not fence.startswith("{")
    if match:
        directive = match.group(2).startswith("{")
        return ("{" if directive else "") + match.group(1), not directive
    return "", False


def placeholders(doc: model.Document, path: Path, rules: Rules) -> list[Finding]:
    """Placeholders in the lines of one file (patterns), and square brackets in its texts."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):  # reported by regiodocs check
        return []
    found: dict[int, Finding] = {}  # one finding a line: the first placeholder in it
    for index, line, _is_yaml in _regions(doc, lines):
        for pattern in rules.placeholders:
            match = pattern.search(line)
            if match and (index + 1 not in found or found[index + 1].column > match.start() + 1):
                advice = _ADVICE.get(pattern.pattern, _GENERAL_ADVICE).format(text=match.group(0).strip())
                found[index + 1] = Finding(doc.path, index + 1, match.start() + 1, Code.PLACEHOLDER, advice)
    if rules.brackets:
        for finding in _brackets(doc, lines):
            found.setdefault(finding.line, finding)
    return list(found.values())


def _brackets(doc: model.Document, lines: Sequence[str]) -> Iterator[Finding]:
    body_start = (doc.body_line - 1) if doc.markdown else len(lines)
    fence = ""
    for index in range(body_start, len(lines)):  # the Markdown body, outside code blocks
        line = lines[index]
        fence, code = _fenced(fence, line)
        if code or line.strip().startswith("%"):
            continue
        yield from _bracket_findings(doc, index + 1, line)
    for value, line_no in _texts(doc):  # YAML texts (a flow list's brackets are not in them)
        for text_line in value.splitlines():
            yield from _bracket_findings(doc, line_no, text_line)


def _bracket_findings(doc: model.Document, line_no: int, text: str) -> Iterator[Finding]:
    for match in _BRACKETS.finditer(text):
        yield Finding(
            doc.path,
            line_no,
            match.start() + 1,
            Code.PLACEHOLDER,
            f"„{match.group(0)}“ ist ein Platzhalter in eckigen Klammern. Ersetzen Sie ihn durch die "
            "echte Angabe (oder löschen Sie ihn).",
        )


def _texts(doc: model.Document) -> Iterator[tuple[str, int]]:
    """Every text value of a document's fields with its line (the body has its own lines)."""

    def walk(value: object, path: tuple[object, ...]) -> Iterator[tuple[str, int]]:
        if isinstance(value, str):
            if path != (model.BODY_FIELD,):
                pos = doc.positions.position(path) if doc.positions else None
                yield value, pos.line if pos else 1
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from walk(item, (*path, key))
        elif isinstance(value, list):
            for number, item in enumerate(value):
                yield from walk(item, (*path, number))

    yield from walk(doc.data, ())
    if not doc.markdown and doc.body:  # a YAML record's `beschreibung`
        first = doc.body_line
        for offset, line in enumerate(doc.body.splitlines()):
            yield line, first + offset if doc.body_exact else first


def demo_records(content: model.Content) -> list[Finding]:
    found = []
    for doc in sorted(content.records.values(), key=lambda d: d.path):
        if doc.public and doc.data.get("beispiel") is True:
            pos = doc.positions.position(("beispiel",), key=True) if doc.positions else None
            found.append(
                Finding(
                    doc.path,
                    pos.line if pos else 1,
                    pos.column if pos else 1,
                    Code.DEMO_RECORD,
                    "Ein Beispiel-Eintrag (`beispiel: true`) würde veröffentlicht. Ersetzen Sie ihn durch "
                    "einen echten Eintrag oder löschen Sie die Datei.",
                )
            )
    return found


def legal_pages(content: model.Content, rules: Rules) -> list[Finding]:
    found = []
    some = next(iter(content.documents()), None)  # paths in messages: relative to the project
    prefix = some.path.removesuffix(some.rel).rstrip("/") if some else Path(content.root).name
    folder = f"{prefix}/{model.PAGES_FOLDER}".lstrip("/")
    for page_id, label in REQUIRED_PAGES.items():
        doc = content.pages.get(page_id)
        if doc is None:
            found.append(
                Finding(
                    f"{folder}/{page_id}.md",
                    1,
                    1,
                    Code.LEGAL_PAGE,
                    f"Pflichtseite fehlt: {label}. Legen Sie content/{model.PAGES_FOLDER}/{page_id}.md an "
                    "(Überschrift und Text, rechtlich geprüft).",
                )
            )
            continue
        words = re.findall(r"\w{2,}", re.sub(r"(?m)^\s*#.*$", "", doc.body or ""))
        if len(words) < MIN_LEGAL_WORDS:  # a heading alone is no Impressum
            found.append(
                Finding(
                    doc.path,
                    doc.body_line or 1,
                    1,
                    Code.LEGAL_PAGE,
                    f"{label} hat keinen Text (nur {len(words)} Wörter außer Überschriften). Tragen Sie die "
                    "rechtlich geprüften Angaben ein.",
                )
            )
        try:
            lines = (Path(content.root) / doc.rel).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for index, line, _is_yaml in _regions(doc, lines):
            for pattern in rules.drafts:
                match = pattern.search(line)
                if match:
                    found.append(
                        Finding(
                            doc.path,
                            index + 1,
                            match.start() + 1,
                            Code.LEGAL_PAGE,
                            f"{label} ist als „{match.group(0)}“ gekennzeichnet. Vervollständigen und prüfen "
                            "Sie die Seite und entfernen Sie dann den Hinweis.",
                        )
                    )
    return found


def editor_on(rules: Rules) -> bool | None:
    """Is the web editor switched on? ``None``: only when configured (``"auto"``)."""
    if cms.is_auto(rules.cms):
        return None
    return settings.as_bool(rules.cms, name="regiodocs_cms")


def backend(rules: Rules) -> cms.Backend:
    values = dict(rules.cms_settings)
    values["name"] = values.pop("backend", "")
    return cms.Backend.from_environment(**values)


def editor_missing(rules: Rules) -> list[str]:
    """The settings the web editor's backend lacks (empty: configured)."""
    return backend(rules).missing()


def editor(rules: Rules) -> list[Finding]:
    local = dict(rules.cms_settings).get("lokal")
    if local:  # the preview's local backend (set by the preview itself) must never reach an edition
        lines = [
            i for i, text in enumerate(rules.conf_lines, 1) if re.match(r"regiodocs_cms_lokal\s*=", text)
        ]
        return [
            Finding(
                "conf.py",
                lines[-1] if lines else 1,
                1,
                Code.EDITOR_CONFIG,
                f"`regiodocs_cms_lokal` ({local}) gilt nur für die Vorschau, die es selbst setzt: eine "
                "Ausgabe schickte den Web-Editor sonst an einen Rechner auf 127.0.0.1. "
                "Entfernen Sie die Einstellung aus conf.py bzw. das `-D`.",
            )
        ]
    if editor_on(rules) is not True:
        return []
    missing = editor_missing(rules)
    if not missing:
        return []
    lines = [i for i, text in enumerate(rules.conf_lines, 1) if re.match(r"regiodocs_cms\s*=", text)]
    line = lines[-1] if lines else 1  # the last assignment is the one that counts
    names = " und ".join(f"`{m}`" for m in missing)
    variables = ", ".join(f"REGIODOCS_CMS_{m.removeprefix('regiodocs_cms_').upper()}" for m in missing)
    return [
        Finding(
            "conf.py",
            line,
            1,
            Code.EDITOR_CONFIG,
            f"Der Web-Editor (/admin/) ist eingeschaltet, aber nicht eingerichtet: es fehlt {names} "
            "(Projektpfad bei GitLab, z. B. `netzwerk/handbuch`, und die Anwendungs-ID der GitLab-"
            "OAuth-Anwendung). Die Anmeldung „Mit GitLab einloggen“ endete sonst in einem Fehler. Tragen "
            f"Sie die Werte in conf.py ein (oder als CI-Variablen {variables}), oder schalten Sie den "
            "Web-Editor ab: `regiodocs_cms = False` in conf.py.",
        )
    ]


def summary(findings: Iterable[Finding]) -> str:
    """One German line: how many refusals of which kind."""
    kinds = {
        Code.PLACEHOLDER: ("Platzhalter", "Platzhalter"),
        Code.DEMO_RECORD: ("Beispiel-Eintrag", "Beispiel-Einträge"),
        Code.LEGAL_PAGE: ("Mangel an Pflichtseiten", "Mängel an Pflichtseiten"),
        Code.EDITOR_CONFIG: ("Mangel am Web-Editor", "Mängel am Web-Editor"),
    }
    listed = list(findings)
    parts = []
    for code, (one, many) in kinds.items():
        number = sum(f.code is code for f in listed)
        if number:
            parts.append(f"{number} {one if number == 1 else many}")
    return ", ".join(parts)
