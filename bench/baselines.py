"""The same pages for the baselines: plain Sphinx (MyST files), MkDocs Material and Zensical.

The plain-Sphinx baseline is what regiodocs renders (template output + body),
written as ordinary MyST files with the same extensions, theme and navigation,
so that the ratio measures regiodocs' own overhead. The MkDocs project carries the
same records and overview lists as plain Markdown: what a user might pick instead.
It has two configurations over the same ``docs/``: ``mkdocs.yml`` with our navigation
(the overview pages; records stay out of the navigation, as in regiodocs) and
``mkdocs-alle.yml`` with MkDocs' default navigation (every page, no ``nav``).
Zensical (the Material team's successor) reads the same files.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import shutil
from pathlib import Path

import yaml

from regiodocs import checks, site
from regiodocs.sphinxext.parser import BODY_MARK
from regiodocs.templating import environment

ROOT = Path(__file__).resolve().parent.parent
SAME_NAV = "mkdocs.yml"  # our navigation: the overview pages, records not in the navigation
DEFAULT_NAV = "mkdocs-alle.yml"  # MkDocs' default navigation: every page
ROLE = re.compile(r"\{regio:(\w+)\}`([^`]+)`")
# regiodocs' own directives (search field, charts, map, contact, progress, matrix): not plain Sphinx
WIDGETS = re.compile(r":::\{regio-[\w-]+\}.*?\n:::\n", re.S)

SPHINX_CONF = """
project = "Handbuch (Baseline)"
language = "de"
extensions = ["myst_parser", "sphinx_design"]
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header", "myst.xref_missing", "toc.not_included"]
html_theme = "regiodocs"
html_theme_path = [{theme_path!r}]
html_copy_source = False
"""


def _pages(content: Path) -> dict[str, site.Page]:
    result = checks.check(content, content.parent)
    return site.plan(result.content, today=dt.date(2026, 11, 22))


def plain_sphinx(content: Path, target: Path) -> Path:
    """Write the handbook as plain MyST sources for ``sphinx-build``."""
    if target.exists():
        shutil.rmtree(target)
    pages = _pages(content)
    objects = {
        (kind, ident): (page.docname, title) for page in pages.values() for kind, ident, title in page.objects
    }
    env = environment((str(ROOT / "templates" / "regiodocs"),))

    def link(match: re.Match[str]) -> str:
        docname, title = objects.get((match.group(1), match.group(2)), ("index", match.group(2)))
        return f"[{title}](/{docname}.md)"

    for docname, page in pages.items():
        head, _mark, tail = env.get_template(page.template).render(**page.context).partition(BODY_MARK)
        body = page.body.body if page.body is not None and page.body.body else ""
        text = WIDGETS.sub("", ROLE.sub(link, f"{head}\n{body}\n{tail}"))
        text = text.replace(":link: /", ":link: /").replace(".rd>", ">")
        if page.orphan:
            text = f"---\norphan: true\n---\n{text}"
        path = target / f"{docname}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    theme_path = str(ROOT / "regiodocs" / "theme")  # the handbook's theme, without regiodocs' extension
    (target / "conf.py").write_text(SPHINX_CONF.format(theme_path=theme_path), encoding="utf-8")
    return target


def mkdocs(content: Path, target: Path) -> Path:
    """Write the handbook as an MkDocs Material project with German search.

    ``target / SAME_NAV`` builds into ``site/`` with our navigation, ``target / DEFAULT_NAV``
    into ``site-alle/`` with every page in the navigation; both read ``target / "docs"``.
    """
    if target.exists():
        shutil.rmtree(target)
    docs = target / "docs"
    pages = _pages(content)
    nav_sections: list[dict[str, str]] = []
    for docname, page in pages.items():
        lines = [f"# {page.title}", ""]
        if page.kind is site.PageKind.RECORD and page.summary is not None:
            s = page.summary
            lines += [
                f"**{s.teaser}**",
                "",
                f"- Typ: {s.kind_label}",
                f"- Status: {s.status_label}",
                f"- Partner: {', '.join(s.partners)}",
                f"- Stand: {s.stand}",
                "",
            ]
            lines.append(page.body.body if page.body is not None and page.body.body else "")
        else:
            for item in page.listed:
                rel = posixpath.relpath(item.docname, posixpath.dirname(docname) or ".")
                lines.append(f"- [{item.title}]({rel}.md) – {item.teaser}")
            if page.body is not None and page.body.body:
                lines += ["", page.body.body]
        path = docs / f"{docname}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        if docname.endswith("/index") or docname == "index":
            nav_sections.append({page.title: f"{docname}.md"})
    config = {
        "site_name": "Handbuch (MkDocs-Vergleich)", "docs_dir": "docs", "site_dir": "site",
        "theme": {"name": "material", "language": "de"},
        "plugins": [{"search": {"lang": "de"}}],
        "validation": {"omitted_files": "ignore", "links": {"not_found": "ignore"}},
    }  # fmt: skip
    same = config | {"nav": nav_sections}
    default = config | {"site_dir": "site-alle"}
    (target / SAME_NAV).write_text(yaml.safe_dump(same, allow_unicode=True), encoding="utf-8")
    (target / DEFAULT_NAV).write_text(yaml.safe_dump(default, allow_unicode=True), encoding="utf-8")
    return target
