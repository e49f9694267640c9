"""Safe mode for contributed Markdown: what a body may contain.

Bodies are tokenised exactly as MyST does (same markdown-it configuration)
and every token is judged: no raw HTML, only an allow-list of directives and
roles, links only to http(s), mailto or relative targets, images only from
inside the site. Directive bodies are tokenised again, so nothing hides in a
nested directive.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # markdown-it is imported only when a body needs scanning
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

ALLOWED_DIRECTIVES = frozenset({
    "note", "tip", "hint", "important", "warning", "caution", "attention", "danger",
    "error", "seealso", "admonition", "topic", "sidebar", "epigraph", "rubric",
    "list-table", "table", "code-block", "code", "sourcecode",
    "image", "figure", "card", "grid", "grid-item", "grid-item-card", "tab-set",
    "tab-item", "dropdown", "regio-liste", "glossary",
})  # fmt: skip
ALLOWED_ROLES = frozenset({
    "regio:eintrag", "regio:partner", "regio:plattform", "regio:handlungsfeld",
    "regio:herausforderung", "regio:status", "regio:schlagwort", "regio:seite",
    "abbr", "sub", "sup", "kbd", "guilabel", "term",
    "bdg", "bdg-primary", "bdg-secondary", "bdg-info", "bdg-success", "bdg-warning",
})  # fmt: skip
CODE_DIRECTIVES = frozenset({"code-block", "code", "sourcecode"})
FILE_OPTIONS = re.compile(r"^\s*:(file|url|encoding|literal|parser|start-line|end-line)\s*:", re.M)
_FOREIGN_IMAGE = (
    "Bilder sind nur aus `medien/` erlaubt (Feld `bilder`), nicht von fremden Servern: "
    "diese würden die Leser:innen an Dritte verraten."
)
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


@dataclass(frozen=True)
class Refusal:
    line: int  # 1-based, within the text given
    message: str


@cache
def _parser() -> MarkdownIt:
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    return create_md_parser(
        MdParserConfig(enable_extensions={"colon_fence", "deflist", "fieldlist"}), RendererHTML
    )


def link_allowed(target: str) -> bool:
    match = _SCHEME.match(target.strip())
    if not match:
        return not target.strip().startswith("//")
    return match.group(1).lower() in ("http", "https", "mailto")


#: Without one of these, Markdown can produce no HTML, directive, role, link or image.
_TRIGGERS = ("<", "{", "](", "]:", "![")


def scan(text: str, *, first_line: int = 1) -> list[Refusal]:
    """Everything in ``text`` that safe mode refuses, with lines relative to the file."""
    if not any(trigger in text for trigger in _TRIGGERS):
        return []
    return list(_scan(text, first_line - 1, depth=0))


def _scan(text: str, offset: int, depth: int) -> Iterator[Refusal]:
    if depth > 10:
        yield Refusal(offset + 1, "Zu tief verschachtelte Direktiven.")
        return
    for token in _parser().parse(text):
        line = offset + (token.map[0] + 1 if token.map else 1)
        yield from judge(token, line, offset, depth)


def judge(token: Token, line: int, offset: int, depth: int) -> Iterator[Refusal]:
    kind = token.type
    if kind in ("html_block", "html_inline"):
        yield Refusal(
            line,
            "HTML ist in Beiträgen nicht erlaubt. Verwenden Sie Markdown "
            "(z. B. **fett**, Listen, Tabellen) oder die Felder des Eintrags.",
        )
    elif kind in ("fence", "colon_fence"):
        match = re.match(r"^\{([^}]+)\}", token.info.strip())
        if not match:
            return
        name = match.group(1).strip()
        if name not in ALLOWED_DIRECTIVES:
            yield Refusal(line, _directive_message(name))
            return
        if FILE_OPTIONS.search(token.content):
            yield Refusal(
                line,
                f"Die Direktive `{name}` darf keine Dateien oder Adressen "
                "einlesen. Verwenden Sie eine Markdown-Tabelle oder `dokumente`.",
            )
        arg = token.info.strip()[match.end() :].strip()
        if name in ("image", "figure") and not _local_image(arg):
            yield Refusal(
                line,
                _FOREIGN_IMAGE,
            )
        if name not in CODE_DIRECTIVES:
            body_offset = offset + (token.map[0] + 1 if token.map else 0)
            yield from _scan(token.content, body_offset, depth + 1)
    elif kind == "myst_role":
        name = str(token.meta.get("name", ""))
        if name not in ALLOWED_ROLES:
            yield Refusal(
                line,
                f"Die Rolle `{{{name}}}` ist in Beiträgen nicht erlaubt. "
                "Erlaubt sind z. B. {regio:eintrag}, {abbr}, {sub}, {sup}.",
            )
    elif kind == "link_open":
        href = str(token.attrs.get("href", ""))
        if not link_allowed(href):
            yield Refusal(
                line,
                f"Der Link `{href}` ist nicht erlaubt. Erlaubt sind https://, "
                "http://, mailto: und Verweise innerhalb des Handbuchs.",
            )
    elif kind == "image":
        src = str(token.attrs.get("src", ""))
        if not _local_image(src):
            yield Refusal(
                line,
                _FOREIGN_IMAGE,
            )
    for child in token.children or []:
        if child.type in ("link_open", "image", "html_inline", "myst_role"):
            yield from judge(child, line, offset, depth)


def _local_image(src: str) -> bool:
    return bool(src) and not _SCHEME.match(src) and not src.startswith("//") and ".." not in src


def _directive_message(name: str) -> str:
    if name in ("raw", "eval-rst", "include", "literalinclude", "csv-table"):
        return (
            f"Die Direktive `{name}` ist aus Sicherheitsgründen nicht erlaubt: sie liest "
            "Dateien oder gibt ungeprüfte Inhalte aus. Schreiben Sie den Inhalt als Markdown "
            "(z. B. eine Markdown-Tabelle) oder hängen Sie Dateien über `dokumente` an."
        )
    return (
        f"Die Direktive `{name}` ist in Beiträgen nicht erlaubt. Erlaubt sind: "
        f"{', '.join(sorted(ALLOWED_DIRECTIVES))}."
    )
