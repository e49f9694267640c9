"""The per-build state: the checked content and the page plan.

Computed once per build in the main process at ``config-inited``; parallel
read workers are forked from it and so share it without pickling. Nothing here
is stored in the environment: the environment keeps only what Sphinx needs.
"""

from __future__ import annotations

import posixpath
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ..findings import Code
from ..model import Content
from ..references import Targets
from ..site import Labels, Page, PageKind, RecordSummary, labels
from ..templating import environment
from .config import RegioConfig

logger = logging.getLogger(__name__)

#: Keyed by the build's Config, which the application and its environment share (the
#: environment has no public way back to the application).
_STATES: weakref.WeakKeyDictionary[Config, State] = weakref.WeakKeyDictionary()


@dataclass
class State:
    config: RegioConfig
    content: Content
    pages: dict[str, Page]
    template_dirs: tuple[str, ...]
    media: set[str] = field(default_factory=set)  # content-relative paths copied into the source folder
    targets: Targets | None = None  # what this edition has; None in `regiodocs check` (judged there)
    #: `regiodocs check` collects here instead of logging: source → [(line, code, message)]
    collected: dict[str, list[tuple[int, Code, str]]] | None = None
    verdicts: dict[str, Any] = field(default_factory=dict)  # docname → guard.Verdict (check only)
    #: `regiodocs check`: the anchors of each page's template, which the check does not parse
    anchors: dict[str, set[str]] = field(default_factory=dict)
    #: a release's records over the editions (`regiodocs_neuigkeiten`): the feeds' dates and changes
    news: dict[str, Any] | None = None

    @cached_property
    def objects(self) -> dict[tuple[str, str], tuple[str, str]]:
        """The plan's ``regio`` objects: (kind, id) → (docname, title)."""
        return {(k, i): (name, t) for name, page in self.pages.items() for k, i, t in page.objects}

    @cached_property
    def records(self) -> list[RecordSummary]:
        """The cards of this edition's records, in the plan's order."""
        return [p.summary for p in self.pages.values() if p.kind is PageKind.RECORD and p.summary]

    @cached_property
    def labels(self) -> Labels:
        return labels(self.content)

    @property
    def checking(self) -> bool:
        """True in `regiodocs check`, which parses bodies alone (no template, no plan's output)."""
        return self.collected is not None

    def source_dir(self, docname: str) -> str:
        """The content folder a page's body was written in: relative links start there."""
        page = self.pages.get(docname)
        if page is not None and page.body is not None:
            return posixpath.dirname(page.body.rel)
        return posixpath.dirname(docname)

    def render(self, page: Page) -> str:
        if page.template is None:  # `regiodocs check` parses a contribution's body alone
            return ""
        return environment(self.template_dirs).get_template(page.template).render(**page.context)

    def reporter(self, source: str) -> Callable[[int, Code, str], None]:
        """Where refusals in ``source`` go: the check's list, or the build's log."""
        if self.collected is not None:
            return lambda line, code, message: self.collected.setdefault(source, []).append(  # type: ignore[union-attr]
                (line, code, message)
            )
        if self.config.sicher:
            return lambda line, code, message: logger.error(
                "%s %s", code.value, message, location=f"{source}:{line}"
            )
        return lambda line, code, message: logger.info(
            "%s:%s: entfernt (Sicherheitsmodus aus): %s", source, line, message
        )


def set_state(app: Sphinx, state: State) -> None:
    _STATES[app.config] = state


def get_state(owner: Sphinx | BuildEnvironment) -> State:
    """The state of the build that ``owner`` (the application or its environment) belongs to."""
    return _STATES[owner.config]


def has_state(owner: Sphinx | BuildEnvironment) -> bool:
    return owner.config in _STATES


def template_dirs(confdir: Path, config: RegioConfig) -> tuple[str, ...]:
    return (str((confdir / config.vorlagen).resolve()),)
