"""The source parser for generated pages (``*.rd`` stubs).

A stub only names its page; the parser renders the page's template to MyST,
appends the contribution's Markdown body with its original file and line
numbers (so a message about a body points at ``content/…:line``), and parses
both with MyST into one doctree. The body is rendered as untrusted
(:mod:`.untrusted`); the finished doctree is judged by :mod:`.guard`.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import sphinx.util.docutils as sphinx_docutils
from docutils import frontend, nodes, utils
from docutils.utils import smartquotes
from markdown_it.token import Token
from myst_parser.parsers.mdit import create_md_parser
from myst_parser.parsers.sphinx_ import MystParser
from sphinx.transforms import SphinxSmartQuotes

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


# ---------------------------------------------------------------- settings, once per build

_Settings = Callable[..., frontend.Values]


def _frozen(value: Any) -> Any:
    """``value`` as a hashable key (lists and dicts by content, anything else unhashable by id)."""
    try:
        hash(value)
    except TypeError:
        if isinstance(value, (list, tuple)):
            return ("list", tuple(_frozen(v) for v in value))
        if isinstance(value, dict):
            return ("dict", tuple(sorted((str(k), _frozen(v)) for k, v in value.items())))
        return ("id", id(value))
    return value


def cached_settings(original: _Settings) -> _Settings:
    """Sphinx's ``_get_settings`` that builds docutils' option parser once, not once per page.

    Sphinx creates a new ``OptionParser`` (hundreds of ``Option`` objects) for every document it
    reads, always from the same components and defaults. The result is kept per (components,
    defaults) and every document gets its own shallow copy with its own dependency list, as a
    fresh parser would give it.
    """
    cache: dict[Any, frontend.Values] = {}

    def get_settings(
        *components: Any, defaults: Mapping[str, Any], read_config_files: bool = False
    ) -> frontend.Values:
        kinds = tuple(c if isinstance(c, type) else type(c) for c in components)
        try:
            key = (kinds, read_config_files, tuple(sorted((k, _frozen(v)) for k, v in defaults.items())))
            hash(key)
        except TypeError:
            return original(*components, defaults=defaults, read_config_files=read_config_files)
        base = cache.get(key)
        if base is None:
            base = cache[key] = original(*components, defaults=defaults, read_config_files=read_config_files)
        data = dict(vars(base))
        data["record_dependencies"] = None  # a new DependencyList, as a new parser gives
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=DeprecationWarning)
            values = frontend.Values(data)
        return values

    get_settings.regiodocs_cached = True  # type: ignore[attr-defined]
    return get_settings


def setup_reading(app: Any) -> None:
    install_settings_cache()
    app.connect("builder-inited", skip_idle_transforms)
    app.connect("source-read", _start_census)
    app.connect("doctree-read", _start_census, priority=0)
    app.connect("doctree-resolved", _start_census, priority=0)


def install_settings_cache() -> None:
    current = sphinx_docutils._get_settings
    if not getattr(current, "regiodocs_cached", False):
        sphinx_docutils._get_settings = cached_settings(current)  # type: ignore[assignment]


# ---------------------------------------------------------------- transforms that find nothing

#: Sphinx's and sphinx-design's transforms that only look for nodes of these kinds (or
#: sphinx-design components): "module.Class" → what the document must hold for it to run.
#: A page without any of them skips the transform's walk over the whole doctree. Only
#: kinds that no transform creates are named (directives and roles make them while parsing),
#: so a census taken at the first of these transforms holds for every later one.
_NEEDS: dict[str, tuple[str, ...]] = {
    # read (app.registry.transforms)
    "sphinx.builders.latex.transforms.FootnoteDocnameUpdater": ("footnote", "footnote_reference"),
    "sphinx.domains.citation.CitationDefinitionTransform": ("citation",),
    "sphinx.domains.citation.CitationReferenceTransform": ("citation_reference",),
    "sphinx.transforms.AutoIndexUpgrader": ("index",),
    "sphinx.transforms.DoctestTransform": ("doctest_block",),
    "sphinx.transforms.GlossarySorter": ("glossary",),
    "sphinx.transforms.ReorderConsecutiveTargetAndIndexNodes": ("index",),
    "sphinx.transforms.i18n.RemoveTranslatableInline": ("translatable inline",),
    # post (app.registry.post_transforms)
    "sphinx.transforms.post_transforms.code.HighlightLanguageTransform": ("literal_block", "highlightlang"),
    "sphinx.transforms.post_transforms.code.TrimDoctestFlagsTransform": ("literal_block", "doctest_block"),
    "sphinx.transforms.post_transforms.images.ImageDownloader": ("image",),
    "sphinx.transforms.post_transforms.images.DataURIExtractor": ("image",),
    "sphinx.transforms.post_transforms.OnlyNodeTransform": ("only",),
    "sphinx.transforms.post_transforms.PropagateDescDomain": ("desc_signature",),
    "sphinx.domains.c.AliasTransform": ("AliasNode",),
    "sphinx.domains.cpp.AliasTransform": ("AliasNode",),
    "sphinx_design.dropdown.DropdownHtmlTransform": ("component dropdown",),
    "sphinx_design.tabs.TabSetHtmlTransform": ("component tab-set",),
    "sphinx_design.aside.AsideHtmlTransform": ("component aside",),
}

_census: list[Any] = [None, frozenset()]  # [document, what it holds]: one document at a time


def census(document: nodes.document) -> frozenset[str]:
    """The names of the node classes (and their bases) and sphinx-design components in ``document``."""
    if _census[0] is document:
        return _census[1]
    kinds: set[type] = set()
    found: set[str] = set()
    for node in document.findall():
        kinds.add(type(node))
        if isinstance(node, nodes.Element):
            component = node.get("design_component")
            if component:
                found.add(f"component {component}")
            if isinstance(node, nodes.inline) and "translatable" in node.attributes:
                found.add("translatable inline")
    for kind in kinds:
        found.update(base.__name__ for base in kind.__mro__)
    _census[0], _census[1] = document, frozenset(found)
    return _census[1]


def forget_census() -> None:
    _census[0], _census[1] = None, frozenset()


def _skipping(transform: type, needs: tuple[str, ...]) -> type:
    def apply(self: Any, **kwargs: Any) -> None:
        if census(self.document).isdisjoint(needs):
            return
        transform.apply(self, **kwargs)

    return type(transform.__name__, (transform,), {"apply": apply, "regiodocs_needs": needs})


def skip_idle_transforms(app: Any) -> None:
    """``builder-inited``: the transforms of :data:`_NEEDS` run only where their nodes are."""
    registry = app.registry
    for attribute in ("transforms", "post_transforms"):
        listed = getattr(registry, attribute)
        for i, transform in enumerate(listed):
            needs = _NEEDS.get(f"{transform.__module__}.{transform.__qualname__}")
            if needs is not None and not hasattr(transform, "regiodocs_needs"):
                listed[i] = _skipping(transform, needs)
            elif transform is SphinxSmartQuotes:
                listed[i] = QuietSmartQuotes


# ---------------------------------------------------------------- smart quotes, only where they act

#: What SmartQuotes can change in a text token with the actions ``q`` (quotes), ``D``/``d``/``i``
#: (dashes), ``e`` (ellipses), ``b``/``B`` (backticks): the characters it educates, the backslash
#: escapes and the character references ``processEscapes(restore=True)`` turns back into
#: characters (``&#92;``, ``&#34;``, …), and docutils' null escapes. A block without any of them
#: comes out of ``educate_tokens`` unchanged.
_ACTIVE = re.compile(r"[\"'`\\&\x00]|--|\.\.\.|\. \. \.")
_ACTIONS = frozenset("qbBdDie")


class QuietSmartQuotes(SphinxSmartQuotes):
    """Sphinx's SmartQuotes, which leaves text blocks alone that it could not change.

    Docutils educates every text block and replaces each of its ``Text`` nodes by a new,
    mostly equal one; a block that holds nothing :data:`_ACTIVE` is skipped here instead
    (after the language check, so its warnings stay). Another action (``1``, ``-1``, ``w``, …)
    runs docutils' own transform unchanged.
    """

    def apply(self, **kwargs: Any) -> None:
        if not self.is_available():
            return
        self.smartquotes_action = self.config.smartquotes_action
        if not set(self.smartquotes_action) <= _ACTIONS:
            return super().apply()
        self._educate()

    def _educate(self) -> None:  # docutils' SmartQuotes.apply (0.22), with the skip
        smart_quotes = self.document.settings.setdefault("smart_quotes", False)
        if not smart_quotes:
            return
        try:
            alternative = smart_quotes.startswith("alt")
        except AttributeError:
            alternative = False
        document_language = self.document.settings.language_code
        lc_smartquotes = self.document.settings.smartquotes_locales
        if lc_smartquotes:
            smartquotes.smartchars.quotes.update(dict(lc_smartquotes))
        for node in self.document.findall(nodes.TextElement):
            if isinstance(node, self.nodes_to_skip) or isinstance(node.parent, nodes.TextElement):
                continue
            txtnodes = [t for t in node.findall(nodes.Text) if not isinstance(t.parent, nodes.option_string)]
            lang = node.get_language_code(document_language)
            if alternative:
                lang = lang.replace("-x-altquot", "") if "-x-altquot" in lang else lang + "-x-altquot"
            for tag in utils.normalize_language_tag(lang):
                if tag in smartquotes.smartchars.quotes:
                    lang = tag
                    break
            else:
                if lang not in self.unsupported_languages:
                    message = f'No smart quotes defined for language "{lang}".'
                    self.document.reporter.warning(message, base_node=node)
                self.unsupported_languages.add(lang)
                lang = ""
            if not any(_ACTIVE.search(t) for t in txtnodes):
                continue
            tokens = self.get_tokens(txtnodes)
            teacher = smartquotes.educate_tokens(tokens, attr=self.smartquotes_action, language=lang)
            for txtnode, newtext in zip(txtnodes, teacher, strict=False):
                txtnode.parent.replace(txtnode, nodes.Text(newtext))
        self.unsupported_languages.clear()


def _start_census(app: Any, *args: Any) -> None:
    forget_census()  # a new document, or the same one after it changed (read, then resolved)
