"""The Veröffentlichungsprüfung: what a public edition must not contain.

``regiodocs release`` runs it after ``regiodocs check`` and refuses to publish
while it finds anything; ``regiodocs release --pruefen`` runs it alone. Every
refusal is a :class:`~regiodocs.findings.Finding` at file:line that says what to do:

- **placeholders** (RD401) in what a page shows (:func:`texts`): every text value of every
  public record, registry and page as YAML parsed it (a comment is no value; each line of a
  block scalar, ``#`` lines included, is judged at its own line), and every body as the build's
  MyST parser reads it (code blocks and inline code are published too; MyST comments are not):
  the patterns of ``regiodocs_platzhalter`` in ``conf.py`` (default :data:`PLACEHOLDERS`:
  addresses under ``example.org``/``.com``/``.net``/``.de`` and the names reserved for examples
  and tests, ``.example``, ``.test``, ``.invalid``, ``.localhost``; the word "Platzhalter",
  "BITTE …" in capitals, sample names), and text in square brackets such as
  ``[Name der Behörde]``, ``[bitte ergänzen]`` or ``[…]`` where a reader sees the brackets –
  not in code, a link or a reference that resolves (``regiodocs_platzhalter_klammern``);
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

import bisect
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import checks, cms, model, report, settings
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
    # the reserved names for tests and documentation (RFC 2606, RFC 6761), in addresses and URLs
    r"(?i)(?:[\w.+-]+@|\b[a-z][a-z0-9+.-]*://)?\b(?:[\w-]+\.)+(?:example|test|invalid|localhost)\b"
    r"(?![\w-]|\.[\w-])|\b[a-z][a-z0-9+.-]*://localhost\b",
    r"(?i)\bPlatzhalter",
    # "BITTE EINTRAGEN", "BITTE_ERGÄNZEN" – not "BITTE BEACHTEN", which is a request to the reader
    r"\bBITTE[ _-]+(?!BEACHTEN\b)[A-ZÄÖÜ][A-ZÄÖÜß_-]*",
    r"\bMuster(?:mann|frau|stadt|straße)s?\b",  # Erika Mustermann(s), Musterstadt: sample data
    r"(?i)\blorem\s+ipsum\b",
)
#: What to do about a default pattern's match (another pattern gets the general advice).
_ADVICE = {
    PLACEHOLDERS[0]: "`{text}` ist eine Beispieladresse (example.org, .com, .net und .de sind für Beispiele "
    "reserviert und nicht erreichbar). Tragen Sie die echte Adresse ein, z. B. das Funktionspostfach.",
    PLACEHOLDERS[1]: "`{text}` ist eine Beispieladresse: .example, .test und .invalid sind für Beispiele und "
    "Tests reserviert und nie erreichbar, localhost zeigt auf den Rechner der Leser:innen selbst. Tragen Sie "
    "die echte Adresse ein.",
    PLACEHOLDERS[2]: "Hier steht noch ein Platzhalter („{text}“). Ersetzen Sie ihn durch die echte Angabe "
    "und löschen Sie den Hinweis.",
    PLACEHOLDERS[3]: "„{text}“ ist eine Aufforderung, etwas einzutragen. Tragen Sie die echte Angabe ein.",
}
_GENERAL_ADVICE = "„{text}“ ist ein Platzhalter (`regiodocs_platzhalter` in conf.py). Ersetzen Sie ihn."
#: Default of ``regiodocs_entwurf``: draft markers that a legal page must not carry.
DRAFT_MARKERS: tuple[str, ...] = (r"(?i)\bEntw(?:urf|ürfe)(?:s?(?:fassung|stand|version))?\b",)

#: Text in square brackets that is a placeholder: ``[Name der Behörde]``, ``[bitte ergänzen]``,
#: ``[ Name ]``, ``[…]``, ``[...]`` – judged in literal text only (a link, a resolved reference, a
#: footnote or a role is a token of its own), not a number (``[1]``) or a footnote mark (``[^1]``).
_BRACKETS = re.compile(r"\[(?!\^)[ \t]*(?:…|\.\.\.|(?!sic\b)[^\W\d_][^\[\]\n]*)\]")
#: Brackets that are meant: a unit (``Länge [km]``, ``Kosten [Mio. €]``), a task mark (``[x]``).
_MEANT = re.compile(
    r"(?:(?:Mio|Mrd|Tsd)\.?\s*)?(?:€|EUR|%|‰|°C|km/h|km²|km|m²|m³|m|cm|mm|ha|t|kg|kWh|MWh|GWh|TWh|"
    r"kWp|kW|MW|GW|h|min|Jahre?|Stk\.?|Pers\.?|WE|EW|ct/kWh|t CO[2₂](?:-?(?:eq|Äq)\.?)?)|\S{1,2}"
)
#: Lowercase words that make a bracket a request to fill in (``[bitte ergänzen]``, ``[name]``).
_REQUEST = re.compile(
    r"bitte|ergänz|einfüg|eintrag|ausfüll|ersetz|folgt|todo|tbd|tba|xxx|name|datum|adresse|telefon|"
    r"e-mail|titel|text|link|url|platzhalter|hier",
    re.IGNORECASE,
)


def _placeholder_bracket(match: re.Match[str]) -> bool:
    """Is ``[…]`` a placeholder: a capitalised text (``[Name der Behörde]``), an ellipsis, or a
    lowercase request (``[bitte ergänzen]``) – not a unit, a task mark or an insertion in a quote."""
    inner = match.group(0)[1:-1].strip()
    if inner in ("…", "..."):
        return True
    if _MEANT.fullmatch(inner):
        return False
    return inner[:1].isupper() or bool(_REQUEST.search(inner))


_CMS_SETTINGS = (*cms.BACKEND_SETTINGS, "lokal")


@dataclass(frozen=True)
class Rules:
    """The gate's settings as ``conf.py`` gives them (:func:`rules`)."""

    placeholders: tuple[re.Pattern[str], ...]
    brackets: bool = True
    drafts: tuple[re.Pattern[str], ...] = tuple(re.compile(p) for p in DRAFT_MARKERS)
    cms: object = True  # regiodocs_cms: True/False or a word ("auto": only when configured)
    cms_settings: tuple[tuple[str, str], ...] = ()  # regiodocs_cms_<name> → value
    conf_lines: tuple[str, ...] = ()  # conf.py, to name the line of a setting
    root: str = ""  # the project (its conf.py's MyST settings parse the bodies)


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
        root=str(project_root),
    )


