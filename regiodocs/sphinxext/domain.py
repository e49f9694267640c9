"""The ``regio`` domain: objects (records, partners, platforms, …) and roles to link them.

Modelled on ``sphinx/ext/todo.py``: each document declares its objects while it
is read (:meth:`RegioDomain.note`), ``clear_doc`` and ``merge_domaindata`` keep
incremental and parallel builds right, and references are resolved late.
Contributors can write ``{regio:eintrag}`radschnellweg-neuss``` in any body.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from docutils import nodes
from docutils.nodes import Element
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util.nodes import make_refnode

from ..references import KINDS


class RegioDomain(Domain):
    name = "regio"
    label = "RegioDocs"
    object_types = {kind: ObjType(label, kind) for kind, label in KINDS.items()}
    roles = {kind: XRefRole() for kind in KINDS}
    initial_data: dict[str, Any] = {"objects": {}}  # (kind, id) -> (docname, title)

    @property
    def objects(self) -> dict[tuple[str, str], tuple[str, str]]:
        return self.data.setdefault("objects", {})

    def note(self, kind: str, ident: str, title: str, docname: str) -> None:
        self.objects[kind, ident] = (docname, title)

    def clear_doc(self, docname: str) -> None:
        for key, (doc, _title) in list(self.objects.items()):
            if doc == docname:
                del self.objects[key]

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        wanted = set(docnames)
        for key, value in otherdata["objects"].items():
            if value[0] in wanted:
                self.objects[key] = value

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


def setup_domain(app: Sphinx) -> None:
    app.add_domain(RegioDomain)
