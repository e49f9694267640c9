"""The navigation every page shows: written again on every page when it changes.

The theme's chrome (``theme.py``) shows on every page which of its fixed pages exist (the
main navigation and footer link a page only if it is there) and, in the footer, the free
pages of the root toctree with their titles. Sphinx re-writes only the pages it read, so a
retitled, added or removed page would leave every other page with the old chrome. After
reading, the navigation's digest (the toctree, the titles of the pages in it and which of
the chrome's pages exist, as the environment now has them) is compared with the one of the
last build, kept in the ``regio`` domain's data; if it changed, every page is written again
(not read: what a page itself shows did not change).
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .domain import digest
from .theme import CHROME_DOCS

KEY = "navigation"


def navigation_digest(env: BuildEnvironment) -> str:
    """The toctree (parent → children, in order), the titles of every page it names and which
    of the pages the chrome links by name exist."""
    tree = {parent: list(children) for parent, children in sorted(env.toctree_includes.items())}
    named = {env.config.root_doc, *tree, *(child for children in tree.values() for child in children)}
    # the title as a node, not its text: what a page shows of it may follow its markup
    titles = {name: env.titles[name].pformat() for name in sorted(named) if name in env.titles}
    return digest([tree, titles, sorted(CHROME_DOCS & env.found_docs)])


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