def _patterns(value: object) -> list[str]:
    if isinstance(value, str):  # -D regiodocs_platzhalter=a,b
        return [p for p in value.split(",") if p.strip()]
    return [str(p) for p in value or ()]


# ---------------------------------------------------------------- the gate


def check(content: model.Content, rules: Rules, *, demo_allowed: bool = False) -> list[Finding]:
    """Everything that must not be published, each at its file and line."""
    findings: list[Finding] = []
    root = Path(rules.root) if rules.root else Path(content.root).parent
    for doc in published(content):
        findings += placeholders(doc, Path(content.root) / doc.rel, rules, root)
    if not demo_allowed:
        findings += demo_records(content)
    findings += legal_pages(content, rules, root)
    findings += editor(rules)
    return sorted(set(findings), key=lambda f: (f.file, f.line, f.column, f.code))


def published(content: model.Content) -> list[model.Document]:
    """The documents whose text a public edition shows (no intern records, no synonyms)."""
    docs = [content.netzwerk] if content.netzwerk else []
    docs += [*content.partner.values(), *content.plattformen.values()]
    docs += [d for d in content.records.values() if d.public]
    docs += list(content.pages.values())
    return docs


@dataclass(frozen=True)
class Text:
    """A piece of what a page shows, with the file lines its characters stand on.

    ``literal``: shown as written, so square brackets in it are visible (prose, a YAML text);
    code, a link's address or a role's target are shown too, but brackets there are syntax.
    """

    text: str
    lines: tuple[tuple[int, int], ...]  # (offset in text, file line), ascending by offset
    literal: bool = True

    def line(self, offset: int) -> int:
        starts = [start for start, _line in self.lines]
        return self.lines[max(0, bisect.bisect_right(starts, offset) - 1)][1]


#: Directives whose content is code (shown as written), not MyST.
_CODE_DIRECTIVES = frozenset({"code", "code-block", "sourcecode", "code-cell", "math", "mermaid"})
#: Tokens that show nothing: MyST comments and targets, block breaks; HTML (a comment is dropped,
#: anything else refused by regiodocs check or removed by the build).
_SILENT = frozenset({"myst_line_comment", "myst_target", "myst_block_break", "html_block", "front_matter"})
#: Inline marks that change how text looks, not what it says.
_EMPHASIS = frozenset({"em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close"})
_DIRECTIVE = re.compile(r"^\{([\w:.-]+)\}\s*(.*)$")
_OPTION = re.compile(r"^:[\w-]+:(.*)$")


