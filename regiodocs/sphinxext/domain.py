"""The ``regio`` domain: objects (records, partners, platforms, …), roles to link them, and
what each document read.

Modelled on ``sphinx/ext/todo.py``: each document declares its objects while it
is read (:meth:`RegioDomain.note`), ``clear_doc`` and ``merge_domaindata`` keep
incremental and parallel builds right, and references are resolved late.
Contributors can write ``{regio:eintrag}`radschnellweg-neuss``` in any body.

**Declared reads.** A page's output is a function of its stub (the planner's
fingerprint of the page's template context and body) and of what its body
reads elsewhere: the title of a record a role names, the records a
``{regio-liste}`` selects. Whatever reads such an input notes it here while the
document is read (:meth:`RegioDomain.note_read`: a key and the digest of what was
read); :meth:`process_doc` does so for every cross-reference. At
``env-get-outdated`` each key's digest is computed afresh from the new plan
(:data:`DIGESTS`, one function per kind of key) and every document whose inputs
changed is read again – exactly those.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from docutils import nodes
from docutils.nodes import Element
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util import logging
from sphinx.util.nodes import make_refnode

from ..findings import Code
from ..references import KINDS
from .state import State, get_state, has_state

logger = logging.getLogger(__name__)

#: A declared read: (kind of input, …) – e.g. ("regio", "eintrag", "radweg-nord").
Key = tuple[str, ...]
#: Per kind of input: its digest in this build's plan.
DIGESTS: dict[str, Callable[[State, Key], str]] = {}


def digest(value: object) -> str:
    """A short stable digest of plain data."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def register_input(kind: str, compute: Callable[[State, Key], str]) -> None:
    """Make ``kind`` a kind of input documents can declare (its digest from the plan)."""
    DIGESTS[kind] = compute


class RegioDomain(Domain):
    name = "regio"
    label = "RegioDocs"
    object_types = {kind: ObjType(label, kind) for kind, label in KINDS.items()}
    roles = {kind: XRefRole(warn_dangling=True) for kind in KINDS}
    initial_data: dict[str, Any] = {
        "objects": {},  # (kind, id) -> (docname, title)
        "reads": {},  # docname -> {key: digest}: what the document read besides its stub
        "listed": {},  # docname -> record docnames its {regio-liste} directives show
    }

    @property
    def objects(self) -> dict[tuple[str, str], tuple[str, str]]:
        return self.data.setdefault("objects", {})

    @property
    def reads(self) -> dict[str, dict[Key, str]]:
        return self.data.setdefault("reads", {})

    @property
    def listed(self) -> dict[str, list[str]]:
        return self.data.setdefault("listed", {})

    def note(self, kind: str, ident: str, title: str, docname: str) -> None:
        self.objects[kind, ident] = (docname, title)

    def note_read(self, docname: str, key: Key, value: str) -> None:
        """``docname``'s output depends on ``key``, whose digest was ``value`` when it was read."""
        if key[0] not in DIGESTS:
            raise KeyError(f"regio domain: no digest for inputs of kind {key[0]!r}")
        self.reads.setdefault(docname, {})[key] = value

    def note_listed(self, docname: str, records: Iterable[str]) -> None:
        self.listed.setdefault(docname, []).extend(records)

    def clear_doc(self, docname: str) -> None:
        for key, (doc, _title) in list(self.objects.items()):
            if doc == docname:
                del self.objects[key]
        self.reads.pop(docname, None)
        self.listed.pop(docname, None)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        wanted = set(docnames)
        for key, value in otherdata["objects"].items():
            if value[0] in wanted:
                self.objects[key] = value
        for name in ("reads", "listed"):
            mine = self.data.setdefault(name, {})
            for docname, value in otherdata.get(name, {}).items():
                if docname in wanted:
                    mine[docname] = value

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        """Every cross-reference reads its target's title (resolved late, when pages are written)."""
        if not has_state(env) or get_state(env).checking:
            return
        state = get_state(env)
        for node in document.findall(pending_xref):
            key = _xref_input(node, docname)
            if key is not None:
                self.note_read(docname, key, DIGESTS[key[0]](state, key))

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> nodes.reference | None:
        found = self.objects.get((typ, target))
        if found is None:
            return None
        docname, title = found
        if not node.get("refexplicit"):
            contnode = nodes.inline(title, title, classes=["regio-ref", f"regio-ref-{typ}"])
        return make_refnode(builder, fromdocname, docname, "", contnode, title)

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: Element,
    ) -> list[tuple[str, nodes.reference]]:
        results = []
        for kind in KINDS:
            ref = self.resolve_xref(env, fromdocname, builder, kind, target, node, contnode)
            if ref is not None:
                results.append((f"regio:{kind}", ref))
        return results

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for (kind, ident), (docname, title) in sorted(self.objects.items()):
            yield f"{kind}:{ident}", title, kind, docname, "", 1


def _xref_input(node: pending_xref, docname: str) -> Key | None:
    domain, kind, target = node.get("refdomain"), node.get("reftype"), str(node.get("reftarget") or "")
    if domain == "regio" and kind in KINDS:
        return ("regio", kind, target)
    if (domain, kind) == ("std", "doc"):  # relative to the page unless it starts with "/"
        if target.startswith("/"):
            return ("doc", target.lstrip("/"))
        return ("doc", posixpath.normpath(posixpath.join(posixpath.dirname(docname), target)))
    if (domain, kind) == ("doc", "myst"):
        return ("doc", target.lstrip("/"))
    return None


def _object_digest(state: State, key: Key) -> str:
    _kind, kind, target = key
    return digest(state.objects.get((kind, target)))


def _doc_digest(state: State, key: Key) -> str:
    """A link to a page shows the page's title (or nothing, if the page is gone)."""
    target = key[1].removesuffix(".md").removesuffix(".rd")
    page = state.pages.get(target)
    return digest(page.title if page is not None else None)


def outdated(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """The documents whose declared inputs changed since they were read."""
    if not has_state(app):
        return []
    state = get_state(app)
    domain = env.domains["regio"]
    assert isinstance(domain, RegioDomain)
    current: dict[Key, str] = {}
    found = []
    for docname, reads in sorted(domain.reads.items()):
        if docname in changed or docname in removed or docname in added:
            continue
        for key, value in reads.items():
            if key[0] not in DIGESTS:  # an input kind of an older regiodocs: read again
                found.append(docname)
                break
            if key not in current:
                current[key] = DIGESTS[key[0]](state, key)
            if current[key] != value:
                found.append(docname)
                break
    if found:
        logger.info("regiodocs: %d Seite(n) neu gelesen, weil sich Gelesenes geändert hat", len(found))
    return found


def missing_reference(app: Sphinx, domain: Domain, node: pending_xref) -> bool | None:
    """The second line behind `regiodocs check`: a dangling {regio:…} role, in German."""
    if domain.name != "regio":
        return None
    kind, target = node.get("reftype"), node.get("reftarget")
    logger.warning(
        "%s `%s` ist keine bekannte Kennung für %s (Rolle {regio:%s}).",
        Code.REFERENCE.value,
        target,
        KINDS.get(kind, kind),
        kind,
        location=node,
        type="regio",
        subtype="verweis",
    )
    return True


def setup_domain(app: Sphinx) -> None:
    app.add_domain(RegioDomain)
    register_input("regio", _object_digest)
    register_input("doc", _doc_digest)
    app.connect("env-get-outdated", outdated)
    app.connect("warn-missing-reference", missing_reference)
