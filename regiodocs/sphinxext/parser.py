"""The source parser for generated pages (``*.rd`` stubs).

A stub only names its page; the parser renders the page's template to MyST,
appends the contribution's Markdown body with its original file and line
numbers (so a message about a body points at ``content/…:line``), and parses
both with MyST into one doctree. The body is rendered as untrusted
(:mod:`.untrusted`); the finished doctree is judged by :mod:`.guard`.
"""

from __future__ import annotations

from docutils import nodes
from markdown_it.token import Token
from myst_parser.parsers.mdit import create_md_parser
from myst_parser.parsers.sphinx_ import MystParser

from .state import get_state
from .untrusted import RegioRenderer, wrap

BODY_MARK = "\n% regiodocs:body\n"


class RegioParser(MystParser):
    supported = ("regiodocs",)

    def parse(self, inputstring: str, document: nodes.document) -> None:
        env = document.settings.env
        state = get_state(env)
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
        md = create_md_parser(env.myst_config, RegioRenderer)
        # markdown-it silently drops links it finds unsafe (javascript:, file:, …): keep every
        # link, so that the renderer refuses it with a message and the guard judges it
        md.validateLink = lambda url: True
        md.options["document"] = document
        md_env: dict[str, object] = {}
        tokens = _at_line(md.parse(head + "\n", md_env), 0) if head.strip() else []
        body = page.body
        if body is not None and body.body and body.body.strip():
            document["source"] = body.path
            md.renderer.report = state.reporter(body.path)
            body_tokens = md.parse(body.body + "\n", md_env)
            body_tokens = _at_line(body_tokens, body.body_line - 1, shift=body.body_exact)
            if page.below_title or any(t.type == "heading_open" for t in tokens):
                _below_title(body_tokens)
            tokens += wrap(body_tokens)
        if marked:
            tokens += _at_line(md.parse(tail + "\n", md_env), 0)
        md.renderer.render(tokens, md.options, md_env)


def _at_line(tokens: list[Token], line: int, *, shift: bool = False) -> list[Token]:
    """Generated text has no lines of its own: pin it to the top of the file."""
    for token in tokens:
        if token.map:
            token.map = [token.map[0] + line, token.map[1] + line] if shift else [line, line + 1]
    return tokens


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