def texts(doc: model.Document, project_root: Path) -> Iterator[Text]:
    """Everything ``doc`` publishes as text, each piece with its lines in the file.

    YAML values as parsed (a whole-line or end-of-line comment is no value; the lines of a block
    scalar, ``#`` lines included, are its text); the Markdown body as the build's MyST parser
    reads it (:func:`regiodocs.checks.markdown_tokens`).
    """
    yield from _yaml_texts(doc)
    if doc.body and doc.body.strip():  # (loading gives netzwerk.yaml's `beschreibung` no body)
        lines = _body_lines(doc)
        tokens = checks.markdown_tokens(doc.body, project_root)
        yield from _markdown(tokens, lambda index: lines[min(index, len(lines) - 1)], project_root)


def _yaml_texts(doc: model.Document) -> Iterator[Text]:
    positions = doc.positions
    body_is_markdown = not doc.markdown and doc.body is not None

    def walk(value: object, path: tuple[str | int, ...]) -> Iterator[Text]:
        if isinstance(value, str):
            if body_is_markdown and path == (model.BODY_FIELD,):
                return
            segments = positions.texts.get(path) if positions else None
            if segments:
                yield Text(value, tuple((start, line) for start, line, _column in segments))
            else:
                yield Text(value, ((0, positions.position(path).line if positions else 1),))
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from walk(item, (*path, key))
        elif isinstance(value, list):
            for number, item in enumerate(value):
                yield from walk(item, (*path, number))

    yield from walk(doc.data, ())


def _body_lines(doc: model.Document) -> list[int]:
    """The file line of each line of ``doc``'s body."""
    body = doc.body or ""
    count = body.count("\n") + 1
    if doc.markdown or doc.body_exact or doc.positions is None:
        return [doc.body_line + index for index in range(count)]
    # a folded or quoted YAML text: its lines are not the file's, the parser knows where each stands
    starts = [0] + [m.end() for m in re.finditer("\n", body)]
    return [doc.positions.text_position((model.BODY_FIELD,), start).line for start in starts]


def _markdown(tokens: Sequence[Any], line_of: Callable[[int], int], project_root: Path) -> Iterator[Text]:
    """The texts a MyST token stream shows; ``line_of``: body line (from 0) → file line."""
    current = 0
    for token in tokens:
        if token.map:
            current = token.map[0]
        if token.type in _SILENT:
            continue
        if token.type == "inline":
            yield from _inline(token.children or [], line_of(current), token.content)
        elif token.type in ("fence", "colon_fence"):
            yield from _fenced(token, line_of, project_root)
        elif token.type == "code_block":
            yield _block(token.content, current, line_of)


def _block(text: str, first: int, line_of: Callable[[int], int], *, literal: bool = False) -> Text:
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    return Text(text, tuple((start, line_of(first + n)) for n, start in enumerate(starts)), literal)


def _fenced(token: Any, line_of: Callable[[int], int], project_root: Path) -> Iterator[Text]:
    """A code block (shown as written: no brackets rule), or a directive (its title, options and
    MyST content are shown; the content of ``code-block`` & Co. is code)."""
    first = token.map[0] if token.map else 0
    directive = _DIRECTIVE.match(token.info.strip())
    if directive is None:
        yield _block(token.content, first + 1, line_of)
        return
    name, argument = directive.groups()
    if argument:
        yield Text(argument, ((0, line_of(first)),))
    lines = token.content.split("\n")
    skip = 0
    if lines and lines[0].strip() == "---":  # options as a YAML block
        close = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        skip = close + 1 if close is not None else 0
    else:
        while skip < len(lines) and _OPTION.match(lines[skip]):
            skip += 1
    if skip:
        yield _block("\n".join(lines[:skip]), first + 1, line_of)
    content = "\n".join(lines[skip:])
    if not content.strip():
        return
    if name in _CODE_DIRECTIVES:
        yield _block(content, first + 1 + skip, line_of)
        return
    nested = checks.markdown_tokens(content, project_root)
    yield from _markdown(nested, lambda index: line_of(first + 1 + skip + index), project_root)


