"""The navigation every page shows: written again on every page when it changes.

The theme's chrome (``theme.py``) shows on every page which of its fixed pages exist (the
main navigation and footer link a page only if it is there) and, in the footer, the free
pages of the root toctree with their titles; breadcrumbs come from the page's own plan (its
fingerprint). Nothing else of the toctree reaches a page (no sidebar, no previous/next).
Sphinx re-writes only the pages it read, so a retitled, added or removed free page would
leave every other page with the old footer. After reading, the digest of what the chrome
shows (the root toctree's entries, their titles, which chrome pages exist) is compared with
the one of the last build, kept in the ``regio`` domain's data; if it changed, every page is
written again (not read: what a page itself shows did not change). A new status or keyword
page deeper in the tree changes no chrome and rewrites nothing else.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .domain import digest
from .theme import CHROME_DOCS

KEY = "navigation"


def navigation_digest(env: BuildEnvironment) -> str:
    """The root toctree's entries in order, their titles, and which chrome pages exist."""
    root = env.config.root_doc
    entries = list(env.toctree_includes.get(root, []))
    # the title as a node, not its text: what a page shows of it may follow its markup
    titles = {name: env.titles[name].pformat() for name in [root, *entries] if name in env.titles}
    return digest([entries, titles, sorted(CHROME_DOCS & env.found_docs)])


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
