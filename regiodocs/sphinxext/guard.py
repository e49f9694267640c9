"""The guard: every doctree is judged on what it holds, before Sphinx uses it.

Runs at ``doctree-read`` before Sphinx's own collectors (which note images and
downloads for copying). It walks every node of the page and refuses: node
types off an explicit allow-list; ``raw`` nodes a trusted template did not
make; any attribute a browser would run (``javascript:``, ``data:``, …);
links other than http(s), mailto and targets on this site; images and
downloads outside ``content/medien/``; cross-references of kinds a
contribution cannot use. What a body points at (records, pages, media) is
returned as :class:`Reference` and judged against what exists
(:func:`judge_references`) – in the build against the edition's plan, in
``regiodocs check`` against the whole content (to tell "unknown" from "intern").
A refused node is replaced by visible text; nothing of it reaches the output.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx_design import badges_buttons, dropdown, shared

from .. import safety
from ..findings import Code
from ..references import Reference, Targets, judge_references
from .domain import KINDS
from .listing import FILTER_ATTRIBUTE
from .state import get_state, has_state
from .untrusted import TRUSTED
from .widgets import Widget

logger = logging.getLogger(__name__)

ALLOWED_NODES: frozenset[type[nodes.Node]] = frozenset({
    nodes.Text, nodes.document, nodes.section, nodes.title, nodes.subtitle, nodes.rubric,
    nodes.paragraph, nodes.compound, nodes.container, nodes.comment, nodes.transition,
    nodes.bullet_list, nodes.enumerated_list, nodes.list_item,
    nodes.definition_list, nodes.definition_list_item, nodes.term, nodes.classifier,
    nodes.definition, nodes.field_list, nodes.field, nodes.field_name, nodes.field_body,
    nodes.block_quote, nodes.attribution, nodes.line_block, nodes.line,
    nodes.literal_block, nodes.doctest_block,
    nodes.admonition, nodes.note, nodes.tip, nodes.hint, nodes.important, nodes.warning,
    nodes.caution, nodes.attention, nodes.danger, nodes.error, nodes.topic, nodes.sidebar,
    nodes.table, nodes.tgroup, nodes.colspec, nodes.thead, nodes.tbody, nodes.row, nodes.entry,
    nodes.figure, nodes.caption, nodes.legend, nodes.image,
    nodes.footnote, nodes.footnote_reference, nodes.label, nodes.citation,
    nodes.citation_reference, nodes.target, nodes.reference,
    nodes.emphasis, nodes.strong, nodes.literal, nodes.subscript, nodes.superscript,
    nodes.inline, nodes.abbreviation, nodes.acronym, nodes.title_reference,
    nodes.problematic, nodes.system_message, nodes.raw,
    addnodes.pending_xref, addnodes.download_reference, addnodes.seealso, addnodes.compact_paragraph,
    addnodes.toctree, addnodes.literal_emphasis,
    addnodes.literal_strong,
    shared.PassthroughTextElement, badges_buttons.sd_badge, dropdown.dropdown_main,
    dropdown.dropdown_title,
})  # fmt: skip
#: Attributes that hold a URL or a path: judged as links, images or downloads below.
_URL_ATTRIBUTES = ("refuri", "uri", "reftarget", "target")


@dataclass
class Verdict:
    """What the guard found in one doctree."""

    refusals: list[tuple[int, Code, str]] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    nodes: list[nodes.Node] = field(default_factory=list, repr=False)  # per reference, this build only
    first_line: int = 1  # for nodes without a line of their own
    folder: str = ""  # where the body was written (content-relative): relative paths start there
    anchors: frozenset[str] = frozenset()  # anchors of a template the check did not parse


def judge(
    doctree: nodes.document,
    docname: str,
    *,
    folder: str | None = None,
    first_line: int = 1,
    anchors: frozenset[str] = frozenset(),
) -> Verdict:
    """Judge every node of ``doctree``; refused nodes are replaced by visible text."""
    if folder is None:
        folder = posixpath.dirname(docname)
    verdict = Verdict(first_line=first_line, folder=folder, anchors=anchors)
    refused: list[nodes.Node] = []
    for node in list(doctree.findall()):
        problem = _problem(node, docname, verdict)
        if problem is not None:
            verdict.refusals.append((_line(node, first_line), Code.MARKUP, problem))
            refused.append(node)
        elif isinstance(node, nodes.Element):
            for mistake in _mistakes(node):  # Sphinx would warn while writing: say it now, in German
                verdict.refusals.append((_line(node, first_line), Code.MARKUP_ERROR, mistake))
    for node in refused:
        _remove(node)
    return verdict


def _problem(node: nodes.Node, docname: str, verdict: Verdict) -> str | None:
    if type(node) not in ALLOWED_NODES and not isinstance(node, Widget):
        return f"Dieser Inhalt (`{type(node).__name__}`) ist in Beiträgen nicht erlaubt."
    if not isinstance(node, nodes.Element):
        return None
    for key in _URL_ATTRIBUTES:  # other attributes are text: the HTML writer escapes them
        value = node.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            return "Ungültiges Ziel."
        if safety.dangerous(value):
            return safety.link_message(value)
    for kind, value in node.get(FILTER_ATTRIBUTE, ()):  # a {regio-liste} in `regiodocs check`
        _note(verdict, node, kind, value)
    if isinstance(node, nodes.raw):
        return None if node.get(TRUSTED) else safety.HTML
    if isinstance(node, nodes.image):
        return _file(node, "uri", docname, verdict, image=True)
    if isinstance(node, addnodes.download_reference):
        return _file(node, "reftarget", docname, verdict, image=False)
    if isinstance(node, addnodes.pending_xref):
        return _xref(node, docname, verdict)
    refuri = node.get("refuri")
    if isinstance(refuri, str) and not safety.web_or_anchor(refuri):
        return safety.link_message(refuri)
    return None


def _file(node: nodes.Element, attribute: str, docname: str, verdict: Verdict, *, image: bool) -> str | None:
    target = str(node.get(attribute) or "")
    if safety.scheme(target) is not None or target.startswith("//"):
        return safety.FOREIGN_IMAGE if image else safety.link_message(target)
    path = safety.local_path(target, verdict.folder)
    if path is None or not path.startswith(f"{safety.MEDIA_FOLDER}/"):
        return safety.file_message(target)
    node[attribute] = f"/{safety.media_source(path)}"  # site-absolute: in the source folder
    _note(verdict, node, "datei", path)
    return None


def _xref(node: addnodes.pending_xref, docname: str, verdict: Verdict) -> str | None:
    domain, kind, target = node.get("refdomain"), node.get("reftype"), str(node.get("reftarget") or "")
    if domain == "regio" and kind in KINDS:
        _note(verdict, node, kind, target)
    elif (domain, kind) == ("std", "doc") or (domain, kind) == ("doc", "myst"):
        path = target.lstrip("/") if target.startswith("/") or domain == "doc" else None
        if path is None:
            path = posixpath.normpath(posixpath.join(posixpath.dirname(docname), target))
        _note(verdict, node, "doc", path)
    elif domain is None and kind == "myst":  # MyST found no anchor of that name on the page
        if target.lstrip("#") in verdict.anchors:
            return None  # a heading of the template (the check parses the body alone)
        return (
            f"Die Sprungmarke `#{target.lstrip('#')}` gibt es auf dieser Seite nicht. Verweisen Sie "
            "auf eine Überschrift dieser Seite (z. B. `#ausgangslage` für „## Ausgangslage“)."
        )
    else:
        return (
            "Dieser Verweis ist in Beiträgen nicht möglich. Verweisen Sie mit "
            "{regio:eintrag}`kennung`, {regio:seite}`kennung` oder einem Link auf eine Datei."
        )
    return None


def _mistakes(node: nodes.Element) -> list[str]:
    """What Sphinx could only warn about while writing (in English): reported, and repaired."""
    found = []
    if isinstance(node, nodes.image):
        if "scale" in node:
            del node["scale"]
            found.append(
                "Die Option `:scale:` ist hier nicht möglich. Verwenden Sie `:width:`, z. B. `:width: 50%`."
            )
        for key in ("width", "height"):
            if key in node and not _measure(str(node[key])):
                found.append(
                    f"`:{key}: {node[key]}` ist keine gültige Größe. Schreiben Sie z. B. `300px` oder `50%`."
                )
                del node[key]
    if isinstance(node, nodes.literal_block):
        language = str(node.get("language") or "")
        lexable = _lexes(language, node.astext()) if language else True
        if lexable is None:
            found.append(
                f"Die Sprache `{language}` für Programmcode ist nicht bekannt. Lassen Sie sie weg oder "
                "schreiben Sie z. B. `python`, `yaml`, `json`, `text`."
            )
            node["language"] = "text"
        elif not lexable:
            found.append(
                f"Der Code ist kein gültiges `{language}` (so könnte er nicht hervorgehoben werden). "
                f"Korrigieren Sie ihn oder schreiben Sie `text` statt `{language}`."
            )
            node["language"] = "text"
        lines = node.astext().count("\n") + 1
        wanted = (node.get("highlight_args") or {}).get("hl_lines") or []
        if any(not 1 <= number <= lines for number in wanted):
            found.append(f"`:emphasize-lines:` nennt Zeilen außerhalb des Codes (1–{lines}).")
            node["highlight_args"] = {k: v for k, v in node["highlight_args"].items() if k != "hl_lines"}
    return found


def _measure(value: str) -> bool:
    try:
        nodes.parse_measure(value)
    except ValueError:
        return False
    return True


def _lexes(language: str, code: str) -> bool | None:
    """Whether Pygments highlights ``code`` as ``language`` as Sphinx would (None: unknown language)."""
    from pygments import lex
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    if language in ("default", "none", "text", "guess"):
        return True
    try:
        lexer = get_lexer_by_name(language, stripnl=False)
    except ClassNotFound:
        return None
    lexer.add_filter("raiseonerror")
    try:
        for _token in lex(code, lexer):
            pass
    except Exception:  # Pygments' ErrorToken: Sphinx would warn "Could not lex literal_block"
        return False
    return True


def _note(verdict: Verdict, node: nodes.Node, kind: str, target: str) -> None:
    verdict.references.append(Reference(kind, target, _line(node, verdict.first_line)))
    verdict.nodes.append(node)


def _line(node: nodes.Node, default: int) -> int:
    current: nodes.Node | None = node
    while current is not None:
        if getattr(current, "line", None):
            return int(current.line)  # type: ignore[arg-type]
        current = current.parent
    return default


def _remove(node: nodes.Node) -> None:
    if node.parent is None:
        return
    inline = isinstance(node, nodes.Inline) or isinstance(node.parent, nodes.TextElement)
    replacement = nodes.inline("", safety.REMOVED) if inline else nodes.paragraph("", safety.REMOVED)
    node.replace_self(replacement)


def build_targets(app: Sphinx) -> Targets:
    """What exists in this edition: the plan's objects and pages, the copied media."""
    state = get_state(app)
    objects = {(kind, ident): True for page in state.pages.values() for kind, ident, _t in page.objects}
    media = dict.fromkeys(state.media, True)
    return Targets(objects, dict.fromkeys(state.pages, True), media, frozenset(media))


def _doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    if not has_state(app):
        return
    state = get_state(app)
    docname = app.env.docname
    page = state.pages.get(docname)
    verdict = judge(
        doctree,
        docname,
        folder=state.source_dir(docname),
        first_line=page.body.body_line if page is not None and page.body is not None else 1,
        anchors=frozenset(state.anchors.get(docname, ())),
    )
    source = str(doctree.get("source") or docname)
    report = state.reporter(source)
    for line, code, message in verdict.refusals:
        report(line, code, message)
    if state.checking:  # regiodocs check: references are judged against the whole content
        state.verdicts[docname] = verdict
        return
    for index, code, message in judge_references(verdict.references, state.targets, public=False):
        report(verdict.references[index].line, code, message)
        _remove(verdict.nodes[index])


def setup_guard(app: Sphinx) -> None:
    # before Sphinx's collectors (priority 500) note images and downloads for copying
    app.connect("doctree-read", _doctree_read, priority=100)