def _inline(children: Sequence[Any], first_line: int, raw: str = "") -> Iterator[Text]:
    """Runs of visible text (literal) and code, role targets and link addresses (not literal).

    Lines: each child is found in ``raw`` (the paragraph's source) from a moving cursor, so a
    line break inside inline code or a role (which markdown-it turns into a space) still counts;
    a child that cannot be found there (an escape changed it) goes by the line breaks seen."""
    line = first_line
    cursor = 0
    run: list[str] = []
    run_lines: list[tuple[int, int]] = []

    def locate(text: str) -> tuple[tuple[tuple[int, int], ...], int] | None:
        """Where each line of ``text`` begins (offset, file line) and the line it ends on, found
        in ``raw`` after the cursor (its words in order, any whitespace between them)."""
        nonlocal cursor
        words = list(re.finditer(r"\S+", text))
        if not raw or not words:
            return None
        found = re.compile(r"\s+".join(re.escape(w.group(0)) for w in words)).search(raw, cursor)
        if found is None:
            return None
        cursor = found.end()
        source = found.group(0)
        starts = [m.start() for m in re.finditer(r"\S+", source)]
        base = first_line + raw.count("\n", 0, found.start())
        spans: list[tuple[int, int]] = []
        for word, at in zip(words, starts, strict=True):
            here = base + source.count("\n", 0, at)
            if not spans or spans[-1][1] != here:
                spans.append((word.start(), here))
        return tuple(spans), base + source.count("\n")

    def flush() -> Iterator[Text]:
        if run_lines:  # some text (not line breaks alone)
            yield Text("".join(run), tuple(run_lines))
        run.clear()
        run_lines.clear()

    for child in children:
        kind = child.type
        if kind in ("text", "softbreak", "hardbreak"):
            offset = sum(len(part) for part in run)
            if kind == "text":
                where = locate(child.content)
                if where is not None:
                    line = where[0][0][1]
                if not run_lines or run_lines[-1][1] != line:
                    run_lines.append((offset, line))
                run.append(child.content)
                if where is not None:
                    line = where[1]
            else:
                run.append("\n")
                line += 1
            continue
        if kind in _EMPHASIS:  # `[*Name*]` reads as "[Name]": the run goes on
            continue
        yield from flush()
        if kind in ("code_inline", "myst_role", "math_inline"):
            where = locate(child.content)
            yield Text(child.content, where[0] if where else ((0, line),), literal=False)
            if where is not None:
                line = where[1]
        for name in ("href", "src"):
            address = child.attrs.get(name) if child.attrs else None
            if isinstance(address, str) and address:
                yield Text(address, ((0, line),), literal=False)
        if kind == "image" and child.content:
            yield Text(child.content, ((0, line),))
    yield from flush()


def placeholders(
    doc: model.Document, path: Path, rules: Rules, project_root: Path | None = None
) -> list[Finding]:
    """Placeholders in what one document publishes (patterns), and square brackets in its
    literal texts; one finding a line (the first placeholder in it)."""
    try:
        source = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):  # reported by regiodocs check
        return []
    root = project_root or Path(rules.root or path.parent)
    found: dict[int, Finding] = {}

    def add(line: int, column: int, message: str) -> None:
        if line not in found or found[line].column > column:
            found[line] = Finding(doc.path, line, column, Code.PLACEHOLDER, message)

    for text in texts(doc, root):
        for pattern in rules.placeholders:
            for match in pattern.finditer(text.text):
                shown = match.group(0).strip()
                if not shown:
                    continue
                line = text.line(match.start())
                advice = _ADVICE.get(pattern.pattern, _GENERAL_ADVICE).format(text=shown)
                add(line, _column(source, line, shown), advice)
        if rules.brackets and text.literal:
            for match in _BRACKETS.finditer(text.text):
                if not _placeholder_bracket(match):
                    continue
                line = text.line(match.start())
                add(
                    line,
                    _column(source, line, match.group(0)),
                    f"„{match.group(0)}“ ist ein Platzhalter in eckigen Klammern. Ersetzen Sie ihn durch "
                    "die echte Angabe (oder löschen Sie ihn). Sind die Klammern so gemeint, schreiben "
                    "Sie runde Klammern.",
                )
    return list(found.values())


def _column(source: Sequence[str], line: int, text: str) -> int:
    """Where ``text`` stands in the file's line (1 when an escape changed it)."""
    if 0 < line <= len(source):
        at = source[line - 1].find(text)
        if at >= 0:
            return at + 1
        at = source[line - 1].find(text.split()[0]) if text.split() else -1
        if at >= 0:
            return at + 1
    return 1


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


def _prose_words(doc: model.Document, project_root: Path) -> list[str]:
    """The words a reader sees on a page besides its headings (comments and HTML are not shown)."""
    shown = [w for t in texts(doc, project_root) if t.literal for w in re.findall(r"\w{2,}", t.text)]
    tokens = checks.markdown_tokens(doc.body or "", project_root) if doc.markdown else []
    headings = [
        w
        for before, token in itertools.pairwise(tokens)
        if before.type == "heading_open" and token.type == "inline"
        for w in re.findall(r"\w{2,}", token.content)
    ]
    title = re.findall(r"\w{2,}", str(doc.data.get("titel") or ""))
    for word in headings + title:  # each heading's words once
        if word in shown:
            shown.remove(word)
    return shown


