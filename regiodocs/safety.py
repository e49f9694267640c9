"""What a contributed body may contain: the policy, in one place.

Pure data and small functions, no parser: the Sphinx integration applies it
twice – while a body is rendered (:mod:`regiodocs.sphinxext.untrusted`: only
allowed directives and roles run, no HTML) and on the finished doctree
(:mod:`regiodocs.sphinxext.guard`: node types, URLs, files) – and
``regiodocs check`` runs the very same rendering (:mod:`regiodocs.bodies`).
"""

from __future__ import annotations

import posixpath
import re

#: Directives that read files or URLs, or write raw output: refused even in regiodocs' own
#: templates, which never need them. A value that escaped its escaping (a line break in a
#: raw block) could otherwise read any file or inject HTML with the template's trust.
TEMPLATE_REFUSED = frozenset({"raw", "include", "literalinclude", "csv-table", "eval-rst", "eval-md"})
ALLOWED_DIRECTIVES = frozenset({
    "note", "tip", "hint", "important", "warning", "caution", "attention", "danger",
    "error", "seealso", "admonition", "topic", "sidebar", "epigraph", "rubric",
    "list-table", "table", "code-block", "code", "sourcecode",
    "image", "figure", "card", "grid", "grid-item", "grid-item-card", "tab-set",
    "tab-item", "dropdown", "regio-liste",
})  # fmt: skip
ALLOWED_ROLES = frozenset({
    "regio:eintrag", "regio:partner", "regio:plattform", "regio:handlungsfeld",
    "regio:herausforderung", "regio:status", "regio:schlagwort", "regio:seite",
    "abbr", "sub", "sup", "kbd", "guilabel",
    "bdg", "bdg-primary", "bdg-secondary", "bdg-info", "bdg-success", "bdg-warning",
})  # fmt: skip
#: Schemes a link in a contribution may use.
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
#: Schemes that run or embed something wherever they appear (links, options, targets).
DANGEROUS_SCHEMES = frozenset({"javascript", "vbscript", "data", "file", "livescript"})
MEDIA_FOLDER = "medien"


def media_source(path: str) -> str:
    """Where a media file (``medien/a/bild.png``) lies in the build's source folder
    (``medien/a--bild.png``): one folder, so that no two files share a name.

    Sphinx names copied images by their file name alone, numbering clashes in the order
    pages are read – which differs between an incremental and a clean build.
    """
    inner = path.removeprefix(f"{MEDIA_FOLDER}/")
    return f"{MEDIA_FOLDER}/{inner.replace('/', '--')}"


#: Kinds of media a record may publish: documents, images, data. Not HTML, XML (KML, GPX:
#: served as XML, a browser runs XHTML script in them), scripts or programs – a browser would
#: run those under the handbook's own address. SVG is judged by :mod:`regiodocs.svg`.
MEDIA_TYPES = frozenset({
    "pdf", "png", "jpg", "jpeg", "gif", "webp", "avif", "svg",
    "odt", "ods", "odp", "docx", "xlsx", "pptx", "doc", "xls", "ppt",
    "csv", "txt", "zip", "kmz", "geojson",
})  # fmt: skip
MAX_NESTING = 20

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]+")

HTML = (
    "HTML ist in Beiträgen nicht erlaubt. Verwenden Sie Markdown "
    "(z. B. **fett**, Listen, Tabellen) oder die Felder des Eintrags."
)
FOREIGN_IMAGE = (
    "Bilder sind nur aus `medien/` erlaubt (Feld `bilder`), nicht von fremden Servern: "
    "diese würden die Leser:innen an Dritte verraten."
)
REMOVED = "[entfernt: nicht erlaubter Inhalt]"


def scheme(target: str) -> str | None:
    """The URL scheme as a browser reads it (controls, spaces and tabs ignored), lower case."""
    match = _SCHEME.match(_INVISIBLE.sub("", target))
    return match.group(1).lower() if match else None


def dangerous(value: str) -> bool:
    """True for a value that a browser would run or embed (``javascript:``, ``data:``, …)."""
    return scheme(value) in DANGEROUS_SCHEMES


def link_allowed(target: str) -> bool:
    """http(s), mailto, or a relative target that stays on this site."""
    found = scheme(target)
    if found is None:
        return not _INVISIBLE.sub("", target).startswith(("//", "\\\\", "/\\", "\\/"))
    return found in LINK_SCHEMES


def web_or_anchor(target: str) -> bool:
    """A link that leaves as it is: http(s), mailto, or an anchor on the same page."""
    return scheme(target) in LINK_SCHEMES or target.startswith("#")


def local_path(target: str, folder: str) -> str | None:
    """A relative or site-absolute path as a path below ``content/``; None if it leaves it.

    ``target`` is relative to ``folder`` (where the text was written, relative to
    ``content/``), or to the content folder when it starts with ``/``.
    """
    path = target.split("#", 1)[0].split("?", 1)[0].replace("\\", "/")
    if not path or scheme(path) is not None or "\x00" in path:
        return None
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(folder, path)
    normal = posixpath.normpath(joined)
    if normal in (".", "") or normal.startswith("../") or normal == ".." or normal.startswith("/"):
        return None
    return normal


def directive_message(name: str) -> str:
    if name in ("raw", "eval-rst", "include", "literalinclude", "csv-table"):
        return (
            f"Die Direktive `{name}` ist aus Sicherheitsgründen nicht erlaubt: sie liest "
            "Dateien oder gibt ungeprüfte Inhalte aus. Schreiben Sie den Inhalt als Markdown "
            "(z. B. eine Markdown-Tabelle) oder hängen Sie Dateien über `dokumente` an."
        )
    return (
        f"Die Direktive `{name}` ist in Beiträgen nicht erlaubt. Erlaubt sind: "
        f"{', '.join(sorted(ALLOWED_DIRECTIVES))}."
    )


def role_message(name: str) -> str:
    return (
        f"Die Rolle `{{{name}}}` ist in Beiträgen nicht erlaubt. "
        "Erlaubt sind z. B. {regio:eintrag}, {abbr}, {sub}, {sup}."
    )


def link_message(target: str) -> str:
    return (
        f"Das Link-Ziel `{_shown(target)}` ist nicht erlaubt. Erlaubt sind https://, http://, "
        "mailto:, tel: und Verweise innerhalb des Handbuchs (z. B. {regio:eintrag}`kennung`)."
    )


def file_message(target: str) -> str:
    return (
        f"Die Datei `{_shown(target)}` liegt nicht unter `content/medien/`. Bilder und "
        "Dateien im Text müssen unter `medien/` liegen, z. B. `/medien/plan.pdf`."
    )


def _shown(target: str) -> str:
    text = _INVISIBLE.sub(" ", target).strip()
    return text if len(text) <= 80 else text[:77] + "…"
