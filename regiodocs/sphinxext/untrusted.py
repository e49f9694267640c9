"""Rendering contributed Markdown: only what the policy allows is ever run.

A page is a trusted template plus a contributed body. The parser wraps the
body's tokens in a ``regio_untrusted`` block; while the renderer is inside it
(including every nested directive body, directive argument and option that
MyST parses inline), HTML is never turned into nodes, directives and roles off
:mod:`regiodocs.safety`'s allow-lists never run (so ``include``, ``raw`` or
``{download}`` cannot read a file), and links are rebuilt from their target:
web and mail links as they are, local ones as references the guard checks.
Each refusal is reported at the body's file and line and leaves visible text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, cast

from docutils import nodes
from docutils.parsers.rst.languages import get_language as get_language_rst
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode
from myst_parser.mdit_to_docutils.base import make_document, token_line
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from sphinx import addnodes

from .. import safety
from ..findings import Code
from .state import get_state

#: ``report(line, code, message)``: where refusals go (the build's log or the check's list).
Report = Callable[[int, Code, str], None]
TRUSTED = "regio_vertraut"  # set on raw nodes that a trusted template produced
_COMMENT = re.compile(r"<!--(?!-?>)(?:(?!--)[^<\[])*-->")  # a plain note; no markup, no "[if …]"
_BREAK = re.compile(r"<br\s*/?>", re.I)
NESTING = (
    f"Mehr als {safety.MAX_NESTING} Direktiven ineinander sind nicht möglich. Vereinfachen Sie die "
    "Gliederung (z. B. mehrere Abschnitte statt tief verschachtelter Kästen)."
)


def failed(what: str, err: Exception) -> str:
    return (
        f"{what} konnte hier nicht ausgewertet werden. Prüfen Sie Inhalt und Optionen an dieser "
        f"Stelle (Meldung des Programms, englisch: „{type(err).__name__}: {err}“)."
    )


def wrap(tokens: list[Token]) -> list[Token]:
    """Mark ``tokens`` (a contributed body) as untrusted for :class:`RegioRenderer`."""
    return [Token("regio_untrusted_open", "", 1), *tokens, Token("regio_untrusted_close", "", -1)]


class RegioRenderer(SphinxRenderer):
    """MyST's Sphinx renderer, strict inside contributed bodies."""

    untrusted = False
    _depth = 0  # directives open inside the body
    report: Report = staticmethod(lambda line, code, message: None)  # type: ignore[assignment]

    def setup_render(self, options: dict[str, Any], env: Any) -> None:
        """MyST's ``setup_render`` (myst-parser 5.2), without the throw-away document it builds
        as the eager default of ``options.get("document", make_document())``: a docutils
        settings parser per page, for nothing, since the parser always passes its document."""
        self.md_env = env
        self.md_options = options
        self.md_config = options["myst_config"]
        self.document = options["document"] if "document" in options else make_document()
        self.current_node = options.get("current_node", self.document)
        self.reporter = self.document.reporter
        self.language_module_rst = get_language_rst(self.document.settings.language_code)
        self._heading_offset = 0
        self._level_to_section = {0: self.document}
        self._heading_slugs = {}

    @contextmanager
    def trust(self, trusted: bool) -> Iterator[None]:
        before, self.untrusted = self.untrusted, not trusted
        try:
            yield
        finally:
            self.untrusted = before

    def render_regio_untrusted(self, token: SyntaxTreeNode) -> None:
        before = set(self.document.nametypes)
        with self.trust(False):
            self.render_children(token)
        # a contribution declares no site-wide labels (`(name)=`, `:name:`): as explicit
        # targets they would clash with other pages' ("duplicate label"); local anchors stay
        for name in set(self.document.nametypes) - before:
            self.document.nametypes[name] = False

    def _refuse(self, line: int, message: str, *, block: bool) -> None:
        self.report(line, Code.MARKUP, message)
        text = nodes.Text(safety.REMOVED)
        node: nodes.Element = nodes.paragraph("", "", text) if block else nodes.inline("", "", text)
        node.line = line
        self.current_node.append(node)

    def render_html_block(self, token: SyntaxTreeNode) -> None:
        if self.untrusted:
            return self._html(token, block=True)
        super().render_html_block(token)

    def render_html_inline(self, token: SyntaxTreeNode) -> None:
        if self.untrusted:
            return self._html(token, block=False)
        super().render_html_inline(token)

    def _html(self, token: SyntaxTreeNode, *, block: bool) -> None:
        """No HTML – except two harmless habits: a comment is dropped, ``<br>`` is a line break."""
        text = token.content.strip()
        if _COMMENT.fullmatch(text):
            self.current_node.append(nodes.comment(text, ""))
        elif _BREAK.fullmatch(text) and not block:
            self.current_node.append(nodes.raw("", "<br />\n", format="html", **{TRUSTED: True}))
        else:
            self._refuse(token_line(token, 1), safety.HTML, block=block)

    def render_restructuredtext(self, token: SyntaxTreeNode) -> None:
        if self.untrusted:
            return self._refuse(token_line(token, 1), safety.directive_message("eval-rst"), block=True)
        super().render_restructuredtext(token)

    def run_directive(
        self, name: str, first_line: str, content: str, position: int, *args: Any, **kwargs: Any
    ) -> list[nodes.Element]:
        if not self.untrusted:  # the template's own markup, which never reads files or writes HTML
            if name in safety.TEMPLATE_REFUSED:
                self.report(position, Code.MARKUP, safety.directive_message(name))
                return [nodes.paragraph("", safety.REMOVED)]
            return super().run_directive(name, first_line, content, position, *args, **kwargs)
        if name not in safety.ALLOWED_DIRECTIVES:
            self.report(position, Code.MARKUP, safety.directive_message(name))
            return [nodes.paragraph("", safety.REMOVED)]
        if self._depth >= safety.MAX_NESTING:
            self.report(position, Code.MARKUP, NESTING)
            return [nodes.paragraph("", safety.REMOVED)]
        self._depth += 1
        try:
            return super().run_directive(name, first_line, content, position, *args, **kwargs)
        except Exception as err:  # a directive's own bug must not end the check or the build
            self.report(position, Code.MARKUP_ERROR, failed(f"Die Direktive `{name}`", err))
            return [nodes.paragraph("", safety.REMOVED)]
        finally:
            self._depth -= 1

    def render_myst_target(self, token: SyntaxTreeNode) -> None:
        if self.untrusted:
            message = (
                f"Eigene Sprungmarken wie `({token.content})=` sind in Beiträgen nicht möglich. Jede "
                "Überschrift hat ihren Anker, z. B. `#ausgangslage` für „## Ausgangslage“."
            )
            return self._refuse(token_line(token, 1), message, block=True)
        super().render_myst_target(token)

    def render_myst_role(self, token: SyntaxTreeNode) -> None:
        name = str(token.meta["name"])
        if not self.untrusted:
            return super().render_myst_role(token)
        if name not in safety.ALLOWED_ROLES:
            return self._refuse(token_line(token, 1), safety.role_message(name), block=False)
        count = len(self.current_node.children)
        try:
            super().render_myst_role(token)
        except Exception as err:  # e.g. Sphinx's {guilabel} on a lone "&"
            del self.current_node.children[count:]
            self.report(token_line(token, 1), Code.MARKUP_ERROR, failed(f"Die Rolle `{{{name}}}`", err))
            self.current_node.append(nodes.inline("", safety.REMOVED))

    def render_hardbreak(self, token: SyntaxTreeNode) -> None:
        """A Markdown line break (two spaces or a backslash at the end of a line) is not HTML."""
        count = len(self.current_node.children)
        super().render_hardbreak(token)
        for node in self.current_node.children[count:]:
            if isinstance(node, nodes.raw):
                node[TRUSTED] = True

    def render_image(self, token: SyntaxTreeNode) -> None:
        src = str(token.attrGet("src") or "")
        if self.untrusted and (safety.scheme(src) is not None or not safety.link_allowed(src)):
            return self._refuse(token_line(token, 1), safety.FOREIGN_IMAGE, block=False)
        super().render_image(token)

    def render_link(self, token: SyntaxTreeNode) -> None:
        if not self.untrusted:
            return super().render_link(token)
        href = str(token.attrGet("href") or "")
        found = safety.scheme(href)
        line = token_line(token, 1)
        if safety.web_or_anchor(href):
            return self.render_link_url(token) if found else self.render_link_anchor(token, href)
        if found is not None or not safety.link_allowed(href):
            self.report(line, Code.MARKUP, safety.link_message(href))
            return self.render_children(token)
        self._local_link(token, href, line)

    def _local_link(self, token: SyntaxTreeNode, href: str, line: int) -> None:
        """``[Text](../seiten/mitmachen.md)`` or ``[Plan](/medien/plan.pdf)``: judged by the guard."""
        docname = self.sphinx_env.docname
        path = safety.local_path(href, get_state(self.sphinx_env).source_dir(docname))
        if path is None:
            self.report(line, Code.MARKUP, safety.link_message(href))
            return self.render_children(token)
        explicit = bool(token.children)  # `[](seite.md)`: the page's title is the text
        if path.startswith(f"{safety.MEDIA_FOLDER}/"):
            wrap_node: nodes.Element = addnodes.download_reference(
                refdomain=None, reftarget=f"/{path}", refdoc=docname, reftype="myst", refexplicit=True
            )
            explicit = True  # a download without text shows its link text: nothing
        else:
            if "#" in href:  # Sphinx links pages, not their sections: say so instead of dropping it
                self.report(line, Code.MARKUP_ERROR, OTHER_PAGE_ANCHOR.format(anchor=href.split("#", 1)[1]))
            target = path.rsplit(".", 1)[0] if path.endswith((".md", ".yaml", ".html")) else path
            wrap_node = addnodes.pending_xref(
                refdomain="std",
                reftype="doc",
                reftarget=f"/{target}",
                refdoc=docname,
                refexplicit=explicit,
                refwarn=True,
            )
        self.add_line_and_source_path(wrap_node, token)
        inner = nodes.inline("", "", classes=["xref", "myst"])
        wrap_node.append(inner)
        self.current_node.append(wrap_node)
        if explicit:
            with self.current_node_context(inner):
                self.render_children(token)


OTHER_PAGE_ANCHOR = (
    "Sprungmarken auf einer anderen Seite (`#{anchor}`) sind nicht möglich: der Link führte "
    "stillschweigend nur zum Anfang der Seite. Verlinken Sie die Seite ohne `#…` und nennen Sie den "
    "Abschnitt im Text (z. B. „siehe dort, Abschnitt Ziele“)."
)


def renderer_of(state: object) -> RegioRenderer | None:
    """The renderer behind a directive's ``self.state`` (MyST's mock state), if it is ours."""
    renderer = getattr(state, "_renderer", None)
    return cast(RegioRenderer, renderer) if isinstance(renderer, RegioRenderer) else None
