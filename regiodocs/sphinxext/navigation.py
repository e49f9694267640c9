"""The navigation every page shows: written again on every page when it changes.

The sidebar (furo lists the whole table of contents on each page) and the
previous/next links show the titles and the order of the pages in the toctree.
Sphinx re-writes only the pages it read, so a retitled or added free page would
leave every other page with the old navigation. After reading, the navigation's
digest (the toctree and the titles of the pages in it, as the environment now
has them) is compared with the one of the last build, kept in the ``regio``
domain's data; if it changed, every page is written again (not read: what a page
itself shows did not change).
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .domain import digest

KEY = "navigation"


def navigation_digest(env: BuildEnvironment) -> str:
    """The toctree (parent → children, in order) and the titles of every page it names."""
    tree = {parent: list(children) for parent, children in sorted(env.toctree_includes.items())}
    named = {env.config.root_doc, *tree, *(child for children in tree.values() for child in children)}
    # the title as a node, not its text: the sidebar shows its markup (*Mitmachen* is emphasis)
    titles = {name: env.titles[name].pformat() for name in sorted(named) if name in env.titles}
    return digest([tree, titles])


def changed_navigation(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-get-updated``: every page, if the navigation changed since the last build."""
    data = env.domains["regio"].data
    now = navigation_digest(env)
    if data.get(KEY) == now:
        return []
    data[KEY] = now
    return sorted(env.found_docs)


def setup_navigation(app: Sphinx) -> None:
    app.connect("env-get-updated", changed_navigation)