def legal_pages(content: model.Content, rules: Rules, project_root: Path | None = None) -> list[Finding]:
    found: list[Finding] = []
    root = project_root or (Path(rules.root) if rules.root else Path(content.root).parent)
    some = next(iter(content.documents()), None)  # paths in messages: relative to the project
    prefix = some.path.removesuffix(some.rel).rstrip("/") if some else Path(content.root).name
    folder = f"{prefix}/{model.PAGES_FOLDER}" if prefix else model.PAGES_FOLDER
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
        words = _prose_words(doc, root)
        if len(words) < MIN_LEGAL_WORDS:  # a heading alone (or a comment) is no Impressum
            found.append(
                Finding(
                    doc.path,
                    doc.body_line or 1,
                    1,
                    Code.LEGAL_PAGE,
                    f"{label} hat keinen Text (nur {report.count(len(words), 'Wort', 'Wörter')} außer "
                    "Überschriften). Tragen Sie die rechtlich geprüften Angaben ein.",
                )
            )
        try:
            source = (Path(content.root) / doc.rel).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        marked: dict[int, Finding] = {}  # one finding a line
        for text in texts(doc, root):
            for pattern in rules.drafts:
                for match in pattern.finditer(text.text):
                    line = text.line(match.start())
                    column = _column(source, line, match.group(0))
                    if line in marked and marked[line].column <= column:
                        continue
                    marked[line] = Finding(
                        doc.path,
                        line,
                        column,
                        Code.LEGAL_PAGE,
                        f"{label} ist als „{match.group(0)}“ gekennzeichnet. Vervollständigen und prüfen "
                        "Sie die Seite und entfernen Sie dann den Hinweis.",
                    )
        found += marked.values()
    return found


def backend(rules: Rules) -> cms.Backend:
    """The web editor's backend as the build reads it (:func:`regiodocs.cms.backend`)."""
    return cms.backend(dict(rules.cms_settings))


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
    chosen = backend(rules)
    if not cms.editor_enabled(cms.switched_on(rules.cms), chosen):
        return []  # off, or "auto" without a backend: /admin/ is not published
    problems = chosen.problems()
    if not problems:
        return []

    def line_of(setting: str) -> int | None:
        lines = [i for i, text in enumerate(rules.conf_lines, 1) if re.match(rf"{setting}\s*=", text)]
        return lines[-1] if lines else None  # the last assignment is the one that counts

    # the line of the first wrong setting that conf.py has, else of the switch
    line = next((n for n in map(line_of, problems) if n), None) or line_of("regiodocs_cms") or 1
    reasons = " und ".join(problems.values())
    variables = ", ".join(f"REGIODOCS_CMS_{m.removeprefix('regiodocs_cms_').upper()}" for m in problems)
    return [
        Finding(
            "conf.py",
            line,
            1,
            Code.EDITOR_CONFIG,
            f"Der Web-Editor (/admin/) ist eingeschaltet, aber nicht eingerichtet: {reasons}. Die Anmeldung "
            "„Mit GitLab einloggen“ endete sonst in einem Fehler. Tragen Sie die echten Werte in conf.py "
            f"ein (oder als CI-Variablen {variables}), oder schalten Sie den Web-Editor ab: "
            "`regiodocs_cms = False` in conf.py.",
        )
    ]


#: The kinds of refusal in a summary: (singular, plural, dative plural – "trotz 2 Platzhaltern").
_KINDS = {
    Code.PLACEHOLDER: ("Platzhalter", "Platzhalter", "Platzhaltern"),
    Code.DEMO_RECORD: ("Beispiel-Eintrag", "Beispiel-Einträge", "Beispiel-Einträgen"),
    Code.LEGAL_PAGE: ("Mangel an Pflichtseiten", "Mängel an Pflichtseiten", "Mängeln an Pflichtseiten"),
    Code.EDITOR_CONFIG: ("Mangel am Web-Editor", "Mängel am Web-Editor", "Mängeln am Web-Editor"),
}


def summary(findings: Iterable[Finding], *, dative: bool = False) -> str:
    """One German line: how many refusals of which kind ("2 Platzhalter, 1 Beispiel-Eintrag");
    ``dative`` after a preposition such as "trotz" ("trotz 2 Platzhaltern, 1 Beispiel-Eintrag")."""
    listed = list(findings)
    parts = []
    for code, (one, many, many_dative) in _KINDS.items():
        number = sum(f.code is code for f in listed)
        if number:
            parts.append(report.count(number, one, many_dative if dative else many))
    return ", ".join(parts)
