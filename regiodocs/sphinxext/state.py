"""The per-build state: the checked content and the page plan.

Computed once per build in the main process at ``config-inited``; parallel
read workers are forked from it and so share it without pickling. Nothing here
is stored in the environment: the environment keeps only what Sphinx needs.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from pathlib import Path

from sphinx.application import Sphinx

from ..model import Content
from ..site import Page
from ..templating import environment
from .config import RegioConfig

_STATES: weakref.WeakKeyDictionary[Sphinx, State] = weakref.WeakKeyDictionary()


@dataclass
class State:
    config: RegioConfig
    content: Content
    pages: dict[str, Page]
    template_dirs: tuple[str, ...]
    media: dict[str, str] = field(default_factory=dict)  # srcdir-relative → absolute source

    def render(self, page: Page) -> str:
        return environment(self.template_dirs).get_template(page.template).render(**page.context)


def set_state(app: Sphinx, state: State) -> None:
    _STATES[app] = state


def get_state(app: Sphinx) -> State:
    return _STATES[app]


def has_state(app: Sphinx) -> bool:
    return app in _STATES


def template_dirs(confdir: Path, config: RegioConfig) -> tuple[str, ...]:
    return (str((confdir / config.vorlagen).resolve()),)
