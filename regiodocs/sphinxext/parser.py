"""The source parser for generated pages (``*.rd`` stubs).

A stub only names its page; the parser renders the page's template to MyST,
appends the contribution's Markdown body with its original file and line
numbers (so a warning in a body points at ``content/…:line``), and parses
both with MyST into one doctree. In safe mode, refused body tokens never reach
the doctree: they are reported and replaced by plain text.
"""

from __future__ import annotations

from docutils import nodes
from markdown_it.token import Token
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers.mdit import create_md_parser
from myst_parser.parsers.sphinx_ import MystParser
from sphinx.util import logging

from .. import safety
from .state import get_state

logger = logging.getLogger(__name__)

BODY_MARK = "\n% regiodocs:body\n"


class RegioParser(MystParser):
    supported = ("regiodocs",)

    def parse(self, inputstring: str, document: nodes.document) -> None:
        env = document.settings.env
        state = get_state(env.app)
        page = state.pages[env.docname]
        domain = env.domains["regio"]
        for kind, ident, title in page.objects:
            domain.note(kind, ident, title, env.docname)
        if page.orphan:
            env.metadata[env.docname]["orphan"] = True
        # the handbook's own index (regiodocs.search) replaces Sphinx's: skip its costly stemming
        env.metadata[env.docname]["nosearch"] = True

        text = state.render(page)
        head, marked, tail = text.partition(BODY_MARK)
        md = create_md_parser(env.myst_config, SphinxRenderer)
        md.options["document"] = document
        md_env: dict[str, object] = {}
        tokens = _at_line(md.parse(head + "\n", md_env), 0)
        body = page.body
        if body is not None and body.body and body.body.strip():
            document["source"] = body.path
            body_tokens = md.parse(body.body + "\n", md_env)
            body_tokens = _at_line(body_tokens, body.body_line - 1, shift=True)
            if any(t.type == "heading_open" for t in tokens):
                _below_title(body_tokens)
            # defence in depth: even with safe mode off, nothing executable is emitted
            tokens += _defuse(body_tokens, body.path, strict=state.config.sicher)
        if marked:
            tokens += _at_line(md.parse(tail + "\n", md_env), 0)
        md.renderer.render(tokens, md.options, md_env)


def _at_line(tokens: list[Token], line: int, *, shift: bool = False) -> list[Token]:
    """Generated text has no lines of its own: pin it to the top of the file."""
    for token in tokens:
        if token.map:
            token.map = [token.map[0] + line, token.map[1] + line] if shift else [line, line + 1]
    return tokens


def _report(strict: bool, message: str, path: str, line: int) -> None:
    if strict:
        logger.error("%s", message, location=(path, line))
    else:
        logger.info("%s:%s: entfernt (Sicherheitsmodus aus): %s", path, line, message)


def _below_title(tokens: list[Token]) -> None:
    """The page has its title already: the body's top headings become level 2."""
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    offset = 2 - min(levels) if levels else 0
    if offset <= 0:
        return
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + offset)}"
            token.markup = "#" * min(6, len(token.markup) + offset)


def _defuse(tokens: list[Token], path: str, *, strict: bool) -> list[Token]:
    """Replace refused tokens by visible text; in safe mode the check already refused them."""
    safe: list[Token] = []
    for token in tokens:
        line = token.map[0] + 1 if token.map else 1
        refusals = list(safety.judge(token, line, 0, 0))
        if token.type in ("fence", "colon_fence", "html_block") and refusals:
            _report(strict, refusals[0].message, path, line)
            replacement = Token("paragraph_open", "p", 1, map=token.map)
            inline = Token(
                "inline",
                "",
                0,
                map=token.map,
                content="[entfernt: nicht erlaubter Inhalt]",
                children=[Token("text", "", 0, content="[entfernt: nicht erlaubter Inhalt]")],
            )
            safe += [replacement, inline, Token("paragraph_close", "p", -1)]
            continue
        if token.children:
            token.children = _defuse_inline(token.children, path, line, strict)
        safe.append(token)
    return safe


def _defuse_inline(children: list[Token], path: str, line: int, strict: bool) -> list[Token]:
    result = []
    for child in children:
        refusals = list(safety.judge(child, line, 0, 0))
        if refusals:
            _report(strict, refusals[0].message, path, line)
            if child.type == "link_open":
                child.attrs["href"] = "#"
            else:
                child = Token("text", "", 0, content="[entfernt]")
        result.append(child)
    return result
